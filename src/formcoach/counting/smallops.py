"""NumPy's answers on the counter's small per-frame inputs, without NumPy's per-call cost.

The counter works on arrays of a few dozen values, tens of times a frame, where the Python
wrappers of ``np.nan_to_num`` (its dtype limits, wrapped ``isposinf`` / ``isneginf``) and of
``np.median`` (array conversion, partition, NaN check) cost several times the work. Each
function here gives the same floats as the NumPy call it replaces.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["cosine", "median", "nan_to_zero"]

_all = np.logical_and.reduce


def nan_to_zero(d: np.ndarray) -> np.ndarray:
    """``np.nan_to_num(d)`` in place, for a float array the caller owns (a fresh difference).

    NaN becomes 0 and an infinity the largest finite value of its sign, exactly as
    ``np.nan_to_num`` (infinities, which the counter never makes, take its slow path).

    Args:
        d: (...) float array, overwritten.

    Returns:
        ``d``.
    """
    d[np.isnan(d)] = 0.0
    if not _all(np.isfinite(d), axis=None):
        np.nan_to_num(d, copy=False)
    return d


def median(values: Sequence[float]) -> float:
    """``float(np.median(values))`` of a few floats (NaN if any is NaN; NaN for none).

    The mean of the two middle values of an even count is ``(a + b) / 2``, as NumPy takes it.
    """
    n = len(values)
    if n == 0 or any(math.isnan(v) for v in values):
        return float("nan")
    s = sorted(values)
    return float(s[n // 2]) if n % 2 else float((s[n // 2 - 1] + s[n // 2]) / 2)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine of the angle between two (D,) vectors; 0 when either is all zeros."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b) / (na * nb) if na > 0 and nb > 0 else 0.0
