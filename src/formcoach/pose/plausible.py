"""Skeletons no body can take: frames whose pose as a whole is the pose model's invention.

:mod:`formcoach.pose.glitches` repairs one joint's short excursion. This module is the same
idea one level up, for the whole skeleton: a body does not grow within seconds, and a body's
joints cannot all leap at once. A frame that breaks one of these becomes missing (not
bridged): the counter and the judge see a gap instead of a movement nobody made.

The checks, from anatomy and physics, not from a recording's numbers:

- **leap**: the typical (median) core joint - shoulders, elbows, wrists, hips, knees,
  ankles - moved relative to the others faster than ``max_speed`` torso lengths per second
  since the last plausible frame. "Relative to the others": the shift and per-axis scale
  common to all of them (a camera's pan and zoom, a per-frame normalisation such as
  RepCount's) are taken out first, so what is measured is a change of the body's shape.
  20 torso lengths per second is 10 m/s for a 0.5 m torso: twice the fastest a hand moves in
  a strength exercise, while the median joint of a fast jumping jack moves 5-8 (measured on
  :mod:`formcoach.testing.person`); the margin covers a unit foreshortened or, in files
  normalised per axis, stretched. One fast joint (a punch) does not move the median; a
  skeleton torn into another shape from one frame to the next does. The allowance grows
  with the time since the last plausible frame, so after a gap the person may be in any pose
  they could have reached, and the check heals by itself.
- **size**: the body unit (:func:`formcoach.core.body.body_unit`) more than
  ``max_size_ratio`` (2) times its median over the last ``window_s`` seconds (4). The median
  lags a steady approach by half the window: doubling one's size within 2 s means walking
  straight at the camera at 1.5 m/s from 3 m, not what happens during a set. Only growth is
  impossible: a body turned towards the camera looks smaller (pushfit ``correct61`` shrinks
  six-fold in 0.4 s going down into a push-up seen from the front), never larger. A stretch
  at a new size that lasts longer than half the window becomes the median and is believed.

Left out on purpose, measured on the tuning parts:

- a left/right **mirror** flip of the whole skeleton. MediaPipe holds a mirrored skeleton for
  seconds when a person faces away (RepCount ``stu2_39``, a pull-up counted right: 5 s
  mirrored, entered and left in one frame); the body is possible, only its sides are
  mislabelled. Dropping mirrored stretches took the RepCount tuning MAE from 0.187 to 0.276,
  and dropping only the frame where the sides swap (a never-negative scale above) lost all
  reps of ``stu7_4`` (0.194).
- a **shrinking** skeleton (foreshortening, above), and a **shift** of the whole skeleton:
  in per-frame normalised files the skeleton's position carries no information (checking it
  dropped frames of correctly counted clips: MAE 0.184, OBO 0.69).

It is causal (no look-ahead) and costs 0.08-0.12 ms a frame here, 0.4-0.5 % of the pose
model's time in two runs (``benchmarks/count_latency.py``), so the live cleaning
(:class:`formcoach.pose.cleaning.StreamCleaner`) runs it, and a file is checked exactly as it
would be live.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.skeleton import COMMON_JOINTS, Skeleton

__all__ = ["PlausibilityGuard", "PlausibleSettings", "implausible_frames"]

#: The joints whose typical movement is the body's: the limbs' joints, not face or feet.
CORE_JOINTS = tuple(
    f"{s}_{j}"
    for j in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
    for s in ("left", "right")
)
_CORE = np.array([COMMON_JOINTS.index(n) for n in CORE_JOINTS])
#: Fewest core joints seen in both frames for the leap check to speak.
MIN_SHARED = 4


@dataclass(frozen=True)
class PlausibleSettings:
    """What a body cannot do (see the module docstring).

    Attributes:
        max_speed: the fastest the typical core joint moves, torso lengths per second.
        max_size_ratio: the most the body unit may exceed its recent median (a factor).
        window_s: seconds over which the body unit's median is taken; also how long a new
            size must last before it is believed (half of it).
    """

    max_speed: float = 20.0
    max_size_ratio: float = 2.0
    window_s: float = 4.0

    def __post_init__(self) -> None:
        if min(self.max_speed, self.window_s) <= 0:
            raise ValueError("PlausibleSettings values must be positive")
        if self.max_size_ratio <= 1:
            raise ValueError("PlausibleSettings.max_size_ratio must be > 1")


class PlausibilityGuard:
    """Judges poses one frame at a time: could a body have taken this one?

    Memory is bounded by the size window (one float per frame of ``window_s``).
    """

    def __init__(self, skeleton: Skeleton, settings: PlausibleSettings = PlausibleSettings()):
        self.settings = settings
        self._common = skeleton.common_indices()
        self._sizes: deque[tuple[float, float]] = deque()
        self._ref_xy: np.ndarray | None = None  # (12, 2) core joints of the last plausible frame
        self._ref_t = 0.0
        self._ref_unit = np.nan

    def __call__(self, xy: np.ndarray, t: float) -> bool:
        """Is the pose ``xy`` ((J, 2) on the guard's skeleton, NaN where unseen) at time ``t``
        (seconds) one a body could take? A frame with nothing to check is plausible."""
        common = np.full((len(COMMON_JOINTS), 2), np.nan)
        ok = self._common >= 0
        common[ok] = xy[self._common[ok]]
        unit = float(body_unit(common))
        if not np.isfinite(unit) or unit <= 0:
            return True
        core = common[_CORE]
        plausible = self._size_ok(unit, t) and self._leap_ok(core, t)
        if plausible:
            self._ref_xy, self._ref_t, self._ref_unit = core, t, unit
        return plausible

    def _size_ok(self, unit: float, t: float) -> bool:
        sizes = self._sizes
        sizes.append((t, unit))
        while sizes and sizes[0][0] < t - self.settings.window_s:
            sizes.popleft()
        # only growth: a body turned towards the camera looks smaller, never larger
        recent = np.fromiter((u for _, u in sizes), float, len(sizes))
        return unit <= self.settings.max_size_ratio * _median(recent)

    def _leap_ok(self, core: np.ndarray, t: float) -> bool:
        if self._ref_xy is None:
            return True
        both = np.isfinite(core).all(axis=1) & np.isfinite(self._ref_xy).all(axis=1)
        if both.sum() < MIN_SHARED:
            return True
        step = _median(_relative_steps(self._ref_xy[both], core[both]))
        return step <= self.settings.max_speed * self._ref_unit * max(t - self._ref_t, 1e-6)


def _median(x: np.ndarray) -> float:
    """The median of a small (N,) array (N > 0): np.median costs ten times more here."""
    x = np.sort(x)
    n = len(x)
    return float(0.5 * (x[(n - 1) // 2] + x[n // 2]))


def _relative_steps(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """(N,) how far each of N joints ((N, 2) before and after) moved relative to the others:
    the distance left once the best shift and per-axis scale of the whole set is taken out
    (a camera's pan and zoom, or a per-frame normalisation, move every joint alike)."""
    b = before - before.mean(axis=0)
    a = after - after.mean(axis=0)
    var = (b * b).sum(axis=0)
    scale = np.divide((a * b).sum(axis=0), var, out=np.zeros(2), where=var > 0)
    left = a - scale * b
    return np.hypot(left[:, 0], left[:, 1])


def implausible_frames(
    xy: np.ndarray,
    timestamps: np.ndarray,
    skeleton: Skeleton,
    settings: PlausibleSettings = PlausibleSettings(),
) -> np.ndarray:
    """(T,) bool from (T, J, 2) poses and (T,) seconds: the frames a body could not take
    (checked causally, as live)."""
    guard = PlausibilityGuard(skeleton, settings)
    return np.array([not guard(p, float(t)) for p, t in zip(xy, timestamps, strict=True)], bool)
