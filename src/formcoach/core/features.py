"""Size-free pose features: joint angles, segment tilts, ratios, and the camera view.

Features are computed on the :data:`~formcoach.core.skeleton.COMMON` skeleton from arrays of shape
(..., J, 2), so the same code serves one frame (J, 2) and a whole sequence (T, J, 2). None of
them depends on the person's size or distance to the camera: angles are angles, and lengths are
divided by another length of the same body.

Two virtual joints are available everywhere a joint name is: ``mid_shoulder`` and ``mid_hip``.

A feature is written as ``kind(joint, ...)``:

- ``angle(a, b, c)``: the angle at ``b`` between ``b→a`` and ``b→c``, degrees in [0, 180].
- ``tilt(a, b)``: the angle of ``a→b`` from straight up in the image, degrees in [0, 180]
  (0: ``b`` directly above ``a``; 90: horizontal; 180: directly below).
- ``ratio(a, b, c, d)``: length ``a–b`` over length ``c–d``.
- ``within(a, b, c, d)``: the same ratio, at most 1: how far ``a–b`` lies inside ``c–d`` (1: as
  wide or wider). Knees as wide as the feet or wider are all "over the feet".
- ``height(a, b)``: how far ``b`` is above ``a``, in torso lengths (negative when below; the
  unit of :mod:`formcoach.core.body`).
- ``distance(a, b)``: how far ``b`` is from ``a`` in the image, in torso lengths (>= 0). From
  the hips to the nose it is the reach of the head beyond the trunk: a head dropped towards the
  chest shortens it, whatever the arms do to the shoulder points.
- ``floor_tilt(a, b, c, d)``: the tilt of ``a→b`` as ``tilt`` gives it, read both from the
  image's vertical and from the upward normal of the line ``c–d`` through two points resting
  on the floor (both feet's toes in a lunge), and the reading nearer upright (0 or 180) kept.
  Neither reference is exact: the image's vertical turns with the camera's roll, the floor
  line with perspective (a camera above the floor shows the farther foot higher); a lean
  beyond what both allow is the person's. Where ``c–d`` is shorter than ``a–b`` (feet
  together, or unseen) its direction is known less well than the segment's own, and only the
  image's vertical is read (:func:`_floor_up`).
- ``bend(a, b, c)``: how far the path ``a→b→c`` bends at ``b`` out of the straight line
  ``a–c``, degrees in [-180, 180]: 0 straight, positive when ``b`` lies above the line in the
  image, negative below (``180 - angle(a, b, c)``, signed). For a body lying along the line
  (a plank: shoulder, hip, ankle) it is the hips piking up (+) or sagging (-), whatever the
  body's slope, length or proportions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON_JOINTS

__all__ = [
    "FEATURES",
    "FEATURE_PART",
    "FeatureSpec",
    "View",
    "compute_features",
    "estimate_view",
    "feature",
    "joint_xy",
    "shoulder_ratio",
]

VIRTUAL_JOINTS = {
    "mid_shoulder": ("left_shoulder", "right_shoulder"),
    "mid_hip": ("left_hip", "right_hip"),
}
_ARITY = {
    "angle": 3,
    "tilt": 2,
    "ratio": 4,
    "within": 4,
    "height": 2,
    "distance": 2,
    "bend": 3,
    "floor_tilt": 4,
}
_IDX = {n: i for i, n in enumerate(COMMON_JOINTS)}


@dataclass(frozen=True)
class FeatureSpec:
    """One feature: its kind and the joints it is measured on."""

    kind: Literal["angle", "tilt", "ratio", "within", "height", "distance", "bend", "floor_tilt"]
    joints: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.kind not in _ARITY:
            raise FormcoachError(
                f"unknown feature kind {self.kind!r}", hint=f"use one of: {', '.join(_ARITY)}"
            )
        if len(self.joints) != _ARITY[self.kind]:
            raise FormcoachError(
                f"{self.kind}() takes {_ARITY[self.kind]} joints, got {len(self.joints)}"
            )
        for j in self.joints:
            if j not in _IDX and j not in VIRTUAL_JOINTS:
                raise FormcoachError(
                    f"unknown joint {j!r} in {self.kind}()",
                    hint=f"use one of: {', '.join((*COMMON_JOINTS, *VIRTUAL_JOINTS))}",
                )

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(self.joints)})"

    @property
    def is_angle(self) -> bool:
        """True for features measured in degrees."""
        return self.kind in ("angle", "tilt", "bend", "floor_tilt")

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        """Evaluate on (..., J, 2) COMMON coordinates; returns (...,), NaN where unseen."""
        pts = [joint_xy(xy, j) for j in self.joints]
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.kind == "angle":
                return _angle(pts[0] - pts[1], pts[2] - pts[1])
            if self.kind == "tilt":
                up = np.broadcast_to(np.array([0.0, -1.0], np.float32), pts[0].shape)
                return _angle(pts[1] - pts[0], up)
            if self.kind == "floor_tilt":
                return _floor_tilt(pts[1] - pts[0], pts[2], pts[3])
            if self.kind == "ratio":
                return _norm(pts[0] - pts[1]) / _norm(pts[2] - pts[3])
            if self.kind == "within":
                return np.minimum(_norm(pts[0] - pts[1]) / _norm(pts[2] - pts[3]), 1.0)
            if self.kind == "bend":
                return _bend(pts[0], pts[1], pts[2])
            if self.kind == "distance":
                return _norm(pts[1] - pts[0]) / body_unit(xy)
            return (pts[0][..., 1] - pts[1][..., 1]) / body_unit(xy)


_SPEC_RE = re.compile(r"^\s*(\w+)\s*\(([^)]*)\)\s*$")


def feature(text: str | FeatureSpec) -> FeatureSpec:
    """Parse ``"angle(left_hip, left_knee, left_ankle)"`` or a catalogue name (``"left_knee"``)."""
    if isinstance(text, FeatureSpec):
        return text
    if text in FEATURES:
        return FEATURES[text]
    m = _SPEC_RE.match(text)
    if not m:
        raise FormcoachError(
            f"cannot read feature {text!r}",
            hint="write kind(joint, ...) such as angle(left_hip, left_knee, left_ankle), "
            f"or a named feature: {', '.join(FEATURES)}",
        )
    kind, args = m.group(1), tuple(a.strip() for a in m.group(2).split(",") if a.strip())
    return FeatureSpec(kind, args)  # type: ignore[arg-type]


def joint_xy(xy: np.ndarray, name: str) -> np.ndarray:
    """(..., 2) position of a COMMON or virtual joint from (..., J, 2) COMMON coordinates."""
    if name in VIRTUAL_JOINTS:
        a, b = VIRTUAL_JOINTS[name]
        return 0.5 * (xy[..., _IDX[a], :] + xy[..., _IDX[b], :])
    return xy[..., _IDX[name], :]


def _norm(v: np.ndarray) -> np.ndarray:
    return np.sqrt((v * v).sum(axis=-1))


def _angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    # atan2 of cross and dot stays accurate near 0 and 180 degrees, where arccos does not
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = (u * v).sum(axis=-1)
    ang = np.degrees(np.arctan2(np.abs(cross), dot))
    return np.where((_norm(u) > 0) & (_norm(v) > 0), ang, np.nan)


#: The most a camera is rolled from level (degrees): a line through both feet tilted further
#: from the image's horizontal is no floor line (a foot is off the floor).
MAX_ROLL = 8.0


def _floor_up(seg: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(..., 2) the upward direction of the scene: the normal of the floor line ``c–d``
    pointing up the image (y < 0) where that line is at least as long as the measured segment
    ``seg`` (a floor line shorter than the segment tells its direction less well than the
    segment's own jitter allows) and within :data:`MAX_ROLL` of level, the image's vertical
    elsewhere."""
    f = d - c
    normal = np.stack([f[..., 1], -f[..., 0]], axis=-1)
    normal = np.where(normal[..., 1:] > 0, -normal, normal)
    with np.errstate(invalid="ignore"):
        level = _angle(normal, np.array([0.0, -1.0])) <= MAX_ROLL
        use = ((_norm(f) >= _norm(seg)) & level)[..., None]  # NaN (unseen) compares False
    return np.where(use, normal, np.array([0.0, -1.0]))


