"""The end of a repetition: where the posture arrives back at its start pose.

A candidate loop is judged as soon as the posture has come ``ret`` of the way back (that is
when it is known to be a loop), but the repetition goes on until the posture arrives: a judge
comparing the rep with a reference needs all of it. :class:`Return` follows the way back of
one accepted rep, frame by frame, and says when it is over:

- **turned**: the posture moves away from the start pose again by ``settle_turn`` of the rep's
  range (the next rep, or anything else, has begun), or
- **settled**: it has come no closer by ``settle_eps`` of the range for ``settle_s`` seconds
  (it rests at the start pose), or
- **followed**: the next rep was accepted (:meth:`Return.next_began`): the way back ends no
  later than where that one starts (a rep confirmed late, whose way back is caught up on
  frames that already hold the next rep, would otherwise swallow it).

The rep ends at its *arrival*: the first frame that was within ``settle_eps`` of the nearest
the posture came back. It is emitted at the frame that showed the return was over, a fraction
of a second later (about ``settle_s``, or the time to move ``settle_turn`` of the range away).

The next rep begins no earlier than the last one's arrival (so far, while it still returns):
a loop that left before it is a rep only if, begun there, it still goes out
(:func:`begins_after`). A loop the tracker closes from a turn on the last rep's way back (a
wiggle there) goes *to* where that rep arrived and back out: the same movement half a cycle
late, the set's rest its far pose. Counted, its frames overlapped the last rep's (RepCount
``stu10_17`` as given: a rep 641..670 whose far frame, 641, was where the one before ended;
pushfit ``correct61`` at an uneven frame rate: 30..38, far frame 30, after 1..30).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.settings import CountSettings

__all__ = ["Return", "begins_after"]


@dataclass(eq=False)
class Return:
    """The way back of one accepted rep.

    Args:
        rep: the accepted candidate (its ``end`` is where it was judged).
        settings: the counter's settings.

    Attributes:
        arrival: the frame the rep ends at (so far).
        over: True once the return is over.
    """

    rep: Candidate
    settings: CountSettings = field(default_factory=CountSettings)

    def __post_init__(self) -> None:
        self.arrival: Moment = self.rep.end
        self.over = False
        self._nearest = float("inf")  # nearest the posture came back
        self._level = float("inf")  # distance at the arrival frame
        self._since = self.rep.end.time

    def step(self, m: Moment, d: float) -> bool:
        """Take the next frame ``m`` at distance ``d`` from the rep's start pose; True when the
        return is over (then :attr:`arrival` is final)."""
        if self.over:
            return True
        s = self.settings
        span = max(self.rep.span, 1e-9)
        self._nearest = min(self._nearest, d)
        if d < self._level - s.settle_eps * span:  # still coming closer
            self._level, self.arrival, self._since = d, m, m.time
        if d >= self._nearest + s.settle_turn * span or m.time - self._since >= s.settle_s:
            self.over = True
        return self.over

    def next_began(self, start: Moment) -> None:
        """The next accepted rep starts at ``start``: the way back is over, arriving no later
        than there (and no earlier than where this rep was judged)."""
        if not self.over and self.arrival.index > start.index:
            self.arrival = start if start.index >= self.rep.end.index else self.rep.end
        self.over = True


def begins_after(
    c: Candidate,
    arrival: Moment,
    dist: Callable[[np.ndarray, np.ndarray], float],
    least: float,
) -> bool:
    """Whether the loop ``c`` is a rep after the last one, which ended at ``arrival``.

    A loop that leaves at or after the arrival is. One that left before it, on the last rep's
    way back, is when, begun at the arrival (where the emitter starts it), it still goes out:
    its far frame comes after the arrival and is at least ``least`` from it (the smallest
    movement that makes a turn, :meth:`~formcoach.counting.excursions.ExcursionTracker.
    hysteresis`); else the loop's way out is the last rep's way back, and its far pose where
    that rep arrived.
    """
    if c.start.index >= arrival.index:
        return True
    return c.far.index > arrival.index and dist(c.far.pose, arrival.pose) >= least
