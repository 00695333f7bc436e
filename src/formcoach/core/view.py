"""Where the camera stands relative to the person, told from the poses: a front or a side view,
the side nearer the camera, and how much of a forward movement the view shows.

Readings are size-free (shoulder widths over the body unit of :mod:`formcoach.core.body`; the
body's own segments for the forward share), computed on the
:data:`~formcoach.core.skeleton.COMMON` skeleton.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.geometry import joint_xy, norm
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON_INDEX

__all__ = [
    "FRONT_SHOULDER_RATIO",
    "SAGITTAL_SEGMENTS",
    "SQUARE_ON_SHOULDERS",
    "View",
    "estimate_view",
    "sagittal_foreshortening",
    "shoulder_ratio",
    "turns_from_profile",
]

_IDX = COMMON_INDEX


@dataclass(frozen=True)
class View:
    """Where the camera stands relative to the person.

    Attributes:
        facing: ``"front"`` when the camera sees the chest or back (both shoulders apart),
            ``"side"`` when it sees the person in profile.
        near_side: in a side view, the side of the body nearer the camera (``"left"`` or
            ``"right"``), the one whose joints are seen best; ``None`` when it cannot be told.
        shoulder_ratio: median shoulder width over torso length (about 0.6+ from the front,
            near 0 in profile).
        forward: the least and most share of its size a forward movement shows
            (:func:`sagittal_foreshortening`); NaN when the body never moved to show it.
    """

    facing: Literal["front", "side"]
    near_side: Literal["left", "right"] | None
    shoulder_ratio: float
    forward: tuple[float, float] = (float("nan"), float("nan"))


#: Shoulder width over the body unit (a torso length) above which the camera is taken to face
#: the person.
#: Frontal adult bodies measure about 0.6-0.9; profiles 0-0.3 (foreshortening aside).
FRONT_SHOULDER_RATIO = 0.45

#: The narrowest and widest shoulders of adults seen square-on, over the body unit (the same
#: range as above). Turned ``a`` degrees from profile, shoulders ``k`` wide read ``k * sin a``.
SQUARE_ON_SHOULDERS = (0.6, 0.9)


def turns_from_profile(ratio: float) -> tuple[float, float]:
    """The least and most angle (degrees; 0 in profile, 90 square-on) the camera can stand
    from a person's profile when their shoulders read ``ratio`` of the torso, whoever they
    are (shoulders anywhere in :data:`SQUARE_ON_SHOULDERS`)."""
    if not np.isfinite(ratio):
        return 0.0, 90.0
    narrow, wide = SQUARE_ON_SHOULDERS
    return (
        float(np.degrees(np.arcsin(min(1.0, max(0.0, ratio) / wide)))),
        float(np.degrees(np.arcsin(min(1.0, max(0.0, ratio) / narrow)))),
    )


#: Segments that stay in the person's sagittal plane (forward and up) whatever the movement.
SAGITTAL_SEGMENTS = tuple(
    (f"{s}_{a}", f"{s}_{b}")
    for s in ("left", "right")
    for a, b in (("hip", "knee"), ("knee", "ankle"), ("hip", "shoulder"))
)

_SAGITTAL_ENDS = tuple(np.array([_IDX[seg[k]] for seg in SAGITTAL_SEGMENTS]) for k in (0, 1))


def sagittal_foreshortening(xy: np.ndarray) -> tuple[float, float]:
    """How much of its size a forward movement shows from this camera, from the body's own
    geometry: the least and most ``cos a`` (for a camera ``a`` degrees from profile) that the
    segments of :data:`SAGITTAL_SEGMENTS` show; (NaN, NaN) when none changes its height.

    Turning the camera about the vertical leaves heights whole: a segment of length ``L``
    reaching ``dy`` up or down reaches ``sqrt(L² - dy²)`` forward and shows ``cos a`` of that
    across the image, so ``dx² = cos² a (L² - dy²)``: over the frames, ``dx²`` falls by
    ``cos² a`` for each unit ``dy²`` grows, whatever the segment's length. Each segment gives
    its own slope; a pose model's joints (a hip point sliding, a knee coming nearer the
    camera) make them disagree, and how much they disagree is how little the view tells.

    Args:
        xy: (T, J, 2) COMMON poses, image coordinates with equal units on both axes.
    """
    d = xy[:, _SAGITTAL_ENDS[1]] - xy[:, _SAGITTAL_ENDS[0]]  # (T, S, 2): judged once a rep
    ok = np.isfinite(d).all(axis=-1)[..., None]
    n = ok.sum(axis=0)[:, 0]
    sq = np.where(ok, d * d, 0.0)
    centred = np.where(ok, sq - sq.sum(axis=0) / np.maximum(n, 1)[:, None], 0.0)
    var = np.einsum("ts,ts->s", centred[..., 1], centred[..., 1])
    cov = np.einsum("ts,ts->s", centred[..., 0], centred[..., 1])
    use = (n > 1) & (var > 0)
    if not use.any():
        return float("nan"), float("nan")
    seen = np.sqrt(np.maximum(0.0, -cov[use] / var[use]))
    return float(seen.min()), float(seen.max())


def shoulder_ratio(xy: np.ndarray) -> float:
    """The shoulders' width over the body unit, median over the frames (NaN when unseen): the
    reading :func:`estimate_view` tells a front from a side view by.

    Args:
        xy: (T, J, 2) COMMON poses.
    """
    sw = norm(joint_xy(xy, "left_shoulder") - joint_xy(xy, "right_shoulder"))
    ratio = sw / body_unit(xy)
    ratio = ratio[np.isfinite(ratio)]
    return float(np.median(ratio)) if ratio.size else float("nan")


def estimate_view(seq: PoseSequence) -> View:
    """Tell a front from a side view, and which side faces the camera, from a sequence."""
    common = seq.to_common()
    xy, vis = common.xy, common.visibility
    r = shoulder_ratio(xy)
    facing: Literal["front", "side"] = "front" if r >= FRONT_SHOULDER_RATIO else "side"
    side_joints = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
    left = vis[:, [_IDX[f"left_{j}"] for j in side_joints]].mean() if len(vis) else 0.0
    right = vis[:, [_IDX[f"right_{j}"] for j in side_joints]].mean() if len(vis) else 0.0
    near: Literal["left", "right"] | None = None
    if abs(left - right) > 0.02:
        near = "left" if left > right else "right"
    return View(facing, near, r, sagittal_foreshortening(xy))
