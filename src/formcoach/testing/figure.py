"""Synthetic people with known joint angles: poses whose right answers are known exactly.

Tests of counting, judging and features build movements here (a curl, a squat, a pause, a
walk-in) and check formcoach recovers the angles and repetitions they were built with.

A 2-D stick figure is posed by angles in degrees, per frame:

- ``trunk_lean``: trunk from vertical, leaning forward (side view) or sideways (front view).
- ``{side}_shoulder``: upper arm from hanging straight down, raised forward (side view) or
  out to the side (front view); 180 is overhead.
- ``{side}_elbow``: the elbow's inner angle (180 straight, smaller is more bent).
- ``{side}_hip``: thigh from vertical, raised forward (side) or outward (front).
- ``{side}_knee``: the knee's inner angle (180 straight).
- ``{side}_knee_in``: front view only, knees moving toward the midline (valgus), degrees.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from formcoach.core.keyframes import keyframes
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON, COMMON_JOINTS

__all__ = ["ANGLE_NAMES", "keyframes", "stick_figure"]

ANGLE_NAMES = (
    "trunk_lean",
    *(
        f"{s}_{j}"
        for s in ("left", "right")
        for j in ("shoulder", "elbow", "hip", "knee", "knee_in")
    ),
)
_NEUTRAL = {
    "trunk_lean": 0.0,
    "shoulder": 0.0,
    "elbow": 180.0,
    "hip": 0.0,
    "knee": 180.0,
    "knee_in": 0.0,
}
# segment lengths in body heights (Drillis & Contini proportions, rounded)
_L = {
    "torso": 0.30,
    "upper_arm": 0.186,
    "forearm": 0.146,
    "thigh": 0.245,
    "shin": 0.246,
    "foot": 0.12,
    "neck": 0.10,
    "shoulder_w": 0.23,
    "hip_w": 0.17,
}


def _rot(v: np.ndarray, deg: np.ndarray) -> np.ndarray:
    """Rotate (T, 2) vectors by (T,) degrees, counter-clockwise on screen (y points down)."""
    r = np.radians(deg)
    c, s = np.cos(r), np.sin(r)
    return np.stack([c * v[:, 0] + s * v[:, 1], -s * v[:, 0] + c * v[:, 1]], axis=1)


def _side(
    side: str,
    a,
    trunk_dir: np.ndarray,
    mid_sh: np.ndarray,
    mid_hip: np.ndarray,
    h: float,
    front: bool,
) -> dict[str, np.ndarray]:
    """(T, 2) positions of one side's shoulder, arm, hip and leg joints."""
    sign = 1.0 if side == "left" else -1.0
    zero = np.zeros_like(trunk_dir)
    down = zero + [0.0, 1.0]
    # a person facing the camera has their left on the image's right
    lateral = sign * (_rot(trunk_dir, -90) if front else zero)
    sh = mid_sh + 0.5 * h * _L["shoulder_w"] * lateral
    hip = mid_hip + 0.5 * h * _L["hip_w"] * lateral
    if not front:
        sh = sh + [sign * 0.005 * h, 0.0]  # the far side peeks out a little
        hip = hip + [sign * 0.005 * h, 0.0]
    turn = sign if front else 1.0  # front: arms/legs open outward; side: forward (+x)
    arm = _rot(-trunk_dir, turn * a(f"{side}_shoulder"))
    elbow = sh + h * _L["upper_arm"] * arm
    wrist = elbow + h * _L["forearm"] * _rot(arm, turn * (180.0 - a(f"{side}_elbow")))
    knee_in = a(f"{side}_knee_in")
    thigh = _rot(down, turn * a(f"{side}_hip") - (sign * knee_in if front else 0))
    knee = hip + h * _L["thigh"] * thigh
    bend = sign * knee_in if front else -turn * (180.0 - a(f"{side}_knee"))
    ankle = knee + h * _L["shin"] * _rot(thigh, bend)
    foot_dir = (zero + [sign * 0.3, 1.0]) if front else (zero + [1.0, 0.0])
    heel = ankle + h * 0.04 * (down if front else zero + [-1.0, 0.3])
    toe = ankle + h * _L["foot"] * foot_dir / np.linalg.norm(foot_dir, axis=1, keepdims=True)
    joints = dict(shoulder=sh, elbow=elbow, wrist=wrist, hip=hip, knee=knee, ankle=ankle)
    return {f"{side}_{k}": v for k, v in {**joints, "heel": heel, "foot_index": toe}.items()}


