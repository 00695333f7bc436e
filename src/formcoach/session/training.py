"""Training one set: poses in, reps counted and judged, a cue spoken right after each rep.

The loop is driven by frames (:class:`Feed`), never by speech: ``Speaker.say`` only queues.
Commands (stop, pause, skip, repeat, how many) are polled once per frame. A person who
leaves, or a camera that stops delivering, pauses the set; their return resumes it. What sets
share (commands, the countdown, the rest between sets) is :mod:`formcoach.session.set_control`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.rep import Rep
from formcoach.core.view import View, estimate_view
from formcoach.counting.holds import holds_position
from formcoach.form.around import LOOK_BACK_S
from formcoach.session import phrases
from formcoach.session.commands import CommandSource
from formcoach.session.feed import Feed
from formcoach.session.results import RepOutcome, SetResult
from formcoach.session.set_control import SetControl
from formcoach.session.settings import TrainingSettings
from formcoach.session.watch import Presence

__all__ = ["CONTEXT_S", "RepJudge", "StreamingCounter", "Trainer", "TrainingSettings"]

#: The least stream (seconds) before a rep handed to its judge with it: all the judge looks
#: back for (glitches, then the rest; :data:`formcoach.form.around.LOOK_BACK_S`).
CONTEXT_S = LOOK_BACK_S


class StreamingCounter(Protocol):
    """A streaming repetition counter (``formcoach.counting.RepCounter``)."""

    def update(self, pose: Pose) -> list[Rep]: ...

    def finish(self) -> list[Rep]: ...


class RepJudge(Protocol):
    """Judges one repetition (``formcoach.form.judge.FormJudge``)."""

    def judge(
        self,
        seq: PoseSequence,
        rep: Rep | None = None,
        view: str | None = None,
        near_side: str | None = None,
    ) -> Any: ...


class Trainer(SetControl):
    """Runs the sets of one exercise: counts, judges, speaks, stores.

    Args:
        counter: one streaming counter for all the sets of this exercise.
        judge: judges each rep.
        record: stores one finished rep at once (``None``: not stored).
        feed, commands, exercise, say, settings, progress: as for
            :class:`~formcoach.session.set_control.SetControl`.
    """

    def __init__(
        self,
        feed: Feed,
        commands: CommandSource,
        exercise: Any,
        counter: StreamingCounter,
        judge: RepJudge,
        say: Callable[..., object],
        record: Callable[[RepOutcome, int], None] | None = None,
        settings: TrainingSettings = TrainingSettings(),
        progress: Callable[..., None] | None = None,
    ) -> None:
        super().__init__(feed, commands, exercise, say, settings, progress)
        self.counter = counter
        self.judge = judge
        self.record = record
        self._view: View | None = None
        self._good_streak = 0
        self._last_failed = False
        self._hidden_said: set[str] = set()

    # --- a set of repetitions -------------------------------------------------------------
    def run_set(self, number: int, sets: int, target: int) -> SetResult:
        """Train one set of ``target`` reps; returns when it is done, skipped or stopped.

        A person out of view, a lost camera or a pause stop the idle clock; a lost camera
        or a pause also stop counting.
        """
        s = self.settings
        name = self.exercise.name
        ready = self._start(number, sets, target, None)
        if ready is not None:
            return SetResult(name, number, target, None, (), None, ready)
        reps: list[RepOutcome] = []
        watch = Presence(self._speak, s.absent_s)
        ended_by, paused, t_idle = "end", False, None
        while True:
            step = self.feed.next()
            if step is None:
                watch.source_ended()
                self._add_reps([] if paused else self.counter.finish(), reps, target)
                ended_by = "target" if len(reps) >= target else "end"
                break
            t = step.pose.timestamp
            how, paused = self._command(step, len(reps), paused)
            if how:
                ended_by = how
                break
            lost = watch.update(step)
            new = [] if paused or lost else self.counter.update(step.pose)
            if self._add_reps(new, reps, target):
                t_idle = reps[-1].rep.end_s
            if len(reps) >= target:
                ended_by = "target"
                break
            if t_idle is None or paused or watch.waiting:
                t_idle = t
            elif t - t_idle > (s.idle_s if reps else s.start_timeout_s):
                ended_by = "idle"
                if not reps:
                    self._speak("I didn't see any reps, so let's move on.")
                break
        result = SetResult(self.exercise.name, number, target, None, tuple(reps), None, ended_by)
        if ended_by not in ("stop", "skip"):
            self._speak(phrases.set_summary(result.count, target, result.score))
        return result

    def _add_reps(self, new: list[Rep], reps: list[RepOutcome], target: int) -> bool:
        """Judge, say and store each new rep up to the target; True when any was added."""
        added = False
        for rep in new:
            if len(reps) >= target:
                break
            outcome = self._judge_rep(rep, len(reps) + 1, target)
            reps.append(outcome)
            if self.record is not None:
                self.record(outcome, len(reps))
            self.progress(count=len(reps), last_rep=outcome)
            added = True
        return added

    def _set_view(self) -> View | None:
        if self._view is None:
            recent = self.feed.buffer.recent(5.0)
            if recent is not None and recent.detected.sum() >= 5:
                self._view = estimate_view(recent)
        return self._view

    def _judge_rep(self, rep: Rep, number: int, target: int) -> RepOutcome:
        # the stream around the rep up to now (where the person rested, if the counter cut
        # the rep inside it): a rep's length before it, at least CONTEXT_S
        around = self.feed.buffer.around(rep, max(rep.duration_s, CONTEXT_S))
        verdict, note, said = None, "", ""
        view = self._set_view()
        if around is None:
            note = "the rep's poses were no longer buffered"
        else:
            try:
                verdict = self.judge.judge(
                    *around,
                    view=view,  # the set's whole view, as analysis passes it
                    near_side=view.near_side if view else None,
                )
            except FormcoachError as e:  # a rep not in the exercise's posture: said once
                note, said = e.message, getattr(e, "said", "")
        line = self._rep_line(number, target, verdict)
        if said and said not in self._hidden_said:
            self._hidden_said.add(said)
            line = f"{line} {said}"
        said_at = time.perf_counter()
        self._speak(line, interrupt=verdict is not None and not verdict.passed)
        return RepOutcome(rep, verdict, note, line, self._latency(rep, said_at), said_at)

    def _rep_line(self, number: int, target: int, verdict: Any | None) -> str:
        """Count aloud; add the correction after a failed rep and praise now and then."""
        count = phrases.spoken_count(number).capitalize() + "."
        if verdict is None:
            return count
        extra = ""
        for text in getattr(verdict, "hidden", {}).values():
            if text not in self._hidden_said:  # by text: both legs ask "... see your legs."
                self._hidden_said.add(text)
                extra = f" {text}"
                break
        if not verdict.passed:
            self._good_streak = 0
            self._last_failed = True
            return f"{count} {verdict.cue}{extra}"
        self._good_streak += 1
        if self._last_failed:
            self._last_failed = False
            return f"{count} That's better!{extra}"
        if self._good_streak % self.settings.praise_every == 0 or number == target:
            return f"{count} {verdict.cue}{extra}"
        return f"{count}{extra}"

    def _latency(self, rep: Rep, said_at: float) -> float | None:
        """Seconds from the rep's last frame to the line about it being handed to the voice.

        Live, frames arrive at the camera's pace; a video is read faster than that. So the
        wait for the counter to see the rep is counted in source time (emitted frame minus
        last frame), and the rest (judging) in wall time. The session adds the voice's own
        time to first audio once the line is spoken.
        """
        emitted = rep.emitted_frame if rep.emitted_frame >= 0 else rep.end_frame
        wall_emitted = self.feed.buffer.arrival(emitted)
        if wall_emitted is None:
            return None
        stream_wait = max(emitted - rep.end_frame, 0) / self.feed.fps
        return stream_wait + max(said_at - wall_emitted, 0.0)

    # --- a timed hold ---------------------------------------------------------------------
    def run_hold(self, number: int, sets: int, hold_s: float) -> SetResult:
        """Train one timed hold: time in position accumulates; corrections now and then."""
        s = self.settings
        name = self.exercise.name
        ready = self._start(number, sets, None, hold_s)
        if ready is not None:
            return SetResult(name, number, None, hold_s, (), 0.0, ready)
        windows: list[RepOutcome] = []
        held, ended_by, paused = 0.0, "end", False
        t_window = t_cue = t_seen = None
        told_position = False
        camera = Presence(self._speak, s.absent_s)
        while True:
            step = self.feed.next()
            if step is None:
                camera.source_ended()
                break
            t = step.pose.timestamp
            how, paused = self._command(step, round(held), paused)
            if how:
                ended_by = how
                break
            if camera.update(step, person=False):  # wait for the camera, held time kept
                t_window, t_seen = None, t
                continue
            if step.raw.detected:
                t_seen = t
            if paused:
                t_window = None
                continue
            if t_window is None:
                t_window = t
            if held > 0 and t_seen is not None and t - t_seen > s.absent_s + 1.0:
                ended_by = "idle"
                break
            if t - t_window < s.hold_window_s:
                continue
            seq = self.feed.buffer.recent(t - t_window)
            t0, t_window = t_window, t
            verdict = self._judge_hold(seq)
            if not self._in_position(seq, verdict):
                if not told_position:
                    self._speak(f"Get into your {phrases.exercise_words(name, False)} position.")
                    told_position = True
                continue
            held += t - t0
            self.progress(held_s=round(held, 1))
            line = ""
            if not verdict.passed and (t_cue is None or t - t_cue >= s.hold_cue_every_s):
                line, t_cue = verdict.cue, t
                self._speak(line, interrupt=True)
            first = step.pose.index - len(seq) + 1
            windows.append(
                RepOutcome(Rep(first, step.pose.index, t0, t, len(windows) + 1), verdict, "", line)
            )
            if held >= hold_s:
                ended_by = "target"
                self._speak("Time! Well held.")
                break
        return SetResult(name, number, None, hold_s, tuple(windows), round(held, 2), ended_by)

    def _in_position(self, seq: PoseSequence | None, verdict: Any | None) -> bool:
        """Does a judged stretch of a hold count as holding? When the exercise says where its
        position is, by the counter's rule (:func:`~formcoach.counting.holds.holds_position`):
        a sagging plank is still a plank, held and timed, and the judge says what is wrong
        with it. Otherwise when it scores at least ``hold_in_position``."""
        if verdict is None:
            return False
        held = holds_position(seq, self.exercise) if seq is not None else None
        return verdict.score >= self.settings.hold_in_position if held is None else held

    def _judge_hold(self, seq: PoseSequence | None) -> Any | None:
        """The verdict on a stretch of a hold, or None when it cannot be judged."""
        try:
            return self.judge.judge(seq) if seq is not None else None
        except FormcoachError:
            return None
