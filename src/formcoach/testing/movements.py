"""Sets of curls and squats by a synthetic person, good or with one named fault of a size.

Every number here comes from how people move, not from formcoach's exercise files: the
ranges a coach accepts (:data:`CURL_OK`, :data:`SQUAT_OK`), the faults a coach names
(:data:`CURL_FAULTS`, :data:`SQUAT_FAULTS`) and the size from which a coach would always
correct them. A squat's trunk lean is not chosen at all: it follows from keeping the body's
centre of mass over the feet (Winter's segment masses), so a deeper squat or longer thighs
lean further forward, as they do.

:func:`bounce_set` is any cyclic movement at a steady tempo: knees bending and the body
lifting off the floor, from the small fast bounce of a jump rope (3-4 cycles per second, a few
centimetres) to slow deep knee bends (0.3 cycles per second).

A :class:`Take` is filmed by :func:`formcoach.testing.person.film`; tests ask formcoach to
count it and judge it, and compare with what is true.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.testing.person import Body, Camera, Noise, film, pose_3d

__all__ = [
    "CURL_FAULTS",
    "CURL_OK",
    "PLANK_FAULTS",
    "PLANK_OK",
    "SQUAT_FAULTS",
    "SQUAT_OK",
    "Fault",
    "Take",
    "bounce_set",
    "curl_set",
    "plank_hold",
    "squat_set",
]

#: What a coach accepts in a curl: name -> (low, high).
CURL_OK: dict[str, tuple[float, float]] = {
    "bottom_flexion": (0.0, 20.0),  # elbow flexion with the arm down: straight or nearly
    "top_flexion": (120.0, 145.0),  # at the top: the forearm at or past vertical
    "period_s": (1.6, 4.0),  # one rep, up and down
    "upper_arm_drift": (0.0, 8.0),  # the upper arm moving forward at the top
    "sway": (0.0, 4.0),  # the trunk rocking back at the top
}
#: What a coach accepts in a bodyweight squat.
SQUAT_OK: dict[str, tuple[float, float]] = {
    "depth": (90.0, 125.0),  # knee flexion at the bottom: thighs about level, or lower
    "top_flexion": (0.0, 6.0),  # knee flexion standing between reps: fully up
    "ankle_share": (0.25, 0.35),  # ankle dorsiflexion as a share of the knee's flexion
    "period_s": (2.0, 5.0),
    "knees_out": (0.0, 8.0),  # the knees pushed a little out over the toes
    "arms_forward": (60.0, 100.0),  # arms held forward for balance
}


@dataclass(frozen=True)
class Fault:
    """A named fault: from which size a coach always corrects it, and words the correction
    must contain (any of them)."""

    name: str
    min_size: float
    max_size: float
    cue_words: tuple[str, ...]
    views: tuple[str, ...] = ("side", "front")


CURL_FAULTS = {
    f.name: f
    for f in (
        Fault("elbow_drift", 30.0, 55.0, ("elbow",), ("side",)),  # upper arm swung forward
        Fault("swing", 15.0, 30.0, ("swing", "still", "body"), ("side",)),  # trunk heaved back
        Fault("half_rep", 55.0, 75.0, ("all the way up",), ("side",)),  # top this much short
    )
}
SQUAT_FAULTS = {
    f.name: f
    for f in (
        Fault("shallow", 50.0, 65.0, ("lower", "deep"), ("side",)),  # bottom this much higher
        Fault("not_standing", 30.0, 45.0, ("stand", "tall", "all the way up"), ("side",)),
        Fault("knees_cave", 15.0, 25.0, ("knees out",), ("front",)),
    )
}


@dataclass(frozen=True)
class Take:
    """A filmed set and what is true about it.

    Attributes:
        poses: what the pose model saw.
        reps: complete repetitions performed.
        rep_times: (start_s, end_s) of each.
        fault: the fault in every rep, or None.
        size: its size (degrees).
        style: the good-form values drawn for this set.
    """

    poses: PoseSequence
    reps: int
    rep_times: tuple[tuple[float, float], ...]
    fault: str | None = None
    size: float = 0.0
    style: dict[str, float] = field(default_factory=dict)


def _eased(t: np.ndarray, times: list[float], values: list[float]) -> np.ndarray:
    """A track through (time, value) keys, cosine-eased between them (no kinks)."""
    out = np.full(t.shape, float(values[0]))
    for (t0, v0), (t1, v1) in itertools.pairwise(zip(times, values, strict=True)):
        inside = (t >= t0) & (t <= t1) if t1 > t0 else np.zeros_like(t, bool)
        u = (t[inside] - t0) / (t1 - t0)
        out[inside] = v0 + (v1 - v0) * (1 - np.cos(np.pi * u)) / 2
    out[t > times[-1]] = values[-1]
    return out


def _rep_keys(
    n: int, period_s: float, lead_s: float, hold_top_s: float, rng: np.random.Generator
) -> tuple[list[float], list[float], list[tuple[float, float]]]:
    """Key times and phases (0 rest, 1 far) of ``n`` reps, each period varying by +-10 %."""
    times, phases, reps = [0.0, lead_s], [0.0, 0.0], []
    t = lead_s
    for _ in range(n):
        p = period_s * rng.uniform(0.9, 1.1)
        move = (p - hold_top_s) / 2
        keys = [t + move, t + move + hold_top_s, t + p]
        times += keys
        phases += [1.0, 1.0, 0.0]
        reps.append((t, t + p))
        t = t + p + rng.uniform(0.2, 0.6)  # a breath between reps
        times.append(t)
        phases.append(0.0)
    times.append(t + lead_s)
    phases.append(0.0)
    return times, phases, reps


def _draw(ranges: dict[str, tuple[float, float]], rng: np.random.Generator) -> dict[str, float]:
    return {k: float(rng.uniform(lo, hi)) for k, (lo, hi) in ranges.items()}


def curl_set(
    n_reps: int = 3,
    *,
    fault: str | None = None,
    size: float = 0.0,
    arm: str = "both",
    body: Body = Body(),
    camera: Camera = Camera(yaw_deg=90.0),
    noise: Noise = Noise(jitter_px=1.0),
    fps: float = 30.0,
    seed: int = 0,
) -> Take:
    """A set of standing curls, good (drawn within :data:`CURL_OK`) or with one fault.

    Args:
        arm: ``"both"``, ``"left"`` or ``"right"`` (the other arm hangs still).
        fault: a name of :data:`CURL_FAULTS`, and its ``size`` in degrees.
    """
    if fault is not None and fault not in CURL_FAULTS:
        raise ValueError(f"unknown curl fault {fault!r}; use {', '.join(CURL_FAULTS)}")
    if arm not in ("both", "left", "right"):
        raise ValueError(f"arm must be both, left or right, got {arm!r}")
    rng = np.random.default_rng(seed)
    s = _draw(CURL_OK, rng)
    times, phase_keys, reps = _rep_keys(n_reps, s["period_s"], 1.0, 0.2, rng)
    t = np.arange(0.0, times[-1], 1.0 / fps)
    phase = _eased(t, times, phase_keys)
    top = s["top_flexion"] - (size if fault == "half_rep" else 0.0)
    elbow = s["bottom_flexion"] + (top - s["bottom_flexion"]) * phase
    drift = s["upper_arm_drift"] + (size if fault == "elbow_drift" else 0.0)
    sway = s["sway"] + (size if fault == "swing" else 0.0)
    angles: dict[str, np.ndarray | float] = {"trunk_flexion": -sway * phase}
    for side in ("left", "right"):
        if arm in ("both", side):
            angles[f"{side}_elbow_flexion"] = elbow
            angles[f"{side}_shoulder_flexion"] = drift * phase
        else:
            angles[f"{side}_elbow_flexion"] = s["bottom_flexion"]
    angles["left_hip_flexion"] = angles["right_hip_flexion"] = -sway * phase  # legs stay put
    poses = film(pose_3d(angles, len(t), body), body=body, camera=camera, noise=noise, fps=fps)
    return Take(poses, n_reps, tuple(reps), fault, size, s)


#: Winter's segment masses (share of the body) and centres (share of the segment from its
#: upper end): head-arms-trunk, thigh, shank.
_MASS = {"hat": (0.678, 0.626), "thigh": (0.100, 0.433), "shank": (0.0465, 0.433)}


def balanced_trunk(knee: np.ndarray, ankle: np.ndarray, body: Body) -> np.ndarray:
    """Trunk flexion (degrees) that keeps the centre of mass over the feet in a squat.

    Args:
        knee: (T,) knee flexion, degrees; ankle: (T,) shank tilt forward, degrees.
    """
    thigh = np.radians(knee - ankle)  # the thigh's forward tilt from vertical
    ls, lt, ltr = (body.length(n) for n in ("shank", "thigh", "trunk"))
    knee_z = ls * np.sin(np.radians(ankle))  # forward of the ankle
    hip_z = knee_z - lt * np.sin(thigh)
    (m_hat, c_hat), (m_th, c_th), (m_sh, c_sh) = _MASS.values()
    legs = 2 * m_th * (hip_z + c_th * lt * np.sin(thigh)) + 2 * m_sh * (1 - c_sh) * knee_z
    # m_hat * (hip_z + c_hat * ltr * sin(trunk)) + legs = 0
    sin_t = -(legs / m_hat + hip_z) / (c_hat * ltr)
    return np.degrees(np.arcsin(np.clip(sin_t, 0.0, 0.95)))


def squat_set(
    n_reps: int = 3,
    *,
    fault: str | None = None,
    size: float = 0.0,
    body: Body = Body(),
    camera: Camera = Camera(yaw_deg=90.0),
    noise: Noise = Noise(jitter_px=1.0),
    fps: float = 30.0,
    seed: int = 0,
) -> Take:
    """A set of bodyweight squats, good (drawn within :data:`SQUAT_OK`) or with one fault."""
    if fault is not None and fault not in SQUAT_FAULTS:
        raise ValueError(f"unknown squat fault {fault!r}; use {', '.join(SQUAT_FAULTS)}")
    rng = np.random.default_rng(seed)
    s = _draw(SQUAT_OK, rng)
    times, phase_keys, reps = _rep_keys(n_reps, s["period_s"], 1.2, 0.3, rng)
    t = np.arange(0.0, times[-1], 1.0 / fps)
    phase = _eased(t, times, phase_keys)
    top = s["top_flexion"] + (size if fault == "not_standing" else 0.0)
    depth = s["depth"] - (size if fault == "shallow" else 0.0)
    knee = top + (depth - top) * phase
    ankle = s["ankle_share"] * knee
    trunk = balanced_trunk(knee, ankle, body)
    valgus = (-s["knees_out"] + (size if fault == "knees_cave" else 0.0)) * phase
    angles: dict[str, np.ndarray | float] = {"trunk_flexion": trunk}
    for side in ("left", "right"):
        angles[f"{side}_knee_flexion"] = knee
        angles[f"{side}_hip_flexion"] = trunk + knee - ankle
        angles[f"{side}_knee_valgus"] = valgus
        angles[f"{side}_hip_abduction"] = 6.0  # feet a little wider than the hips
        angles[f"{side}_shoulder_flexion"] = s["arms_forward"] * phase
    poses = film(pose_3d(angles, len(t), body), body=body, camera=camera, noise=noise, fps=fps)
    return Take(poses, n_reps, tuple(reps), fault, size, s)


#: What a coach accepts in a plank, and the plank faults.
PLANK_OK: dict[str, tuple[float, float]] = {
    "hip_bend": (-6.0, 6.0),  # the hips this far out of the shoulder-heel line (+: piked)
}
PLANK_FAULTS = {
    f.name: f
    for f in (
        Fault("sag", 20.0, 30.0, ("lift your hips", "sag"), ("side",)),
        Fault("pike", 25.0, 35.0, ("lower your hips", "in line"), ("side",)),
    )
}


def plank_hold(
    hold_s: float = 8.0,
    *,
    style: str = "forearm",
    fault: str | None = None,
    size: float = 0.0,
    body: Body = Body(),
    camera: Camera = Camera(yaw_deg=90.0),
    noise: Noise = Noise(jitter_px=1.0),
    fps: float = 30.0,
    seed: int = 0,
) -> Take:
    """Standing, getting down into a plank (2 s) and holding it for ``hold_s`` seconds.

    The body's slope follows from the arms: on the forearms the shoulders are an upper arm
    above the floor, on the hands a whole arm. A sag or pike bends the hips by ``size``
    degrees out of the line, the shoulders and feet staying where they are.
    """
    if fault is not None and fault not in PLANK_FAULTS:
        raise ValueError(f"unknown plank fault {fault!r}; use {', '.join(PLANK_FAULTS)}")
    if style not in ("forearm", "high"):
        raise ValueError(f"style must be forearm or high, got {style!r}")
    rng = np.random.default_rng(seed)
    bend = _draw(PLANK_OK, rng)["hip_bend"]
    bend += {"sag": -size, "pike": size}.get(fault or "", 0.0)
    arm = body.length("upper_arm") + (body.length("forearm") if style == "high" else 0.0)
    legs, trunk_len = body.length("thigh") + body.length("shank"), body.length("trunk")
    slope = np.degrees(np.arcsin(arm / (legs + trunk_len)))  # of the straight body
    t = np.arange(0.0, 3.0 + hold_s + 1.0, 1.0 / fps)
    down = _eased(t, [0.0, 1.0, 3.0], [0.0, 0.0, 1.0])
    # a bend at the hips tips the trunk and the legs in proportion to the other's length
    trunk_slope = slope - bend * legs / (legs + trunk_len)
    leg_slope = slope + bend * trunk_len / (legs + trunk_len)
    trunk_flexion = (90.0 - trunk_slope) * down
    angles = {
        "trunk_flexion": trunk_flexion,
        "left_hip_flexion": (leg_slope - trunk_slope) * down,
        "right_hip_flexion": (leg_slope - trunk_slope) * down,
        "left_shoulder_flexion": trunk_flexion,  # upper arms vertical under the shoulders
        "right_shoulder_flexion": trunk_flexion,
        "left_elbow_flexion": (90.0 if style == "forearm" else 0.0) * down,
        "right_elbow_flexion": (90.0 if style == "forearm" else 0.0) * down,
    }
    poses = film(pose_3d(angles, len(t), body), body=body, camera=camera, noise=noise, fps=fps)
    return Take(poses, 0, ((3.0, 3.0 + hold_s),), fault, size, {"hip_bend": bend})


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
