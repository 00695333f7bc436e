"""A rep's way back ends where the next rep begins: a rep never swallows the next one.

A rep confirmed late has its way back caught up on frames the tracker already holds
(``RepCounter._follow``); those frames can hold the whole of the next rep, which the counter
accepts in the same step. Following the first rep's distance to its own start pose through
them, its arrival used to land past the next rep's farthest point: pushfit's correct61 (tuning
part, as given) counted 1..31 and 31..38 with the second rep's bottom at frame 30, inside the
first. At 12.5 fps the same made a rep of one frame (wrong58: 1..11, then 11..11), which the
judge refused as "too short" (``benchmarks/robustness_sweep.py``).
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import numpy as np

from formcoach.counting import CountWarning, stream_reps
from formcoach.counting.excursions import Candidate, Moment
from formcoach.counting.returns import Return
from formcoach.eval.form_data import read_labels
from formcoach.form.exercises import get_exercise
from formcoach.pose.cleaning import clean

FPS = 30.0


def _moments(n: int) -> list[Moment]:
    return [Moment(i, i / FPS, np.zeros(2), np.zeros(2)) for i in range(n)]


def test_the_way_back_ends_where_the_next_rep_begins():
    frames = _moments(100)
    r = Return(Candidate(frames[10], frames[20], frames[30], span=1.0))
    for i in range(31, 45):  # still coming closer: the arrival moves on
        r.step(frames[i], 1.0 - 0.05 * (i - 30))
    assert r.arrival.index == 44 and not r.over
    r.next_began(frames[38])
    assert r.over and r.arrival.index == 38
    r.step(frames[45], 0.0)  # nothing moves it once over
    assert r.arrival.index == 38


def test_the_way_back_never_ends_before_the_rep_was_judged():
    frames = _moments(100)
    r = Return(Candidate(frames[10], frames[20], frames[30], span=1.0))
    r.step(frames[31], 0.5)
    r.next_began(frames[25])  # a next loop starting inside this one
    assert r.over and r.arrival.index == 30


def test_no_pushfit_tuning_rep_holds_the_next_ones_bottom(shared_data: Path):
    files = [f for f in read_labels(shared_data / "form" / "pushfit") if f.part == "tune"]
    exercise = get_exercise("push-up")
    swallowed = []
    for lf in files:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountWarning)
            reps = stream_reps(clean(lf.seq), exercise, lf.seq.frame_rate())
        for a, b in itertools.pairwise(reps):
            assert b.start_frame >= a.end_frame, lf.file
            if b.features["far_frame"] <= a.end_frame:
                swallowed.append((lf.file, a.end_frame, b.features["far_frame"]))
    assert len(files) > 40
    assert swallowed == []
