"""Synthetic audio with known answers for the voice tests."""

from __future__ import annotations

import numpy as np

RATE = 16000


def tone_burst(
    total_s: float = 2.0,
    start_s: float = 0.8,
    dur_s: float = 0.4,
    noise: float = 20.0,
    amp: float = 8000.0,
    seed: int = 0,
) -> np.ndarray:
    """Background noise with a voiced-like burst (harmonics of 150 Hz) at a known place."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, noise, int(total_s * RATE))
    t = np.arange(int(dur_s * RATE)) / RATE
    burst = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 8))
    burst *= np.hanning(len(t)) ** 0.3
    a = int(start_s * RATE)
    x[a : a + len(t)] += amp * burst / np.abs(burst).max()
    return np.clip(x, -32768, 32767).astype(np.int16)


def noise(total_s: float = 1.0, level: float = 2000.0, seed: int = 1) -> np.ndarray:
    """Steady white noise."""
    rng = np.random.default_rng(seed)
    return np.clip(rng.normal(0, level, int(total_s * RATE)), -32768, 32767).astype(np.int16)


def silence(total_s: float = 1.0, level: float = 3.0, seed: int = 2) -> np.ndarray:
    """Near-silence (a quiet room)."""
    return noise(total_s, level, seed)
