"""Speech output: a :class:`Speaker` says lines without ever blocking the caller.

``say(text)`` only queues the line; a worker thread synthesises it chunk by chunk and plays
each chunk through ``sounddevice`` as soon as it is ready, or — with no sound card — writes
numbered WAV files and prints the line. The camera loop never waits for speech.

Backends (``make_speaker(backend=...)``):

- ``"espeak"`` (default, offline): espeak-ng from the ``espeakng-loader`` wheel via ctypes.
- ``"gtts"`` (online, optional): Google Translate's TTS through gTTS; needs
  ``pip install 'formcoach[online]'`` and a network, checked when the speaker is made.
- ``"text"``: no audio, the lines are only printed (and recorded).

:class:`RecordingSpeaker` is the do-nothing implementation for tests.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from formcoach.core.errors import FormcoachError

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
Echo = Callable[[str], None]


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


@dataclass(frozen=True)
class SpokenLine:
    """One line and what happened to it (times from ``time.perf_counter()``).

    Attributes:
        index: 1, 2, ... in the order ``say`` was called.
        text: the line.
        queued_at: when ``say`` was called.
        first_audio_at: when its first audio sample was ready (None if none was).
        done_at: when it finished (played or written).
        path: the WAV file written, if any.
        error: why it could not be spoken, if it could not.
    """

    index: int
    text: str
    queued_at: float
    first_audio_at: float | None = None
    done_at: float | None = None
    path: Path | None = None
    error: str = ""

    @property
    def latency_s(self) -> float | None:
        """Seconds from ``say()`` to the first audio sample being ready."""
        return None if self.first_audio_at is None else self.first_audio_at - self.queued_at


class Synthesizer(Protocol):
    """Text to audio, streamed: ``stream`` calls ``on_chunk((n,) int16)`` as audio is ready."""

    sample_rate: int

    def stream(self, text: str, on_chunk: Callable[[np.ndarray], object]) -> None: ...


class AudioSink(Protocol):
    """Where the audio of a line goes."""

    def begin(self, line: SpokenLine, sample_rate: int) -> None: ...

    def write(self, chunk: np.ndarray) -> None: ...

    def end(self) -> Path | None: ...

    def close(self) -> None: ...


def _print_line(text: str) -> None:
    print(f'formcoach says: "{text}"', flush=True)


class DeviceSink:
    """Plays through the default output device with ``sounddevice`` (chunks as they come)."""

    def __init__(self, sd=None) -> None:
        from formcoach.voice.audio import has_output_device, sounddevice_or_none

        self._sd = sd or sounddevice_or_none()
        if self._sd is None or (sd is None and not has_output_device()):
            raise FormcoachError(
                "no speaker: sounddevice, PortAudio or an output device is missing",
                "speech will be written to WAV files instead (--speech-dir DIR)",
            )
        self._stream = None
        self._rate = 0

    def begin(self, line: SpokenLine, sample_rate: int) -> None:
        if self._stream is None or self._rate != sample_rate:
            self.close()
            self._stream = self._sd.OutputStream(samplerate=sample_rate, channels=1, dtype="int16")
            self._stream.start()
            self._rate = sample_rate

    def write(self, chunk: np.ndarray) -> None:
        self._stream.write(np.ascontiguousarray(chunk, dtype=np.int16).reshape(-1, 1))

    def end(self) -> Path | None:
        return None

    def close(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            finally:
                self._stream = None


class WavFolderSink:
    """Writes each line to ``folder/NNNN-first-words.wav`` and prints it.

    Numbering continues after the highest number already in the folder, so a second session
    never overwrites the first one's files.
    """

    def __init__(self, folder: str | Path, echo: Echo | None = _print_line) -> None:
        self.folder = Path(folder)
        self.echo = echo
        nums = [int(m.group(1)) for p in self._existing() if (m := re.match(r"(\d+)", p.name))]
        self._next = max(nums, default=0) + 1
        self._chunks: list[np.ndarray] = []
        self._line: SpokenLine | None = None
        self._rate = 0

    def _existing(self):
        return self.folder.glob("*.wav") if self.folder.is_dir() else []

    def begin(self, line: SpokenLine, sample_rate: int) -> None:
        self._chunks, self._line, self._rate = [], line, sample_rate

    def write(self, chunk: np.ndarray) -> None:
        self._chunks.append(np.asarray(chunk, dtype=np.int16))

    def end(self) -> Path | None:
        from formcoach.voice.audio import write_wav

        line = self._line
        if line is None:
            return None
        slug = "-".join(re.findall(r"[a-z0-9]+", line.text.lower())[:5]) or "line"
        path = self.folder / f"{self._next:04d}-{slug}.wav"
        self._next += 1
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        write_wav(path, audio, self._rate or 16000)
        self._chunks, self._line = [], None
        if self.echo is not None:
            self.echo(f"{line.text}  [{path}]")
        return path

    def close(self) -> None:
        pass


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
    from formcoach.core.paths import user_data_dir

    return user_data_dir() / "speech"


def make_speaker(
    backend: str = "espeak",
    out_dir: str | Path | None = None,
    output: str = "auto",
    voice: str = "en-us",
    rate: int = 165,
    echo: Echo | None = _print_line,
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
        from formcoach.voice.espeak import espeak_synth

        synth: Synthesizer = espeak_synth(voice=voice, rate=rate)
    else:
        from formcoach.voice.gtts_voice import GttsSynth

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
