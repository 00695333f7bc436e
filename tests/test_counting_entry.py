"""A set entered from past its far pose is counted from that end (:mod:`formcoach.counting.phase`).

Sit-ups: the person rests lying flat, then sits up and lies back with the knees bent, again and
again; lying flat is past the set's far end (lying with bent knees), off the line between the
set's two ends. The set's first sit-up leaves from there. Counted from the top, a set of ``n``
sit-ups shows ``n - 1`` loops; counted from the end it was entered from, ``n``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from formcoach.counting import CountWarning, count_reps
from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.phase import rephased
from formcoach.pose.keypoints import load_keypoints

FPS = 30.0
TOP, BENT, FLAT = np.array([1.0, 0.0]), np.array([0.0, 0.0]), np.array([-1.0, 0.8])


def _moment(i: int, pose: np.ndarray) -> Moment:
    return Moment(i, i / FPS, pose, np.zeros(2))


def _dist(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))


def test_an_entry_from_past_the_far_pose_rephases_the_set():
    """The posture comes to the first rep's start (the top) straight from a rest past its far
    pose (lying flat): nowhere within ``rest_tolerance`` of the far pose itself (it passes it
    0.4 of the range away), but past it along the rep's line. The set was entered from the
    far end: its first loop starts on the way from the rest."""
    way = [_moment(i, FLAT + (TOP - FLAT) * i / 20) for i in range(21)]  # flat -> top
    start, far = way[-1], _moment(30, BENT)
    first = Candidate(start, far, _moment(40, TOP), 1.0)
    assert min(_dist(m.pose, BENT) for m in way) > 0.35
    loops = rephased(way[:-1], [first], _dist, tolerance=0.35)
    assert loops is not None
    (entry,) = loops
    assert entry.start.index < start.index and entry.far is start and entry.end is far
    # its rest is where the set rests (the bent knees it goes back to), not lying flat
    assert np.allclose(entry.origin, BENT)


def test_an_entry_from_aside_does_not_rephase():
    """A posture that comes to the first rep's start from the side (half way along the rep's
    line, far off it) did not enter the set from its far end."""
    aside = np.array([0.5, 2.0])
    way = [_moment(i, aside + (TOP - aside) * i / 20) for i in range(21)]
    first = Candidate(way[-1], _moment(30, BENT), _moment(40, TOP), 1.0)
    assert rephased(way[:-1], [first], _dist, tolerance=0.35) is None


@pytest.mark.realdata
def test_a_set_of_sit_ups_entered_lying_flat_counts_every_rep(shared_data: Path):
    """RepCount ``stu2_55`` (tuning part): the third set of ten fast sit-ups, after a rest
    lying flat. Every labelled rep counts (the counter before counted 9: the loops between
    its tops, the first sit-up from lying flat lost)."""
    root = shared_data / "counting" / "repcount"
    labels = {r["file"]: r for r in json.loads((root / "labels.json").read_text())}
    bounds = labels["poses/stu2_55.npy"]["boundaries"]
    seq = load_keypoints(root / "poses" / "stu2_55.npy")
    lo, hi = 700, len(seq)  # from the rest before the third set to the end
    truth = sum(1 for a, b in zip(bounds[::2], bounds[1::2], strict=True) if a >= lo and b <= hi)
    assert truth == 10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountWarning)
        got = count_reps(seq[lo:hi])
    assert len(got) == truth
