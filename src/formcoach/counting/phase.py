"""Which end of a set is its rest: the end the set was entered from.

A loop in posture space can be counted from either of its ends: rest -> far -> rest, or
far -> rest -> far. The counter takes as a set's start pose the first turn from which two
similar loops close, and that is wherever the stream happened to be: a recording that begins
mid-rep or at the far end, or a set that begins after a pause anywhere, may be counted from
its far end. Both ways count the loops in between alike; they differ at the set's edges. A set
of ``n`` reps from rest and back shows ``n - 1`` loops from its far end, and the half rep
before the first and after the last are each too little to count.

The rest of a set is a property of the whole movement, not of the first frame: it is where the
person was before the set's first rep. So when a set begins (:class:`~formcoach.counting.
confirm.RepConfirmer` accepts its first reps), the counter looks at the moments just before its
first rep: when the posture came to that rep's start from its **far** pose or from past it
(within ``rest_tolerance`` of the rep's range of the far pose along the line from the start to
the far pose, less than one rep's duration before) by the same movement the other way round,
the set was entered from that end. "Or past it": the rest before a set need not be one of its
ends. Sit-ups rest lying flat, past the set's far end (lying with the knees bent) and off the
line between its ends, and the first sit-up leaves from there (RepCount ``stu2_55``: each set
of ten was counted from its top, nine loops). Its reps are then counted from there, as
:func:`rephased` gives them: the loop the set was entered by (far -> start -> far, which the
posture completed; its rest posture is the far pose it went back to, where the set rests) is
its first rep, and each later rep runs from one far pose to the next. The first counted reps
keep their number (one loop each), so nothing is emitted twice; from then on the loops from the
new rest pose are the set's reps, and the set's last rep, which ends at that rest pose, is not
lost.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.confirm import RepConfirmer
from formcoach.counting.edges import progress
from formcoach.counting.leadin import lead_in

__all__ = ["from_entry", "rephased"]

Distance = Callable[[np.ndarray, np.ndarray], float]


def rephased(
    frames: Sequence[Moment], reps: Sequence[Candidate], dist: Distance, tolerance: float
) -> list[Candidate] | None:
    """The first reps of a set counted from its far end, when the set was entered from there.

    Args:
        frames: the stream's frames before the first rep's start (after the previous set).
        reps: the set's first accepted reps, in order.
        dist: distances in the movement subspace.
        tolerance: a pose within this share of the rep's range of its far pose along the
            rep's line (:func:`~formcoach.counting.edges.progress`), or past it, is there
            (``rest_tolerance``).

    Returns:
        As many loops as ``reps``, each from one far pose through the next start pose to the
        next far pose (the first from the entry frame, the one nearest the far pose of those
        there); or None when the posture did not come to the first rep from its far pose or
        past it.
    """
    first = reps[0]
    span = dist(first.reach, first.origin)
    window = [m for m in frames if m.time >= first.start.time - first.duration]
    if not window or span <= 0:
        return None
    # at the far pose or past it: within ``tolerance`` of it along the rep's line
    there = [m for m in window if progress(m, first.origin, first.reach, dist) >= 1.0 - tolerance]
    if not there:
        return None
    entry = min(there, key=lambda m: dist(m.pose, first.reach))
    # the set rests where its first rep went: its far pose (the entry may come from past it)
    out = [_loop(entry, first.start, first.far, dist, first.rest_pose, first.reach)]
    for a, b in itertools.pairwise(reps):
        out.append(_loop(a.far, b.start, b.far, dist, b.rest_pose, a.far_pose))
    return out


def from_entry(
    reps: list[Candidate], frames: Sequence[Moment], confirmer: RepConfirmer, dist: Distance
) -> list[Candidate]:
    """A set's first accepted ``reps``, counted from the end the set was entered from: the
    :func:`rephased` loops when the entry is the set's movement the other way round (then
    they are the confirmer's template), else ``reps`` unchanged."""
    new = rephased(frames, reps, dist, confirmer.settings.rest_tolerance)
    if new is None or not confirmer.entered_like(new[0], reps[0]):
        return reps
    if lead_in(reps, frames, new[0].start, confirmer):
        return reps  # the exercise's own reps after a lead-in from the far pose (:mod:`leadin`)
    confirmer.rephase(len(reps), new)
    return new


def _loop(
    start: Moment,
    far: Moment,
    end: Moment,
    dist: Distance,
    far_pose: np.ndarray | None,
    rest_pose: np.ndarray | None,
) -> Candidate:
    return Candidate(start, far, end, dist(far.pose, start.pose), far_pose, rest_pose)
