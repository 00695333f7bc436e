"""Where a spoken line's audio goes: the sound card, or numbered WAV files and the console.

A sink receives a line's audio chunk by chunk as it is synthesised (``begin``, ``write``...,
``end``). :class:`DeviceSink` plays through ``sounddevice``; :class:`WavFolderSink` writes one
WAV file per line and prints the line, for machines with no speaker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice import audio
from formcoach.voice.audio import write_wav

__all__ = ["AudioSink", "DeviceSink", "Echo", "SpokenLine", "WavFolderSink", "print_line"]

Echo = Callable[[str], None]


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


def print_line(text: str) -> None:
    print(f'formcoach says: "{text}"', flush=True)


class DeviceSink:
    """Plays through the default output device with ``sounddevice`` (chunks as they come)."""

    def __init__(self, sd=None) -> None:
        self._sd = sd or audio.sounddevice_or_none()
        if self._sd is None or (sd is None and not audio.has_output_device()):
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
            self.echo(f"{line.text}  [{path}]")
        return path

    def close(self) -> None:
        pass
