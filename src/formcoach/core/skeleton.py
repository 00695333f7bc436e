"""Skeletons (joint layouts), the common joint names they map onto, and body parts.

Every pose format keeps its own joint order (BlazePose-33, OpenPose BODY_25 and COCO-18, the
17-point MediaPipe subset). Features are computed once, on the :data:`COMMON` skeleton, so each
layout only declares which of its joints is which common joint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcoach.core.errors import FormcoachError

__all__ = [
    "BLAZEPOSE_33",
    "BODY_25",
    "BODY_PARTS",
    "COCO_18",
    "COMMON",
    "COMMON_INDEX",
    "MP_17",
    "SKELETONS",
    "BodyPart",
    "Skeleton",
    "body_part",
    "get_skeleton",
]


@dataclass(frozen=True)
class Skeleton:
    """A joint layout.

    Attributes:
        name: short identifier, e.g. ``"blazepose33"``.
        joints: joint names in storage order (length J).
        edges: pairs of joint indices drawn as bones.
        common: for each joint, its name in :data:`COMMON` or ``None`` when it has no equivalent.
    """

    name: str
    joints: tuple[str, ...]
    edges: tuple[tuple[int, int], ...]
    common: tuple[str | None, ...] = field(default=(), repr=False)
    _index: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)
    _common_idx: np.ndarray = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if len(set(self.joints)) != len(self.joints):
            raise ValueError(f"skeleton {self.name!r}: joint names must be unique")
        common = self.common or tuple(self.joints)
        if len(common) != len(self.joints):
            raise ValueError(
                f"skeleton {self.name!r}: expected {len(self.joints)} common names, "
                f"got {len(common)}"
            )
        object.__setattr__(self, "common", common)
        for a, b in self.edges:
            if not (0 <= a < len(self.joints) and 0 <= b < len(self.joints)):
                raise ValueError(f"skeleton {self.name!r}: edge ({a}, {b}) out of range")
        object.__setattr__(self, "_index", {n: i for i, n in enumerate(self.joints)})
        own = {c: i for i, c in enumerate(common) if c is not None}
        idx = np.array([own.get(name, -1) for name in COMMON_JOINTS], dtype=np.int64)
        idx.setflags(write=False)
        object.__setattr__(self, "_common_idx", idx)  # asked for every frame: kept

    def __len__(self) -> int:
        return len(self.joints)

    def index(self, joint: str) -> int:
        """Index of a joint by its own name."""
        try:
            return self._index[joint]
        except KeyError:
            raise KeyError(
                f"skeleton {self.name!r} has no joint {joint!r}; it has {', '.join(self.joints)}"
            ) from None

    def common_indices(self) -> np.ndarray:
        """For each :data:`COMMON` joint, the index of this skeleton's equivalent or -1.

        Returns:
            (len(COMMON),) int array.
        """
        return self._common_idx.copy()


def _edges(names: tuple[str, ...], pairs: list[tuple[str, str]]) -> tuple[tuple[int, int], ...]:
    idx = {n: i for i, n in enumerate(names)}
    return tuple((idx[a], idx[b]) for a, b in pairs)


COMMON_JOINTS: tuple[str, ...] = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
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
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

#: Each common joint's index in ``COMMON_JOINTS`` (a common-layout pose's ``xy[:, k]``).
COMMON_INDEX: dict[str, int] = {n: i for i, n in enumerate(COMMON_JOINTS)}

_LIMBS = [
    ("left_shoulder", "right_shoulder"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_hip", "right_hip"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
]
_FEET = [
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_heel"),
    ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
]
_FACE = [
    ("nose", "left_eye"),
    ("nose", "right_eye"),
    ("left_eye", "left_ear"),
    ("right_eye", "right_ear"),
]

#: The layout features are computed on: the joints every format shares, MediaPipe's names.
COMMON = Skeleton("common", COMMON_JOINTS, _edges(COMMON_JOINTS, _LIMBS + _FEET + _FACE))

_BLAZEPOSE_NAMES = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
#: MediaPipe BlazePose, 33 landmarks in MediaPipe's order.
BLAZEPOSE_33 = Skeleton(
    "blazepose33",
    _BLAZEPOSE_NAMES,
    _edges(
        _BLAZEPOSE_NAMES,
        _LIMBS
        + _FEET
        + _FACE
        + [
            ("mouth_left", "mouth_right"),
            ("left_wrist", "left_index"),
            ("left_wrist", "left_pinky"),
            ("left_wrist", "left_thumb"),
            ("right_wrist", "right_index"),
            ("right_wrist", "right_pinky"),
            ("right_wrist", "right_thumb"),
        ],
    ),
    tuple(n if n in COMMON_JOINTS else None for n in _BLAZEPOSE_NAMES),
)

_MP17_NAMES = tuple(n for n in COMMON_JOINTS if not n.endswith(("_eye", "_ear")))
#: The 17-point MediaPipe subset of ``form/mp17`` (nose, limbs, heels, feet).
MP_17 = Skeleton("mp17", _MP17_NAMES, _edges(_MP17_NAMES, _LIMBS + _FEET))

_COCO18_NAMES = (
    "nose",
    "neck",
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    "right_hip",
    "right_knee",
    "right_ankle",
    "left_hip",
    "left_knee",
    "left_ankle",
    "right_eye",
    "left_eye",
    "right_ear",
    "left_ear",
)
#: OpenPose COCO-18 (``--model_pose COCO``), the layout of ``form/posetrainer``.
COCO_18 = Skeleton(
    "coco18",
    _COCO18_NAMES,
    _edges(
        _COCO18_NAMES,
        [p for p in _LIMBS if p != ("left_shoulder", "right_shoulder")]
        + _FACE
        + [("neck", "left_shoulder"), ("neck", "right_shoulder"), ("neck", "nose")],
    ),
    tuple(n if n in COMMON_JOINTS else None for n in _COCO18_NAMES),
)

_BODY25_NAMES = (
    "nose",
    "neck",
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    "mid_hip",
    "right_hip",
    "right_knee",
    "right_ankle",
    "left_hip",
    "left_knee",
    "left_ankle",
    "right_eye",
    "left_eye",
    "right_ear",
    "left_ear",
    "left_big_toe",
    "left_small_toe",
    "left_heel",
    "right_big_toe",
    "right_small_toe",
    "right_heel",
)
#: OpenPose BODY_25 (the default OpenPose model).
BODY_25 = Skeleton(
    "body25",
    _BODY25_NAMES,
    _edges(
        _BODY25_NAMES,
        [p for p in _LIMBS if p not in {("left_shoulder", "right_shoulder")}]
        + _FACE
        + [
            ("neck", "left_shoulder"),
            ("neck", "right_shoulder"),
            ("neck", "nose"),
            ("neck", "mid_hip"),
            ("left_ankle", "left_heel"),
            ("left_ankle", "left_big_toe"),
            ("left_big_toe", "left_small_toe"),
            ("right_ankle", "right_heel"),
            ("right_ankle", "right_big_toe"),
            ("right_big_toe", "right_small_toe"),
        ],
    ),
    tuple(
        {"left_big_toe": "left_foot_index", "right_big_toe": "right_foot_index"}.get(
            n, n if n in COMMON_JOINTS else None
        )
        for n in _BODY25_NAMES
    ),
)

SKELETONS: dict[str, Skeleton] = {
    s.name: s for s in (COMMON, BLAZEPOSE_33, MP_17, COCO_18, BODY_25)
}


def get_skeleton(name: str) -> Skeleton:
    """Look a skeleton up by name; an unknown name lists the valid ones."""
    try:
        return SKELETONS[name]
    except KeyError:
        raise FormcoachError(
            f"unknown skeleton {name!r}", hint=f"use one of: {', '.join(SKELETONS)}"
        ) from None


@dataclass(frozen=True)
class BodyPart:
    """A unit formcoach reasons and speaks in (``left_arm``, ``trunk``...).

    Attributes:
        name: identifier used in exercise files and the database.
        joints: the :data:`COMMON` joints that belong to it.
        spoken: how the coach names it in a sentence ("your left arm").
    """

    name: str
    joints: tuple[str, ...]
    spoken: str

    def __post_init__(self) -> None:
        unknown = [j for j in self.joints if j not in COMMON_JOINTS]
        if unknown:
            raise ValueError(f"body part {self.name!r}: unknown joints {unknown}")


BODY_PARTS: dict[str, BodyPart] = {
    p.name: p
    for p in (
        BodyPart("head", ("nose", "left_ear", "right_ear", "left_eye", "right_eye"), "your head"),
        BodyPart("shoulders", ("left_shoulder", "right_shoulder"), "your shoulders"),
        BodyPart("left_arm", ("left_shoulder", "left_elbow", "left_wrist"), "your left arm"),
        BodyPart("right_arm", ("right_shoulder", "right_elbow", "right_wrist"), "your right arm"),
        BodyPart(
            "trunk",
            ("left_shoulder", "right_shoulder", "left_hip", "right_hip"),
            "your back",
        ),
        BodyPart("hips", ("left_hip", "right_hip"), "your hips"),
        BodyPart("knees", ("left_knee", "right_knee", "left_ankle", "right_ankle"), "your knees"),
        BodyPart(
            "left_leg",
            ("left_hip", "left_knee", "left_ankle", "left_heel", "left_foot_index"),
            "your left leg",
        ),
        BodyPart(
            "right_leg",
            ("right_hip", "right_knee", "right_ankle", "right_heel", "right_foot_index"),
            "your right leg",
        ),
    )
}


def body_part(name: str) -> BodyPart:
    """Look a body part up by name; an unknown name lists the valid ones."""
    try:
        return BODY_PARTS[name]
    except KeyError:
        raise FormcoachError(
            f"unknown body part {name!r}", hint=f"use one of: {', '.join(BODY_PARTS)}"
        ) from None
