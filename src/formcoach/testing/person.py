"""A synthetic person in 3-D, seen by a camera: joint kinematics in, 2-D keypoints out.

Independent of :mod:`formcoach.testing.figure` (a flat stick figure posed by the angles the
features measure) and of the exercise files: a body is built from anthropometric segment
lengths (Winter, *Biomechanics and Motor Control of Human Movement*, table 4.1, as fractions
of standing height), posed by anatomical joint angles (flexion from the anatomical position,
0 = standing with the arms hanging), placed on the floor, and projected through a pinhole
camera at any yaw, pitch and distance. So a test can vary the body, the camera and the
pose model's noise and misses, and ask formcoach to see what a coach would see.

Body frame: x to the person's left, y up, z forward (where they face); metres.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON, COMMON_JOINTS

__all__ = ["JOINT_ANGLES", "Body", "Camera", "Noise", "film", "pose_3d"]

#: The anatomical angles a pose is given by (degrees); the unnamed ones stay at 0.
JOINT_ANGLES = (
    "trunk_flexion",  # the trunk tipped forward from vertical about the hips (< 0: leaning back)
    "trunk_side",  # the trunk tipped toward the person's left
    *(
        f"{s}_{a}"
        for s in ("left", "right")
        for a in (
            "shoulder_flexion",  # arm raised forward (180: overhead)
            "shoulder_abduction",  # arm raised out to the side
            "elbow_flexion",  # 0 straight
            "hip_flexion",  # thigh raised forward, relative to the trunk
            "hip_abduction",  # thigh out to the side
            "knee_flexion",  # 0 straight
            "knee_valgus",  # the knee turned in toward the midline about the hip-ankle line
        )
    ),
)


@dataclass(frozen=True)
class Body:
    """A person's build: height and segment lengths as fractions of it.

    Defaults are Winter's averages; a test varies them by a few per cent per segment, as
    people differ.
    """

    height_m: float = 1.70
    upper_arm: float = 0.186
    forearm: float = 0.146
    thigh: float = 0.245
    shank: float = 0.246
    trunk: float = 0.288  # hip centre to shoulder centre
    neck_head: float = 0.10  # shoulder centre to nose
    shoulder_width: float = 0.259
    hip_width: float = 0.191
    foot: float = 0.152
    ankle_height: float = 0.039

    def length(self, name: str) -> float:
        """A segment's length in metres."""
        return float(getattr(self, name)) * self.height_m

    def scaled(self, **factors: float) -> Body:
        """This body with some fractions multiplied (``scaled(thigh=1.05)``)."""
        values = {k: getattr(self, k) * f for k, f in factors.items()}
        return Body(**{**self.__dict__, **values})


@dataclass(frozen=True)
class Camera:
    """A pinhole camera looking at the person.

    Attributes:
        yaw_deg: where the camera stands around the person: 0 in front of them, 90 at their
            left side (their left profile seen), -90 at their right side, 180 behind.
        pitch_deg: looking down at them (> 0) from above the hips.
        distance_m: from the person's hips.
        frame_size: (width, height) in pixels; a phone held upright is (1080, 1920).
        fill: the share of the frame's height a standing person takes.
    """

    yaw_deg: float = 0.0
    pitch_deg: float = 0.0
    distance_m: float = 3.5
    frame_size: tuple[int, int] = (640, 480)
    fill: float = 0.75


@dataclass(frozen=True)
class Noise:
    """What a pose model gets wrong.

    Attributes:
        jitter_px: standard deviation of each joint's independent error, in pixels at a
            person height of 400 px (scaled with the person's size in the frame).
        drop_rate: the share of (frame, joint) samples the model misses (visibility 0).
        drop_frames: the share of frames where it sees nobody at all.
        seed: random seed.
    """

    jitter_px: float = 0.0
    drop_rate: float = 0.0
    drop_frames: float = 0.0
    seed: int = 0


def _rot_x(v: np.ndarray, deg: np.ndarray) -> np.ndarray:
    """Rotate (T, 3) vectors about the x axis (left), positive tips +y toward +z (forward)."""
    r = np.radians(deg)[:, None]
    y, z = v[:, 1:2], v[:, 2:3]
    return np.concatenate(
        [v[:, :1], y * np.cos(r) - z * np.sin(r), y * np.sin(r) + z * np.cos(r)], 1
    )


def _rot_z(v: np.ndarray, deg: np.ndarray) -> np.ndarray:
    """Rotate (T, 3) vectors about the z axis (forward), positive tips -y toward +x (left)."""
    r = np.radians(deg)[:, None]
    x, y = v[:, :1], v[:, 1:2]
    return np.concatenate(
        [x * np.cos(r) - y * np.sin(r), x * np.sin(r) + y * np.cos(r), v[:, 2:]], 1
    )


