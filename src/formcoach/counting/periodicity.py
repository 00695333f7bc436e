"""The period of the recent movement: how long its last cycle took, if it repeats.

A repetition is one cycle of a movement that repeats. :class:`PeriodTracker` keeps the posture
of the last two slowest cycles counted and, a few times a second, asks for every lag ``k``
from the fastest cycle to the slowest one: *does the last ``k`` seconds of movement
repeat the ``k`` seconds before it?* The answer is the correlation of the two stretches of
posture (in the movement subspace, their common mean removed): about 1 for a movement that
repeats every ``k`` seconds, about 0 for noise, negative for a single smooth movement. The
period is the shortest lag whose correlation is near the best one (a movement that repeats
every ``P`` seconds also repeats every ``2P``), or the shortest sub-multiple of it (a half,
a third, a quarter) whose correlation still shows a repeating movement (a fast small cycle
that jitter blurs can correlate best two to four cycles back); the movement *repeats* while
that correlation exceeds one half (most of the last cycle's variance is the cycle before, again).

Each direction of the posture is first clipped to a few robust standard deviations of its
median (``OUTLIER_Z``), so that a glitch of the pose model lasting a few frames does not
own the variance of the stretches compared and hide the movement repeating around it.

Only the last two cycles of the candidate period enter each answer, so the tracker follows a
change of tempo or of movement within two cycles, and a glitch or a rest longer ago does not
blur it. While the movement repeats, the tracker also gives the **range** of its last cycle
(the largest distance between two of its postures): the size of the movement now, which the
counter's turning points are measured against (:mod:`formcoach.counting.excursions`).

Cost: about one small correlation per lag every ``every_s`` seconds (0.2 s), on the
projection of the stored postures onto the movement subspace.
"""

from __future__ import annotations

import functools
from collections import deque

import numpy as np

from formcoach.counting.smallops import nan_to_zero

__all__ = ["PeriodTracker"]

#: A movement repeats when the correlation of its last cycle with the one before exceeds this.
REPEATS = 0.5
#: Lags whose correlation is within this share of the best are the same movement repeating.
SAME_PEAK = 0.9
#: Postures farther than this many robust standard deviations (1.4826 median absolute
#: deviations) from the median, per direction, are clipped there before the correlation: a
#: pose-model glitch longer than the median filter would otherwise own the variance of two
#: cycles. A clean cycle is never clipped (a sine's bound is about 3 amplitudes).
OUTLIER_Z = 3.0


