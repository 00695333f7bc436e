"""Any cyclic movement at a steady tempo, by a synthetic person: knees bending and the body
lifting off the floor, from the small fast bounce of a jump rope (3-4 cycles per second, a few
centimetres) to slow deep knee bends (0.3 cycles per second).
"""

from __future__ import annotations

import numpy as np

from formcoach.testing.movements import Take, balanced_trunk
from formcoach.testing.person import Body, Camera, Noise, film, pose_3d

__all__ = ["bounce_set"]


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
    if not (hz > 0 and seconds > 0):
        raise ValueError(f"hz and seconds must be positive, got {hz} and {seconds}")
    t = np.arange(0.0, seconds + 2 * lead_s, 1.0 / fps)
    on = (t >= lead_s) & (t <= lead_s + seconds)
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
    n = int(np.floor(hz * seconds + 1e-9))
    reps = tuple((lead_s + k / hz, lead_s + (k + 1) / hz) for k in range(n))
    style = {"hz": hz, "knee_deg": knee_deg, "lift_m": lift_m}
    return Take(poses, n, reps, None, 0.0, style)