def _rot_axis(v: np.ndarray, axis: np.ndarray, deg: np.ndarray) -> np.ndarray:
    """Rotate (T, 3) vectors about (T, 3) unit axes by (T,) degrees (right hand rule)."""
    r = np.radians(deg)[:, None]
    dot = np.sum(axis * v, axis=1, keepdims=True)
    return v * np.cos(r) + np.cross(axis, v) * np.sin(r) + axis * dot * (1 - np.cos(r))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=1, keepdims=True)


_X = np.array([1.0, 0.0, 0.0])
_DOWN = np.array([0.0, -1.0, 0.0])


def _arm(side: str, a, body: Body, shoulder: np.ndarray, trunk: np.ndarray) -> dict:
    """(T, 3) elbow and wrist of one arm: hanging along the trunk, then raised and bent."""
    sign = 1.0 if side == "left" else -1.0
    abduction = sign * a(f"{side}_shoulder_abduction")
    upper = _rot_z(_rot_x(-trunk, -a(f"{side}_shoulder_flexion")), abduction)
    hinge = _rot_z(np.zeros_like(trunk) + _X, abduction)  # the elbow's axis turns with the arm
    fore = _rot_axis(upper, hinge, -a(f"{side}_elbow_flexion"))  # folds forward and up
    elbow = shoulder + body.length("upper_arm") * upper
    wrist = elbow + body.length("forearm") * fore
    return {f"{side}_elbow": elbow, f"{side}_wrist": wrist}


def _leg(side: str, a, body: Body, hip: np.ndarray, trunk_flexion: np.ndarray) -> dict:
    """(T, 3) knee, ankle, heel and toe of one leg."""
    sign = 1.0 if side == "left" else -1.0
    down = np.zeros_like(hip) + _DOWN
    thigh_from_vertical = a(f"{side}_hip_flexion") - trunk_flexion
    thigh = _rot_x(down, -thigh_from_vertical)
    shank = _rot_x(thigh, a(f"{side}_knee_flexion"))  # folds back under the thigh
    abduction = sign * a(f"{side}_hip_abduction")
    thigh, shank = _rot_z(thigh, abduction), _rot_z(shank, abduction)
    knee = hip + body.length("thigh") * thigh
    ankle = knee + body.length("shank") * shank
    # valgus: the knee swings toward the midline about the hip-ankle line, the foot stays put
    axis = _unit(ankle - hip)
    knee = hip + _rot_axis(knee - hip, axis, sign * a(f"{side}_knee_valgus"))
    h, f = body.length("ankle_height"), body.length("foot")
    heel = ankle + [0.0, -h, -0.25 * f]
    toe = ankle + [0.0, -h, 0.75 * f]
    return {f"{side}_knee": knee, f"{side}_ankle": ankle, f"{side}_heel": heel, f"{side}_toe": toe}


def pose_3d(
    angles: Mapping[str, np.ndarray | float], n_frames: int | None = None, body: Body = Body()
) -> dict[str, np.ndarray]:
    """Joint positions (T, 3) in metres for anatomical ``angles`` (degrees, per frame).

    The hips are the origin; :func:`film` puts the feet on the floor. ``hip_flexion`` is the
    angle between trunk and thigh, as anatomy measures it: a trunk tipped forward over
    straight legs is ``trunk_flexion == hip_flexion``.
    """
    unknown = set(angles) - set(JOINT_ANGLES)
    if unknown:
        raise ValueError(f"unknown angles {sorted(unknown)}; use {', '.join(JOINT_ANGLES)}")
    lengths = {np.size(v) for v in angles.values() if np.ndim(v) > 0}
    if len(lengths) > 1:
        raise ValueError(f"angle tracks of different lengths {sorted(lengths)}")
    t_count = lengths.pop() if lengths else n_frames
    if t_count is None:
        raise ValueError("give n_frames when every angle is a constant")

    def a(name: str) -> np.ndarray:
        return np.broadcast_to(np.asarray(angles.get(name, 0.0), float), (t_count,)).copy()

    up = np.zeros((t_count, 3)) + [0.0, 1.0, 0.0]
    trunk = _rot_z(_rot_x(up, a("trunk_flexion")), -a("trunk_side"))  # forward, then left
    left = np.zeros((t_count, 3)) + [1.0, 0.0, 0.0]
    mid_hip = np.zeros((t_count, 3))
    mid_sh = mid_hip + body.length("trunk") * trunk
    pos: dict[str, np.ndarray] = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        sh = mid_sh + sign * 0.5 * body.length("shoulder_width") * left
        pos[f"{side}_shoulder"] = sh
        pos.update(_arm(side, a, body, sh, trunk))
        hip = mid_hip + sign * 0.5 * body.length("hip_width") * left
        pos[f"{side}_hip"] = hip
        pos.update(_leg(side, a, body, hip, a("trunk_flexion")))
    head = mid_sh + body.length("neck_head") * trunk
    forward = _rot_x(np.zeros((t_count, 3)) + [0.0, 0.0, 1.0], a("trunk_flexion"))
    pos["nose"] = head + 0.09 * body.height_m * 0.5 * forward
    for side, sign in (("left", 1.0), ("right", -1.0)):
        pos[f"{side}_eye"] = head + 0.03 * body.height_m * (sign * left + forward) + 0.01 * trunk
        pos[f"{side}_ear"] = head + 0.045 * body.height_m * sign * left
        pos[f"{side}_foot_index"] = pos.pop(f"{side}_toe")
    return pos


