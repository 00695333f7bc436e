"""What every set shares, of reps or a hold: saying a line (kept for "repeat"), the commands
polled once per frame, the announcement and live countdown before a set, and the rest after it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from formcoach.pose.pipeline import Step
from formcoach.session import phrases
from formcoach.session.commands import CommandSource
from formcoach.session.feed import Feed
from formcoach.session.settings import TrainingSettings

__all__ = ["SetControl"]


class SetControl:
    """The per-frame housekeeping of a set and the rest between sets (what
    :class:`~formcoach.session.training.Trainer` runs its sets with).

    Args:
        feed: where frames come from.
        commands: polled once per frame.
        exercise: the exercise (an ``Exercise``: ``name``, ``title``, ``static``).
        say: speaks and logs a line: ``say(text, interrupt=False)``, never blocking.
        settings: timings and policies.
        progress: told what the set is doing (``progress(phase=..., count=...)``, the fields
            of :class:`~formcoach.session.state.CoachState`), e.g. for a display.
    """

    def __init__(
        self,
        feed: Feed,
        commands: CommandSource,
        exercise: Any,
        say: Callable[..., object],
        settings: TrainingSettings,
        progress: Callable[..., None] | None,
    ) -> None:
        self.feed = feed
        self.commands = commands
        self.exercise = exercise
        self.say = say
        self.settings = settings
        self.progress = progress or (lambda **changes: None)
        self.last_line = ""
        self.stop_requested = False

    # --- shared per-frame housekeeping ----------------------------------------------------
    def _speak(self, text: str, interrupt: bool = False) -> None:
        self.last_line = text
        self.say(text, interrupt=interrupt)

    def _command(self, step: Step, count: int, paused: bool) -> tuple[str | None, bool]:
        """Act on a command; return (how the set ends or None, paused)."""
        cmd = self.commands.poll(step.pose.index)
        if cmd is None:
            return None, paused
        if cmd == "stop":
            self.stop_requested = True
            self._speak("Stopping here.", interrupt=True)
            return "stop", paused
        if cmd == "skip":
            self._speak("Skipping the rest of this exercise.", interrupt=True)
            return "skip", paused
        if cmd == "pause" and not paused:
            self._speak("Paused. Say yes when you're ready to go on.", interrupt=True)
            return None, True
        if cmd == "yes" and paused:
            self._speak("Let's go on.", interrupt=True)
            return None, False
        if cmd == "repeat" and self.last_line:
            self.say(self.last_line, interrupt=True)
        elif cmd == "how_many":
            self._speak(f"{phrases.spoken_count(count).capitalize()} so far.", interrupt=True)
        return None, paused

    def _start(self, number: int, sets: int, target: int | None, hold_s: float | None):
        """Announce the set and, live, count down; "stop"/"skip" when commanded meanwhile."""
        go = not self.feed.live or self.settings.countdown_s <= 0  # live: "Go!" ends the countdown
        self._speak(phrases.announce_set(self.exercise.title, number, sets, target, hold_s, go))
        return self._get_ready()

    def _get_ready(self) -> str | None:
        """Live only: wait until the person is in view, then count down before counting.

        Returns "stop" or "skip" when commanded meanwhile, else ``None``.
        """
        countdown_s = self.settings.countdown_s
        if not self.feed.live or countdown_s <= 0:
            self.progress(phase="training")
            return None
        t_go: float | None = None
        shown: int | None = None
        paused = False
        while (step := self.feed.next()) is not None:
            how, now_paused = self._command(step, 0, paused)
            if how:
                return how
            if now_paused != paused:  # paused: hold; resumed: count down afresh
                paused, t_go, shown = now_paused, None, None
            if paused:
                continue
            if t_go is None:
                if not step.raw.detected:
                    if shown != 0:
                        self._speak("Get in frame.")
                        self.progress(phase="get_in_frame")
                        shown = 0
                    continue
                t_go = step.pose.timestamp + countdown_s
                self._speak(phrases.countdown(countdown_s))
            left = math.ceil(t_go - step.pose.timestamp)
            if left <= 0:
                break
            if left != shown:
                self.progress(phase="countdown", countdown=left)
                shown = left
        self.progress(phase="training", countdown=None)
        return None

    # --- rest -----------------------------------------------------------------------------
    def rest(self, rest_s: float, scale: float = 1.0) -> str | None:
        """Rest between sets; returns "stop"/"skip" if commanded.

        Live, the camera keeps being read (so it stays current) for ``rest_s * scale``
        seconds, the last ``countdown_s`` of them in the next set's countdown, and longer while
        paused (until "yes"); a video simply waits, unread, so no movement is lost, and hears
        the countdown here.
        """
        lines = phrases.rest_lines(rest_s)
        self._speak(lines[0])
        self.progress(phase="resting", rest_s=rest_s * scale)
        live = self.feed.live
        deadline = time.monotonic() + max(rest_s * scale - self.settings.countdown_s, 0.0)
        paused = False
        while live and (paused or time.monotonic() < deadline):
            step = self.feed.next()
            if step is None:
                break
            how, paused = self._command(step, 0, paused)
            if how:
                return how
        if not live or self.settings.countdown_s <= 0:
            self._speak(lines[1])
        return None
