"""Single repetitions with known form (stick figures posed by angles): a curl, a squat, standing."""

from __future__ import annotations

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.testing.figure import keyframes, stick_figure

__all__ = ["FPS", "concat", "curl", "curls", "squat", "standing"]

FPS = 30.0


def _t(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * FPS)) / FPS


def concat(parts: list[PoseSequence]) -> PoseSequence:
    """Sequences one after the other, re-timed at :data:`FPS`."""
    xy = np.concatenate([p.xy for p in parts])
    vis = np.concatenate([p.visibility for p in parts])
    ts = np.arange(len(xy)) / FPS
    return PoseSequence(xy, vis, ts, parts[0].skeleton, parts[0].frame_size, FPS)


def curl(
    top: float = 45.0,
    swing: float = 0.0,
    lean: float = 0.0,
    seed: int = 0,
    view: str = "side",
    rest_s: float = 0.5,
) -> PoseSequence:
    """One curl: elbow 168 -> ``top`` -> 168 in 2.4 s, with still time before and after.

    Args:
        top: the elbow angle at the top.
        swing: how far the upper arm swings forward at the top (degrees; 0 = pinned).
        lean: how far the trunk leans at the top (degrees; swinging the weight up).
        seed: pose noise seed.
        view: camera view.
        rest_s: still time before and after.
    """
    rng = np.random.default_rng(seed)
    t = _t(2.4 + 2 * rest_s)
    k = [0, rest_s, rest_s + 1.0, rest_s + 1.4, rest_s + 2.4]
    jitter = rng.normal(0, 2.0)
    elbow = keyframes(k, [168, 168, top + jitter, top + jitter, 168], t)
    shoulder = keyframes(k, [3, 3, 3 + swing, 3 + swing, 3], t)
    trunk = keyframes(k, [0, 0, lean, lean, 0], t)
    angles = {
        "left_elbow": elbow,
        "right_elbow": elbow,
        "left_shoulder": shoulder,
        "right_shoulder": shoulder,
        "trunk_lean": trunk,
    }
    return stick_figure(angles, view=view, noise_px=0.8, seed=seed)


def curls(n: int = 3, seed: int = 0, **kw) -> PoseSequence:
    """``n`` curls in a row."""
    return concat([curl(seed=seed + i, **kw) for i in range(n)])


def squat(
    knee: float = 85.0,
    hip: float = 65.0,
    lean: float = 40.0,
    knees_out: float = 12.0,
    view: str = "side",
    seed: int = 0,
    rest_s: float = 0.5,
) -> PoseSequence:
    """One squat: standing -> bottom (``knee`` angle, thigh ``hip`` degrees forward, trunk
    ``lean``) -> standing, 2.5 s, feet on the floor.

    From the front only the knees' sideways travel is drawn, feet planted: ``knees_out`` > 0
    pushes them out over the toes (correct), < 0 lets them cave in (valgus), in degrees of
    thigh rotation."""
    t = _t(2.5 + 2 * rest_s)
    k = [0, rest_s, rest_s + 1.1, rest_s + 1.4, rest_s + 2.5]
    angles = {
        "trunk_lean": keyframes(k, [2, 2, lean, lean, 2], t),
        "left_hip": keyframes(k, [2, 2, hip, hip, 2], t),
        "right_hip": keyframes(k, [2, 2, hip, hip, 2], t),
        "left_knee": keyframes(k, [175, 175, knee, knee, 175], t),
        "right_knee": keyframes(k, [175, 175, knee, knee, 175], t),
    }
    if view == "front":
        # thigh out by v, shin back in by v: the ankles stay where they were
        v = keyframes(k, [0, 0, knees_out, knees_out, 0], t)
        angles = {"left_hip": -v, "right_hip": -v, "left_knee_in": -2 * v, "right_knee_in": -2 * v}
    return stick_figure(angles, view=view, anchor="ankle", noise_px=0.8, seed=seed)


def standing(seconds: float = 3.0, seed: int = 0) -> PoseSequence:
    """Someone standing still (no repetition at all)."""
    return stick_figure({}, n_frames=round(seconds * FPS), noise_px=0.8, seed=seed)
