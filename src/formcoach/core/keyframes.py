"""Smooth curves through keyframes: how a reference repetition is written down."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["keyframes"]


def keyframes(times: Sequence[float], values: Sequence[float], t: np.ndarray) -> np.ndarray:
    """Interpolate (cosine ease) between ``(time, value)`` keyframes; held past the ends.

    Args:
        times: (K,) increasing keyframe times.
        values: (K,) the value at each.
        t: (N,) times to evaluate at.

    Returns:
        (N,) float64 values; the curve's slope is zero at every keyframe.
    """
    times_a, values_a = np.asarray(times, float), np.asarray(values, float)
    t = np.asarray(t, float)
    k = np.clip(np.searchsorted(times_a, t, side="right") - 1, 0, max(len(times_a) - 2, 0))
    if len(times_a) < 2:
        return np.full(t.shape, values_a[0] if len(values_a) else np.nan)
    span = times_a[k + 1] - times_a[k]
    u = np.clip((t - times_a[k]) / np.where(span > 0, span, 1.0), 0.0, 1.0)
    w = 0.5 - 0.5 * np.cos(np.pi * u)
    return (1 - w) * values_a[k] + w * values_a[k + 1]
