"""A set's last rep, ground out slower than the set, counts (:mod:`formcoach.counting.lastrep`).

A tired lifter's last rep takes longer than the set's (RepCount stu6_42: push-ups of 4.1 s, the
eighth held at the bottom for 10.1 s). It looks like the set's reps in its direction, range and
rest side, but its duration is more than ``dur_ratio`` times theirs, so it waited for a
look-alike that never came and was dropped: the set counted one short. Drawn people, counted
with no exercise given.
"""

from __future__ import annotations

import pytest

from formcoach.counting import CountSettings, RepCounter, count_reps
from formcoach.pose.cleaning import CleanSettings, clean
from formcoach.testing.workout import FPS, Workout


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("move", ["squat", "curl", "raise"])
@pytest.mark.parametrize("slower", [2.5, 4.0])
def test_a_set_whose_last_rep_is_ground_out_slowly_counts_in_full(move, slower, seed):
    """Five reps of 2 s and a sixth ``slower`` times as long (past ``dur_ratio``): six, the
    last one around the slow rep's far point."""
    assert slower > CountSettings().dur_ratio
    periods = [2.0] * 5 + [2.0 * slower]
    seq, truth = Workout().hold(2).reps(move, periods).hold(2).build(noise_px=2, seed=seed)
    assert len(truth) == 6
    reps = count_reps(seq)
    assert len(reps) == 6
    assert reps[-1].start_s < truth[-1].far_s < reps[-1].end_s  # the slow rep, not a piece


def test_the_slow_last_rep_is_emitted_when_the_stream_ends():
    """Live, nothing can say the slow rep is not the next set's first until the stream is
    over: it comes out of ``finish()``, the set's reps before it as they ended."""
    seq, _ = Workout().hold(2).reps("squat", [2.0] * 5 + [8.0]).hold(2).build(noise_px=2)
    counter = RepCounter(fps=FPS)
    live = [r for p in clean(seq, CleanSettings()) for r in counter.update(p)]
    assert (len(live), len(counter.finish())) == (5, 1)


@pytest.mark.parametrize("seed", range(2))
def test_a_slow_small_movement_after_the_set_does_not_count(seed):
    """A slow movement a third of the set's range (under 1 / ``amp_ratio``) after the set is
    not its last rep."""
    assert 1 / CountSettings().amp_ratio > 0.3
    w = Workout().hold(2).reps("squat", [2.0] * 5).reps("squat", [8.0], count=False, depth=0.3)
    seq, truth = w.hold(2).build(noise_px=2, seed=seed)
    assert len(count_reps(seq)) == len(truth) == 5
