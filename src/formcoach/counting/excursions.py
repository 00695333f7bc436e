"""Excursions: the posture leaves a starting pose, goes far, and comes back.

A repetition, whatever the exercise, is a closed loop in posture space: from a rest pose to a
far pose and back. :class:`ExcursionTracker` finds such loops as the poses stream in:

1. **Turning points.** A zigzag over the posture: the frame farthest from the last turning
   point becomes a new turning point once the posture has clearly come back from it (by the
   hysteresis ``delta``: at least ``floor`` body units (or, for a known exercise, a tenth of
   its range of motion: ``prior_floor``) and ``relative`` of the typical
   excursion of the last seconds, so jitter makes no turns).
2. **Anchors.** The last few turning points, and the frame nearest the current set's rest
   pose since the last rep, are possible starts of a repetition (the latter lets the first rep
   after a rest start from the rest pose even when no turning point marks it). Each anchor
   remembers the frame farthest from it since.
3. **Returns.** When the posture comes back to within ``1 - ret`` of an anchor's excursion
   (and is far from the far pose again), the loop is closed. Wiggles at the far end (a double
   bounce at the bottom of a sit-up) do not break it, because the anchor is the start pose,
   not the last turn.
4. **Departure.** The loop's :class:`Candidate` begins where the posture last left its
   starting level for the far pose, not at the anchor: a rest or another movement before the
   rep is not part of it, so reps of one set have comparable durations; a pause at the far
   pose (a hold at the top of a press) is part of it.

Candidates are not yet repetitions: :mod:`formcoach.counting.confirm` decides. Memory is
bounded: a fixed number of turning points, amplitudes and anchors, and the last
``history`` frames.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from formcoach.counting.settings import CountSettings

__all__ = ["Candidate", "ExcursionTracker", "Metric", "Moment"]

#: Staying this long at about the same distance from the far pose means resting before a rep.
_REST_S = 1.0
#: Frames at least this share of a loop's span from its start make its far pose.
_FAR = 0.8
FINE_WINDOW_S = 3.3


class Metric(Protocol):
    """Distances between posture vectors (the movement subspace's)."""

    def distance(self, a: np.ndarray, b: np.ndarray) -> float: ...

    def distances(self, many: np.ndarray, b: np.ndarray) -> np.ndarray: ...

    @property
    def noise(self) -> float: ...


@dataclass(frozen=True, eq=False)
class Moment:
    """One frame of the stream.

    Attributes:
        index: frame index; time: seconds.
        pose: (D,) smoothed posture vector.
        place: (2,) torso centre in body units (where the body is, for telling walking from
            exercising).
    """

    index: int
    time: float
    pose: np.ndarray
    place: np.ndarray


@dataclass(frozen=True, eq=False)
class Candidate:
    """A closed loop start -> far -> back, not yet judged to be a repetition.

    Attributes:
        start: the frame the rep began (the posture's departure from its starting level).
        far: the frame farthest from the start.
        end: the frame at which the posture had come back (the rep is emitted here).
        span: distance start -> far along the movement subspace (body units).
        far_pose: (D,) the mean posture of the frames near the far end (at least ``_FAR`` of
            the span from the start): the far pose as one glitchy frame cannot skew it.
    """

    start: Moment
    far: Moment
    end: Moment
    span: float
    far_pose: np.ndarray | None = None

    @property
    def reach(self) -> np.ndarray:
        """(D,) the far posture (:attr:`far_pose`, else the far frame's)."""
        return self.far.pose if self.far_pose is None else self.far_pose

    @property
    def duration(self) -> float:
        """Seconds from start to end."""
        return self.end.time - self.start.time

    @property
    def travel(self) -> float:
        """How far the body moved sideways from the start to the end (body units).

        A repetition comes back to where it started; walking does not.
        """
        return float(abs(self.end.place[0] - self.start.place[0]))


@dataclass(eq=False)
class _Anchor:
    """A possible rep start and the frame farthest from it since."""

    start: Moment
    far: Moment
    tried_far: int = -1


@dataclass(eq=False)
class ExcursionTracker:
    """Finds candidate repetitions in a stream of smoothed posture vectors.

    Args:
        settings: the counter's settings.
        history: frames kept to find where each rep began (bounded; 20 s at 30 fps).
        floor: the smallest excursion that is a movement (default ``settings.floor``).
    """

    settings: CountSettings = field(default_factory=CountSettings)
    history: int = 600
    floor: float | None = None

    def __post_init__(self) -> None:
        s = self.settings
        self._turns: deque[Moment] = deque(maxlen=8)
        self._amps: deque[tuple[float, float]] = deque(maxlen=s.amps_kept)  # (time, excursion)
        self._anchors: deque[_Anchor] = deque(maxlen=s.anchors)
        self._ext: Moment | None = None  # frame farthest from the last turn
        self._ext_dist = 0.0
        self._rest: _Anchor | None = None
        self._recent: deque[Moment] = deque(maxlen=self.history)
        self.period = float("nan")
        self.periodic: float | None = None
        # the fine zigzag (hysteresis: the floor) that measures the scale of the movement
        self._fine_turn: Moment | None = None
        self._fine_ext: Moment | None = None
        self._fine_dist = 0.0
        self._fine: deque[tuple[float, float, float]] = deque()  # (time, excursion, seconds)

    def _floor(self, metric: Metric) -> float:
        s = self.settings
        base = s.floor if self.floor is None else self.floor
        return max(base, s.noise_z * metric.noise)

    def _fine_step(self, now: Moment, metric: Metric) -> None:
        floor = self._floor(metric)
        if self._fine_turn is None or self._fine_ext is None:
            self._fine_turn = self._fine_ext = now
            return
        d = metric.distance(now.pose, self._fine_turn.pose)
        if d >= self._fine_dist:
            self._fine_ext, self._fine_dist = now, d
        elif self._fine_dist >= floor and metric.distance(now.pose, self._fine_ext.pose) >= floor:
            turn = self._fine_ext
            self._fine.append((turn.time, self._fine_dist, turn.time - self._fine_turn.time))
            self._fine_turn = turn
            self._fine_ext, self._fine_dist = now, metric.distance(now.pose, turn.pose)
        while self._fine and now.time - self._fine[0][0] > FINE_WINDOW_S:
            self._fine.popleft()

    def delta(self, now: float, metric: Metric) -> float:
        """Hysteresis of the zigzag at time ``now``, in body units.

        Relative to the excursions of the last ``idle_s`` seconds only, so that one huge
        swing (a pose-model glitch, someone walking through) does not hide the real movement
        that follows.
        """
        s = self.settings
        if s.fine_mode in (0, 2, 3):
            win = s.idle_s
            if s.fine_mode == 2 and np.isfinite(self.period):
                win = min(win, 2.0 * self.period)
            recent = [a for t, a in self._amps if now - t <= win]
            scale = float(np.median(recent)) if recent else 0.0
            if s.fine_mode == 3 and self.periodic is not None:
                scale = min(scale, self.periodic)
            rel = s.relative * scale
        else:
            win = self.period if np.isfinite(self.period) else FINE_WINDOW_S
            win *= s.win_periods
            amps = [a for t, a, _ in self._fine if now - t <= win] + [self._fine_dist]
            rel = s.relative * max(amps)
        return max(self._floor(metric), rel)

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
            metric: distances along the movement subspace.
            offer: called with each candidate; returns True when it was counted, which ends
                the search for this frame.
            taken_until: index of the far frame of the last counted repetition; loops that
                start at or before it overlap a counted rep and are not offered.
            rest: the current set's rest pose and rep range, when a set is known.
        """
        s = self.settings
        dist = metric.distance
        self._recent.append(now)
        self._fine_step(now, metric)
        if not self._turns:
            self._start_over(now)
            return
        delta = self.delta(now.time, metric)
        d = dist(now.pose, self._turns[-1].pose)
        assert self._ext is not None
        if d >= self._ext_dist:
            self._ext, self._ext_dist = now, d
        elif (
            self._ext_dist >= delta
            and dist(now.pose, self._ext.pose) >= 0.5 * delta
            and d <= self._ext_dist - 0.25 * delta
        ):
            turn = self._ext
            self._turns.append(turn)
            self._amps.append((turn.time, self._ext_dist))
            self._anchors.append(_Anchor(turn, now))
            self._ext, self._ext_dist = now, dist(now.pose, turn.pose)
        if self._ext_dist < delta and now.time - self._turns[-1].time > s.idle_s:
            self._start_over(now)
            return
        anchors = list(self._anchors) + ([self._rest] if self._rest is not None else [])
        starts = np.array([a.start.pose for a in anchors])
        fars = np.array([a.far.pose for a in anchors])
        to_start = metric.distances(starts, now.pose)  # (k,)
        span = metric.distances(fars - starts, np.zeros_like(now.pose))
        to_far = metric.distances(fars, now.pose)
        for k, a in enumerate(anchors):
            if a.start.index < now.index and to_start[k] > span[k]:
                a.far, span[k], to_far[k] = now, to_start[k], 0.0
        for k, a in enumerate(anchors):
            if a.start.index <= taken_until or a.far.index <= a.start.index:
                continue
            if span[k] < delta or a.tried_far == a.far.index:
                continue
            if to_start[k] <= (1.0 - s.ret) * span[k] and to_far[k] >= s.ret * span[k]:
                a.tried_far = a.far.index
                start = self._departure(a, metric)
                c = Candidate(start, a.far, now, float(span[k]), self._far_pose(start, now, metric))
                if offer(c):
                    break
        if rest is not None:
            # the rest anchor: the frame nearest the set's rest pose since the last rep left it
            pose, rest_span = rest
            near = dist(now.pose, pose)
            ra = self._rest
            if near <= s.rest_tolerance * rest_span and (
                ra is None
                or ra.tried_far >= 0
                or ra.start.index <= taken_until
                or near <= dist(ra.start.pose, pose)
            ):
                self._rest = _Anchor(now, now)

    def _far_pose(self, start: Moment, end: Moment, metric: Metric) -> np.ndarray | None:
        """Mean posture of the loop's frames at least ``_FAR`` of its span from its start."""
        frames = [m for m in self._recent if start.index <= m.index <= end.index]
        if not frames:
            return None
        poses = np.array([m.pose for m in frames])
        d = metric.distances(poses, start.pose)
        near = poses[d >= _FAR * float(d.max())]
        seen = ~np.isnan(near)
        n = seen.sum(axis=0)
        return np.where(n > 0, np.where(seen, near, 0.0).sum(axis=0) / np.maximum(n, 1), np.nan)

    def at(self, time: float, default: Moment) -> Moment:
        """The first remembered frame at or after ``time`` (``default`` if none is)."""
        return next((m for m in self._recent if m.time >= time - 1e-9), default)

    def frames_after(self, index: int) -> list[Moment]:
        """The remembered frames after frame ``index``, oldest first."""
        return [m for m in self._recent if m.index > index]

    def _departure(self, a: _Anchor, metric: Metric) -> Moment:
        """The frame the rep began, at or after its anchor.

        Walking back from the far frame, the posture gets farther from the far pose until the
        rep's start. Before that it either rested there (about as far, for ``_REST_S``) or was
        doing something else (and came closer again). The rep begins where the distance last
        rose to its final level, so a rest or another movement before is not part of it. Both
        are looked for only once the walk is at least half the range away from the far pose:
        a pause near it (a hold at the top of a press, and its wobbles) is part of the rep.
        """
        frames = [m for m in self._recent if a.start.index <= m.index < a.far.index]
        if not frames:
            return a.start
        d = metric.distances(np.array([m.pose for m in frames]), a.far.pose)
        reach = float(d.max())
        tol = self.settings.depart * reach
        level, top, start, lo = float(d[-1]), float(d[-1]), len(d) - 1, 0
        for k in range(len(d) - 2, -1, -1):
            if d[k] > level + tol:  # still rising: the rep started earlier
                level, start = float(d[k]), k
            top = max(top, float(d[k]))
            if level < 0.5 * reach:
                continue  # still near the far pose
            if d[k] < top - tol or frames[start].time - frames[k].time >= _REST_S:
                lo = k + 1
                break  # closer again (another movement), or resting at the start pose
        # the onset: the last frame still at the start level (within settle_eps of the range)
        plateau = float(d[lo : start + 1].max())
        onset = np.flatnonzero(d[lo:] >= plateau - self.settings.settle_eps * reach)
        return frames[lo + int(onset[-1])]

    def _start_over(self, now: Moment) -> None:
        self._turns.clear()
        self._amps.clear()
        self._anchors.clear()
        self._turns.append(now)
        self._ext, self._ext_dist = now, 0.0
        self._anchors.append(_Anchor(now, now))
