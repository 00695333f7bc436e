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
  image's vertical is read (:func:`~formcoach.core.geometry._floor_up`).
- ``bend(a, b, c)``: how far the path ``a→b→c`` bends at ``b`` out of the straight line
  ``a–c``, degrees in [-180, 180]: 0 straight, positive when ``b`` lies above the line in the
  image, negative below (``180 - angle(a, b, c)``, signed). For a body lying along the line
  (a plank: shoulder, hip, ankle) it is the hips piking up (+) or sagging (-), whatever the
  body's slope, length or proportions.

The geometry these are read with (a joint's position, lengths, angles, the floor's upright) is
:mod:`formcoach.core.geometry`'s; the camera view (:class:`View`, :func:`estimate_view`) is
:mod:`formcoach.core.view`'s, importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.errors import FormcoachError
from formcoach.core.geometry import (
    MAX_ROLL,
    VIRTUAL_JOINTS,
    angle,
    bend,
    floor_tilt,
    joint_xy,
    norm,
)
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON_INDEX, COMMON_JOINTS
from formcoach.core.view import (
    FRONT_SHOULDER_RATIO,
    SAGITTAL_SEGMENTS,
    SQUARE_ON_SHOULDERS,
    View,
    estimate_view,
    sagittal_foreshortening,
    shoulder_ratio,
    turns_from_profile,
)

__all__ = [
    "FEATURES",
    "FEATURE_PART",
    "FRONT_SHOULDER_RATIO",
    "MAX_ROLL",
    "SAGITTAL_SEGMENTS",
    "SQUARE_ON_SHOULDERS",
    "FeatureSpec",
    "View",
    "compute_features",
    "estimate_view",
    "feature",
    "joint_xy",
    "sagittal_foreshortening",
    "shoulder_ratio",
    "turns_from_profile",
]

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
_IDX = COMMON_INDEX


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
                return angle(pts[0] - pts[1], pts[2] - pts[1])
            if self.kind == "tilt":
                up = np.broadcast_to(np.array([0.0, -1.0], np.float32), pts[0].shape)
                return angle(pts[1] - pts[0], up)
            if self.kind == "floor_tilt":
                return floor_tilt(pts[1] - pts[0], pts[2], pts[3])
            if self.kind == "ratio":
                return norm(pts[0] - pts[1]) / norm(pts[2] - pts[3])
            if self.kind == "within":
                return np.minimum(norm(pts[0] - pts[1]) / norm(pts[2] - pts[3]), 1.0)
            if self.kind == "bend":
                return bend(pts[0], pts[1], pts[2])
            if self.kind == "distance":
                return norm(pts[1] - pts[0]) / body_unit(xy)
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
