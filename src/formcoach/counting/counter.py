"""The streaming repetition counter, and offline counting through the same code.

::

    Pose ─▶ posture vector ─▶ median + smoothing ─▶ movement subspace ─▶ excursions (loops)
            (motion)                                   │ (its noise)   ▲     │ candidates
                                          period, range of the cycle ─┘     │
                                           (periodicity)      │             ▼
      Rep ◀── its way back (returns) ◀── confirmation (repeats the set, or the exercise)
       ▲  (emit)
       └── reps cut by the recording's edges (edges)        holds of a static exercise (holds)

Every stage keeps a bounded state; the work per frame is a few small matrix products (a 35×35
eigen-decomposition every 0.15 s, and the period a few times a second). Every window is in
seconds, derived from the tempo range counted (``slowest_hz`` to ``fastest_hz`` of
:class:`~formcoach.counting.settings.CountSettings`), every length in torso lengths or shares.

**Two modes.** Without an exercise (``auto``) the posture is the whole body and a movement is
a repetition once it repeats (:mod:`~formcoach.counting.confirm`). With an exercise, the
posture is its drive features; an exercise of the library also tells the counter its range of
motion (:mod:`~formcoach.counting.expected`), so one clear rep the exercise's way counts at
once (a single rep, slow reps with pauses) and any other movement never does.

**A rep**, as emitted: its frames (a closed interval; consecutive reps share at most the frame
where one ends and the next begins), when it is emitted and its features are
:mod:`~formcoach.counting.emit`'s.

**A hold** (a ``static`` exercise, a plank) is not counted: the counter returns each stretch
during which the position is held (:mod:`~formcoach.counting.holds`), with ``held_s`` in its
features, emitted when the position is left or the stream ends.

**Bad input**: an empty or all-missing stream counts 0 with a :class:`CountWarning`; a stream
with no repetition counts 0; a live stream that stops mid-rep does not emit the half rep.
"""

from __future__ import annotations

import warnings
from collections import deque

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose
from formcoach.core.rep import ExerciseHint, Rep
from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.confirm import RepConfirmer
from formcoach.counting.edges import Cut, Edges, lone_half
from formcoach.counting.emit import Emitter
from formcoach.counting.excursions import ExcursionTracker
from formcoach.counting.expected import expected_rep
from formcoach.counting.firstloop import cut_by_start
from formcoach.counting.floor import hidden_turn, smallest_movement
from formcoach.counting.holds import HoldTracker
from formcoach.counting.lastrep import last_of_set
from formcoach.counting.motion import (
    BodyFeatures,
    BodyFrame,
    DriveFeatures,
    MotionSubspace,
    Smoother,
)
from formcoach.counting.periodicity import PeriodTracker
from formcoach.counting.phase import from_entry
from formcoach.counting.returns import Return, begins_after
from formcoach.counting.settings import CountSettings

__all__ = ["CountWarning", "RepCounter"]

#: Frame rate assumed when neither ``fps`` nor the timestamps say.
_FALLBACK_FPS = 30.0


class CountWarning(UserWarning):
    """Counting ran but its input was unusable (nothing to count in)."""


