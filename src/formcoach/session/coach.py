"""The coached session: recognise → greet → "are you ready?" → today's workout → summary.

Everything the coach touches is injected (store, voice, ears, face model, pose source,
counter and judge factories), so the whole scenario runs headless in tests and in
``formcoach demo`` with the same logic as in front of a camera.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from formcoach.core.digest import file_digest
from formcoach.core.errors import FormcoachError
from formcoach.core.skeleton import BODY_PARTS
from formcoach.faces import FaceEncoder, Gallery
from formcoach.faces.enrol import enrol
from formcoach.session import phrases
from formcoach.session.commands import CommandSource, ListenerCommands, NoCommands
from formcoach.session.console import EchoingListener, answer_how, saw_line
from formcoach.session.feed import Feed, PoseBuffer
from formcoach.session.identify import Identity, identify_from_feed, identify_from_photo
from formcoach.session.results import (
    RepOutcome,
    SessionResult,
    SetResult,
    rep_record,
    speech_dir_of,
    with_voice_latency,
)
from formcoach.session.state import CoachState
from formcoach.session.training import RepJudge, StreamingCounter, Trainer, TrainingSettings
from formcoach.store import Store
from formcoach.store.records import WorkoutItem
from formcoach.store.resume import ItemProgress
from formcoach.store.sessions import SessionRecorder
from formcoach.voice.dialogue import ask
from formcoach.voice.listener import Listener
from formcoach.voice.speaker import Speaker

__all__ = ["Coach", "ReportWriter", "SessionConfig"]

#: Writes a finished session's report: ``(result, store, folder) -> the report's path``.
ReportWriter = Callable[[SessionResult, Store, Path], Path]


@dataclass(frozen=True)
class SessionConfig:
    """What a session should do.

    Attributes:
        profile: train this profile without looking at faces.
        face_photo: recognise the person from this photo instead of the camera.
        day: the weekday whose workout to train (default: today).
        plan: train these items instead of the day's workout (free training).
        rest_scale: real rest time = planned rest × this (live: 1; a video: 0, since it
            simply waits unread during the rest).
        identify_timeout_s: how long to look for a known face.
        report_dir: where the HTML report goes (``None``: no report; written by the coach's
            ``write_report``).
        training: how sets are run.
    """

    profile: str | None = None
    face_photo: Path | None = None
    day: date | str | None = None
    plan: tuple[WorkoutItem, ...] | None = None
    rest_scale: float = 1.0
    identify_timeout_s: float = 20.0
    report_dir: Path | None = None
    training: TrainingSettings = field(default_factory=TrainingSettings)


class Coach:
    """Runs one session.

    Args:
        config: what to do.
        store: the database.
        speaker: the voice.
        listener: the ears for questions (voice answers or scripted ones).
        keyboard: typed answers when voice fails (and for names), or ``None``.
        open_source: opens the camera or video when training starts (or identification
            needs frames); returns a ``PoseSource``.
        get_exercise: exercise name -> exercise (``formcoach.form.exercises.get_exercise``).
        make_counter: exercise -> streaming counter.
        make_judge: exercise -> judge.
        faces: the face model (``None``: only --profile works).
        commands: spoken (or scripted) commands during sets.
        on_step: called with every pipeline step (a display).
        on_state: called with every new :class:`CoachState` (a display), on the coach's
            thread.
        echo: prints what was heard (the speaker prints what was said).
        write_report: writes the report into ``config.report_dir`` at the end (``None``: no
            report); e.g. :func:`formcoach.render.session_report.write_report`.
    """

    def __init__(
        self,
        config: SessionConfig,
        store: Store,
        speaker: Speaker,
        listener: Listener,
        keyboard: Listener | None,
        open_source: Callable[[], Any],
        get_exercise: Callable[[str], Any],
        make_counter: Callable[[Any], StreamingCounter],
        make_judge: Callable[[Any], RepJudge],
        faces: FaceEncoder | None = None,
        commands: CommandSource | None = None,
        on_step: Callable[[Any], None] | None = None,
        on_state: Callable[[CoachState], None] | None = None,
        echo: Callable[[str], None] | None = print,
        write_report: ReportWriter | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.speaker = speaker
        self.listener = listener
        self.keyboard = keyboard
        self._open_source = open_source
        self.get_exercise = get_exercise
        self.make_counter = make_counter
        self.make_judge = make_judge
        self.faces = faces
        self.commands = commands or NoCommands()
        self.on_step = on_step
        self.on_state = on_state
        self.state = CoachState()
        self.echo = echo or (lambda s: None)
        self.write_report = write_report
        self.said: list[str] = []
        self.heard: list[tuple[str, str, str]] = []
        self._feed: Feed | None = None
        self._files_kept = 0

    # --- state and speech -----------------------------------------------------------------
    def show(self, **changes: Any) -> None:
        """Update the state (fields of :class:`CoachState`) and tell ``on_state``."""
        self.state = replace(self.state, **changes)
        if self.on_state is not None:
            self.on_state(self.state)

    def say(self, text: str, interrupt: bool = False) -> None:
        """Speak a line (never blocks)."""
        self.said.append(text)
        self.speaker.say(text, interrupt=interrupt)
        self.show(said=text)

    def _ask(self, question: str, expect=("yes", "no")) -> str:
        if isinstance(self.commands, ListenerCommands):
            self.commands.pause(True)  # the question's answer is not a command
        phase = self.state.phase
        self.show(phase="asking", said=question)
        try:
            then = "the keyboard" if self.keyboard is not None else None
            ears = EchoingListener(self.listener, self.echo, then)
            keys = None if self.keyboard is None else EchoingListener(self.keyboard, self.echo)
            answer = ask(question, self.speaker, ears, keys, expect=expect)
        finally:
            if isinstance(self.commands, ListenerCommands):
                self.commands.pause(False)
        self.said.append(question)
        self.show(phase=phase)
        self.heard.append((question, answer.intent, answer_how(answer)))
        return answer.intent

    # --- the scenario ---------------------------------------------------------------------
    def feed(self) -> Feed:
        if self._feed is None:
            source = self._open_source()
            buffer = PoseBuffer(self.config.training.buffer_s, source.fps or 30.0)
            self._feed = Feed(source, buffer, self.on_step)
        return self._feed

    def run(self) -> SessionResult:
        """Run the whole session; the store keeps every finished rep even if it fails."""
        try:
            self.feed()  # a missing camera or unreadable video is told before any greeting
            name = self._who()
            if name is None:
                return self._result(None, None, "declined", [])
            self.show(profile=name)
            self.say(phrases.greeting(name))
            if self._ask("Are you ready to train?") != "yes":
                self.say("No problem. See you next time!")
                return self._result(name, None, "declined", [])
            return self._workout(name)
        finally:
            if self._feed is not None:
                self._feed.close()
            self.commands.close()

    def _who(self) -> str | None:
        c = self.config
        if c.profile:
            return self.store.profile(c.profile).name
        if self.faces is None:
            raise FormcoachError(
                "face recognition is not available",
                "install it with pip install 'formcoach[face]', or pass --profile NAME",
            )
        gallery = Gallery.from_store(self.store)
        self.show(phase="identifying")
        if c.face_photo is not None:
            who = identify_from_photo(c.face_photo, self.faces, gallery)
        else:
            who = identify_from_feed(
                self.feed(), self.faces, gallery, self.say, c.identify_timeout_s
            )
        self.echo(saw_line(who))
        self.show(phase="starting")
        return who.name if who.name else self._enrol(who)

    def _enrol(self, who: Identity) -> str | None:
        if self._ask("Hello! I don't know you yet. Shall I remember your face?") != "yes":
            self.say("All right. Come back any time.")
            return None
        if self.keyboard is None or who.face is None:
            self.say("Please add yourself with formcoach profile add, then come back.")
            return None
        self.say("Please type your name.")
        self.speaker.wait()  # the line is said (and printed) before the keyboard prompt
        for _ in range(3):
            typed = self.keyboard.listen().text.strip()
            if not typed:
                break
            try:
                result = enrol(self.store, typed, [(who.face, f"session {who.how}")])
            except FormcoachError as e:
                self.echo(f"formcoach: {e}")
                continue
            self.say(f"Nice to meet you, {result.name.replace('_', ' ').title()}.")
            return result.name
        self.say("I couldn't save your name. Add yourself with formcoach profile add.")
        return None

    def _workout(self, name: str) -> SessionResult:
        c = self.config
        items = list(c.plan) if c.plan else self.store.todays_workout(name, c.day or date.today())
        if not items:
            self.say("Today is a rest day in your plan. Enjoy it!")
            return self._result(name, None, "finished", [])
        feed = self.feed()
        progress = self._progress(name, items)
        self._say_resuming(items, progress)
        sets: list[SetResult] = []
        stopped = False
        source = feed.source
        description = str(getattr(source, "description", ""))
        with self.store.record_session(name, description, _recording_digest(source)) as rec:
            self.show(session_id=rec.session_id)
            for k, (item, done) in enumerate(zip(items, progress, strict=True)):
                if done.sets_done < item.sets:
                    stopped = self._train_item(item, done, rec, sets, k == len(items) - 1)
                if stopped:
                    break
            self.say(self._summary(name, sets, stopped))
            self.speaker.wait(30.0)
            result = self._result(name, rec.session_id, "stopped" if stopped else "finished", sets)
            self._keep_files(rec)
            if c.report_dir is not None and self.write_report is not None:
                path = self.write_report(result, self.store, c.report_dir)
                self.store.add_session_files(rec.session_id, "report", [str(path)])
                rec.report = str(path)
                result = replace(result, report=str(path))
        return result

    def _progress(self, name: str, items: list[WorkoutItem]) -> list[ItemProgress]:
        """How far today's plan got before a cut-short session. Sets are stored under the
        exercise's name (``bicep curl``), a plan may say ``bicep_curl`` or an alias: compare
        by the exercise each item names."""
        named = [replace(i, exercise=self.get_exercise(i.exercise).name) for i in items]
        return self.store.plan_progress(name, named) or [ItemProgress()] * len(items)

    def _say_resuming(self, items: list, progress: list[ItemProgress]) -> None:
        for item, done in zip(items, progress, strict=True):
            if done.sets_done < item.sets:
                if any(p.started for p in progress):
                    title = self.get_exercise(item.exercise).title
                    self.say(phrases.resuming(title, done.sets_done + 1, item.sets))
                return

    def _train_item(
        self, item: Any, done: ItemProgress, rec: SessionRecorder, sets: list, last_item: bool
    ) -> bool:
        """The remaining sets of one plan item (a set cut short continues for what it owes);
        True when the session must stop."""
        c, feed = self.config, self.feed()
        exercise = self.get_exercise(item.exercise)
        trainer = Trainer(
            feed,
            self.commands,
            exercise,
            self.make_counter(exercise),
            self.make_judge(exercise),
            self.say,
            record=lambda o, n: self._record_rep(rec, o, n),
            settings=c.training,
            progress=self.show,
        )
        for number in range(done.sets_done + 1, item.sets + 1):
            owed = done.cut_short if number == done.sets_done + 1 else 0.0
            reps = max(int(item.reps or 0) - int(owed), 1) if item.reps else None
            hold = max(float(item.hold_s or 0) - owed, 1.0) if item.static else None
            rec.start_set(exercise.name, reps, hold)
            self._show_set(exercise, item, number)
            if item.static:
                result = trainer.run_hold(number, item.sets, float(hold or 0))
            else:
                result = trainer.run_set(number, item.sets, int(reps or 0))
            rec.end_set(result.hold_s)
            sets.append(result)
            self._keep_files(rec)
            last = last_item and number == item.sets
            # stopped: asked to, or the video ran out before the plan was done
            stopped = trainer.stop_requested or (feed.ended and not last)
            if stopped or result.ended_by == "skip":
                return stopped
            if number < item.sets and trainer.rest(item.rest_s, c.rest_scale):
                return trainer.stop_requested
        return False

    def _record_rep(self, rec: SessionRecorder, outcome: RepOutcome, number: int) -> None:
        rec.add_rep(rep_record(outcome, number))
        self._keep_files(rec)

    def _keep_files(self, rec: SessionRecorder) -> None:
        """Record the speech files written so far with the session (so forgetting the
        person deletes them)."""
        lines = getattr(self.speaker, "lines", [])
        new = [str(ln.path) for ln in lines[self._files_kept :] if ln.path is not None]
        self._files_kept = len(lines)
        self.store.add_session_files(rec.session_id, "speech", new)

    def _show_set(self, exercise: Any, item: WorkoutItem, number: int) -> None:
        self.show(
            exercise=exercise.title,
            set_number=number,
            sets=item.sets,
            target_reps=item.reps,
            target_hold_s=item.hold_s,
            count=0,
            held_s=0.0,
            rest_s=None,
            last_rep=None,
        )

    def _summary(self, name: str, sets: list[SetResult], stopped: bool) -> str:
        scores = [s.score for s in sets if s.score is not None]
        parts = collections.Counter(
            r.worst_part for s in sets for r in s.reps if r.passed is False and r.worst_part
        )
        part = None
        if parts:
            key = parts.most_common(1)[0][0]
            part = BODY_PARTS[key].spoken if key in BODY_PARTS else key.replace("_", " ")
        reps = sum(s.count for s in sets)
        return phrases.workout_summary(name, len(sets), reps, scores, part, stopped)

    def _result(
        self, name: str | None, session_id: int | None, status: str, sets: list[SetResult]
    ) -> SessionResult:
        sets = [with_voice_latency(s, self.speaker) for s in sets]
        self.show(phase=status)
        return SessionResult(
            name,
            session_id,
            status,
            tuple(sets),
            tuple(self.said),
            tuple(self.heard),
            speech_dir=speech_dir_of(self.speaker),
        )


def _recording_digest(source: Any) -> str | None:
    """The content SHA-256 of the recording a source reads (``None`` for a camera)."""
    path = getattr(source, "path", None)
    return file_digest(path) if path is not None and Path(path).is_file() else None
