"""From poses to a smoothed movement vector, and the subspace the body is moving in.

Each frame becomes one vector ``f`` (D,) that describes the posture, not where the person is or
how big they are:

- :class:`BodyFeatures` (class-agnostic): 13 joints (nose, shoulders, elbows, wrists, hips,
  knees, ankles) relative to the middle of the torso, in torso lengths
  (:func:`formcoach.core.body.body_unit`), the elbow, shoulder, hip and knee angles (as the arc
  a typical limb segment sweeps, :data:`~formcoach.counting.settings.LIMB_TORSOS`), and the
  height of the torso's middle (a jump moves the whole body, not its shape). It works on pixel
  coordinates and on RepCount's per-frame min-max normalised coordinates alike, because it
  only compares the body with itself.
- :class:`DriveFeatures` (exercise-aware): the exercise's drive features
  (:mod:`formcoach.core.features`), angles in radians.

:class:`Smoother` removes single-frame glitches (a short causal median) and jitter (an
exponential filter); :class:`MotionSubspace` follows the directions in which the posture
varies most over the last cycle (a running covariance and its main eigenvectors), so that
distances between postures ignore the joints that only shake; the variance left outside those
directions is the posture's noise (probabilistic PCA), the yardstick of the smallest movement.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.features import FeatureSpec, feature
from formcoach.core.skeleton import COMMON
from formcoach.counting.settings import LIMB_TORSOS
from formcoach.counting.smallops import nan_to_zero

__all__ = ["BodyFeatures", "BodyFrame", "DriveFeatures", "MotionSubspace", "Smoother"]

_POINTS = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
_TORSO = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")
# (a, b, c): the angle at b; left/right pairs next to each other
_ANGLES = tuple(
    (f"{s}_{a}", f"{s}_{b}", f"{s}_{c}")
    for a, b, c in (
        ("shoulder", "elbow", "wrist"),
        ("hip", "shoulder", "elbow"),
        ("shoulder", "hip", "knee"),
        ("hip", "knee", "ankle"),
    )
    for s in ("left", "right")
)


_any = np.logical_or.reduce  # np.any's wrapper costs more than the work on (D,) arrays


def _idx(names: Sequence[str]) -> np.ndarray:
    return np.array([COMMON.index(n) for n in names], dtype=np.int64)


class BodyFrame:
    """Where the body is and how big: the torso centre and the body unit, per frame.

    The unit is :func:`formcoach.core.body.body_unit` (the torso length, estimated from every
    seen limb segment), followed slowly over time so that a segment foreshortened for a moment
    (a torso seen end-on in a front-view push-up) does not change it much.

    Args:
        scale_s: time constant of the body-unit estimate, seconds.
    """

    def __init__(self, scale_s: float = 5.0) -> None:
        self.scale_s = scale_s
        self._torso = _idx(_TORSO)
        self.unit = float("nan")

    def __call__(self, xy: np.ndarray, dt: float) -> np.ndarray | None:
        """(2,) torso centre in image units, or ``None`` without a torso; updates the unit.

        Args:
            xy: (J, 2) COMMON joint positions, NaN where unseen.
            dt: seconds since the previous frame.
        """
        torso = xy[self._torso]
        seen = ~np.isnan(torso[:, 0])
        unit = float(body_unit(xy))
        n = int(np.count_nonzero(seen))
        if not math.isfinite(unit) or n < 2:
            return None
        if not math.isfinite(self.unit):
            self.unit = unit
        else:
            self.unit += (unit - self.unit) * min(1.0, dt / self.scale_s)
        # the mean's floats (NumPy divides the sum by the count), without its wrapper
        return np.add.reduce(torso if n == len(torso) else torso[seen], axis=0) / n


class BodyFeatures:
    """Class-agnostic posture vector: body-relative joint positions, joint angles and the
    height of the torso, all in torso lengths.

    Args:
        angle_weight: torso lengths per radian of joint angle.

    Attributes:
        noise_gain: (D,) each feature's jitter variance per unit of a joint position's, for
            the last frame: 1 for positions and the height; for an angle between segments of
            image lengths ``l1``, ``l2`` (torso lengths), ``w^2 (1/l1^2 + 1/l2^2)`` (a joint's
            jitter turns a short segment further); 0 where a segment is unseen.
    """

    def __init__(self, angle_weight: float = LIMB_TORSOS) -> None:
        self.angle_weight = angle_weight
        self._points = _idx(_POINTS)
        self._ang = np.array([[COMMON.index(j) for j in abc] for abc in _ANGLES])
        self._npos = 2 * len(_POINTS)
        self._nang = len(_ANGLES)
        self.size = self._npos + self._nang + 1
        # left/right pairs for the mirror-invariant view: positions (x and y), then angles
        left, right = [], []
        for k in range(1, len(_POINTS), 2):
            for c in range(2):
                left.append(2 * k + c)
                right.append(2 * (k + 1) + c)
        for k in range(0, len(_ANGLES), 2):
            left.append(self._npos + k)
            right.append(self._npos + k + 1)
        self._left, self._right = np.array(left), np.array(right)
        self._height = self.size - 1
        # the angles' outer joints (a, then c) and their vertex (b, twice): one gather each
        self._ends = np.concatenate([self._ang[:, 0], self._ang[:, 2]])
        self._mids = np.concatenate([self._ang[:, 1], self._ang[:, 1]])
        self._ones = np.ones(self.size)
        self.noise_gain: np.ndarray = np.ones(self.size)

    def __call__(self, xy: np.ndarray, centre: np.ndarray, unit: float) -> np.ndarray:
        """One frame's vector.

        Args:
            xy: (21, 2) COMMON joint positions, NaN where unseen.
            centre: (2,) torso centre; unit: the torso length (see :class:`BodyFrame`).

        Returns:
            (D,) float64; NaN where a joint it needs is unseen.
        """
        out = np.empty(self.size)
        out[: self._npos] = ((xy[self._points] - centre) / unit).ravel()
        out[self._height] = centre[1] / unit
        n = self._nang
        uv = xy[self._ends] - xy[self._mids]  # (2A, 2): the segments u = a - b, then v = c - b
        u, v = uv[:n], uv[n:]
        with np.errstate(invalid="ignore", divide="ignore"):
            cross = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
            ang = np.arctan2(np.abs(cross), (u * v).sum(axis=1))
            inv = 1.0 / (np.sqrt((uv * uv).sum(axis=1)) / unit) ** 2  # 1 / l^2 per segment
            gain = self.angle_weight**2 * (inv[:n] + inv[n:])
        out[self._npos : self._height] = self.angle_weight * ang
        gain[~np.isfinite(gain)] = 0.0
        self.noise_gain = self._ones.copy()
        self.noise_gain[self._npos : self._height] = gain
        return out

    def symmetric(self, f: np.ndarray) -> np.ndarray:
        """A view of ``f`` that does not change when left and right are swapped.

        Used to compare repetitions: raising the left arm and then the right arm (alternating
        front raises) are the same movement, and pose models sometimes swap the sides.
        """
        pair_l, pair_r = f[self._left], f[self._right]
        centre = f[[0, 1, self._height]]  # the nose and the torso's height have no side
        return np.concatenate([centre, 0.5 * (pair_l + pair_r), np.abs(pair_l - pair_r)])


class DriveFeatures:
    """Exercise-aware posture vector: the exercise's drive features only.

    Args:
        names: catalogue names or ``kind(...)`` strings (see :mod:`formcoach.core.features`).

    Attributes:
        noise_gain: None: the features' jitter is not predicted (see :class:`BodyFeatures`).
    """

    noise_gain: np.ndarray | None = None

    def __init__(self, names: Sequence[str]) -> None:
        if not names:
            raise ValueError("DriveFeatures needs at least one feature name")
        self.specs: tuple[FeatureSpec, ...] = tuple(feature(n) for n in names)
        self.size = len(self.specs)
        self.is_angle = np.array([s.is_angle for s in self.specs])
        #: (D,) from the catalogue's units to the counter's (degrees -> radians)
        self.factors = np.where(self.is_angle, np.pi / 180, 1.0)

    def __call__(self, xy: np.ndarray, centre: np.ndarray, unit: float) -> np.ndarray:
        """(D,) drive features of one (21, 2) COMMON pose, angles in radians."""
        with np.errstate(invalid="ignore", divide="ignore"):
            vals = np.array([float(s(xy)) for s in self.specs])
        return vals * self.factors

    def symmetric(self, f: np.ndarray) -> np.ndarray:
        """The exercise names its features side by side: nothing to mirror."""
        return f


def _nan_median(window: deque[tuple[float, np.ndarray]]) -> np.ndarray:
    """Column medians of the window's vectors, ignoring NaN (NaN where a column is all NaN).

    ``np.nanmedian`` goes through masked arrays for small inputs and costs ~40x more.
    """
    stack = np.array([v for _, v in window])
    srt = np.sort(stack, axis=0)  # NaN sort last
    unseen = np.isnan(stack)
    if not _any(unseen, axis=None):  # every value seen (most frames): the same floats, sooner
        return 0.5 * (srt[(len(stack) - 1) // 2] + srt[len(stack) // 2])
    n = (~unseen).sum(axis=0)
    cols = np.arange(stack.shape[1])
    lo, hi = np.maximum(n - 1, 0) // 2, n // 2
    with np.errstate(invalid="ignore"):
        med = 0.5 * (srt[lo, cols] + srt[np.minimum(hi, len(stack) - 1), cols])
    med[n == 0] = np.nan
    return med


class Smoother:
    """Causal median over the last ``glitch_s`` seconds, then exponential smoothing.

    A value that is unseen keeps its last smoothed value; a feature never seen yet is NaN (and
    starts from its first seen value, so a joint that comes into view makes no jump).
    Memory: at most 32 vectors.

    Args:
        size: D.
        glitch_s: length of the median window, seconds (5 frames at 30 fps for 0.15 s).
        smooth_s: time constant of the exponential smoothing, seconds (0: none).
    """

    def __init__(self, size: int, glitch_s: float, smooth_s: float) -> None:
        self.size = size
        self.glitch_s = glitch_s
        self.smooth_s = smooth_s
        self._window: deque[tuple[float, np.ndarray]] = deque(maxlen=32)
        self._state: np.ndarray | None = None
        #: (D,) the last vector after the median, before the exponential smoothing
        self.unsmoothed: np.ndarray | None = None

    @property
    def lag_s(self) -> float:
        """How late the smoothed posture follows the raw one, seconds."""
        return 0.5 * self.glitch_s + self.smooth_s

    def __call__(self, f: np.ndarray, t: float, dt: float) -> np.ndarray | None:
        """Smoothed (D,) vector at time ``t`` (NaN where never seen), or ``None`` while
        nothing has been seen yet."""
        self._window.append((t, f))
        while self._window and self._window[0][0] <= t - self.glitch_s - 1e-6:
            self._window.popleft()
        med = f.copy() if len(self._window) == 1 else _nan_median(self._window)
        self.unsmoothed = med
        if self._state is None:
            if np.isnan(med).all():
                return None
            self._state = med.copy()
            return self._state.copy()
        a = 1.0 - np.exp(-dt / self.smooth_s) if self.smooth_s > 0 else 1.0
        unseen, unknown = np.isnan(med), np.isnan(self._state)
        if not (_any(unseen) or _any(unknown)):  # the same floats as below, sooner
            self._state += a * (med - self._state)
            return self._state.copy()
        fresh = ~unseen
        first = fresh & unknown
        self._state[first] = med[first]
        self._state[fresh] += a * (med[fresh] - self._state[fresh])
        return self._state.copy()


class MotionSubspace:
    """The directions in which the posture has varied most over the last cycle.

    A running mean and covariance (exponential forgetting over ``memory_s``) of the posture
    vectors; their top eigenvectors are refreshed every ``every_s``. Memory: one (D, D) matrix.

    Factor analysis: a feature whose jitter is predicted to exceed the positions' (its
    ``gain``, see :attr:`BodyFeatures.noise_gain`, times ``jitter_ratio``, above 1) has that
    excess noise variance taken off its diagonal before the directions are taken, so that a
    joint angle between two short, foreshortened segments jittering does not lead the
    subspace. The noise estimate comes from the uncorrected covariance.

    Args:
        size: D.
        dims: number of directions kept (at most D).
        memory_s: time constant of the running mean and covariance, seconds.
        jitter_ratio: the features' jitter over its prediction (``CountSettings.jitter_ratio``;
            0: no correction).
        every_s: seconds between eigen-decompositions.

    Attributes:
        noise: the posture's noise, as the RMS per direction of the variance outside the main
            directions (probabilistic PCA: pose-model jitter is independent across joints,
            a movement is not); 0 before the first estimate and for drive features.
    """

    def __init__(
        self,
        size: int,
        dims: int,
        memory_s: float,
        jitter_ratio: float = 0.0,
        every_s: float = 0.15,
    ) -> None:
        self.dims = min(dims, size)
        self.memory_s, self.every_s = memory_s, every_s
        self.jitter_ratio = jitter_ratio
        self._gain: np.ndarray | None = None  # (D,) running mean of the gains
        self._mean: np.ndarray | None = None
        self._cov = np.zeros((size, size))
        self._basis: np.ndarray | None = None  # (D, dims)
        self._next = float("-inf")
        self.noise = 0.0

    def update(self, f: np.ndarray, t: float, dt: float, gain: np.ndarray | None = None) -> None:
        """Add the smoothed posture vector (D,) seen at time ``t``; NaN (never seen) features
        are left out. ``gain``: (D,) its features' predicted jitter per a position's (None:
        no correction), followed over the same memory as the covariance."""
        if self._mean is None:
            self._mean = f.copy()
        new = np.isnan(self._mean)
        if _any(new):
            self._mean[new] = f[new]
        a = min(1.0, dt / self.memory_s)
        self._mean += a * nan_to_zero(f - self._mean)
        d = nan_to_zero(f - self._mean)
        self._cov *= 1.0 - a
        self._cov += a * (d[:, None] * d)  # np.outer's floats, without its wrapper
        if gain is not None:
            if self._gain is None:
                self._gain = gain.copy()
            self._gain += a * (gain - self._gain)
        if t >= self._next:
            self._next = t + self.every_s
            self._decompose()

    def _decompose(self) -> None:
        """The main directions and the noise, from the running covariance."""
        if self._gain is not None and self.noise > 0:
            vals = np.linalg.eigvalsh(self._cov)
            excess = np.maximum(self.jitter_ratio * self._gain - 1.0, 0.0) * self.noise**2
            vecs = np.linalg.eigh(self._cov - np.diag(excess))[1]
        else:
            vals, vecs = np.linalg.eigh(self._cov)
        self._basis = vecs[:, ::-1][:, : self.dims]
        rest = vals[: len(vals) - self.dims]
        self.noise = float(np.sqrt(max(float(rest.mean()), 0.0))) if rest.size > 1 else 0.0

    @property
    def basis(self) -> np.ndarray | None:
        """(D, dims) the main directions, or None before the first estimate."""
        return self._basis

    def distances(self, many: np.ndarray, b: np.ndarray) -> np.ndarray:
        """(n,) distances of the rows of ``many`` (n, D) from ``b`` (D,); a feature that is NaN
        (never seen) on either side does not count."""
        d = nan_to_zero(many - b)
        if self._basis is not None:
            d = d @ self._basis
        return np.sqrt(np.add.reduce(d * d, axis=1))  # .sum(axis=1), without its wrapper

    def distance(self, a: np.ndarray, b: np.ndarray) -> float:
        """How far apart two postures are along the main directions (full space at first)."""
        d = nan_to_zero(a - b)
        if self._basis is None:
            return float(np.sqrt(d @ d))
        p = self._basis.T @ d
        return float(np.sqrt(p @ p))
