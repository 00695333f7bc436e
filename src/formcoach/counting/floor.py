"""The smallest movement of a known exercise, and the part of it the view hides.

With the exercise known the counter follows its drive features, and the smallest movement
that counts is ``prior_min_share`` of the exercise's range of motion
(:mod:`~formcoach.counting.expected`). That range is what the exercise's reference view shows
(a squat in profile). Another view foreshortens it: straight from the front the thighs of a
squat turn toward the camera, so the knees and hips bend only 8-12 degrees in the image, a
tenth of the squat's range, while the thighs turn by most of a right angle out of the image.

A segment of a drive angle that turns out of the image plane shortens in the image: seen at
length ``l`` of its longest ``L``, it points ``arccos(l / L)`` out of the plane, so it has
turned out of the plane by at least the change of ``l / L`` (radians; a lower bound that,
unlike the arccos, does not blow the pose model's jitter up near the image plane).
:class:`HiddenTurn` follows ``l / L`` of the drive angles' segments (smoothed as the posture
is), and the smallest movement is lowered by how far they changed since the movement's last
turning point: the angle the image shows is then no evidence of a small movement. Measured from
the last turn, a hidden turn lowers the bar for the excursion it belongs to only (RepCount's
per-frame normalised coordinates change lengths whenever the body's outline does), and each
segment's change counts only beyond ``noise_z`` times its jitter (the spread of its steps from
frame to frame): a short forearm in a low-resolution clip changes length by the pose model's
noise alone. The movement must still repeat to count (:mod:`~formcoach.counting.confirm`): only
a clear rep of the exercise counts at once.

The hysteresis's top (``turn_share`` of the movement's recent turns) is left to the movement:
capping those turns at the exercise's range of motion (round 19: ``turn_share`` times 0.5 /
0.75 / 1 / 1.25 of ``ExpectedRep.span``) moved 3 / 1 / 1 / 0 RepCount tuning counts (given
0.2098 -> 0.2116 / 0.2081 / 0.2081 / 0.2098). The reps lost there with the exercise known had
their loops, and lost them at confirmation (:mod:`~formcoach.counting.confirm`).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from formcoach.core.features import FeatureSpec, joint_xy
from formcoach.counting.excursions import ExcursionTracker as Tracker
from formcoach.counting.expected import ExpectedRep, least_tolerance
from formcoach.counting.motion import DriveFeatures, Smoother
from formcoach.counting.settings import CountSettings
from formcoach.counting.smallops import nan_to_zero

__all__ = ["HiddenTurn", "hidden_turn", "smallest_movement"]


class HiddenTurn:
    """Lowers the excursion tracker's smallest movement, frame by frame, by the turn of the
    drive angles' segments out of the image since the movement's last turning point.

    Args:
        specs: the drive features; the segments of the angles (``angle(a, b, c)``: b-a, b-c)
            are followed, the other features have none.
        least: the smallest movement of the exercise, radians.
        settings: the counter's settings (``cycle_s`` memory, the smoothing).

    Memory: one (S,) vector per frame of the last ``cycle_s`` seconds, S segments.
    """

    def __init__(self, specs: tuple[FeatureSpec, ...], least: float, settings: CountSettings):
        ends = {(s.joints[1], j) for s in specs if s.kind == "angle" for j in s.joints[::2]}
        self._segments = sorted({tuple(sorted(e)) for e in ends if e[0] != e[1]})
        self.least, self.settings = least, settings
        self._longest = np.zeros(len(self._segments))
        self._smoother = Smoother(len(self._segments), settings.glitch_s, settings.smooth_s)
        self._recent: deque[tuple[float, np.ndarray]] = deque()
        self._last: np.ndarray | None = None  # the last l / L after the median
        self._var = np.zeros(len(self._segments))  # of the jitter of l / L, per frame

    def step(self, xy: np.ndarray, unit: float, t: float, dt: float, tracker: Tracker) -> None:
        """Set ``tracker.min_move`` at time ``t`` to ``least`` less how far the segments
        turned out of the image since the movement's last turning point (radians, norm over
        the segments seen at both times, each beyond ``noise_z`` times its jitter), at least 0.

        Args:
            xy: (21, 2) COMMON joint positions, NaN where unseen.
            unit: the torso length (:class:`~formcoach.counting.motion.BodyFrame`).
            t: seconds; dt: seconds since the previous frame.
            tracker: the counter's excursion tracker.
        """
        tracker.min_move = self.least
        if not self._segments:
            return
        ln = np.array([np.hypot(*(joint_xy(xy, a) - joint_xy(xy, b))) for a, b in self._segments])
        ln = ln / unit  # torso lengths: the person may come nearer
        self._longest = np.fmax(self._longest, ln)
        with np.errstate(invalid="ignore", divide="ignore"):
            g = self._smoother(ln / self._longest, t, dt)
        if g is None:
            return
        med, a = self._smoother.unsmoothed, min(1.0, dt / self.settings.cycle_s)
        if self._last is not None and med is not None:  # a frame's step is mostly jitter
            step = nan_to_zero(med - self._last)
            self._var += a * (0.5 * step * step - self._var)
        self._last = med
        while self._recent and t - self._recent[0][0] > self.settings.cycle_s:
            self._recent.popleft()
        self._recent.append((t, g))
        since = tracker.last_turn_time
        then = next(b for s, b in self._recent if s >= since - 1e-9 or s == t)
        d = nan_to_zero(g - then)  # a segment unseen at either time is left out
        d = np.maximum(np.abs(d) - self.settings.noise_z * np.sqrt(self._var), 0.0)
        tracker.min_move = max(0.0, self.least - float(np.sqrt(d @ d)))


def hidden_turn(
    features: object, least: float | None, known: bool, settings: CountSettings
) -> HiddenTurn | None:
    """The :class:`HiddenTurn` of a known exercise's drive features (None without one)."""
    if not known or least is None or not isinstance(features, DriveFeatures):
        return None
    return HiddenTurn(features.specs, least, settings)


def smallest_movement(
    features: object, expected: ExpectedRep | None, settings: CountSettings
) -> float | None:
    """The smallest excursion of the drive features that is a movement: ``prior_min_share``
    of the exercise's range of motion, else twice what the judge tells from holding still;
    None for the body's posture (``min_move``, or the noise)."""
    if expected is not None and expected.span > 0:
        return settings.prior_min_share * expected.span
    if isinstance(features, DriveFeatures):
        return 2.0 * float(least_tolerance(features.is_angle).max())
    return None
