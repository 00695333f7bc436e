"""The emitter gives each accepted loop its frames: reps tile the stream, never a negative span."""

from __future__ import annotations

import numpy as np

from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.emit import Emitter

FPS = 30.0
LAG_S = 0.3


def _moments(n: int) -> list[Moment]:
    return [Moment(i, i / FPS, np.zeros(2), np.zeros(2)) for i in range(n)]


def _emitter(frames: list[Moment]) -> Emitter:
    def at(t: float, default: Moment) -> Moment:
        return next((m for m in frames if m.time >= t - 1e-9), default)

    return Emitter(at, lambda: LAG_S)


def _loop(frames: list[Moment], a: int, far: int, b: int) -> Candidate:
    return Candidate(frames[a], frames[far], frames[b], span=1.0)


def test_reps_tile_the_stream_after_their_lag():
    frames = _moments(200)
    emit = _emitter(frames)
    first = emit.rep(_loop(frames, 20, 40, 60), frames[60], emitted=62)
    second = emit.rep(_loop(frames, 70, 90, 110), frames[110], emitted=112)
    lag = round(LAG_S * FPS)
    assert (first.start_frame, first.end_frame) == (20 - lag, 60 - lag)
    assert (second.start_frame, second.end_frame) == (70 - lag, 110 - lag)
    assert [first.number, second.number] == [1, 2]


def test_a_loop_inside_the_last_rep_still_ends_after_it_starts():
    # a pushfit push-up under a re-sampling made the counter emit, after a rep ending at
    # frame 46, a loop whose frames (lag removed) all lay before 46: Rep(46..42) raised
    frames = _moments(200)
    emit = _emitter(frames)
    first = emit.rep(_loop(frames, 20, 40, 55), frames[55], emitted=56)
    inside = emit.rep(_loop(frames, 30, 38, 44), frames[44], emitted=57)
    assert inside.start_frame == first.end_frame
    assert inside.end_frame >= inside.start_frame
    assert inside.emitted_frame >= inside.end_frame
    later = emit.rep(_loop(frames, 80, 95, 110), frames[110], emitted=112)
    assert later.start_frame >= inside.end_frame
    assert [first.number, inside.number, later.number] == [1, 2, 3]
