"""How far from profile a camera sees a body lying across the image (a push-up, a plank).

The front/side rule of :func:`~formcoach.core.features.estimate_view` takes the torso as
upright: turning the camera about the vertical leaves its length whole, so shoulders over the
body unit read ``k sin a``. A lying trunk is horizontal: turned ``a`` degrees from profile it
shows ``cos a`` of its length while the shoulders, horizontal too, show ``sin a`` of theirs,
so shoulders over the trunk's own image length read ``k tan a`` and a body turned 45 degrees
reads like one square-on to the upright rule (pushfit's three-quarter push-ups read 0.5-1.4).
Read with ``tan``, the same shoulders (``k`` anywhere in
:data:`~formcoach.core.features.SQUARE_ON_SHOULDERS`) give the range of angles from profile.

The geometry holds only where both image axes share a unit (pixels: a torso longer than the
whole normalised frame cannot be normalised coordinates) and where the trunk is tracked
through the rep (a trunk that vanishes for frames tells nothing of the view).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.features import FRONT_SHOULDER_RATIO, SQUARE_ON_SHOULDERS, joint_xy
from formcoach.core.pose import PoseSequence

__all__ = ["TRACKED_SPREAD", "lying_turns", "lying_widenings", "one_unit", "profile_bound_deg"]

#: How much a tracked trunk's image length may vary within one rep (its 90th less its 10th
#: percentile, over its median): a rigid trunk pivoting 20 degrees about the feet from a fixed
#: camera changes it by a few tenths at most; a pose model that loses the trunk for frames
#: (pushfit correct78: 0.85, correct61: 0.72) changes it by most of its length.
TRACKED_SPREAD = 0.5


def profile_bound_deg(front_ratio: float = FRONT_SHOULDER_RATIO) -> float:
    """The angle from profile at which a view turns into a front view: where the widest
    shoulders (:data:`~formcoach.core.features.SQUARE_ON_SHOULDERS`) read the front ratio,
    as the upright rule of :func:`~formcoach.core.features.estimate_view` has it (30)."""
    return math.degrees(math.asin(min(1.0, front_ratio / SQUARE_ON_SHOULDERS[1])))


def one_unit(seq: PoseSequence) -> bool:
    """Whether the poses' two image axes share a unit: a known frame size (the keypoints
    are in pixels), or a torso longer than a whole normalised frame (they must be pixels)."""
    if seq.frame_size is not None:
        return True
    unit = body_unit(seq.to_common().xy)
    unit = unit[np.isfinite(unit)]
    return bool(unit.size) and float(np.median(unit)) > 1.0


def _shoulders_and_trunk(seq: PoseSequence) -> tuple[np.ndarray, np.ndarray]:
    """(T, 2) image vectors from the right to the left shoulder and from mid-hip to
    mid-shoulder; NaN where a joint is unseen."""
    xy = seq.to_common().xy
    left, right = joint_xy(xy, "left_shoulder"), joint_xy(xy, "right_shoulder")
    hips = 0.5 * (joint_xy(xy, "left_hip") + joint_xy(xy, "right_hip"))
    return left - right, 0.5 * (left + right) - hips


def _tracked(read: PoseSequence, spread: float) -> bool:
    """Whether the trunk is seen in every frame of ``read`` and its image length stays within
    ``spread`` of itself (90th less 10th percentile over the median)."""
    _, trunk = _shoulders_and_trunk(read)
    length = np.hypot(trunk[:, 0], trunk[:, 1])
    if len(length) == 0 or not np.isfinite(length).all():
        return False
    lo, mid, hi = np.percentile(length, (10, 50, 90))
    return bool(hi - lo <= spread * mid)


def _turns(seq: PoseSequence) -> tuple[float, float] | None:
    """:func:`lying_turns` without the tracking check (the cheap part, read first)."""
    if len(seq) == 0 or not one_unit(seq):
        return None
    sh, tr = _shoulders_and_trunk(seq)
    if not (np.isfinite(sh).all() and np.isfinite(tr).all()):
        return None
    length = np.hypot(tr[:, 0], tr[:, 1])
    if np.median(np.abs(tr[:, 1])) >= np.median(np.abs(tr[:, 0])) or not (length > 0).all():
        return None
    ratio = float(np.median(np.hypot(sh[:, 0], sh[:, 1]) / length))
    narrow, wide = SQUARE_ON_SHOULDERS
    return math.degrees(math.atan(ratio / wide)), math.degrees(math.atan(ratio / narrow))


def lying_turns(
    seq: PoseSequence, read: PoseSequence | None = None, spread: float = TRACKED_SPREAD
) -> tuple[float, float] | None:
    """The least and most angle from profile (degrees) a lying body's camera can stand at,
    from its shoulder width over its trunk's image length (``k tan a``); None when the axes
    do not share a unit, the trunk runs more up the image than across it (the body is not
    lying, or the camera looks down its length), or the trunk is not tracked through ``read``
    (the frames the judge reads for the rep; ``seq`` when omitted): unseen in a frame, or its
    image length varying more than ``spread`` of itself.

    Args:
        seq: one rep's poses, (T, J, 2) image coordinates.
    """
    turns = _turns(seq)
    if turns is None or not _tracked(seq if read is None else read, spread):
        return None
    return turns


def lying_widenings(
    seq: PoseSequence,
    read: Callable[[], PoseSequence] | None = None,
    bound_deg: float | None = None,
) -> tuple[float, ...]:
    """The widenings (``1 / cos a``, :func:`~formcoach.form.curves.widened`) at both ends of a
    lying body's angles from profile (:func:`lying_turns`) when it is a side view: the least
    angle its shoulders allow is under ``bound_deg`` (:func:`profile_bound_deg`, the upright
    rule's bound; ``read`` gives the frames of :func:`lying_turns`, asked for only then);
    empty when the geometry does not apply or the view is a front view."""
    turns = _turns(seq)  # the tracking check, dearer, only for a side view
    bound = profile_bound_deg() if bound_deg is None else bound_deg
    if turns is None or turns[0] >= bound:
        return ()
    if not _tracked(seq if read is None else read(), TRACKED_SPREAD):
        return ()
    lo, hi = (1.0 / math.cos(math.radians(a)) for a in turns)
    return (lo, hi) if hi > lo else (lo,)
