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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formcoach.counting.excursions import Candidate, Moment
from formcoach.counting.settings import CountSettings

__all__ = ["Return"]


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
