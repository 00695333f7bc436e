"""Speech output: a :class:`Speaker` says lines without ever blocking the caller.

``say(text)`` only queues the line; a worker thread synthesises it chunk by chunk and plays
each chunk through ``sounddevice`` as soon as it is ready, or — with no sound card — writes
numbered WAV files and prints the line (the sinks are in :mod:`formcoach.voice.sinks`). The
camera loop never waits for speech.

Backends (``make_speaker(backend=...)``):

- ``"espeak"`` (default, offline): espeak-ng from the ``espeakng-loader`` wheel via ctypes.
- ``"gtts"`` (online, optional): Google Translate's TTS through gTTS; needs
  ``pip install 'formcoach[online]'`` and a network, checked when the speaker is made.
- ``"text"``: no audio, the lines are only printed (and recorded).

:class:`RecordingSpeaker` is the do-nothing implementation for tests.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.paths import user_data_dir
from formcoach.voice.espeak import espeak_synth
from formcoach.voice.gtts_voice import GttsSynth
from formcoach.voice.sinks import (
    AudioSink,
    DeviceSink,
    Echo,
    SpokenLine,
    WavFolderSink,
    print_line,
)

__all__ = [
    "BACKENDS",
    "AudioSink",
    "DeviceSink",
    "QueuedSpeaker",
    "RecordingSpeaker",
    "Speaker",
    "SpokenLine",
    "Synthesizer",
    "WavFolderSink",
    "make_speaker",
]

BACKENDS = ("espeak", "gtts", "text")


class Speaker(Protocol):
    """Says lines of text."""

    def say(self, text: str, interrupt: bool = False) -> None:
        """Queue ``text`` to be spoken and return at once (``interrupt``: cut what is playing)."""
        ...

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every queued line is spoken; False if ``timeout`` s passed first."""
        ...

    def close(self) -> None:
        """Finish the queued lines and release the audio device."""
        ...


class Synthesizer(Protocol):
    """Text to audio, streamed: ``stream`` calls ``on_chunk((n,) int16)`` as audio is ready."""

    sample_rate: int

    def stream(self, text: str, on_chunk: Callable[[np.ndarray], object]) -> None: ...


class QueuedSpeaker:
    """A :class:`Speaker` that synthesises and plays on a worker thread.

    Args:
        synth: the voice (:class:`Synthesizer`).
        sink: where audio goes (:class:`DeviceSink` or :class:`WavFolderSink`).
        echo: also print each line here (None: silent console). A :class:`WavFolderSink`
            prints its own lines.
        fallback: a sink to switch to if ``sink`` fails mid-session (a device unplugged).
    """

    def __init__(
        self,
        synth: Synthesizer,
        sink: AudioSink,
        echo: Echo | None = None,
        fallback: Callable[[], AudioSink] | None = None,
    ) -> None:
        self.synth = synth
        self.sink = sink
        self.echo = echo
        self._fallback = fallback
        self._queue: queue.Queue[SpokenLine | None] = queue.Queue()
        self._lines: list[SpokenLine] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._count = 0
        self._cancel = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="formcoach-speaker", daemon=True)
        self._thread.start()

    @property
    def lines(self) -> list[SpokenLine]:
        """The lines finished so far, in order."""
        with self._lock:
            return list(self._lines)

    def say(self, text: str, interrupt: bool = False) -> None:
        """Queue ``text``; with ``interrupt``, drop queued lines and cut the current one."""
        text = " ".join(str(text).split())
        if not text:
            return
        if self._closed:
            raise RuntimeError("this speaker is closed")
        if interrupt:
            self._drop_queued()
            self._cancel.set()
        with self._lock:
            self._count += 1
            self._pending += 1
            line = SpokenLine(self._count, text, time.perf_counter())
        self._queue.put(line)

    def _drop_queued(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                self._finish(replace(item, error="interrupted", done_at=time.perf_counter()))

    def wait(self, timeout: float | None = None) -> bool:
        end = None if timeout is None else time.perf_counter() + timeout
        with self._idle:
            while self._pending:
                left = None if end is None else end - time.perf_counter()
                if left is not None and left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def close(self) -> None:
        if self._closed:
            return
        self.wait()
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout=5)
        self.sink.close()

    def __enter__(self) -> QueuedSpeaker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _finish(self, line: SpokenLine) -> None:
        with self._idle:
            self._lines.append(line)
            self._pending -= 1
            self._idle.notify_all()

    def _run(self) -> None:
        while True:
            line = self._queue.get()
            if line is None:
                return
            self._cancel.clear()
            self._finish(self._speak(line))

    def _speak(self, line: SpokenLine) -> SpokenLine:
        if self.echo is not None:
            self.echo(line.text)
        first: list[float] = []
        try:
            self.sink.begin(line, self.synth.sample_rate)

            def on_chunk(chunk: np.ndarray):
                if not first:
                    first.append(time.perf_counter())
                self.sink.write(chunk)
                return not self._cancel.is_set()

            self.synth.stream(line.text, on_chunk)
            path = self.sink.end()
        except FormcoachError as e:
            return replace(line, error=str(e), done_at=time.perf_counter(), first_audio_at=None)
        except Exception as e:  # a device failing mid-line: keep going on files
            if self._fallback is None:
                return replace(line, error=f"{type(e).__name__}: {e}", done_at=time.perf_counter())
            self.sink = self._fallback()
            self._fallback = None
            return self._speak(line)
        return replace(
            line,
            first_audio_at=first[0] if first else None,
            done_at=time.perf_counter(),
            path=path,
        )