class RepCounter:
    """Counts repetitions in a stream of cleaned poses, emitting each as soon as it is over.

    Args:
        exercise: what drives the exercise's reps (its ``drive`` features are then the only
            signal used, and its ``drive_levels()``, when it has them, its range of motion);
            ``None`` (or an exercise without drive features) discovers the movement from the
            whole body. For a ``static`` exercise (a hold) the "reps" are the held stretches.
        fps: frame rate of the stream, used only where timestamps do not advance.
        settings: tuning knobs (defaults suit any exercise).

    Example:
        >>> counter = RepCounter()
        >>> for step in track(source):             # doctest: +SKIP
        ...     for rep in counter.update(step.pose):
        ...         print("rep", rep.number)
        >>> leftover = counter.finish()            # doctest: +SKIP
    """

    def __init__(
        self,
        exercise: ExerciseHint | None = None,
        fps: float | None = None,
        settings: CountSettings | None = None,
    ) -> None:
        if fps is not None and not (np.isfinite(fps) and fps > 0):
            raise ValueError(f"RepCounter: fps must be positive, got {fps}")
        if exercise is not None and not isinstance(exercise, ExerciseHint):
            raise TypeError(
                f"RepCounter: exercise must have name, drive and static (ExerciseHint), "
                f"got {type(exercise).__name__}"
            )
        self.exercise = exercise
        self.settings = settings or CountSettings()
        self.fps = float(fps) if fps else None
        s = self.settings
        drive = tuple(exercise.drive) if exercise is not None else ()
        self._static = bool(exercise is not None and exercise.static)
        try:
            self._features = DriveFeatures(drive) if drive else BodyFeatures()
        except FormcoachError as e:
            name = exercise.name if exercise is not None else "?"
            raise FormcoachError(
                f"exercise {name!r} has an unusable drive feature: {e.message}", e.hint
            ) from None
        f = self._features
        self.expected = expected_rep(exercise, f.factors) if isinstance(f, DriveFeatures) else None
        self._frame = BodyFrame()
        self._smoother = Smoother(f.size, s.glitch_s, s.smooth_s)
        self._period = PeriodTracker(s.cycle_s, 1.0 / s.fastest_hz)
        self._hold: HoldTracker | None = None
        if self._static:
            is_angle = f.is_angle if isinstance(f, DriveFeatures) else np.ones(f.size, bool)
            self._hold = HoldTracker(is_angle, self.expected, s)
        self._subspace = MotionSubspace(f.size, s.subspace_dims, s.cycle_s, s.jitter_ratio)
        least = smallest_movement(f, self.expected, s)
        self._tracker = ExcursionTracker(s, min_move=least)
        self._hidden = hidden_turn(f, least, self.expected is not None, s)
        self._confirmer = RepConfirmer(s, f.symmetric, self.expected)
        self._returning: deque[Return] = deque()
        self._edges = Edges()
        self._last_rep: tuple[Candidate, Moment] | None = None  # last counted rep, its arrival
        self._last_time: float | None = None
        self._last_index = -1
        self._taken_until = -1  # far frame of the last counted rep
        self._emitter = Emitter(self._tracker.at, lambda: self._smoother.lag_s)
        self._frames = 0
        self._seen = 0
        self._finished = False

    # --- public API -----------------------------------------------------------------------
    @property
    def count(self) -> int:
        """Repetitions emitted so far."""
        return self._emitter.count

    def update(self, pose: Pose) -> list[Rep]:
        """Take the next cleaned pose (any skeleton); return the reps that just ended."""
        if self._finished:
            raise RuntimeError("RepCounter.update after finish(): make a new counter")
        dt = self._dt(pose.timestamp)
        self._frames += 1
        self._last_index = pose.index
        if not pose.detected:
            return []
        xy = pose.to_common().xy
        centre = self._frame(xy, dt)
        if centre is None:
            return []
        unit = self._frame.unit
        f = self._features(xy, centre, unit)
        if self._hidden is not None:
            self._hidden.step(xy, unit, pose.timestamp, dt, self._tracker)
        if np.isnan(f).all():
            return []
        self._seen += 1
        # the smoothing passes the first two harmonics of a fast movement that repeats (an
        # exponential filter of time constant P / 4 pi cuts off at 2 / P Hz)
        fast = self._period.period / (4 * np.pi) if self._period.repeats else np.inf
        self._smoother.smooth_s = min(self.settings.smooth_s, fast)
        g = self._smoother(f, pose.timestamp, dt)
        if g is None:
            return []
        now = Moment(pose.index, pose.timestamp, g, centre / unit)
        if self._hold is not None:
            held = self._hold.step(now, ~np.isnan(f))
            return [] if held is None else [self._emitter.hold(held, pose.index)]
        self._subspace.update(g, now.time, dt, self._features.noise_gain)
        self._period.basis = self._subspace.basis
        # the period from the posture before the exponential smoothing, which would damp a
        # fast cycle's correlation with the one before
        self._period.update(now.time, self._smoother.unsmoothed)
        self._edges.see(now)
        return self._step(now)

    def finish(self) -> list[Rep]:
        """End of the stream: the reps still owed (never a half rep). Warns if nothing was seen."""
        if self._finished:
            return []
        self._finished = True
        if self._frames and not self._seen:
            warnings.warn(
                f"no pose was seen in any of the {self._frames} frames: counted 0 reps",
                CountWarning,
                stacklevel=2,
            )
        if self._hold is not None:
            held = self._hold.finish()
            return [] if held is None else [self._emitter.hold(held, self._last_index)]
        out = [self._emit(r.rep, r.arrival, self._last_index) for r in self._returning]
        self._returning.clear()
        out += self._closed_at_end()
        if not self._emitter.count:
            lone = self._confirmer.lone()
            if lone is not None:
                out.append(self._emit(lone, self._follow(lone, None).arrival, self._last_index))
            else:
                out += self._lone_half()
        elif self._last_rep is not None:
            late = last_of_set(self._confirmer, self._after_last)
            if late is not None:
                out.append(self._emit(late, self._follow(late, None).arrival, self._last_index))
            last, arrival = self._last_rep
            frames = self._tracker.frames_after(arrival.index)
            cut = self._edges.at_end(frames, last, self._subspace.distance)
            if cut is not None:
                out.append(self._emit_cut(cut, self._last_index))
        return out

    # --- internals ------------------------------------------------------------------------
    def _step(self, now: Moment) -> list[Rep]:
        """Find the loops ``now`` closes, judge them, and emit the reps that are over."""
        accepted: list[Candidate] = []

        def offer(c: Candidate) -> bool:
            if not self._after_last(c):
                return False
            got = self._confirmer.offer(c, self._subspace.distance)
            if got and self._confirmer.set_start:
                got = self._rephase(got)
                if cut_by_start(got, self._before_set(got), self._subspace.distance, self.settings):
                    got = got[1:]  # the rep cut by the recording's start (edges judge it)
            got = self._in_turn(got, accepted)
            if got:
                accepted.extend(got)
                self._taken_until = got[-1].far.index
            return bool(got)

        t = self._confirmer.template
        rest = None if t is None else (t.rest, self._subspace.distance(t.far, t.rest))
        repeats = self._period.repeats
        self._confirmer.repeats = repeats
        self._tracker.period = self._period.period if repeats else float("nan")
        self._tracker.cycle_range = self._period.range if repeats else None
        self._tracker.step(now, self._subspace, offer, self._taken_until, rest)
        out = []
        if accepted and not self._edges.checked:
            out += self._cut_start(accepted, now)
        for c in accepted:
            self._follow(c, now)
        return out + self._settled(now)

    def _after_last(self, c: Candidate) -> bool:
        """Whether ``c`` (closed at ``c.end``) is a rep after the last one's arrival (so far,
        while it returns: :func:`~formcoach.counting.returns.begins_after`)."""
        r, last = self._returning, self._last_rep
        arrival = r[-1].arrival if r else None if last is None else last[1]
        least = self._tracker.hysteresis(c.end.time, self._subspace)
        return arrival is None or begins_after(c, arrival, self._subspace.distance, least)

    def _in_turn(self, got: list[Candidate], before: list[Candidate]) -> list[Candidate]:
        """The loops of ``got`` (accepted together, in order) that are reps after the last
        one's arrival and after each other, each judged against the one before it as against
        an arrival at its end (:func:`~formcoach.counting.returns.begins_after`): a pair can
        hold a loop whose way out is the other's way back (RepCount stu10_6 at 60 fps: a loop
        1090-1120-1127 paired with 1052-1088-1125 became a 2-frame rep after its far frame)."""
        kept: list[Candidate] = []
        for c in got:
            prev = kept[-1] if kept else before[-1] if before else None
            least = self._tracker.hysteresis(c.end.time, self._subspace)
            if self._after_last(c) and (
                prev is None or begins_after(c, prev.end, self._subspace.distance, least)
            ):
                kept.append(c)
        return kept

    def _rephase(self, got: list[Candidate]) -> list[Candidate]:
        """A set's first reps, counted from the end it was entered from (:mod:`phase`)."""
        before, first = self._confirmer.before, self._edges.first
        since = before.end.index if before is not None else first.index - 1 if first else -1
        frames = [m for m in self._tracker.frames_after(since) if m.index < got[0].start.index]
        return from_entry(got, frames, self._confirmer, self._subspace.distance)

    def _before_set(self, got: list[Candidate]) -> list[Moment]:
        """The recording's frames up to its first rep's start (none after a counted rep)."""
        first = self._edges.first
        if first is None or self._emitter.count or self._returning:
            return []
        until = got[0].start.index
        return [m for m in self._tracker.frames_after(first.index - 1) if m.index <= until]

    def _dt(self, t: float) -> float:
        fallback = 1.0 / (self.fps or _FALLBACK_FPS)
        dt = fallback if self._last_time is None else t - self._last_time
        self._last_time = t
        return dt if np.isfinite(dt) and dt > 0 else fallback

    def _follow(self, c: Candidate, now: Moment | None) -> Return:
        """Start following an accepted rep's way back, from the frame it was judged at (a rep
        confirmed late catches up on the frames since, from the tracker's history, up to but
        not including ``now``; all of it when ``now`` is None)."""
        r = Return(c, self.settings)
        dist = self._subspace.distance
        for m in self._tracker.frames_after(c.end.index):
            if (now is not None and m.index >= now.index) or r.step(m, dist(m.pose, c.start.pose)):
                break
        if now is not None:
            for earlier in self._returning:
                earlier.next_began(c.start)
            self._returning.append(r)
        return r

    def _settled(self, now: Moment) -> list[Rep]:
        """Step every rep on its way back; emit, in order, those whose return is over."""
        out = []
        for r in self._returning:
            r.step(now, self._subspace.distance(now.pose, r.rep.start.pose))
        while self._returning and self._returning[0].over:
            r = self._returning.popleft()
            out.append(self._emit(r.rep, r.arrival, now.index))
        return out

    def _closed_at_end(self) -> list[Rep]:
        """The reps whose loops the end of the stream closed (they came back past half way)."""
        accepted: list[Candidate] = []

        def offer(c: Candidate) -> bool:
            got = self._confirmer.offer(c, self._subspace.distance) if self._after_last(c) else []
            accepted.extend(got)
            return bool(got)

        self._tracker.close_at_end(self._subspace, offer, self._taken_until)
        return [self._emit(c, c.end, self._last_index) for c in accepted]

    def _cut_start(self, first: list[Candidate], now: Moment) -> list[Rep]:
        """At the first counted reps: the rep cut by the recording's start, if it counts."""
        e = self._edges
        if e.first is None:
            return []
        until = first[0].start.index
        frames = [m for m in self._tracker.frames_after(e.first.index - 1) if m.index <= until]
        cut = e.at_first_rep(frames, first, self._subspace.distance)
        return [] if cut is None else [self._emit_cut(cut, now.index)]

    def _lone_half(self) -> list[Rep]:
        """A recording with no complete rep that began inside its one clear movement."""
        e = self._edges
        if e.first is None:
            return []
        got = lone_half(self._tracker.frames_after(e.first.index - 1), self._subspace.distance)
        if got is None:
            return []
        cut, reach = got
        largest, _ = self._confirmer.dominant()
        if largest is not None and largest.span >= 0.5 * reach:
            return []  # it is not the recording's one clear movement
        move = Candidate(cut.start, cut.far, cut.end, reach)
        p = self.expected
        if p is not None:
            back = Candidate(cut.far, cut.start, cut.end, reach)  # the second half of a rep
            if not any(self._confirmer.clear_rep(c) for c in (move, back)):
                return []
        elif reach < self.settings.lone_min_range or move.travel > self.settings.step_torsos:
            return []
        return [self._emit_cut(cut, self._last_index)]

    def _emit_cut(self, cut: Cut, emitted: int) -> Rep:
        span = self._subspace.distance(cut.far.pose, cut.start.pose)
        return self._emit(Candidate(cut.start, cut.far, cut.end, span), cut.end, emitted, True)

    def _emit(self, c: Candidate, end: Moment, emitted: int, cut: bool = False) -> Rep:
        """The rep ``c`` ending at ``end`` (a rep cut by an edge of the recording: ``cut``)."""
        if not cut:
            self._last_rep = (c, end)
        return self._emitter.rep(c, end, emitted, cut)
