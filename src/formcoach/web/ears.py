"""The coach's ears in the browser: the page's microphone, its buttons and its text field.

The page captures its microphone with an AudioWorklet and streams 16 kHz PCM, but only while
the server listens (:class:`PageMicrophone` tells it when). The PCM is read through the same
:func:`~formcoach.voice.utterance.record_until_silence` (the Silero voice detector) and
recognised by the same :class:`~formcoach.voice.listener.AudioListener` as a local microphone:
:class:`PageMicrophone` looks like ``sounddevice`` to it.
A button pressed or a line typed on the page answers at once (:class:`PageAnswers`).
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from formcoach.voice.listener import AudioListener, Heard
from formcoach.voice.recognizers import Recognizer
from formcoach.voice.utterance import record_until_silence

__all__ = ["SAMPLE_RATE", "PageAnswers", "PageEars", "PageKeyboard", "PageMicrophone"]

SAMPLE_RATE = 16000
#: Longest answer recorded, seconds (as a local microphone).
MAX_ANSWER_S = 8.0


class PageAnswers:
    """Answers given on the page (a button's word, a typed line), in order; thread-safe."""

    def __init__(self) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.closed = False

    def put(self, text: str) -> None:
        self._queue.put(text)

    def pending(self) -> bool:
        return not self._queue.empty()

    def get(self, timeout: float | None) -> str | None:
        """The next answer, or ``None`` after ``timeout`` seconds or once closed."""
        if self.closed and self._queue.empty():
            return None
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.closed = True
        self._queue.put(None)  # wakes a waiting reader


class _PageStream:
    """One recording from the page, read like a ``sounddevice.InputStream``."""

    def __init__(self, mic: PageMicrophone) -> None:
        self._mic = mic

    def __enter__(self) -> _PageStream:
        self._mic.listening(True)
        return self

    def __exit__(self, *exc: object) -> None:
        self._mic.listening(False)

    def read(self, n: int) -> tuple[np.ndarray, bool]:
        return self._mic.read(n), False


class PageMicrophone:
    """The page's microphone as ``sounddevice`` looks to :func:`record_until_silence`.

    Args:
        tell_page: told True when the page should start sending PCM, False to stop.
        interrupted: polled while recording; True ends the recording at once (an answer
            came from a button, or the page left).
    """

    def __init__(
        self, tell_page: Callable[[bool], None], interrupted: Callable[[], bool] = lambda: False
    ) -> None:
        self._tell_page = tell_page
        self._interrupted = interrupted
        self._pcm: collections.deque[np.ndarray] = collections.deque()
        self._buffered = 0
        self._cond = threading.Condition()
        self._on = False

    def InputStream(self, samplerate: int, channels: int, dtype: str) -> _PageStream:
        """A recording (named as ``sounddevice``'s class, which this stands in for)."""
        if samplerate != SAMPLE_RATE or channels != 1 or dtype != "int16":
            raise ValueError("the page sends 16 kHz mono int16 PCM")
        return _PageStream(self)

    def listening(self, on: bool) -> None:
        with self._cond:
            self._on = on
            self._pcm.clear()
            self._buffered = 0
        self._tell_page(on)

    def push(self, samples: np.ndarray) -> None:
        """PCM from the page ((n,) int16 at 16 kHz); dropped while nobody listens."""
        with self._cond:
            if not self._on:
                return
            self._pcm.append(np.asarray(samples, dtype=np.int16))
            self._buffered += len(samples)
            self._cond.notify_all()

    def read(self, n: int) -> np.ndarray:
        """``n`` samples. When the page sends too few in time (no microphone, a stall) the
        gap is silence as long as the time waited; when interrupted, a whole answer's length
        of silence (which ends the recording)."""
        start = time.monotonic()
        deadline = start + n / SAMPLE_RATE + 0.25
        with self._cond:
            while self._buffered < n:
                if self._interrupted():
                    return np.zeros(int(MAX_ANSWER_S * SAMPLE_RATE), np.int16)
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(min(left, 0.05))
            got = np.concatenate(list(self._pcm)) if self._pcm else np.zeros(0, np.int16)
            self._pcm.clear()
            if len(got) < n:
                waited = round((time.monotonic() - start) * SAMPLE_RATE)
                self._buffered = 0
                return np.concatenate([got, np.zeros(max(n, waited) - len(got), np.int16)])
            if len(got) > n:
                self._pcm.append(got[n:])
            self._buffered = len(got) - n
            return got[:n]


class PageEars:
    """A :class:`~formcoach.voice.listener.Listener` for the page: its microphone through
    the same recogniser as a local one, and its buttons, whichever answers first.

    A question (:meth:`listen`) comes before the commands listened for in the background
    (:attr:`background`, for :class:`~formcoach.session.commands.ListenerCommands`): while
    :attr:`asking` (the coach is asking something) or a question waits for the microphone,
    the background hears nothing and leaves the page's answers to the question.

    Args:
        recognizer: speech to intent.
        answers: what the page's buttons and text field send.
        tell_page: told True/False when the page should start/stop sending PCM.
    """

    def __init__(
        self, recognizer: Recognizer, answers: PageAnswers, tell_page: Callable[[bool], None]
    ) -> None:
        self.answers = answers
        self.microphone = PageMicrophone(tell_page, self._interrupted)
        self.background = _Background(self)
        self._audio = AudioListener(recognizer, record=self._record, max_s=MAX_ANSWER_S)
        self._lock = threading.Lock()  # one recording at a time
        self._questions = 0
        self._in_background = False
        #: set while the coach asks a question (its answer is not a command)
        self.asking = False

    def _questions_first(self) -> bool:
        return self.asking or self._questions > 0

    def _interrupted(self) -> bool:
        if self.answers.pending() or self.answers.closed:
            return True
        return self._in_background and self._questions_first()

    def _record(self, wait_s: float) -> tuple[np.ndarray, int]:
        samples = record_until_silence(wait_s=wait_s, max_s=MAX_ANSWER_S, sd=self.microphone)
        return samples, SAMPLE_RATE

    def listen(self, timeout: float | None = None) -> Heard:
        """Hear an answer to a question (the microphone or a button, whichever first)."""
        self._questions += 1
        try:
            with self._lock:
                return self._hear(timeout)
        finally:
            self._questions -= 1

    def _hear(self, timeout: float | None, background: bool = False) -> Heard:
        if self.answers.closed:
            return Heard("unknown", "", 0.0, "eof", "page")
        heard = None
        if not self.answers.pending():
            heard = self._audio.listen(timeout)
        if background and self._questions_first():  # a question came: all it heard is its
            return Heard("unknown", "", 0.0, "silence", "page")
        if heard is not None and not self.answers.pending():
            return heard
        return _typed(self.answers.get(0), "page")

    def listen_in_background(self, timeout: float | None = None) -> Heard:
        """Hear a command, unless a question is waiting for the microphone."""
        if self._questions_first():
            time.sleep(0.1)
            return Heard("unknown", "", 0.0, "silence", "page")
        with self._lock:
            self._in_background = True
            try:
                return self._hear(timeout, background=True)
            finally:
                self._in_background = False


class _Background:
    """The ears as a lower-priority :class:`~formcoach.voice.listener.Listener`."""

    def __init__(self, ears: PageEars) -> None:
        self._ears = ears

    def listen(self, timeout: float | None = None) -> Heard:
        return self._ears.listen_in_background(timeout)


class PageKeyboard:
    """Typed answers from the page's text field (and its buttons): the keyboard fallback.

    Args:
        answers: what the page sends.
        wait_s: how long one answer is waited for.
    """

    def __init__(self, answers: PageAnswers, wait_s: float = 120.0) -> None:
        self.answers = answers
        self.wait_s = wait_s

    def listen(self, timeout: float | None = None) -> Heard:
        return _typed(self.answers.get(self.wait_s if timeout is None else timeout), "keyboard")


def _typed(text: str | None, source: str) -> Heard:
    if text is None:
        return Heard("unknown", "", 0.0, "eof", source)
    return Heard.from_text(text.strip(), source)
