"""The period of the recent movement, from its autocorrelation.

A repetition is one cycle of a movement that repeats; how long a cycle lasts is the one time
scale every stage of the counter can be expressed in. :class:`PeriodTracker` keeps the last
two cycles of the slowest movement counted (``2 / F_MIN`` seconds) of posture vectors and,
a few times a second, finds the lag at which the posture best repeats itself: the highest
peak of the normalised autocorrelation of the (mean-removed, multi-dimensional) posture,
between ``1 / F_MAX`` and ``1 / F_MIN`` seconds, beyond the lobe around lag zero. The
autocorrelation at that lag (``strength``, 1 for a perfect repetition, about 0 for noise) is
the share of the posture's variance that repeats.

Cost: one FFT of the window every ``every_s`` seconds (about 0.1 ms for 35 features and
7 s at 30 fps).
"""

from __future__ import annotations

from collections import deque

import numpy as np

__all__ = ["F_MAX", "F_MIN", "PeriodTracker"]

#: Slowest and fastest movement counted, cycles per second.
F_MIN = 0.3
F_MAX = 4.0


class PeriodTracker:
    """The dominant period of the posture over the last ``2 / F_MIN`` seconds.

    Args:
        every_s: seconds between two estimates.

    Attributes:
        period: seconds per cycle of the last periodic movement seen (NaN before any).
        strength: autocorrelation at that period in the last estimate (0 before any).
    """

    def __init__(self, every_s: float = 0.2) -> None:
        self.window_s = 2.0 / F_MIN
        self.every_s = every_s
        self.period = float("nan")
        self.strength = 0.0
        #: the range of the movement over its last cycle (largest distance between postures)
        self.range = float("nan")
        self._times: deque[float] = deque()
        self._poses: deque[np.ndarray] = deque()
        self._next = float("-inf")
        #: (D, k) directions to measure in (the movement subspace), or None for all
        self.basis: np.ndarray | None = None

    def update(self, t: float, f: np.ndarray) -> None:
        """Add the posture (D,) seen at time ``t`` (NaN where unseen)."""
        self._times.append(t)
        self._poses.append(f)
        while self._times and t - self._times[0] > self.window_s:
            self._times.popleft()
            self._poses.popleft()
        if t >= self._next:
            self._next = t + self.every_s
            self._estimate()

    def _estimate(self) -> None:
        n = len(self._times)
        span = self._times[-1] - self._times[0] if n else 0.0
        if n < 8 or span <= 0:
            return
        fps = (n - 1) / span
        lo = max(2, int(np.floor(fps / F_MAX)))
        hi = min(int(np.ceil(fps / F_MIN)), n // 2)
        if hi <= lo + 1:
            return
        x = np.nan_to_num(np.array(self._poses))
        if self.basis is not None:
            x = x @ self.basis
        rho = _cycle_similarity(x, lo, hi)
        best = float(rho.max())
        if not best > 0:
            self.strength = 0.0
            return
        k = lo + int(np.flatnonzero(rho >= 0.9 * best)[0])  # the shortest of equal periods
        self.strength = float(rho[k - lo])
        if self.strength > 0.5:
            self.period = k / fps
            last = x[-k:]
            diff = last[:, None, :] - last[None, :, :]
            self.range = float(np.sqrt((diff * diff).sum(axis=-1).max()))


def _cycle_similarity(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """(hi - lo + 1,) correlation of the last ``k`` rows of ``x`` (N, D) with the ``k`` rows
    before them, for every lag ``k`` from ``lo`` to ``hi``, the mean of both removed."""
    out = np.zeros(hi - lo + 1)
    for i, k in enumerate(range(lo, hi + 1)):
        both = x[-2 * k :]
        both = both - both.mean(axis=0)
        a, b = both[k:], both[:k]
        den = float(np.sqrt((a * a).sum() * (b * b).sum()))
        out[i] = float((a * b).sum()) / den if den > 0 else 0.0
    return out


def _autocorrelation(x: np.ndarray, lags: int) -> np.ndarray | None:
    """(lags,) normalised autocorrelation of (N, D) mean-removed rows, unbiased per lag."""
    n = len(x)
    size = 1 << (2 * n - 1).bit_length()
    spec = np.fft.rfft(x, size, axis=0)
    r = np.fft.irfft((spec * spec.conj()).real.sum(axis=1), size)[:lags]
    r /= n - np.arange(lags)
    if not r[0] > 0:
        return None
    return r / r[0]
