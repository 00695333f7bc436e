"""A known exercise's set entered half a cycle off is counted from the end it was entered from.

Half squats that never stand up, by a person already at the bottom when the recording starts:
each loop from the top (knees 50 degrees bent, past half of the squat's range) to the bottom and
back starts on the far side, so none is the squat's movement beyond doubt; they repeat, so they
are a set, and the set's phase is where it was entered: from the bottom. Counted from there,
bottom to bottom, the recording holds six reps; counted from the top it holds five (main, as
RepCount stu2_55's sit-ups between 0.75 and 0.96 of the range, counted 26 of 30).
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.core.pose import PoseSequence
from formcoach.counting import count_reps
from formcoach.form.exercises import get_exercise
from formcoach.testing.movements import balanced_trunk
from formcoach.testing.person import Body, Camera, Noise, film, pose_3d


def half_squats_from_the_bottom(
    n: int, top_deg: float, depth_deg: float, period_s: float, seed: int
) -> PoseSequence:
    """(T frames at 30 fps) still at the bottom for 1 s, ``n`` cycles bottom -> top -> bottom of
    ``period_s`` seconds (knee flexion ``depth_deg`` -> ``top_deg``), still at the bottom 1 s."""
    fps, hold = 30.0, 1.0
    t = np.arange(0.0, n * period_s + 2 * hold, 1.0 / fps)
    u = np.clip((t - hold) / period_s, 0.0, n)
    at_bottom = (1.0 + np.cos(2.0 * np.pi * u)) / 2.0  # 1 at the bottom
    knee = top_deg + (depth_deg - top_deg) * at_bottom
    ankle = 0.3 * knee
    body = Body()
    trunk = balanced_trunk(knee, ankle, body)
    angles: dict[str, np.ndarray | float] = {"trunk_flexion": trunk}
    for side in ("left", "right"):
        angles[f"{side}_knee_flexion"] = knee
        angles[f"{side}_hip_flexion"] = trunk + knee - ankle
        angles[f"{side}_hip_abduction"] = 6.0
    pos = pose_3d(angles, len(t), body)
    noise = Noise(jitter_px=1.0, seed=seed)
    return film(pos, body=body, camera=Camera(yaw_deg=90.0), noise=noise, fps=fps)


@pytest.mark.parametrize(("top", "period", "seed"), [(50, 1.6, 0), (60, 2.0, 1), (70, 1.6, 2)])
def test_a_known_set_entered_from_the_bottom_counts_every_rep(top, period, seed):
    seq = half_squats_from_the_bottom(6, top, 100.0, period, seed)
    assert len(count_reps(seq, get_exercise("squat"))) == 6  # main: 5
    assert len(count_reps(seq)) == 6  # as counting without the exercise counts them
