"""A few missing frames do not move a count (issue 8).

The pose model misses a person in bad light, a hand passes the camera, the cleaning drops a
skeleton no body can take (:mod:`formcoach.pose.plausible`): a stream reaches the counter with
short holes. A gap much shorter than the movement's cycle says nothing about how many reps
were done, so a set with a few % of its frames missing in runs of 1 to 3 frames must count
what it counts with every frame.

Not met yet: bridging a gap shorter than the shortest rep as if the movement went on (commit
b6fda7c on branch ``gaps``) makes the first test pass and cuts the mean change of the RepCount
tuning counts with 3 % of the frames missing from 0.38 to 0.11 reps
(``benchmarks/gap_robustness.py``), but moves the full-frame RepCount tuning MAE from 0.180 to
0.186 (one clip) and validation from 0.183 to 0.195, so it was not kept.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.core.pose import Pose
from formcoach.counting import stream_reps
from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.confirm import RepConfirmer
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


@pytest.mark.xfail(
    strict=True,
    reason="the counter's smoothing, subspace and period tracker take a gap's frames as one "
    "frame's step (seed 1: 20 reps, 19 with some 3 % of the frames missing); see the module",
)
def test_short_gaps_do_not_move_the_count():
    """Knee bends at 2.5 cycles per second (a 3-frame gap is a quarter of a cycle): the same
    count with 3 % of the frames missing as with every frame, whichever frames go."""
    for seed in range(3):
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


class _Flat:
    """A metric with no noise (the hysteresis is then ``turn_share`` of the range)."""

    noise = 0.0


def test_a_lead_in_swing_does_not_set_the_bar_for_the_first_turns():
    """One big swing (stepping in) then one rep-sized turn: the range is the smaller turn, not
    their mean (a median of two), so the set's first reps make turns with frames to spare."""
    from formcoach.counting.excursions import ExcursionTracker
    from formcoach.counting.settings import CountSettings

    s = CountSettings()
    t = ExcursionTracker(s, min_move=0.0)
    t._sizes.extend([(0.0, 0.24), (0.3, 0.1)])
    assert t.hysteresis(0.5, _Flat()) == pytest.approx(s.turn_share * 0.1)
    t._sizes.append((0.6, 0.12))  # three turns: the median again
    assert t.hysteresis(0.7, _Flat()) == pytest.approx(s.turn_share * 0.12)


def test_a_missing_frame_at_the_first_bounce_keeps_the_count():
    """Knee bends at 2.5 Hz after stepping in: with the lead-in's swing setting the bar, the
    first bounce's extreme cleared it by less than one frame's worth, and this draw of
    missing frames (one at that bounce) lost a rep (20 -> 19)."""
    full, got = _counts(2.5, 1, drops=2)
    assert got[1] == full, (full, got)


def _loop(first: int, direction: tuple[float, float]) -> Candidate:
    """A loop of two units from the origin along ``direction`` and back, 20 frames at 30 fps."""
    at = [(first + k, (first + k) / 30.0) for k in (0, 10, 20)]
    poses = [np.zeros(2), 2.0 * np.array(direction), np.zeros(2)]
    start, far, end = (Moment(i, t, p, np.zeros(2)) for (i, t), p in zip(at, poses, strict=True))
    return Candidate(start, far, end, 2.0)


def test_copies_of_one_loop_do_not_push_a_set_start_out():
    """A set's first rep waits unconfirmed; the same other loop offered again and again (from
    several possible starts) is one candidate, so the set's second rep still confirms the
    first."""
    confirmer = RepConfirmer()
    dist = lambda a, b: float(np.linalg.norm(a - b))  # noqa: E731
    first = _loop(0, (1.0, 0.0))
    assert confirmer.offer(first, dist) == []
    for _ in range(confirmer.settings.unconfirmed_kept):
        assert confirmer.offer(_loop(30, (0.0, 1.0)), dist) == []
    second = _loop(60, (1.0, 0.0))
    assert confirmer.offer(second, dist) == [first, second]
