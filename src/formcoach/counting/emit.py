"""Turning accepted loops and held stretches into numbered :class:`~formcoach.core.rep.Rep`\\ s.

A rep, as emitted:

- its frames are a closed interval: ``start_frame`` is where the posture left its rest pose
  for it (the rest of a set is the end it was entered from, :mod:`~formcoach.counting.phase`),
  ``end_frame`` where it arrived back (:mod:`~formcoach.counting.returns`), so the frames
  between hold the whole rep for the judge. The counter judges the *smoothed* posture, which
  follows the raw one ``lag_s`` seconds late (the median and the exponential smoothing:
  ``glitch_s / 2 + smooth_s``); both are moved back by that lag, so that they are the frames
  in which the person did it.
- reps of a set tile the stream: a rep starts no earlier than the previous one ended, and the
  two share at most that frame (where one arrived, the next left). A loop that left a few
  frames before (its departure and the last rep's arrival are read on different poses) is
  given the frame where the last rep ended: those frames were the last rep's, which was
  emitted already; one whose frames lie inside the previous one's is given that frame, never
  a negative span. A loop that, begun there, does not go out at all is no rep and never
  reaches the emitter (:func:`~formcoach.counting.returns.begins_after`).
- ``emitted_frame`` is the frame whose arrival emitted it: a fraction of a second after its
  end, once the posture rests or moves on; for the first rep of a set in ``auto`` mode, when
  the second rep confirms it (offline counting streams the sequence through the same code, so
  the frames are the same).
- ``features``: ``range`` (along the movement: torso lengths, or the drive features' units),
  ``far_frame`` and ``far_s`` (the frame farthest from the start: the bottom of a squat, the
  top of a curl), and ``cut`` (1.0) for a rep cut by the start or end of a recording that
  began inside the set (:mod:`~formcoach.counting.edges`): only part of it was seen.
"""

from __future__ import annotations

from collections.abc import Callable

from formcoach.core.rep import Rep
from formcoach.counting.candidates import Candidate, Moment

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