def _head(mid_sh: np.ndarray, trunk_dir: np.ndarray, h: float, front: bool) -> dict:
    """(T, 2) positions of the nose, eyes and ears."""
    zero = np.zeros_like(trunk_dir)
    across = _rot(trunk_dir, -90) if front else zero
    head = mid_sh + h * _L["neck"] * trunk_dir
    face = _rot(trunk_dir, -90) if not front else zero
    pos = {"nose": head + h * 0.03 * face}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        pos[f"{side}_eye"] = head + h * 0.02 * (sign * across + face) + h * 0.01 * trunk_dir
        pos[f"{side}_ear"] = head + h * 0.05 * sign * across - h * 0.02 * face
    return pos


def _angle_tracks(angles: Mapping[str, np.ndarray | float], n_frames: int | None):
    """A function name -> (T,) degrees (neutral where not given), and T."""
    unknown = set(angles) - set(ANGLE_NAMES)
    if unknown:
        raise ValueError(f"unknown angles {sorted(unknown)}; use {', '.join(ANGLE_NAMES)}")
    lengths = [np.size(v) for v in angles.values() if np.ndim(v) > 0]
    t_count = lengths[0] if lengths else n_frames
    if t_count is None:
        raise ValueError("give n_frames when every angle is a constant")

    def a(name: str) -> np.ndarray:
        key = name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name
        v = angles.get(name, _NEUTRAL[key])
        return np.broadcast_to(np.asarray(v, float), (t_count,)).astype(float)

    return a, t_count


def stick_figure(
    angles: Mapping[str, np.ndarray | float],
    n_frames: int | None = None,
    *,
    fps: float = 30.0,
    view: str = "side",
    height_px: float = 400.0,
    origin: tuple[float, float] = (320.0, 260.0),
    anchor: str = "hip",
    offset: np.ndarray | None = None,
    noise_px: float = 0.0,
    seed: int = 0,
) -> PoseSequence:
    """Pose a stick figure frame by frame.

    Args:
        angles: name -> (T,) degrees or a constant; unnamed angles stay neutral (standing).
        n_frames: T, when every angle given is a constant.
        fps: frame rate of the timestamps.
        view: ``"side"`` (facing +x, left side nearer the camera) or ``"front"``.
        height_px: body height in pixels (the size formcoach must not depend on).
        origin: where the hip (or the feet, with ``anchor="ankle"``) stays, in pixels.
        anchor: ``"hip"`` keeps the hips still; ``"ankle"`` keeps the feet on the floor (squats).
        offset: (T, 2) extra translation in pixels per frame (walking in, drifting).
        noise_px: standard deviation of Gaussian jitter added to every joint.
        seed: random seed of the jitter.

    Returns:
        A sequence on the COMMON skeleton, every joint visible.
    """
    if anchor not in ("hip", "ankle"):
        raise ValueError(f"anchor must be 'hip' or 'ankle', got {anchor!r}")
    a, t_count = _angle_tracks(angles, n_frames)
    h, front = height_px, view == "front"
    trunk_dir = _rot(np.zeros((t_count, 2)) + [0.0, -1.0], -a("trunk_lean"))  # lean: clockwise
    mid_hip = np.zeros((t_count, 2))
    mid_sh = mid_hip + h * _L["torso"] * trunk_dir
    pos = _head(mid_sh, trunk_dir, h, front)
    for side in ("left", "right"):
        pos.update(_side(side, a, trunk_dir, mid_sh, mid_hip, h, front))
    xy = np.stack([pos[j] for j in COMMON_JOINTS], axis=1)  # (T, J, 2)
    if anchor == "ankle":
        xy = xy - 0.5 * (pos["left_ankle"] + pos["right_ankle"])[:, None, :]
    xy = xy + np.asarray(origin, float)
    if offset is not None:
        xy = xy + np.asarray(offset, float)[:, None, :]
    if noise_px > 0:
        xy = xy + np.random.default_rng(seed).normal(0.0, noise_px, xy.shape)
    vis = np.full(xy.shape[:2], 0.95)
    if not front:  # the far (right) side is seen less well
        vis[:, [i for i, n in enumerate(COMMON_JOINTS) if n.startswith("right_")]] = 0.6
    ts = np.arange(t_count) / fps
    return PoseSequence(xy, vis, ts, COMMON, (640, 480), fps)
