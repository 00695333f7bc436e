"""Voice commands that may come at any time during a set: stop, pause, skip, repeat, how many.

A :class:`CommandSource` is polled once per frame and never blocks the camera loop: the
microphone is listened to on a background thread. Scripted commands (tied to frame indices)
make the behaviour testable and scriptable headless.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping
from typing import Protocol

from formcoach.voice.listener import Heard, Listener

__all__ = [
    "COMMANDS",
    "CommandSource",
    "ListenerCommands",
    "NoCommands",
    "ScriptedCommands",
]

#: The intents that act during a set; "yes" resumes after a pause.
COMMANDS = ("stop", "pause", "skip", "repeat", "how_many", "yes")


class CommandSource(Protocol):
    """Commands the trainee gives while training."""

    def poll(self, frame_index: int) -> str | None:
        """The next command (an intent of :data:`COMMANDS`), or ``None``; never blocks."""
        ...

    def close(self) -> None: ...


class NoCommands:
    """Nobody gives commands."""

    def poll(self, frame_index: int) -> str | None:
        return None

    def close(self) -> None:
        pass


class ScriptedCommands:
    """Commands given at known frames: ``{120: "pause", 180: "yes"}``."""

    def __init__(self, at_frames: Mapping[int, str]) -> None:
        self._pending = sorted(at_frames.items())

    def poll(self, frame_index: int) -> str | None:
        if self._pending and self._pending[0][0] <= frame_index:
            return self._pending.pop(0)[1]
        return None

    def close(self) -> None:
        pass


class ListenerCommands:
    """Listens on a background thread (e.g. the microphone) and queues what it understood.

    Args:
        listener: where speech comes from; each ``listen()`` may block, off the camera loop.
        timeout: seconds per listening attempt.
    """

    def __init__(self, listener: Listener, timeout: float = 3.0) -> None:
        self._listener = listener
        self._timeout = timeout
        self._queue: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._thread = threading.Thread(target=self._run, name="formcoach-commands", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._paused.is_set():
                self._stop.wait(0.1)
                continue
            try:
                heard: Heard = self._listener.listen(timeout=self._timeout)
            except Exception:  # a failing microphone must not take the session down
                self._stop.wait(1.0)
                continue
            if heard.reason == "eof":
                return
            if heard.intent in COMMANDS:
                self._queue.put(heard.intent)

    def pause(self, paused: bool) -> None:
        """Stop listening while the session asks its own questions (they share the device)."""
        if paused:
            self._paused.set()
        else:
            self._paused.clear()

    def poll(self, frame_index: int) -> str | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def close(self) -> None:
        self._stop.set()
