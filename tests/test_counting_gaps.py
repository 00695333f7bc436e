"""A few missing frames do not move a count (issue 8).

The pose model misses a person in bad light, a hand passes the camera, the cleaning drops a
skeleton no body can take (:mod:`formcoach.pose.plausible`): a stream reaches the counter with
short holes. A gap much shorter than the movement's cycle says nothing about how many reps
were done, so a set with a few % of its frames missing in runs of 1 to 3 frames must count
what it counts with every frame (:mod:`formcoach.counting.gaps`).
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.core.pose import Pose
from formcoach.core.skeleton import COMMON
from formcoach.counting import stream_reps
from formcoach.counting.gaps import GapBridge
from formcoach.pose.cleaning import clean
from formcoach.testing.person import Noise
from formcoach.testing.tempo import bounce_set


def with_short_gaps(poses: list[Pose], share: float, seed: int) -> list[Pose]:
    """``poses`` with about ``share`` of them missing, in runs of 1 to 3 frames placed at
    random, apart from each other."""
    rng = np.random.default_rng(seed)
    gone = np.zeros(len(poses), bool)
    while gone.sum() < share * len(poses):
        length = int(rng.integers(1, 4))
        start = int(rng.integers(1, len(poses) - length - 1))
        if not gone[start - 1 : start + length + 1].any():
            gone[start : start + length] = True
    return [
        Pose.missing(p.skeleton, p.timestamp, p.index) if g else p
        for p, g in zip(poses, gone, strict=True)
    ]


def _counts(hz: float, seed: int, drops: int) -> tuple[int, list[int]]:
    """The count of a set of knee bends at ``hz`` with every frame, and with 3 % of its frames
    missing (``drops`` draws)."""
    take = bounce_set(hz, 8.0, noise=Noise(jitter_px=0.5, seed=seed))
    cleaned = list(clean(take.poses))
    fps = take.poses.frame_rate()
    full = len(stream_reps(cleaned, None, fps))
    return full, [
        len(stream_reps(with_short_gaps(cleaned, 0.03, d), None, fps)) for d in range(drops)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_short_gaps_do_not_move_the_count(seed):
    """Knee bends at 2.5 cycles per second (a 3-frame gap is a quarter of a cycle): the same
    count with 3 % of the frames missing as with every frame, whichever frames go."""
    full, got = _counts(2.5, seed, drops=5)
    assert got == [full] * len(got), (full, got)


@pytest.mark.xfail(
    strict=True,
    reason="at 3 Hz a 3-frame gap is 40 % of a cycle, and the set's first reps are decided "
    "on a knife edge: a 0.1 px change of one still frame before the set moves 24 reps to 22",
)
def test_short_gaps_do_not_move_a_fast_count():
    """The same at 3 cycles per second."""
    for seed in range(2):
        full, got = _counts(3.0, seed, drops=5)
        assert got == [full] * len(got), (full, got)


def _pose(t: float, x: float, index: int) -> Pose:
    xy = np.full((len(COMMON), 2), x, np.float32)
    return Pose(xy, np.ones(len(COMMON), np.float32), t, index, COMMON)


def test_a_short_gap_comes_back_on_the_line_between_its_ends():
    bridge = GapBridge(longest_s=0.125, memory_s=4.0)
    assert [p.index for p in bridge.step(_pose(0.0, 0.0, 0))] == [0]
    for i in (1, 2, 3):
        assert bridge.step(Pose.missing(COMMON, i / 30, i)) == []
    out = bridge.step(_pose(4 / 30, 4.0, 4))
    assert [p.index for p in out] == [1, 2, 3, 4]
    assert all(p.detected for p in out)
    np.testing.assert_allclose([float(p.xy[0, 0]) for p in out], [1.0, 2.0, 3.0, 4.0], rtol=1e-6)


def test_a_long_gap_and_a_gap_at_the_end_stay_missing():
    bridge = GapBridge(longest_s=0.125, memory_s=4.0)
    bridge.step(_pose(0.0, 0.0, 0))
    out = [p for i in range(1, 7) for p in bridge.step(Pose.missing(COMMON, i / 30, i))]
    assert [p.index for p in out] == [1, 2, 3, 4, 5, 6]
    assert not any(p.detected for p in out)
    bridge.step(_pose(7 / 30, 0.0, 7))
    bridge.step(Pose.missing(COMMON, 8 / 30, 8))
    assert [p.index for p in bridge.flush()] == [8]
