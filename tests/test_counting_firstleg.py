"""The recording's first frame is no turning point (counting.excursions).

The zigzag starts at the recording's first frame, wherever the movement was then: the way from
there to the first real turn is part of a swing, and how much of one depends on when the camera
started. Counted as a swing, it set the hysteresis of the turns that followed (while fewer than
three are known, the smaller turn): one frame more or less, or the frames a third of a frame
later, turned the lead-in's fidgets into turns or not. RepCount ``stu10_6`` (bench press, true
4) counted 6 as given and 10 / 9 / 8 / 9 without its first frame or two and half / a third of
a frame later: a wrist flickering while the body lay still, 0.23-0.5 s "reps" at 2.4-4.7 s,
made turns only where the first leg was small (0.32 against a set's swing of about 2).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from formcoach.core.pose import PoseSequence
from formcoach.counting import CountWarning, count_reps
from formcoach.counting.candidates import Moment
from formcoach.counting.excursions import ExcursionTracker
from formcoach.pose.keypoints import load_keypoints
from formcoach.testing.movements import curl_set, squat_set
from formcoach.testing.resample import samplings


class _Line:
    """Distances along one axis, no noise."""

    noise = 0.0

    def distance(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(np.abs(a - b).sum())

    def distances(self, many: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.abs(many - b).sum(axis=1)


def _track(points: np.ndarray) -> ExcursionTracker:
    tr = ExcursionTracker()
    for i, p in enumerate(points):
        tr.step(Moment(i, i / 30.0, np.array([p]), np.zeros(2)), _Line(), lambda c: False, -1)
    return tr


@pytest.mark.parametrize("begin", [0.0, 0.3, 0.6, 0.9])
def test_the_hysteresis_does_not_hang_on_where_the_recording_began(begin):
    """A swing of 1 from 0 to 1 and back, caught at ``begin``: after its first turn (at 1) the
    hysteresis is the same whatever the first frame was (on the code before, 0.35 times the
    part of the swing seen: 0.35, 0.245, 0.14, 0.035 -> the floor)."""
    up = np.linspace(begin, 1.0, 20)
    down = np.linspace(1.0, 0.5, 10)[1:]
    tr = _track(np.concatenate([up, down]))
    assert len(tr._turns) == 2  # the first frame, and the real turn at 1
    assert tr.hysteresis(1.0, _Line()) == pytest.approx(tr.settings.min_move)


def _counts(seq: PoseSequence) -> dict[str, int]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountWarning)
        return {k: len(count_reps(s)) for k, s in samplings(seq).items()}


def _glitched(seq: PoseSequence, px: float) -> PoseSequence:
    """``seq`` with its first frame a pose-model glitch (every joint off by ``px`` pixels)."""
    xy = seq.xy.copy()
    xy[0] += px * np.random.default_rng(0).normal(size=xy[0].shape)
    return PoseSequence(xy, seq.visibility, seq.timestamps, seq.skeleton, seq.frame_size, seq.fps)


@pytest.mark.parametrize("make", [curl_set, squat_set])
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("glitch", [0.0, 40.0])
def test_drawn_sets_count_right_in_every_sampling(make, seed, glitch):
    take = make(6, seed=seed)
    seq = _glitched(take.poses, glitch) if glitch else take.poses
    assert set(_counts(seq).values()) == {take.reps}


@pytest.mark.realdata
def test_a_lead_in_s_fidgets_count_the_same_in_every_sampling(shared_data):
    """RepCount stu10_6: on the code before 6 / 10 / 9 / 8 / 9 (the lead-in's fidgets counted
    in four samplings of five); its three-rep warm-up set at 10-16 s, which the labels leave
    out, is counted in all."""
    seq = load_keypoints(shared_data / "counting" / "repcount" / "poses" / "stu10_6.npy")
    got = _counts(seq)
    assert len(set(got.values())) == 1, got
    assert got["given"] == 6
