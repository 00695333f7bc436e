"""The coach's voice in the browser: espeak-ng lines as WAV files served by URL.

:class:`WebSpeaker` is a :class:`~formcoach.voice.speaker.Speaker`: the same queued speaker
as in the terminal synthesises each line on its worker thread, but its audio goes to an
:class:`AudioShelf` (served at ``/audio/<key>.wav``) and the page is told to play it. The
page plays lines one after another through WebAudio and reports each one started and ended,
so :meth:`WebSpeaker.wait` returns once the page has finished speaking (a question is never
heard by its own microphone).
"""

from __future__ import annotations

import collections
import io
import threading
import time
import uuid
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.voice.speaker import QueuedSpeaker, SpokenLine, Synthesizer

__all__ = ["AudioShelf", "PageAudioSink", "WebSpeaker", "wav_bytes"]

#: Seconds a line may take beyond its own length before the page is deemed not to play it.
PLAY_SLACK_S = 2.0


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """A mono 16-bit WAV file of ``samples`` ((n,) int16) in memory."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())
    return buf.getvalue()


class AudioShelf:
    """The last ``keep`` spoken lines as WAV bytes, by an unguessable key (thread-safe).

    A page fetches a line's audio as soon as it is told of it, so a few dozen suffice.
    """

    def __init__(self, keep: int = 64) -> None:
        self._items: collections.OrderedDict[str, bytes] = collections.OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def put(self, wav: bytes) -> str:
        key = uuid.uuid4().hex
        with self._lock:
            self._items[key] = wav
            while len(self._items) > self._keep:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._items.get(key)

    def __len__(self) -> int:
        return len(self._items)


class PageAudioSink:
    """An :class:`~formcoach.voice.speaker.AudioSink` that shelves each line and announces it.

    Args:
        shelf: where the WAV goes.
        announce: told ``(line, url, seconds)`` once a line's audio is on the shelf.
    """

    def __init__(
        self, shelf: AudioShelf, announce: Callable[[SpokenLine, str, float], None]
    ) -> None:
        self.shelf = shelf
        self.announce = announce
        self._line: SpokenLine | None = None
        self._chunks: list[np.ndarray] = []
        self._rate = 16000
        self._cut_at = float("-inf")

    def cut(self, at: float) -> None:
        """Lines queued before ``at`` (``perf_counter``) are not announced any more."""
        self._cut_at = at

    def begin(self, line: SpokenLine, sample_rate: int) -> None:
        self._line, self._chunks, self._rate = line, [], sample_rate

    def write(self, chunk: np.ndarray) -> None:
        self._chunks.append(np.asarray(chunk, dtype=np.int16))

    def end(self) -> Path | None:
        line, self._line = self._line, None
        if line is None or line.queued_at < self._cut_at or not self._chunks:
            return None
        audio = np.concatenate(self._chunks)
        key = self.shelf.put(wav_bytes(audio, self._rate))
        self.announce(line, f"/audio/{key}.wav", len(audio) / self._rate)
        return None

    def close(self) -> None:
        pass


class WebSpeaker:
    """Speaks through the page (see the module's note).

    Args:
        synth: the voice.
        shelf: where the lines' audio waits for the page.
        send: sends a message to the page (from any thread).
    """

    def __init__(
        self, synth: Synthesizer, shelf: AudioShelf, send: Callable[[dict[str, Any]], None]
    ) -> None:
        self._send = send
        self._sink = PageAudioSink(shelf, self._announce)
        self._voice = QueuedSpeaker(synth, self._sink)
        self._cond = threading.Condition()
        self._playing: dict[int, float] = {}  # line index -> when the page should be done
        self._gone = False

    @property
    def lines(self) -> list[SpokenLine]:
        """Every line spoken so far (as the queued speaker records them)."""
        return self._voice.lines

    def say(self, text: str, interrupt: bool = False) -> None:
        """Queue a line; ``interrupt`` silences the page and drops what was queued."""
        if interrupt:
            self._sink.cut(time.perf_counter())
            with self._cond:
                self._playing.clear()
                self._cond.notify_all()
            self._send({"type": "hush"})
        self._voice.say(text, interrupt=interrupt)

    def _announce(self, line: SpokenLine, url: str, seconds: float) -> None:
        with self._cond:
            start = max([time.monotonic(), *self._playing.values()])
            self._playing[line.index] = start + seconds + PLAY_SLACK_S
        self._send(
            {"type": "say", "line": line.index, "text": line.text, "url": url, "seconds": seconds}
        )

    def played(self, index: int) -> None:
        """The page finished (or skipped) line ``index``."""
        with self._cond:
            self._playing.pop(index, None)
            self._cond.notify_all()

    def page_gone(self) -> None:
        """Nobody is listening any more: waiting ends at once."""
        with self._cond:
            self._gone = True
            self._playing.clear()
            self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every line is synthesised and played by the page; False on timeout."""
        end = None if timeout is None else time.monotonic() + timeout
        if not self._voice.wait(timeout):
            return False
        with self._cond:
            while self._playing and not self._gone:
                now = time.monotonic()
                for index in [i for i, due in self._playing.items() if due <= now]:
                    del self._playing[index]  # the page did not play it: do not wait forever
                if not self._playing:
                    break
                left = min(self._playing.values()) - now
                if end is not None:
                    if now >= end:
                        return False
                    left = min(left, end - now)
                self._cond.wait(max(left, 0.01))
        return True

    def close(self) -> None:
        self._voice.close()
