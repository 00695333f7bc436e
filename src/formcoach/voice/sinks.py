"""Where a spoken line's audio goes: the sound card, or numbered WAV files and the console.

A sink receives a line's audio chunk by chunk as it is synthesised (``begin``, ``write``...,
``end``). :class:`MiniaudioSink` plays through ``miniaudio`` (no system library needed);
:class:`DeviceSink` through ``sounddevice``, the fallback when it is installed with PortAudio;
:func:`speaker_sink` picks one. :class:`WavFolderSink` writes one WAV file per line and prints
the line, for machines with no speaker.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import miniaudio
import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice import audio
from formcoach.voice.audio import write_wav

__all__ = [
    "AudioSink",
    "DeviceSink",
    "Echo",
    "MiniaudioSink",
    "SpokenLine",
    "WavFolderSink",
    "print_line",
    "speaker_sink",
]


class Echo(Protocol):
    """Where a spoken line is printed: its words, and the WAV file they went to if any."""

    def __call__(self, text: str, wav: Path | None = None, /) -> None: ...


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


class AudioSink(Protocol):
    """Where the audio of a line goes."""

    def begin(self, line: SpokenLine, sample_rate: int) -> None: ...

    def write(self, chunk: np.ndarray) -> None: ...

    def end(self) -> Path | None: ...

    def close(self) -> None: ...


def print_line(text: str, wav: Path | None = None) -> None:
    """Print one spoken line: the words in quotes, then the WAV file they went to, if any
    (``formcoach says: "Two."  [speech/0005-two.wav]``)."""
    where = f"  [{wav}]" if wav is not None else ""
    print(f'formcoach says: "{text}"{where}', flush=True)


_NO_SPEAKER_HINT = "connect a speaker or headphones; until then speech goes to WAV files"


def speaker_sink() -> AudioSink:
    """The sound card: miniaudio's default output device when it finds a real one, else
    ``sounddevice``'s (if installed with PortAudio).

    Raises:
        FormcoachError: neither finds an output device (saying which is missing what).
    """
    if audio.miniaudio_devices("output"):
        return MiniaudioSink()
    return DeviceSink()


class MiniaudioSink:
    """Plays through miniaudio's default output device, chunks as they come.

    ``write`` queues a chunk and waits only while more than ``ahead_s`` is queued, so the
    speaker can cut a line between chunks; ``end`` returns once the device took every sample.

    Args:
        backends: miniaudio backends to try (None: its default order, after checking that
            it finds a real output device; tests use ``[miniaudio.Backend.NULL]``).
        ahead_s: seconds of audio queued ahead of the device at most.
        stall_s: a device that takes no audio for this long raises ``OSError`` (the speaker
            then falls back to files).
    """

    def __init__(
        self,
        backends: Sequence[miniaudio.Backend] | None = None,
        ahead_s: float = 0.5,
        stall_s: float = 2.0,
    ) -> None:
        if backends is None and not audio.miniaudio_devices("output"):
            raise FormcoachError("no speaker: miniaudio finds no output device", _NO_SPEAKER_HINT)
        self.backends = list(backends) if backends else None
        self.ahead_s, self.stall_s = ahead_s, stall_s
        self._device: miniaudio.PlaybackDevice | None = None
        self._rate = 0
        self._queued = bytearray()
        self._moved = threading.Condition()
        self.frames_written = 0
        self.frames_played = 0

    def begin(self, line: SpokenLine, sample_rate: int) -> None:
        if self._device is not None and self._rate == sample_rate:
            return
        self.close()
        self._device = miniaudio.PlaybackDevice(
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=sample_rate,
            buffersize_msec=20,
            backends=self.backends,
            app_name="formcoach",
        )
        feed = self._feed()
        next(feed)
        self._device.start(feed)
        self._rate = sample_rate

    def _feed(self):
        """miniaudio's playback callback: sent the frames it wants, yields 16-bit bytes."""
        frames = yield b""
        while True:
            with self._moved:
                take = bytes(self._queued[: 2 * frames])
                del self._queued[: 2 * frames]
                self.frames_played += len(take) // 2
                self._moved.notify_all()
            frames = yield take + bytes(2 * frames - len(take))

    def _wait_until(self, queued_bytes: int) -> None:
        """Wait (holding ``_moved``) until at most ``queued_bytes`` are queued."""
        while len(self._queued) > queued_bytes:
            if not self._moved.wait(self.stall_s):
                raise OSError(f"the speaker took no audio for {self.stall_s} s")

    def write(self, chunk: np.ndarray) -> None:
        data = np.ascontiguousarray(chunk, dtype="<i2").reshape(-1).tobytes()
        with self._moved:
            self._queued += data
            self.frames_written += len(data) // 2
            self._wait_until(int(self.ahead_s * self._rate) * 2)

    def end(self) -> Path | None:
        with self._moved:
            self._wait_until(0)
        return None

    def close(self) -> None:
        if self._device is not None:
            try:
                self._device.close()
            finally:
                self._device = None
                with self._moved:
                    self._queued.clear()


class DeviceSink:
    """Plays through the default output device with ``sounddevice`` (chunks as they come)."""

    def __init__(self, sd=None) -> None:
        self._sd = sd or audio.sounddevice_or_none()
        if self._sd is None or (sd is None and not audio.has_output_device()):
            missing = "is not installed with PortAudio" if self._sd is None else "finds none"
            raise FormcoachError(
                f"no speaker: miniaudio finds no output device and sounddevice {missing}",
                _NO_SPEAKER_HINT,
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

    def __init__(self, folder: str | Path, echo: Echo | None = print_line) -> None:
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
            self.echo(line.text, path)
        return path

    def close(self) -> None:
        pass