def _floor_tilt(seg: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(...,) degrees: the tilt of ``seg`` (..., 2) from the image's vertical or from the floor
    line ``c–d``'s normal, whichever is nearer upright (0 or 180)."""
    up = np.broadcast_to(np.array([0.0, -1.0]), seg.shape)
    image, floor = _angle(seg, up), _angle(seg, _floor_up(seg, c, d))
    lean = np.minimum(image, 180.0 - image)
    return np.where(np.minimum(floor, 180.0 - floor) < lean, floor, image)


def _bend(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(...,) signed degrees ``b`` bends out of the line ``a–c``: + above it in the image
    (smaller y), - below; NaN where a point is unseen or ``a``, ``c`` coincide."""
    d = c - a
    up = np.where(d[..., :1] >= 0, 1.0, -1.0) * np.stack([d[..., 1], -d[..., 0]], axis=-1)
    side = np.sign(((b - a) * up).sum(axis=-1))  # up: the line's normal with y < 0
    out = side * (180.0 - _angle(a - b, c - b))
    return np.where(_norm(d) > 0, out, np.nan)


def _named() -> dict[str, FeatureSpec]:
    out: dict[str, FeatureSpec] = {}
    for s in ("left", "right"):
        o = "right" if s == "left" else "left"
        out[f"{s}_elbow"] = FeatureSpec("angle", (f"{s}_shoulder", f"{s}_elbow", f"{s}_wrist"))
        out[f"{s}_shoulder"] = FeatureSpec("angle", (f"{s}_hip", f"{s}_shoulder", f"{s}_elbow"))
        out[f"{s}_hip"] = FeatureSpec("angle", (f"{s}_shoulder", f"{s}_hip", f"{s}_knee"))
        out[f"{s}_knee"] = FeatureSpec("angle", (f"{s}_hip", f"{s}_knee", f"{s}_ankle"))
        out[f"{s}_ankle"] = FeatureSpec("angle", (f"{s}_knee", f"{s}_ankle", f"{s}_foot_index"))
        out[f"{s}_upper_arm_tilt"] = FeatureSpec("tilt", (f"{s}_shoulder", f"{s}_elbow"))
        out[f"{s}_forearm_tilt"] = FeatureSpec("tilt", (f"{s}_elbow", f"{s}_wrist"))
        out[f"{s}_thigh_tilt"] = FeatureSpec("tilt", (f"{s}_hip", f"{s}_knee"))
        out[f"{s}_shin_tilt"] = FeatureSpec("tilt", (f"{s}_knee", f"{s}_ankle"))
        out[f"{s}_wrist_height"] = FeatureSpec("height", (f"{s}_shoulder", f"{s}_wrist"))
        # the shoulder's height over the hip in leg lengths: a unit the shoulders cannot move
        out[f"{s}_shoulder_height"] = FeatureSpec(
            "ratio", (f"{s}_hip", f"{s}_shoulder", f"{s}_hip", f"{s}_ankle")
        )
        out[f"{s}_shoulder_lift"] = FeatureSpec(
            "ratio", (f"{s}_ear", f"{s}_shoulder", f"{s}_shoulder", f"{o}_shoulder")
        )
    out["trunk_tilt"] = FeatureSpec("tilt", ("mid_hip", "mid_shoulder"))
    out["neck_tilt"] = FeatureSpec("tilt", ("mid_shoulder", "nose"))
    out["knee_width"] = FeatureSpec(
        "ratio", ("left_knee", "right_knee", "left_ankle", "right_ankle")
    )
    # the knees inside the feet: a knee over its foot (or further out) counts as over it
    out["knee_track"] = FeatureSpec(
        "within", ("left_knee", "right_knee", "left_ankle", "right_ankle")
    )
    return out


#: The catalogue of named features, usable by name in exercise files.
FEATURES: dict[str, FeatureSpec] = _named()

#: The body part each named feature describes.
FEATURE_PART: dict[str, str] = {
    **{f"{s}_{k}": f"{s}_arm" for s in ("left", "right") for k in ("elbow", "forearm_tilt")},
    **{
        f"{s}_{k}": f"{s}_arm"
        for s in ("left", "right")
        for k in ("shoulder", "upper_arm_tilt", "wrist_height")
    },
    **{
        f"{s}_{k}": f"{s}_leg"
        for s in ("left", "right")
        for k in ("knee", "ankle", "thigh_tilt", "shin_tilt")
    },
    **{f"{s}_hip": "hips" for s in ("left", "right")},
    **{f"{s}_shoulder_{k}": "shoulders" for s in ("left", "right") for k in ("lift", "height")},
    "trunk_tilt": "trunk",
    "neck_tilt": "head",
    "knee_width": "knees",
    "knee_track": "knees",
}


def compute_features(
    seq: PoseSequence, names: list[str] | tuple[str, ...] | None = None
) -> dict[str, np.ndarray]:
    """Evaluate features over a sequence.

    Args:
        seq: poses on any skeleton (converted to COMMON first).
        names: catalogue names or ``kind(...)`` strings; all catalogue features when omitted.

    Returns:
        name -> (T,) float32 array, NaN where a joint it needs was not seen.
    """
    xy = seq.to_common().xy
    specs = {n: feature(n) for n in (names if names is not None else FEATURES)}
    return {n: s(xy).astype(np.float32) for n, s in specs.items()}


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
    sw = _norm(joint_xy(xy, "left_shoulder") - joint_xy(xy, "right_shoulder"))
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