@dataclass(frozen=True)
class _View:
    rotation: np.ndarray  # (3, 3) world -> camera
    position: np.ndarray  # (3,) camera centre, world
    focal_px: float
    centre: tuple[float, float]


def _view(camera: Camera, body: Body, target: np.ndarray) -> _View:
    """The camera at its yaw and pitch around ``target`` (3,), looking at it."""
    yaw, pitch = np.radians(camera.yaw_deg), np.radians(camera.pitch_deg)
    # yaw 0: in front of the person (+z); pitch > 0: above, looking down
    around = np.array([np.sin(yaw) * np.cos(pitch), np.sin(pitch), np.cos(yaw) * np.cos(pitch)])
    position = target + camera.distance_m * around
    look = -around
    right = np.cross(look, [0.0, 1.0, 0.0])
    right /= np.linalg.norm(right)
    down = np.cross(look, right)
    w, h = camera.frame_size
    focal = camera.fill * h * camera.distance_m / body.height_m
    return _View(np.stack([right, down, look]), position, focal, (w / 2, h / 2))


def film(
    pos: Mapping[str, np.ndarray],
    *,
    body: Body = Body(),
    camera: Camera = Camera(),
    noise: Noise = Noise(),
    fps: float = 30.0,
    floor: str = "feet",
) -> PoseSequence:
    """What a pose model would report for the person in ``pos`` filmed by ``camera``.

    Args:
        pos: joint -> (T, 3) positions from :func:`pose_3d`.
        body: the build (for the floor and the framing).
        camera: where the camera is.
        noise: the pose model's errors and misses.
        fps: frame rate.
        floor: ``"feet"``: the feet stay planted in every frame and the body moves above
            them (standing exercises); ``"start"``: placed by the first frame only.

    Returns:
        Pixel keypoints on the COMMON skeleton, visibility 0 and NaN where missed.
    """
    if floor not in ("feet", "start"):
        raise ValueError(f"floor must be 'feet' or 'start', got {floor!r}")
    xyz = np.stack([pos[j] for j in COMMON_JOINTS], axis=1)  # (T, J, 3)
    feet = 0.5 * (pos["left_ankle"] + pos["right_ankle"])  # (T, 3)
    low = np.minimum(pos["left_ankle"][:, 1], pos["right_ankle"][:, 1])
    # planted: the feet stay where they are on the floor, the body moves above them
    shift = -(feet if floor == "feet" else feet[:1]) * [1.0, 0.0, 1.0]
    shift[:, 1] = body.length("ankle_height") - (low if floor == "feet" else low[:1])
    xyz = xyz + shift[:, None, :]
    # framed on the middle of the space the person uses over the take
    target = 0.5 * (np.nanmin(xyz, axis=(0, 1)) + np.nanmax(xyz, axis=(0, 1)))
    view = _view(camera, body, target)
    cam = (xyz - view.position) @ view.rotation.T  # (T, J, 3)
    xy = view.focal_px * cam[..., :2] / cam[..., 2:3] + view.centre
    rng = np.random.default_rng(noise.seed)
    scale = view.focal_px * body.height_m / camera.distance_m / 400.0
    xy = xy + rng.normal(0.0, noise.jitter_px * scale, xy.shape)
    # the side turned away from the camera is seen less surely
    facing = np.array([np.sin(np.radians(camera.yaw_deg)), 0.0, 0.0])
    vis = np.full(xy.shape[:2], 0.95)
    far = [i for i, n in enumerate(COMMON_JOINTS) if n.startswith("right_")]
    if facing[0] > 0.5:
        vis[:, far] = 0.6
    near = [i for i, n in enumerate(COMMON_JOINTS) if n.startswith("left_")]
    if facing[0] < -0.5:
        vis[:, near] = 0.6
    missed = rng.random(vis.shape) < noise.drop_rate
    missed |= (rng.random(len(vis)) < noise.drop_frames)[:, None]
    vis[missed] = 0.0
    xy[missed] = np.nan
    ts = np.arange(len(xy)) / fps
    return PoseSequence(xy.astype(np.float32), vis, ts, COMMON, camera.frame_size, fps)
