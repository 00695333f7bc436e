"""Synthetic audio with known answers for the voice tests."""

from __future__ import annotations

import importlib
import os

import numpy as np
import pytest

from formcoach.voice.audio import resample
from formcoach.voice.espeak import espeak_synth

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


def require_backend(module: str) -> None:
    """Skip when an optional voice backend is not installed; fail under
    FORMCOACH_REQUIRE_DATA=1 (CI installs every extra, so absence there is a bug)."""
    try:
        importlib.import_module(module)
    except ImportError:
        msg = f"{module} is not installed (pip install 'formcoach[all]')"
        if os.environ.get("FORMCOACH_REQUIRE_DATA", "") not in ("", "0"):
            pytest.fail(msg + " and FORMCOACH_REQUIRE_DATA=1")
        pytest.skip(msg)


def spoken(word: str, before_s: float = 2.0, after_s: float = 2.0, voice: str = "en-us"):
    """An espeak-ng word at 16 kHz inside ``before_s`` / ``after_s`` of a quiet room.

    Returns:
        ``(samples (n,) int16, (start, stop))``: the audio and where the word is (samples).
    """
    require_backend("espeakng_loader")
    synth = espeak_synth(voice=voice)
    word_audio = resample(synth.synth(word), synth.sample_rate, RATE).astype(np.float64)
    nz = np.flatnonzero(np.abs(word_audio) > 2)
    word_audio = word_audio[nz[0] : nz[-1] + 1]
    a, b = int(before_s * RATE), int(after_s * RATE)
    x = np.concatenate([np.zeros(a), word_audio, np.zeros(b)])
    x += np.random.default_rng(3).normal(0, 3, len(x))
    return np.clip(x, -32768, 32767).astype(np.int16), (a, a + len(word_audio))


class FakeSd:
    """sounddevice stand-in: a device list and an input stream fed from an array."""

    class PortAudioError(Exception):
        pass

    def __init__(self, signal=None, devices=True):
        self.signal = signal
        self.devices = devices
        self.pos = 0

    def query_devices(self, kind=None):
        if not self.devices:
            raise self.PortAudioError("Error querying device -1")
        return {"max_output_channels": 2, "max_input_channels": 1}

    def InputStream(self, **kw):
        sd = self

        class S:
            def __enter__(self):
                return self

            def __exit__(self, *a):
                return False

            def read(self, n):
                chunk = sd.signal[sd.pos : sd.pos + n]
                sd.pos += n
                if len(chunk) < n:
                    chunk = np.concatenate([chunk, np.zeros(n - len(chunk), np.int16)])
                return chunk.reshape(-1, 1), False

        return S()
