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
