"""A loop from the recording's first frame: a rep only when the recording began at a rest.

The zigzag's first turning point is the recording's first frame, wherever the movement was
then (:mod:`~formcoach.counting.excursions`). A recording that begins in the middle of a fast
movement (jumping jacks at 1-2 Hz) makes a loop from there: out to the far pose and back past
the first frame's posture, which the confirmer takes as the set's first rep as soon as the
next loop repeats it (:mod:`~formcoach.counting.confirm`: the two loops' ranges and durations
are within ``amp_ratio`` and ``dur_ratio``). RepCount ``stu3_20`` begins with the arms and legs
going out, 0.59 of the way (the first pose at frame 15, the loop leaving at 17): a loop 17-27-32
of range 2.2 was counted beside the set's 4.2, 19 of 17. Such a loop is the rep cut by the
recording's start, judged as :mod:`~formcoach.counting.edges` judges those (it counts when it
shows most of a cycle).

The first loop is that cut rep when it left the recording's first posture within the shortest
rep (``shortest_rep_s``): the posture was moving when the recording began. Still there longer,
it was a rest, wherever it is (``stu6_15`` stands 2.5 s with the feet apart, 0.44 of the way
out, then jumps: its first loop is a rep). As a cut rep it counts as the edges count one: when
it shows most of a cycle (``edges.MOST_OF_A_CYCLE``, three quarters). Begun at ``p`` of the
way from the next rep's start pose to its far pose (:func:`~formcoach.counting.edges.progress`),
it shows ``(1 - p) / 2`` of the way out and the whole way back: less than most of a cycle past
half way out. A start past the far pose is off the set's line (a movement before the set, as
``stu6_3``'s lead-in): the confirmer judges that one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.edges import MOST_OF_A_CYCLE, progress
from formcoach.counting.settings import CountSettings

__all__ = ["cut_by_start"]

Distance = Callable[[np.ndarray, np.ndarray], float]


def cut_by_start(
    reps: Sequence[Candidate], frames: Sequence[Moment], dist: Distance, settings: CountSettings
) -> bool:
    """Whether a set's first accepted rep is a rep cut by the recording's start that shows less
    than most of a cycle: it left the recording's first posture at once, more than half way
    from the set's rest to its far pose (those of the rep after it).

    Args:
        reps: the set's first accepted reps, in order (at least two to know the rest).
        frames: the recording's frames from its first one up to the first rep's start.
        dist: distances in the movement subspace.
        settings: for the shortest rep (``shortest_rep_s``).
    """
    if len(reps) < 2 or not frames:
        return False
    if reps[0].start.time - frames[0].time >= settings.shortest_rep_s:
        return False  # the posture was still there first: a rest, wherever it is
    nxt = reps[1]
    p = progress(reps[0].start, nxt.origin, nxt.reach, dist)
    shown = (1.0 - p) / 2 + 0.5  # the share of a cycle: the rest of the way out, all the way back
    return p < 1.0 and shown < MOST_OF_A_CYCLE
