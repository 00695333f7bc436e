"""The set's last rep, slower than the set: judged once the stream is over.

A loop like the set's reps (:class:`~formcoach.counting.confirm.Template`) in its direction,
its range and its start on the rest side is a rep straight away only when its duration is the
set's too (within ``dur_ratio``). The last rep of a set often is not: a tired lifter grinds it
out or holds the bottom. (A quicker last loop is not taken: with the exercise known, short
false loops at a set's end looked the same.) Within the set such a loop waits for a
look-alike to follow; at the set's end none does, and it was dropped. Once the stream is over
nothing can follow any more: the newest such loop (:attr:`RepConfirmer.slower`), when it began
after the last counted rep's arrival, is the set's last rep (emitted late, at the end).

Found on RepCount's tuning part: stu6_42 (push-ups of 4.1 s, the eighth held at the bottom,
1294-1354-1597, 10.1 s: the set's direction, cos 0.99, and range, 0.94 of the set's).
"""

from __future__ import annotations

from collections.abc import Callable

from formcoach.counting.candidates import Candidate
from formcoach.counting.confirm import RepConfirmer

__all__ = ["last_of_set"]


def last_of_set(confirmer: RepConfirmer, after: Callable[[Candidate], bool]) -> Candidate | None:
    """The set's last rep but for its pace, at the end of the stream, or None.

    Args:
        confirmer: the counter's confirmer.
        after: whether a loop begins after the last counted rep's arrival.
    """
    c = confirmer.slower
    return c if c is not None and after(c) else None
