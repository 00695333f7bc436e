"""Excursions: the posture leaves a starting pose, goes far, and comes back.

A repetition, whatever the exercise, is a closed loop in posture space: from a rest pose to a
far pose and back. :class:`ExcursionTracker` finds such loops as the poses stream in:

1. **Turning points.** A zigzag over the posture: the frame farthest from the last turning
   point becomes a new turning point once the posture has clearly come back from it (by the
   hysteresis :meth:`ExcursionTracker.hysteresis`: the smallest movement -- ``min_move``
   torso lengths until the movement repeats, ``noise_z`` times the posture's noise, or for
   a known exercise ``prior_min_share`` of its range of motion less what the view hides
   (:mod:`~formcoach.counting.floor`) -- and ``turn_share`` of the current movement's range,
   so jitter and wiggles inside a rep make no turns).
2. **Possible starts.** The last few turning points, and the frame nearest the current set's
   rest pose since the last rep, may each be where a repetition starts (the latter lets the
   first rep after a rest start from the rest pose even when no turning point marks it). Each
   remembers the frame farthest from it since.
3. **Returns.** When the posture comes back to within ``1 - return_share`` of a start's
   excursion (and is far from the far pose again), the loop is closed; the end of the stream
   closes the loops that came back past half way by then (a clip cut during the way back).
   Wiggles at the far end (a double bounce at the bottom of a sit-up) do not break it,
   because the start is the start pose, not the last turn.
4. **Departure.** The loop's :class:`Candidate` begins where the posture last left its
   starting level for the far pose, not at the turning point: a rest or another movement
   before the rep is not part of it, so reps of one set have comparable durations; a pause at
   the far pose (a hold at the top of a press) is part of it.

The current movement's range is the median size of its turns over the last two cycles (at most
``cycle_s``); while the movement repeats, no more than the range of its last cycle
(:class:`~formcoach.counting.periodicity.PeriodTracker`), so small fast reps after big ones (or
after a big movement that is not a rep) are found at once. A median sets one odd turn aside only
among three or more: with one or two turns known (a set's start, after the lead-in's one big swing
of stepping in or getting into position) the range is the smaller turn; else reps about
``turn_share`` of the lead-in would make a turn or not by one frame's worth of their extreme (one
missing frame at the bottom of a bounce dropped a whole cycle, and the set's first reps with it).
The way from where the zigzag began (the first frame, or a start over after a still cycle) to the
first turn is the part of a swing that the instant the camera started left: it is no turn size.

Candidates are not yet repetitions (:mod:`formcoach.counting.confirm` decides). Memory is bounded:
a few turning points, turn sizes and possible starts, and the frames of the last ``history_s``.
The frames and loops passed on (:class:`Moment`, :class:`Candidate`, :class:`Metric`) are
:mod:`~formcoach.counting.candidates`'s; a loop's departure and its far and rest poses are
:mod:`~formcoach.counting.departure`'s.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from formcoach.counting.candidates import Candidate, Metric, Moment
from formcoach.counting.departure import departure, pose_near
from formcoach.counting.settings import CountSettings
from formcoach.counting.smallops import median

__all__ = ["ExcursionTracker"]


@dataclass(eq=False)
class _Start:
    """A possible rep start and the frame farthest from it since."""

    start: Moment
    far: Moment
    tried_far: int = -1


@dataclass(eq=False)
class ExcursionTracker:
    """Finds candidate repetitions in a stream of smoothed posture vectors.

    Args:
        settings: the counter's settings.
        min_move: the smallest excursion that is a movement (default ``settings.min_move``).

    Attributes:
        period: seconds per cycle of the movement while it repeats (else NaN).
        cycle_range: the range of the movement's last cycle while it repeats (else None).
    """

    settings: CountSettings = field(default_factory=CountSettings)
    min_move: float | None = None

    def __post_init__(self) -> None:
        s = self.settings
        self._turns: deque[Moment] = deque(maxlen=8)
        self._sizes: deque[tuple[float, float]] = deque(maxlen=8)  # (time, turn size)
        self._starts: deque[_Start] = deque(maxlen=s.rep_starts_kept)
        self._ext: Moment | None = None  # frame farthest from the last turn, and how far
        self._ext_dist = 0.0
        self._rest: _Start | None = None
        self._recent: deque[Moment] = deque()
        self.period = float("nan")
        self.cycle_range: float | None = None

    def hysteresis(self, now: float, metric: Metric) -> float:
        """How far the posture must come back from an extreme to make a turn, at time ``now``.

        The smallest movement (``noise_z`` times the posture's noise, and while the movement
        does not repeat at least ``min_move``), or ``turn_share`` of the current movement's
        range: the median of the turns of the last two cycles (one slowest cycle while the
        period is unknown; the smaller turn while fewer than three are known), and while the
        movement repeats no more than the range of its last cycle. One huge swing (a glitch,
        someone walking through) thus does not hide the real movement that follows.
        """
        s = self.settings
        least = s.min_move if self.min_move is None else self.min_move
        if self.min_move is None and np.isfinite(self.period):
            least = 0.0  # a movement that repeats is one however small: the noise bounds it
        least = max(least, s.noise_z * metric.noise)
        memory = s.cycle_s
        if np.isfinite(self.period):
            memory = min(memory, 2.0 * self.period)
        recent = [size for t, size in self._sizes if now - t <= memory]
        # a median rejects an odd turn only among three or more (see the module)
        scale = median(recent) if len(recent) >= 3 else min(recent, default=0.0)
        if self.cycle_range is not None:
            scale = min(scale, self.cycle_range)
        return max(least, s.turn_share * scale)

    def step(
        self,
        now: Moment,
        metric: Metric,
        offer: Callable[[Candidate], bool],
        taken_until: int,
        rest: tuple[np.ndarray, float] | None = None,
    ) -> None:
        """Take one frame and offer the loops it closes, oldest start first.

        Args:
            now: the current frame.
            metric: distances along the movement subspace.
            offer: called with each candidate; returns True when it was counted, which ends
                the search for this frame.
            taken_until: index of the far frame of the last counted repetition; loops that
                start at or before it overlap a counted rep and are not offered.
            rest: the current set's rest pose and rep range, when a set is known.
        """
        self._remember(now)
        if not self._turns:
            self._start_over(now)
            return
        self._complete_turn(now)
        delta = self.hysteresis(now.time, metric)
        self._turn(now, metric, delta)
        if self._ext_dist < delta and now.time - self._turns[-1].time > self.settings.cycle_s:
            self._start_over(now)  # no turn for a whole slowest cycle: the movement is over
            return
        self._close_loops(now, metric, offer, taken_until, delta)
        if rest is not None:
            self._follow_rest(now, metric, rest, taken_until)

    @property
    def last_turn_time(self) -> float:  # seconds (-inf before the first frame)
        return self._turns[-1].time if self._turns else float("-inf")

    def _complete_turn(self, now: Moment) -> None:
        """Give the last turn the features its frame missed (a joint the pose model lost) at
        their value ``now``, within ``glitch_s`` of the turn. Distances leave out a feature
        missing on either side, so a curl whose elbow was missed in the first frame never
        turned and lost its first rep (seen later, a joint was elsewhere at the turn)."""
        last = self._turns[-1]
        if now.time - last.time > self.settings.glitch_s:
            return  # seen later than a glitch of the pose model: not where it was at the turn
        gap = np.isnan(last.pose) & ~np.isnan(now.pose)
        if not gap.any():
            return
        done = replace(last, pose=np.where(gap, now.pose, last.pose))
        self._turns[-1] = done
        for a in self._starts:
            if a.start is last:
                a.start = done
            if a.far is last:
                a.far = done
        if self._ext is last:
            self._ext = done

    def _remember(self, now: Moment) -> None:
        self._recent.append(now)
        while now.time - self._recent[0].time > self.settings.history_s:
            self._recent.popleft()

    def _turn(self, now: Moment, metric: Metric, delta: float) -> None:
        """Advance the zigzag: the farthest frame becomes a turn once the posture came back."""
        assert self._ext is not None
        d = metric.distance(now.pose, self._turns[-1].pose)
        if d >= self._ext_dist:
            self._ext, self._ext_dist = now, d
        elif (
            self._ext_dist >= delta
            and metric.distance(now.pose, self._ext.pose) >= 0.5 * delta
            and d <= self._ext_dist - 0.25 * delta
        ):
            turn = self._ext
            if len(self._turns) > 1:  # not from where the zigzag (re)started: a whole swing
                self._sizes.append((turn.time, self._ext_dist))
            self._turns.append(turn)
            self._starts.append(_Start(turn, now))
            self._ext, self._ext_dist = now, metric.distance(now.pose, turn.pose)

    def close_at_end(
        self, metric: Metric, offer: Callable[[Candidate], bool], taken_until: int
    ) -> None:
        """At the end of the stream, which ends every return: offer the loops that came back
        past half way by its last frame. With its way out, such a loop shows most of a
        cycle (the share :mod:`~formcoach.counting.edges` counts a rep cut by an edge at)."""
        if not self._turns or not self._recent:
            return
        now = self._recent[-1]
        delta = self.hysteresis(now.time, metric)
        half = min(0.5, self.settings.return_share)
        self._close_loops(now, metric, offer, taken_until, delta, ret=half)

    def _close_loops(
        self,
        now: Moment,
        metric: Metric,
        offer: Callable[[Candidate], bool],
        taken_until: int,
        delta: float,
        ret: float | None = None,
    ) -> None:
        """Offer the loops from each possible start that ``now`` closes: those back within
        ``1 - ret`` of their span of their start (``ret``: ``return_share`` by default)."""
        ret = self.settings.return_share if ret is None else ret
        starts = list(self._starts) + ([self._rest] if self._rest is not None else [])
        start_poses = np.array([a.start.pose for a in starts])
        fars = np.array([a.far.pose for a in starts])
        to_start = metric.distances(start_poses, now.pose)  # (k,)
        span = metric.distances(fars - start_poses, np.zeros_like(now.pose))
        to_far = metric.distances(fars, now.pose)
        for k, a in enumerate(starts):
            if a.start.index < now.index and to_start[k] > span[k]:
                a.far, span[k], to_far[k] = now, to_start[k], 0.0
        for k, a in enumerate(starts):
            if a.start.index <= taken_until or a.far.index <= a.start.index:
                continue
            if span[k] < delta or a.tried_far == a.far.index:
                continue
            if to_start[k] <= (1.0 - ret) * span[k] and to_far[k] >= ret * span[k]:
                a.tried_far = a.far.index
                start = departure(self._recent, a.start, a.far, metric, self.settings)
                far = pose_near(self._recent, start, now, metric, far=True)
                rest = pose_near(self._recent, start, a.far, metric, far=False)
                if offer(Candidate(start, a.far, now, float(span[k]), far, rest)):
                    break

    def _follow_rest(
        self, now: Moment, metric: Metric, rest: tuple[np.ndarray, float], taken_until: int
    ) -> None:
        """Keep the rest start: the frame nearest the set's rest pose since the last rep left it."""
        pose, rest_span = rest
        near = metric.distance(now.pose, pose)
        ra = self._rest
        if near <= self.settings.rest_tolerance * rest_span and (
            ra is None
            or ra.tried_far >= 0
            or ra.start.index <= taken_until
            or near <= metric.distance(ra.start.pose, pose)
        ):
            self._rest = _Start(now, now)

    def at(self, time: float, default: Moment) -> Moment:
        """The first remembered frame at or after ``time`` (``default`` if none is)."""
        return next((m for m in self._recent if m.time >= time - 1e-9), default)

    def frames_after(self, index: int) -> list[Moment]:
        """The remembered frames after frame ``index``, oldest first."""
        return [m for m in self._recent if m.index > index]

    def _start_over(self, now: Moment) -> None:
        for kept in (self._turns, self._sizes, self._starts):
            kept.clear()
        self._turns.append(now)
        self._ext, self._ext_dist = now, 0.0
        self._starts.append(_Start(now, now))
