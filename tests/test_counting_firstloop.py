"""A recording that begins part way through a fast movement (counting.firstloop).

The zigzag's first turning point is the recording's first frame. Jumping jacks caught with the
arms and legs part way out made a loop from there (out to the open pose and back past the first
frame's posture) that the next jack confirmed as the set's first rep: RepCount ``stu3_20``
counted 19 of 17, and every drawn set below one rep too many on the code before. It is the rep
cut by the recording's start, which counts only when it shows most of a cycle
(:mod:`formcoach.counting.edges`). A recording that begins still, at the rest pose or
elsewhere (RepCount ``stu6_15`` stands 2.5 s with the feet apart before its first jack), keeps
its first rep, and slower exercises were counted so before and still are.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from formcoach.core.pose import PoseSequence
from formcoach.counting import CountWarning, count_reps
from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.edges import progress
from formcoach.counting.firstloop import cut_by_start
from formcoach.counting.settings import CountSettings
from formcoach.testing.movements import curl_set, squat_set
from formcoach.testing.person import Noise
from formcoach.testing.tempo import jack_set


def _count(seq: PoseSequence) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountWarning)
        return len(count_reps(seq))


@pytest.mark.parametrize("hz", [1.0, 1.3, 1.7])
@pytest.mark.parametrize("seed", [0, 1])
def test_jumping_jacks_caught_part_way_out_count_their_whole_cycles(hz, seed):
    take = jack_set(hz, 10, caught_at=0.6, noise=Noise(jitter_px=0.5, seed=seed))
    assert _count(take.poses) == take.reps  # the code before: 11


@pytest.mark.parametrize("hz", [1.0, 1.7])
def test_jumping_jacks_from_rest_count_every_cycle(hz):
    take = jack_set(hz, 10)
    assert _count(take.poses) == take.reps


def test_a_still_start_part_way_out_keeps_the_first_rep():
    """Standing still with the arms and legs part way out (2 s), then jacks from there."""
    take = jack_set(1.3, 8, caught_at=0.5)
    first = take.poses[:1]
    still = PoseSequence(
        np.repeat(first.xy, 60, axis=0),
        np.repeat(first.visibility, 60, axis=0),
        np.arange(60) / 30.0,
        first.skeleton,
    )
    later = take.poses
    moved = PoseSequence(
        np.concatenate([still.xy, later.xy]),
        np.concatenate([still.visibility, later.visibility]),
        np.arange(60 + len(later)) / 30.0,
        first.skeleton,
    )
    # from the still pose out, back to rest: the first loop is a whole rep of the set
    assert _count(moved) == take.reps + 1


@pytest.mark.parametrize(("make", "seed"), [(curl_set, 0), (curl_set, 1), (squat_set, 0)])
@pytest.mark.parametrize("frac", [0.0, 0.3, 0.6])
def test_slower_sets_caught_part_way_count_their_whole_reps(make, seed, frac):
    take = make(6, seed=seed)
    s0, e0 = take.rep_times[0]
    a = round((s0 + frac * (e0 - s0)) * 30.0)
    assert _count(take.poses[a:]) == take.reps - (1 if frac > 0 else 0)


def _line(points: list[float], dt: float = 1 / 30) -> list[Moment]:
    return [Moment(i, i * dt, np.array([p]), np.zeros(2)) for i, p in enumerate(points)]


def _rep(a: Moment, far: Moment, b: Moment) -> Candidate:
    return Candidate(a, far, b, float(abs(far.pose[0] - a.pose[0])))


def _dist(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).sum())


@pytest.mark.parametrize(
    ("first", "lead", "cut"),
    [
        (0.6, 1, True),  # part way out, moving at once: cut by the start
        (0.6, 30, False),  # part way out, but still there for a second first: a rest
        (0.1, 1, False),  # at the set's rest
        (1.4, 1, False),  # past the far pose: another movement before the set
    ],
)
def test_cut_by_start_asks_where_and_whether_still(first, lead, cut):
    m = _line([first] * lead + [1.0, 0.0, 0.0, 1.0, 0.0])
    k = lead - 1  # the loop leaves where the posture last was at its first level
    reps = [_rep(m[k], m[lead], m[lead + 1]), _rep(m[lead + 2], m[lead + 3], m[lead + 4])]
    assert progress(m[0], np.array([0.0]), np.array([1.0]), _dist) == pytest.approx(min(first, 1.0))
    assert cut_by_start(reps, m[: k + 1], _dist, CountSettings()) is cut
