"""A known exercise's set entered half a cycle off, and its loops the other way round.

A repetition is a loop: rest -> far -> rest. The same periodic movement also makes the loops
between its far-side turns (far -> rest -> far), and which of the two a set is counted by
depends on where the person was when it began. With the exercise known, a loop that runs the
exercise's way from its rest side over enough of its range counts at once; the rest wait for a
look-alike. A set confirmed so, by loops of which **none** is the exercise's movement beyond
doubt (:meth:`~formcoach.counting.confirm.RepConfirmer.its_way`: they all start on the far
side), begins half a cycle off as often as not: as without the exercise, its phase is judged
as a property of the set (:mod:`~formcoach.counting.phase`: counted from the end it was
entered from). RepCount stu2_55: sit-ups between 0.75 and 0.96 of the exercise's range, each
from the top; counted from the lower turn, 26 of 30.

A set counted from its far end runs the other way round: its later reps are loops from the far
side toward rest, which by themselves are never a rep of the exercise (:func:`runs_back`); they
continue such a set when they are like its reps, and nothing else.
"""

from __future__ import annotations

import numpy as np

from formcoach.counting.expected import ExpectedRep
from formcoach.counting.smallops import cosine

__all__ = ["runs_back"]


def runs_back(
    prior: ExpectedRep, start: np.ndarray, move: np.ndarray, moving: np.ndarray, similar: float
) -> bool:
    """Whether a loop is the exercise's movement the other way round beyond doubt: from the
    far side (nearer the far pose than rest) toward rest, as :meth:`~formcoach.counting.confirm.
    RepConfirmer.its_way` is from the rest side toward far.

    Args:
        prior: the exercise's expected rep.
        start: (D,) the loop's start pose; move: (D,) its movement from start to its far pose.
        moving: (D,) bool, the known drive features that move in it.
        similar: the least cosine of two movements alike (``similar_cos``).
    """
    if not moving.any():
        return False
    if cosine(np.where(prior.known, move, 0.0), -prior.direction) < similar:
        return False
    return prior.progress(start, moving) >= 0.5
