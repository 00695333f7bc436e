"""One live session in the browser: the same :class:`~formcoach.session.Coach` as the terminal,
with the page as its camera, speaker, microphone and keyboard.

:class:`LiveSession` runs the coach on its own thread. The WebSocket handler pushes what the
page sends into it (frames, PCM, answers, "played" reports) and every message for the page
goes out through one ``send`` callable, which may be called from any thread.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcoach.core.errors import FormcoachError
from formcoach.pose.pipeline import Step
from formcoach.pose.sources import ModelPoseSource
from formcoach.session import Coach, SessionConfig
from formcoach.session.commands import ListenerCommands
from formcoach.session.results import SessionResult
from formcoach.session.state import CoachState
from formcoach.store import Store
from formcoach.store.records import WorkoutItem
from formcoach.voice.recognizers import Recognizer
from formcoach.web.ears import PageAnswers, PageEars, PageKeyboard
from formcoach.web.frames import EncodedFrame, PushedFrames
from formcoach.web.parts import LiveParts
from formcoach.web.protocol import frame_message, hello_message, skipped_message, state_message
from formcoach.web.registry import LiveProfiles
from formcoach.web.speech import AudioShelf, WebSpeaker

__all__ = ["LiveRequest", "LiveSession"]

log = logging.getLogger(__name__)
Send = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class LiveRequest:
    """What the page asked for: who trains and what.

    Attributes:
        profile: the profile (``None``: log in by face).
        exercise: free training of this exercise (``None``: today's plan).
        reps: reps per set of free training.
        sets: sets of free training.
        hold_s: seconds per set when the exercise is a hold.
    """

    profile: str | None = None
    exercise: str | None = None
    reps: int = 10
    sets: int = 1
    hold_s: float = 30.0

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> LiveRequest:
        """From ``?profile=ana&exercise=squat&reps=12&sets=3`` (empty values: not given).

        Raises:
            FormcoachError: a count that is not a number.
        """

        def number(key: str, default: float, kind: type) -> Any:
            value = query.get(key) or ""
            try:
                return kind(value) if value.strip() else default
            except ValueError:
                raise FormcoachError(f"{key} must be a number, got {value!r}") from None

        return cls(
            query.get("profile") or None,
            query.get("exercise") or None,
            number("reps", 10, int),
            number("sets", 1, int),
            number("hold", 30.0, float),
        )

    def plan(self, get_exercise: Callable[[str], Any]) -> tuple[WorkoutItem, ...] | None:
        """The free-training plan (``None``: train the day's plan).

        Raises:
            FormcoachError: an unknown exercise or an impossible count.
        """
        if self.exercise is None:
            return None
        exercise = get_exercise(self.exercise)
        try:
            if exercise.static:
                return (WorkoutItem(exercise.name, self.sets, hold_s=self.hold_s, rest_s=60),)
            return (WorkoutItem(exercise.name, self.sets, reps=self.reps, rest_s=60),)
        except ValueError as e:
            raise FormcoachError(str(e), "ask for 1-50 sets of 1-1000 reps") from None


class LiveSession:
    """The coach behind one training page (see the module's note).

    Args:
        request: who trains and what.
        db: the database file (``None``: the user's default).
        parts: the models and engines.
        shelf: where spoken lines wait for the page.
        profiles: who is training now (a profile trains in one session at a time).
        send: sends a message to the page, from any thread.
        recognizer: hears the page's microphone (shared by the server's sessions).
    """

    def __init__(
        self,
        request: LiveRequest,
        db: Path | None,
        parts: LiveParts,
        shelf: AudioShelf,
        profiles: LiveProfiles,
        send: Send,
        recognizer: Recognizer,
    ) -> None:
        self.request = request
        self._db = db
        self._parts = parts
        self._profiles = profiles
        self._send = send
        self.frames = PushedFrames(on_drop=lambda i, why: send(skipped_message(i, why)))
        self.answers = PageAnswers()
        self.ears = PageEars(recognizer, self.answers, self._tell_listening)
        self.speaker = WebSpeaker(parts.synth(), shelf, self._say)
        self.result: SessionResult | None = None
        self._claimed: str | None = None
        self._announced: collections.OrderedDict[str, int] = collections.OrderedDict()
        self._rep_ends: dict[str, int] = {}
        self._last_rep: object = None
        self._thread = threading.Thread(target=self._run, name="formcoach-live", daemon=True)

    # --- from the page ----------------------------------------------------------------------
    def start(self) -> None:
        """Start coaching.

        Raises:
            FormcoachError: the profile is training in another window.
        """
        if self.request.profile:
            self._claim(self.request.profile)
        self._thread.start()

    def push_frame(self, frame: EncodedFrame) -> None:
        replaced = self.frames.push(frame)
        if replaced is not None:
            self._send(skipped_message(replaced.id, "a newer frame came"))

    def expire_frame(self, frame_id: int) -> None:
        """Answer the frame ``frame_id`` unlooked-at if the coach has not taken it."""
        if self.frames.take_back(frame_id):
            self._send(skipped_message(frame_id, "the coach is not watching"))

    def close(self) -> None:
        """The page left: the camera ends, nobody answers, nobody listens."""
        self.frames.close()
        self.answers.close()
        self.speaker.page_gone()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the coach's thread to end (at once if it never started)."""
        if self._thread.ident is not None:
            self._thread.join(timeout)

    # --- the coach's thread -----------------------------------------------------------------
    def _run(self) -> None:
        store = None
        try:
            store = Store(self._db, validate_exercise=self._parts.get_exercise)
            self.result = self._coach(store).run()
            self._send({"type": "end", "status": self.result.status})
        except FormcoachError as e:
            self._send({"type": "error", "message": e.message, "hint": e.hint})
        except Exception as e:  # a bug must reach the page and the log, not die with the thread
            log.exception("the live session failed")
            self._send({"type": "error", "message": f"{type(e).__name__}: {e}", "hint": ""})
        finally:
            self.frames.close()
            self.speaker.close()
            if store is not None:
                store.close()
            if self._claimed is not None:
                self._profiles.release(self._claimed)

    def _coach(self, store: Store) -> Coach:
        parts, request = self._parts, self.request
        estimator = parts.estimator()
        self._send(hello_message(estimator.skeleton))
        source = ModelPoseSource(self.frames, estimator, "the browser's camera")
        config = SessionConfig(
            profile=request.profile,
            plan=request.plan(parts.get_exercise),
            rest_scale=1.0,
            identify_timeout_s=parts.identify_timeout_s,
            training=parts.training,
        )
        return Coach(
            config,
            store,
            self.speaker,
            self.ears,
            PageKeyboard(self.answers),
            open_source=lambda: source,
            get_exercise=parts.get_exercise,
            make_counter=parts.make_counter,
            make_judge=parts.make_judge,
            faces=None if request.profile else parts.faces(),
            commands=ListenerCommands(self.ears.background),
            on_step=self._on_step,
            on_state=self._on_state,
            echo=lambda text: self._send({"type": "log", "text": text}),
        )

    def _claim(self, name: str) -> None:
        self._profiles.claim(name)
        self._claimed = name

    def _on_step(self, step: Step) -> None:
        self._send(frame_message(step, self.frames.frame_size))

    def _on_state(self, state: CoachState) -> None:
        self.ears.asking = state.phase == "asking"
        if state.profile and self._claimed is None:
            self._claim(state.profile)  # logged in by face
        rep = state.last_rep
        if rep is not None and rep is not self._last_rep and rep.said:
            self._last_rep = rep
            text = " ".join(rep.said.split())
            if text in self._announced:  # its audio went out already: link it now
                line = self._announced[text]
                self._send({"type": "cue", "line": line, "rep_end_frame": rep.rep.end_frame})
            else:
                self._rep_ends[text] = rep.rep.end_frame
        self._send(state_message(state))

    def _say(self, message: dict[str, Any]) -> None:
        if message.get("type") == "say":
            end = self._rep_ends.pop(message["text"], None)
            if end is not None:
                message = {**message, "rep_end_frame": end}
            else:
                self._announced[message["text"]] = message["line"]
                while len(self._announced) > 16:
                    self._announced.popitem(last=False)
        self._send(message)

    def _tell_listening(self, on: bool) -> None:
        self._send({"type": "listen", "on": on})