class RecordingSpeaker:
    """Says nothing; remembers the lines (for tests and scripted runs).

    Args:
        echo: also print each line here.
    """

    def __init__(self, echo: Echo | None = None) -> None:
        self.said: list[str] = []
        self.echo = echo
        self.closed = False

    def say(self, text: str, interrupt: bool = False) -> None:
        if self.closed:
            raise RuntimeError("this speaker is closed")
        self.said.append(text)
        if self.echo is not None:
            self.echo(text)

    def wait(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        self.closed = True


def _default_speech_dir() -> Path:
    return user_data_dir() / "speech"


def make_speaker(
    backend: str = "espeak",
    out_dir: str | Path | None = None,
    output: str = "auto",
    voice: str = "en-us",
    rate: int = 165,
    echo: Echo | None = print_line,
) -> Speaker:
    """The speaker for this machine.

    Args:
        backend: ``"espeak"`` (offline), ``"gtts"`` (online) or ``"text"`` (print only).
        out_dir: folder for WAV files when there is no speaker (default
            ``<user data>/speech``); giving it with ``output="auto"`` writes files even when
            a speaker exists.
        output: ``"auto"`` (the sound card if there is one, else files), ``"device"`` or
            ``"files"``.
        voice: espeak-ng voice (``"en-us"``, ``"en"``, ``"en-us+f3"``...) or gTTS language
            top-level domain ignored; gTTS always speaks English.
        rate: espeak words per minute.
        echo: where lines are printed (None: nowhere).

    Raises:
        FormcoachError: unknown backend/output, missing package, gTTS offline, or
            ``output="device"`` with no sound card.
    """
    if backend not in BACKENDS:
        raise FormcoachError(f"unknown voice backend {backend!r}", f"use one of {BACKENDS}")
    if output not in ("auto", "device", "files"):
        raise FormcoachError(f"unknown output {output!r}", "use auto, device or files")
    if backend == "text":
        return RecordingSpeaker(echo=echo)
    if backend == "espeak":
        synth: Synthesizer = espeak_synth(voice=voice, rate=rate)
    else:
        synth = GttsSynth()
    folder = Path(out_dir) if out_dir is not None else _default_speech_dir()

    def files() -> AudioSink:
        return WavFolderSink(folder, echo=echo)

    if output == "files" or (output == "auto" and out_dir is not None):
        return QueuedSpeaker(synth, files())
    try:
        device = DeviceSink()
    except FormcoachError:
        if output == "device":
            raise
        return QueuedSpeaker(synth, files())
    return QueuedSpeaker(synth, device, echo=echo, fallback=files)
