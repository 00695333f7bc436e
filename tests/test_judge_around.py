"""The judge reads a rep's rest from the stream around it, as far as a live session has it.

A counter cuts a rep a few tenths of a second off where the person rested; the rest is then
partly outside the rep, and a ``"change"`` feature (an elbow drifting forward) is measured from
there (:mod:`formcoach.form.around`). The verdict is spoken right after the counter emits the
rep, so nothing after the frame that emitted it may be looked at.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.core.rep import Rep
from formcoach.form.cut_ends import cut_on_its_way
from formcoach.form.exercises import get_exercise
from formcoach.form.judge import FormJudge
from formcoach.form.rest import rest_frames
from formcoach.testing.reps import curl

FPS = 30  # the frame rate of formcoach.testing.reps


def _cut(seq, inward_s: float, emitted_after: int = 0) -> Rep:
    """The curl of ``curl()`` (0.5 s still, 2.4 s of movement) cut ``inward_s`` inside its
    movement at both ends, emitted ``emitted_after`` frames after its end."""
    a, b = round((0.5 + inward_s) * FPS), round((2.9 - inward_s) * FPS)
    ts = seq.timestamps
    return Rep(a, b, float(ts[a]), float(ts[b]), 1, b + emitted_after)


@pytest.mark.parametrize("inward_s", [0.3, 0.45, 0.6])
def test_an_elbow_drifting_forward_is_caught_however_far_inside_the_counter_cut(inward_s):
    """The upper arm swings 20 degrees forward (the tolerance is 8). Cut inside the
    movement at both ends, the rep's own frames nearest rest are on the way up, the arm
    already forward: measured from there the drift was 0.96, 0.44 and 0.07 of the limit
    (passed). Measured from the rest held just before the cut it is caught."""
    seq = curl(swing=20)
    v = FormJudge("bicep curl").judge(seq, _cut(seq, inward_s))
    assert not v.passed and "elbows pinned" in v.cue, v.distances
    assert v.distances["left_arm"] > 1.2


def test_a_pinned_elbow_still_passes_cut_inside():
    seq = curl(swing=0)
    for inward_s in (0.3, 0.45, 0.6):
        assert FormJudge("bicep curl").judge(seq, _cut(seq, inward_s)).passed


def test_the_judge_never_looks_past_the_frame_that_emitted_the_rep():
    """The frames after the emitting one had not arrived when the verdict was spoken: the
    same rep measures the same whatever the stream did afterwards (here: the arm curled
    up again at once, which the old judge read as the lowest elbow angle just after it)."""
    seq = curl()
    rep = _cut(seq, 0.0, emitted_after=4)
    later = seq.xy.copy()
    top = int(np.argmin(np.abs(seq.timestamps - 1.9)))
    later[rep.emitted_frame + 1 :] = seq.xy[top]
    judge = FormJudge("bicep curl")
    a = judge.measure(seq, rep)
    b = judge.measure(seq.replace(xy=later), rep)
    assert a.around == b.around
    assert a.curves.keys() == b.curves.keys()
    for k in a.curves:
        np.testing.assert_allclose(a.curves[k], b.curves[k])


def test_rest_frames_reach_into_the_stream_around_the_rep():
    """(T,) over the stream: the frames still before the cut are rest, those of the movement
    inside it are not."""
    seq = curl()
    rep = _cut(seq, 0.3)
    xy = seq.to_common().xy
    inside = slice(rep.start_frame, rep.end_frame + 1)
    rest = rest_frames(xy, get_exercise("bicep curl"), "left", None, inside)
    assert rest.shape == (len(seq),)
    assert rest[: round(0.5 * FPS)].all()  # held still before the movement
    assert not rest[round(1.4 * FPS) : round(2.0 * FPS)].any()  # the top of the curl


def _after_top(seq, start_s: float) -> Rep:
    """The curl of ``curl()`` counted from ``start_s`` (after its top, held 1.5-1.9 s) to the
    end of its movement (2.9 s): a counter that started the rep after a tracking gap."""
    a, b = round(start_s * FPS), round(2.9 * FPS)
    ts = seq.timestamps
    return Rep(a, b, float(ts[a]), float(ts[b]), 1, b)


@pytest.mark.parametrize("start_s", [2.2, 2.3])
def test_a_rep_cut_after_its_turning_point_is_judged_on_where_it_got_to(start_s):
    """Counted from after its top, a full curl (elbow to 45 degrees, the reference's top)
    shows only its way down, the elbow 70-90 degrees at the cut: read as where it got to, it
    was told to curl higher (1.14 and 1.97 of the limit; now 0.0 and 0.07). Where a rep is
    furthest towards its turning point at its cut, it was cut on its way there, and the
    stream before it is followed for as long as it keeps going further; a shallow curl cut
    the same way is still caught."""
    judge = FormJudge("bicep curl")
    full = curl(top=45.0)
    v = judge.judge(full, _after_top(full, start_s))
    assert v.passed, (v.distances, v.cue)
    shallow = curl(top=110.0)
    v = judge.judge(shallow, _after_top(shallow, start_s))
    assert not v.passed and "all the way up" in v.cue, v.distances


def test_cut_on_its_way_follows_the_stream_only_while_it_goes_further():
    """(M,) own, ((K,), (L,)) past: a rep whose first sample is its deepest takes the values
    before it back to where they turn; a rep furthest in its middle takes none."""
    ref = np.array([170.0, 70.0, 70.0, 170.0])  # the turning point is lower
    own = np.array([90.0, 120.0, 160.0, 170.0])
    before = np.array([150.0, 100.0, 60.0, 75.0, 85.0])  # back from the cut: 85, 75, 60, 100
    got = cut_on_its_way(own, (before, np.array([171.0])), ref)
    np.testing.assert_allclose(got, [85.0, 75.0, 60.0])
    middle = np.array([170.0, 90.0, 170.0])
    assert cut_on_its_way(middle, (before, np.array([60.0])), ref).size == 0
