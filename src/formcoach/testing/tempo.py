"""Any cyclic movement at a steady tempo, by a synthetic person: knees bending and the body
lifting off the floor, from the small fast bounce of a jump rope (3-4 cycles per second, a few
centimetres) to slow deep knee bends (0.3 cycles per second); jumping jacks (the whole body,
1-2 cycles per second, the arms over the head); and circles, where no single body part goes
back and forth along one line (pommel-horse circles of the legs).
"""

from __future__ import annotations

import numpy as np

from formcoach.testing.movements import Take, balanced_trunk
from formcoach.testing.person import Body, Camera, Noise, film, pose_3d

__all__ = ["bounce_set", "circle_set", "jack_set"]


def bounce_set(
    hz: float,
    seconds: float,
    *,
    knee_deg: float = 10.0,
    lift_m: float = 0.03,
    elbow_deg: float = 60.0,
    lead_s: float = 1.0,
    body: Body = Body(),
    camera: Camera = Camera(yaw_deg=90.0),
    noise: Noise = Noise(jitter_px=0.5),
    fps: float = 30.0,
) -> Take:
    """Knee bends at a steady tempo, lifting the body off the floor at their top.

    Standing still for ``lead_s``, then ``hz`` cycles per second for ``seconds``, then still
    again. Each cycle bends the knees by ``knee_deg`` (the ankles and hips follow, the trunk
    leans as a squat's does) and lifts the whole body ``lift_m`` metres as they straighten:
    a jump rope's bounce is about 10 degrees and 2-4 cm at 2-4 Hz; a slow deep knee bend
    is 90 degrees or more with no lift. The arms hang bent by ``elbow_deg`` (holding a rope's
    handles). ``reps`` is the number of whole cycles.
    """
    t, on = _timeline(hz, seconds, lead_s, fps)
    phase = np.where(on, (1.0 - np.cos(2 * np.pi * hz * (t - lead_s))) / 2, 0.0)
    knee = 3.0 + knee_deg * phase
    ankle = 0.3 * knee
    trunk = balanced_trunk(knee, ankle, body)
    angles: dict[str, np.ndarray | float] = {"trunk_flexion": trunk}
    for side in ("left", "right"):
        angles[f"{side}_knee_flexion"] = knee
        angles[f"{side}_hip_flexion"] = trunk + knee - ankle
        angles[f"{side}_shoulder_flexion"] = 10.0
        angles[f"{side}_elbow_flexion"] = elbow_deg
    pos = pose_3d(angles, len(t), body)
    # the feet leave the floor by lift_m at the top of each cycle (phase 0: knees straight)
    lift = np.where(on, lift_m * (1.0 - phase), 0.0)
    pos = {j: p + lift[:, None] * [0.0, 1.0, 0.0] for j, p in pos.items()}
    poses = film(pos, body=body, camera=camera, noise=noise, fps=fps, floor="start")
    n, reps = _cycles(hz, seconds, lead_s)
    style = {"hz": hz, "knee_deg": knee_deg, "lift_m": lift_m}
    return Take(poses, n, reps, None, 0.0, style)


def jack_set(
    hz: float,
    reps: int,
    *,
    caught_at: float = 0.0,
    rest_s: float = 1.0,
    body: Body = Body(),
    camera: Camera = Camera(),
    noise: Noise = Noise(jitter_px=0.5),
    fps: float = 30.0,
) -> Take:
    """Jumping jacks at ``hz`` cycles per second, filmed from the front.

    Each cycle takes the arms from the sides out and over the head (shoulder abduction 5 ->
    170 degrees) and the legs apart (hip abduction 3 -> 20 degrees) and back, the body off
    the floor by up to 5 cm as they open and close. The recording begins ``caught_at`` of the
    way out of a cycle (0: standing at rest; 0.6: the arms and legs six tenths of the way to
    the open pose, going out), then ``reps`` whole cycles follow and the person stands still
    for ``rest_s``. ``reps`` counts the whole cycles only: the cycle the recording caught
    part way shows less than three quarters of itself when ``caught_at`` is past one half.
    """
    if not (hz > 0 and reps > 0 and 0.0 <= caught_at < 1.0):
        raise ValueError(
            f"need hz > 0, reps > 0 and 0 <= caught_at < 1, got {hz}, {reps}, {caught_at}"
        )
    into = np.arccos(1.0 - 2.0 * caught_at) / (2 * np.pi * hz)  # seconds into the cycle
    first = 1.0 / hz - into if caught_at > 0 else 0.0
    t = np.arange(0.0, first + reps / hz + rest_s, 1.0 / fps)
    cycles = (reps + 1) / hz if caught_at > 0 else reps / hz
    phase = np.clip(t + (into if caught_at > 0 else 0.0), 0.0, cycles)
    out = (1.0 - np.cos(2 * np.pi * hz * phase)) / 2
    angles: dict[str, np.ndarray | float] = {}
    for side in ("left", "right"):
        angles[f"{side}_shoulder_abduction"] = 5.0 + 165.0 * out
        angles[f"{side}_hip_abduction"] = 3.0 + 17.0 * out
    pos = pose_3d(angles, len(t), body)
    lift = 0.05 * np.abs(np.sin(2 * np.pi * hz * phase))
    pos = {j: p + lift[:, None] * [0.0, 1.0, 0.0] for j, p in pos.items()}
    poses = film(pos, body=body, camera=camera, noise=noise, fps=fps, floor="start")
    start = first if caught_at > 0 else 0.0
    times = tuple((start + k / hz, start + (k + 1) / hz) for k in range(reps))
    return Take(poses, reps, times, None, 0.0, {"hz": hz, "caught_at": caught_at})


