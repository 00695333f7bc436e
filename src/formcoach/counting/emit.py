"""Turning accepted loops and held stretches into numbered :class:`~formcoach.core.rep.Rep`\\ s.

The counter judges the *smoothed* posture, which follows the raw one ``lag_s`` seconds late
(the median and the exponential smoothing); a rep's frames are moved back by that lag, so
that they are the frames in which the person did it. A rep starts where it left its rest
pose, but never before the previous rep ended: reps of a set tile the stream (a rep whose frames
lie inside the previous one's is given the frame where that one ended, never a negative span).
"""

from __future__ import annotations

from collections.abc import Callable

from formcoach.core.rep import Rep
from formcoach.counting.excursions import Candidate, Moment

__all__ = ["Emitter"]


class Emitter:
    """Numbers the reps of one stream and gives each its frames and measurements.

    Args:
        at: the remembered frame at or after a time (``at(time, default)``).
        lag_s: how late the smoothed posture follows the raw one, seconds (read at each rep).
    """

    def __init__(self, at: Callable[[float, Moment], Moment], lag_s: Callable[[], float]):
        self._at = at
        self._lag_s = lag_s
        self._last_end: Moment | None = None  # end of the last rep emitted
        self.count = 0

    def _unlag(self, m: Moment) -> Moment:
        """The frame at which the raw posture was where the smoothed one is at ``m``."""
        return self._at(m.time - self._lag_s(), m)

    def rep(self, c: Candidate, end: Moment, emitted: int, cut: bool = False) -> Rep:
        """The rep ``c`` ending at ``end``, emitted at frame ``emitted`` (``cut``: a rep cut by
        an edge of the recording, of which only part was seen)."""
        start, end = self._unlag(c.start), self._unlag(end)
        last = self._last_end
        start = start if last is None or start.index > last.index else last
        # a rep whose frames lie inside the last one's (its way back settled later) still
        # ends no earlier than it starts: the later of its ends, else a frame at its start
        end = next(m for m in (end, c.end, start) if m.index >= start.index)
        far = self._unlag(c.far)
        self._last_end = end
        features = {
            "range": round(c.span, 4),
            "far_frame": float(far.index),
            "far_s": round(far.time, 4),
            **({"cut": 1.0} if cut else {}),
        }
        return self._emit(start, end, emitted, features)

    def hold(self, held: tuple[Moment, Moment], emitted: int) -> Rep:
        """A held stretch (first, last frame) of a static exercise, emitted at ``emitted``."""
        start, end = held
        return self._emit(start, end, emitted, {"held_s": round(end.time - start.time, 4)})

    def _emit(self, start: Moment, end: Moment, emitted: int, features: dict) -> Rep:
        """The next numbered rep from ``start`` to ``end``, emitted at frame ``emitted``."""
        self.count += 1
        return Rep(
            start_frame=start.index,
            end_frame=end.index,
            start_s=start.time,
            end_s=end.time,
            number=self.count,
            emitted_frame=max(emitted, end.index),
            features=features,
        )
