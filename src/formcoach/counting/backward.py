"""A known exercise's movement run the other way round: a set entered half a cycle off.

A repetition is a loop: rest -> far -> rest. The same periodic movement also makes the loops
between its far-side turns (far -> rest -> far), and which of the two a set shows depends on
where the person was when it began: a clip that starts with the person already at the far
position (sit-ups at the top, push-ups at the bottom) shows, before its first loop from rest,
a loop from the far side, and a set counted only from rest loses that rep (RepCount stu3_53,
test2025, stu6_42: the loop from rest of the first rep did not close).

A set's phase is a property of the set, not of one loop. With the exercise known, one loop that
runs the other way round is no repetition (:meth:`~formcoach.counting.confirm.RepConfirmer.
its_way`); but when such loops repeat each other (a chain of look-alikes, as a set starts
without the exercise known) with no rep of the exercise's way between them, the set was
entered from its far side: its loops between the far-side turns are its reps.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from formcoach.counting.excursions import Candidate
from formcoach.counting.expected import ExpectedRep

__all__ = ["only_way", "runs_back"]


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b) / (na * nb) if na > 0 and nb > 0 else 0.0


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
    if _cos(np.where(prior.known, move, 0.0), -prior.direction) < similar:
        return False
    return prior.progress(start, moving) >= 0.5


def only_way(chain: list[Candidate], waiting: Iterable[Candidate]) -> list[Candidate]:
    """``chain`` (loops run the other way round that repeat each other) when they are the only
    way the set runs: none of the loops the exercise's way ``waiting`` ends after the chain's
    first loop began (such a loop may still repeat, and the set be counted from rest); else
    nothing."""
    since = chain[0].start.index
    if any(p.end.index >= since for p in waiting):
        return []
    return chain