class PeriodTracker:
    """The dominant period of the posture over the last two slowest cycles.

    Args:
        slowest_s: the slowest cycle counted, seconds.
        fastest_s: the fastest cycle counted, seconds.
        every_s: seconds between two estimates.

    Attributes:
        period: seconds per cycle of the last movement that repeated (NaN before any).
        strength: correlation of the last cycle with the one before, at the period, in the
            last estimate (0 before any).
        range: the range of the last cycle while the movement repeats, in the units of the
            postures (NaN while it does not).
        basis: (D, k) the directions to measure in (the movement subspace), or None for all.
    """

    def __init__(self, slowest_s: float, fastest_s: float, every_s: float = 0.2) -> None:
        self.slowest_s, self.fastest_s, self.every_s = slowest_s, fastest_s, every_s
        self.period = float("nan")
        self.strength = 0.0
        self.range = float("nan")
        self.basis: np.ndarray | None = None
        self._times: deque[float] = deque()
        self._poses: deque[np.ndarray] = deque()
        self._next = float("-inf")

    @property
    def repeats(self) -> bool:
        """True while the movement repeats (at :attr:`period`)."""
        return self.strength > REPEATS

    def update(self, t: float, f: np.ndarray) -> None:
        """Add the posture (D,) seen at time ``t`` (NaN where never seen)."""
        self._times.append(t)
        self._poses.append(f)
        while t - self._times[0] > 2.0 * self.slowest_s:
            self._times.popleft()
            self._poses.popleft()
        if t >= self._next:
            self._next = t + self.every_s
            self._estimate()

    def _estimate(self) -> None:
        n = len(self._times)
        span = self._times[-1] - self._times[0]
        if n < 8 or span <= 0:
            return
        fps = (n - 1) / span
        lo = max(2, int(np.floor(self.fastest_s * fps)))
        hi = min(int(np.ceil(self.slowest_s * fps)), n // 2)
        if hi <= lo:
            return
        x = nan_to_zero(np.array(self._poses))
        if self.basis is not None:
            x = x @ self.basis
        rho = cycle_similarity(_clip_outliers(x), lo, hi)
        best = float(rho.max())
        self.strength = max(best, 0.0)
        self.range = float("nan")
        if not self.repeats:
            return
        k = lo + int(np.flatnonzero(rho >= SAME_PEAK * best)[0])
        k = shortest_submultiple(rho, k, lo, hi)
        self.strength = float(rho[k - lo])
        self.period = k / fps
        self.range = float(np.sqrt(_largest_sq_distance(x[-k:])))


def shortest_submultiple(rho: np.ndarray, k: int, lo: int, hi: int) -> int:
    """The shortest lag ``k / m`` (``m`` = 4, 3, 2) at which the movement still repeats.

    A fast small cycle that the pose model's jitter blurs can correlate best two to four
    cycles back; it is the same movement repeating every ``k / m`` when the correlation
    there (at the lags from ``k / m - 1`` to ``k / m + 1``, rounded outwards: the lag's
    rounding) still reaches ``REPEATS``.

    Args:
        rho: (hi - lo + 1,) correlations per lag, from :func:`cycle_similarity`.
        k: the best lag, rows; lo, hi: the lags tried, rows.

    Returns:
        the lag of the highest correlation near the shortest such sub-multiple, or ``k``.
    """
    for m in (4, 3, 2):
        c = k / m
        if c < lo:
            continue
        j0, j1 = max(lo, int(np.floor(c - 1))), min(hi, int(np.ceil(c + 1)))
        near = rho[j0 - lo : j1 - lo + 1]
        if near.size and near.max() >= REPEATS:
            return j0 + int(np.argmax(near))
    return k


def _clip_outliers(x: np.ndarray) -> np.ndarray:
    """(N, D) postures with each column clipped to ``OUTLIER_Z`` robust standard deviations
    of its median."""
    med = np.median(x, axis=0)
    spread = OUTLIER_Z * 1.4826 * np.median(np.abs(x - med), axis=0)
    return np.clip(x, med - spread, med + spread)


def cycle_similarity(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """How well the last ``k`` rows of ``x`` repeat the ``k`` rows before them.

    Args:
        x: (N, D) postures, oldest first.
        lo, hi: the lags tried, in rows (``2 * hi <= N``).

    Returns:
        (hi - lo + 1,) the correlation of the two stretches for each lag ``k``, their
        common mean removed (0 where both are still).

    All lags at once: the sums each correlation needs come from running sums of the rows and
    of their squares, and one gather of the row pairs ``k`` apart (about ``hi**2 / 2`` pairs).
    """
    n = len(x)
    x = x - x.mean(axis=0)  # the result does not depend on a common shift; sums stay small
    ks = np.arange(lo, hi + 1)
    rows, cols, starts = _pairs(n, lo, hi)
    cross = np.add.reduceat(_row_dots(x, rows, cols), starts)  # (K,)
    run = np.vstack([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])  # (N + 1, D)
    run_sq = np.concatenate([[0.0], np.cumsum((x * x).sum(axis=1))])  # (N + 1,)
    sum_a, sum_b = run[n] - run[n - ks], run[n - ks] - run[n - 2 * ks]  # (K, D)
    sq_a, sq_b = run_sq[n] - run_sq[n - ks], run_sq[n - ks] - run_sq[n - 2 * ks]
    mean = (sum_a + sum_b) / (2 * ks)[:, None]
    mm = ks * (mean * mean).sum(axis=1)
    num = cross - (mean * (sum_a + sum_b)).sum(axis=1) + mm
    var_a = sq_a - 2 * (mean * sum_a).sum(axis=1) + mm
    var_b = sq_b - 2 * (mean * sum_b).sum(axis=1) + mm
    den = np.sqrt(np.maximum(var_a, 0.0) * np.maximum(var_b, 0.0))
    out = np.zeros(len(ks))
    ok = den > 1e-12 * np.maximum(sq_a + sq_b, 1e-300)
    out[ok] = num[ok] / den[ok]
    return out


#: Below this many columns NumPy sums a row's few values in order (column after column), which
#: one column at a time reproduces exactly; from it on, pairwise.
_IN_ORDER = 8


def _row_dots(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(P,) the dot products of the rows ``x[rows]`` and ``x[cols]`` of ``x`` (N, D): the floats
    of ``(x[rows] * x[cols]).sum(axis=1)``, gathered column by column (a 1-D gather per
    column costs a tenth of the 2-D one)."""
    if x.shape[1] >= _IN_ORDER or x.shape[1] == 0:
        return (x[rows] * x[cols]).sum(axis=1)
    xt = np.ascontiguousarray(x.T)
    out = xt[0][rows] * xt[0][cols]
    for c in xt[1:]:
        out += c[rows] * c[cols]
    return out


def _largest_sq_distance(x: np.ndarray) -> float:
    """The largest squared distance between two rows of ``x`` (N, D), N > 0: the float of
    ``((x[:, None] - x[None]) ** 2).sum(axis=-1).max()``, one (N, N) plane per column."""
    if x.shape[1] >= _IN_ORDER or x.shape[1] == 0:
        diff = x[:, None, :] - x[None, :, :]
        return float((diff * diff).sum(axis=-1).max())
    xt = np.ascontiguousarray(x.T)
    acc = xt[0][:, None] - xt[0]
    acc *= acc
    for c in xt[1:]:
        d = c[:, None] - c
        d *= d
        acc += d
    return float(acc.max())


@functools.lru_cache(maxsize=64)
def _pairs(n: int, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each lag ``k`` in ``lo..hi``, the row pairs (``n - k + i``, ``n - 2k + i``) for
    ``i < k``, concatenated, and where each lag's pairs start."""
    ks = np.arange(lo, hi + 1)
    starts = np.concatenate([[0], np.cumsum(ks)[:-1]])
    i = np.arange(int(ks.sum())) - np.repeat(starts, ks)
    k = np.repeat(ks, ks)
    return n - k + i, n - 2 * k + i, starts