def circle_set(
    hz: float,
    seconds: float,
    *,
    tilt_deg: float = 30.0,
    turning: bool = False,
    lead_s: float = 1.0,
    body: Body = Body(),
    camera: Camera = Camera(pitch_deg=20.0),
    noise: Noise = Noise(jitter_px=0.5),
    fps: float = 30.0,
) -> Take:
    """Circles of the hips and feet around the shoulders, as on a pommel horse.

    The person hangs from straight arms (the hands on the pommels, the shoulders fixed) with
    the body straight, and swings it round in a cone: the body leans ``tilt_deg`` from
    vertical toward a direction that turns once per cycle, ``hz`` cycles per second for
    ``seconds`` after ``lead_s`` still. So the hips and feet trace circles, whose two
    horizontal coordinates move in quadrature: seen by the camera (from above by its pitch),
    an ellipse, not a line. With ``turning`` the body turns with its legs, as a gymnast's
    does (front support, side, rear support, side): it leans toward its own front and the
    whole body turns once about the shoulders per cycle, so the camera sees it from every
    side in turn. ``reps`` is the number of whole circles.
    """
    t, on = _timeline(hz, seconds, lead_s, fps)
    theta = 2 * np.pi * hz * np.clip(t - lead_s, 0.0, seconds)
    lean = np.where(on, tilt_deg, 0.0)
    # the body leans forward by lean * cos and sideways by lean * sin: its feet go round
    forward = lean if turning else lean * np.cos(theta)
    side = 0.0 * lean if turning else lean * np.sin(theta)
    pos = _hanging(pose_3d({"trunk_flexion": forward, "trunk_side": side}, len(t), body), body)
    if turning:  # the whole body turns about the vertical through the shoulders
        pivot = 0.5 * (pos["left_shoulder"][:1] + pos["right_shoulder"][:1])
        c, s = np.cos(theta), np.sin(theta)
        for j, p in pos.items():
            x, y, z = (p - pivot).T
            pos[j] = pivot + np.stack([c * x + s * z, y, c * z - s * x], axis=1)
    poses = film(pos, body=body, camera=camera, noise=noise, fps=fps, floor="start")
    n, reps = _cycles(hz, seconds, lead_s)
    return Take(poses, n, reps, None, 0.0, {"hz": hz, "tilt_deg": tilt_deg})


def _timeline(
    hz: float, seconds: float, lead_s: float, fps: float
) -> tuple[np.ndarray, np.ndarray]:
    """Frame times (T,) of ``lead_s`` still, ``seconds`` moving, ``lead_s`` still; and (T,) True
    while moving."""
    if not (hz > 0 and seconds > 0):
        raise ValueError(f"hz and seconds must be positive, got {hz} and {seconds}")
    t = np.arange(0.0, seconds + 2 * lead_s, 1.0 / fps)
    return t, (t >= lead_s) & (t <= lead_s + seconds)


def _cycles(
    hz: float, seconds: float, lead_s: float
) -> tuple[int, tuple[tuple[float, float], ...]]:
    """The number of whole cycles and each one's (start, end) in seconds."""
    n = int(np.floor(hz * seconds + 1e-9))
    return n, tuple((lead_s + k / hz, lead_s + (k + 1) / hz) for k in range(n))


def _hanging(pos: dict[str, np.ndarray], body: Body) -> dict[str, np.ndarray]:
    """The body of ``pos`` straight and hanging from straight arms: the legs along the trunk,
    the hands below the shoulders, and the shoulders kept where they are in the first frame
    (the body swings about them, not about the hips)."""
    mid_sh = 0.5 * (pos["left_shoulder"] + pos["right_shoulder"])  # hips are the origin
    down = -mid_sh / np.linalg.norm(mid_sh, axis=1, keepdims=True)  # shoulders to hips
    for s in ("left", "right"):
        knee = pos[f"{s}_hip"] + body.length("thigh") * down
        ankle = knee + body.length("shank") * down
        pos[f"{s}_knee"], pos[f"{s}_ankle"] = knee, ankle
        pos[f"{s}_heel"] = ankle + 0.2 * body.length("foot") * down
        pos[f"{s}_foot_index"] = ankle + 0.5 * body.length("foot") * down
        elbow = pos[f"{s}_shoulder"] - [0.0, body.length("upper_arm"), 0.0]
        pos[f"{s}_elbow"] = elbow
        pos[f"{s}_wrist"] = elbow - [0.0, body.length("forearm"), 0.0]
    return {j: p - mid_sh + mid_sh[:1] for j, p in pos.items()}
