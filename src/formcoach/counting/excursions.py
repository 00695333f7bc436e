"""Excursions: the posture leaves a starting pose, goes far, and comes back.

A repetition, whatever the exercise, is a closed loop in posture space: from a rest pose to a
far pose and back. :class:`ExcursionTracker` finds such loops as the poses stream in:

1. **Turning points.** A zigzag over the posture: the frame farthest from the last turning
   point becomes a new turning point once the posture has clearly come back from it (by the
   hysteresis ``delta``: at least ``floor`` body units and ``relative`` of the recent typical
   excursion, so jitter makes no turns).
2. **Anchors.** The last few turning points, and the latest frame that looks like the current
   set's rest pose, are possible starts of a repetition. Each anchor remembers the frame
   farthest from it since.
3. **Returns.** When the posture comes back to within ``1 - ret`` of an anchor's excursion
   (and is far from the far pose again), the anchor, its far frame and the current frame form
   a :class:`Candidate`. Wiggles at the far end (a double bounce at the bottom of a sit-up) do
   not break the loop, because the anchor is the start pose, not the last turn.

Candidates are not yet repetitions: :mod:`formcoach.counting.confirm` decides. Memory is
bounded: a fixed number of turning points, amplitudes and anchors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from formcoach.counting.settings import CountSettings

__all__ = ["Candidate", "ExcursionTracker", "Moment"]

Metric = Callable[[np.ndarray, np.ndarray], float]


@dataclass(frozen=True, eq=False)
class Moment:
    """One frame of the stream: its index, time and smoothed posture vector (D,)."""

    index: int
    time: float
    pose: np.ndarray


@dataclass(frozen=True, eq=False)
class Candidate:
    """A closed loop start -> far -> back, not yet judged to be a repetition.

    Attributes:
        start: the anchor the loop left from.
        far: the frame farthest from the start.
        end: the frame at which the posture had come back (the rep is emitted here).
        span: distance start -> far along the movement subspace (body units).
    """

    start: Moment
    far: Moment
    end: Moment
    span: float

    @property
    def duration(self) -> float:
        return self.end.time - self.start.time

    @property
    def vector(self) -> np.ndarray:
        """(D,) far pose minus start pose: the direction of the movement."""
        return self.far.pose - self.start.pose


@dataclass(eq=False)
class _Anchor:
    start: Moment
    far: Moment
    tried_far: int = -1


@dataclass(eq=False)
class ExcursionTracker:
    """Finds candidate repetitions in a stream of smoothed posture vectors.

    Args:
        settings: the counter's settings.
    """

    settings: CountSettings = field(default_factory=CountSettings)

    def __post_init__(self) -> None:
        s = self.settings
        self._turns: deque[Moment] = deque(maxlen=8)
        self._amps: deque[float] = deque(maxlen=6)
        self._anchors: deque[_Anchor] = deque(maxlen=s.anchors)
        self._ext: Moment | None = None  # frame farthest from the last turn
        self._ext_dist = 0.0
        self._rest: _Anchor | None = None

    def reset(self) -> None:
        """Forget the current movement (not the rests and templates kept elsewhere)."""
        self._turns.clear()
        self._amps.clear()
        self._anchors.clear()
        self._ext = None
        self._ext_dist = 0.0
        self._rest = None

    @property
    def delta(self) -> float:
        """Hysteresis of the zigzag, in body units."""
        s = self.settings
        rel = s.relative * float(np.median(self._amps)) if self._amps else 0.0
        return max(s.floor, rel)

    def step(
        self,
        now: Moment,
        metric: Metric,
        offer: Callable[[Candidate], bool],
        taken_until: int,
        rest: tuple[np.ndarray, float] | None = None,
    ) -> None:
        """Take one frame and offer the loops it closes, oldest anchor first.

        Args:
            now: the current frame.
            metric: distance between two posture vectors.
            offer: called with each candidate; returns True when it was counted, which ends
                the search for this frame.
            taken_until: index of the far frame of the last counted repetition; loops that
                start at or before it overlap a counted rep and are not offered.
            rest: the current set's rest pose and rep range, when a set is known.
        """
        s = self.settings
        if not self._turns:
            self._start_over(now)
            return
        delta = self.delta
        last_turn = self._turns[-1]
        d = metric(now.pose, last_turn.pose)
        assert self._ext is not None
        if d >= self._ext_dist:
            self._ext, self._ext_dist = now, d
        elif (
            self._ext_dist >= delta
            and metric(now.pose, self._ext.pose) >= 0.5 * delta
            and d <= self._ext_dist - 0.25 * delta
        ):
            turn = self._ext
            self._turns.append(turn)
            self._amps.append(self._ext_dist)
            self._anchors.append(_Anchor(turn, now))
            self._ext, self._ext_dist = now, metric(now.pose, turn.pose)
        if self._ext_dist < delta and now.time - self._turns[-1].time > s.idle_s:
            self._start_over(now)
            return
        anchors = list(self._anchors) + ([self._rest] if self._rest is not None else [])
        for a in anchors:
            if a.start.index < now.index and metric(now.pose, a.start.pose) > metric(
                a.far.pose, a.start.pose
            ):
                a.far = now
        for a in anchors:
            if a.start.index <= taken_until or a.far.index <= a.start.index:
                continue
            span = metric(a.far.pose, a.start.pose)
            if span < delta or a.tried_far == a.far.index:
                continue
            back = metric(now.pose, a.start.pose) <= (1.0 - s.ret) * span
            if back and metric(now.pose, a.far.pose) >= s.ret * span:
                a.tried_far = a.far.index
                if offer(Candidate(a.start, a.far, now, span)):
                    break
        if rest is not None:
            pose, span = rest
            if metric(now.pose, pose) <= s.rest_tolerance * span:
                self._rest = _Anchor(now, now)

    def _start_over(self, now: Moment) -> None:
        self._turns.clear()
        self._amps.clear()
        self._anchors.clear()
        self._turns.append(now)
        self._ext, self._ext_dist = now, 0.0
        self._anchors.append(_Anchor(now, now))
