"""Speech input: a :class:`Listener` returns what the trainee answered as an intent.

Intents form a closed set (:data:`INTENTS`): yes, no, stop, pause, skip, repeat, how_many,
and ``unknown`` for anything else — silence, noise, other words. A :class:`Heard` carries the
intent, the heard text, a confidence and, when unknown, the reason.

Where answers come from (``make_listener``):

- a microphone through ``miniaudio`` (record until a pause, bounded), recognised offline by
  pocketsphinx (default) or online by Google;
- WAV files, one per answer (``--answers yes.wav no.wav``), recognised the same way;
- typed text (a line per answer), mapped onto the same intents.

:class:`ScriptedListener` replays prepared :class:`Heard` values for tests.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol, TextIO

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice import audio
from formcoach.voice.audio import read_wav
from formcoach.voice.intents import COMMANDS, INTENTS, Intent, find_intent
from formcoach.voice.recognizers import (
    GoogleRecognizer,
    Heard,
    PocketsphinxRecognizer,
    Recognizer,
)
from formcoach.voice.utterance import record_until_silence
from formcoach.voice.vad import SAMPLE_RATE

__all__ = [
    "COMMANDS",
    "INTENTS",
    "RECOGNIZERS",
    "AudioListener",
    "Heard",
    "Intent",
    "Listener",
    "ScriptListener",
    "ScriptedListener",
    "TextListener",
    "find_intent",
    "make_listener",
    "make_recognizer",
]

RECOGNIZERS = ("pocketsphinx", "google")


class Listener(Protocol):
    """Hears one answer."""

    def listen(self, timeout: float | None = None) -> Heard:
        """Wait up to ``timeout`` s for an answer (None: the listener's own bound)."""
        ...


def make_recognizer(name: str = "pocketsphinx") -> Recognizer:
    """A recogniser by name: ``"pocketsphinx"`` (offline) or ``"google"`` (online)."""
    if name == "pocketsphinx":
        return PocketsphinxRecognizer()
    if name == "google":
        return GoogleRecognizer()
    raise FormcoachError(f"unknown recogniser {name!r}", f"use one of {RECOGNIZERS}")


class AudioListener:
    """Records an answer with ``record(timeout)`` and recognises it.

    Args:
        record: returns ``(samples (n,) int16, sample_rate)``; the default records from the
            microphone until a pause (:func:`formcoach.voice.utterance.record_until_silence`).
        recognizer: turns audio into a :class:`Heard`.
        max_s: longest recording.
    """

    def __init__(
        self,
        recognizer: Recognizer | None = None,
        record: Callable[[float], tuple[np.ndarray, int]] | None = None,
        max_s: float = 8.0,
    ) -> None:
        self.recognizer = recognizer or PocketsphinxRecognizer()
        self._record = record or self._microphone
        self.max_s = max_s

    def _microphone(self, timeout: float) -> tuple[np.ndarray, int]:
        return record_until_silence(wait_s=timeout, max_s=self.max_s), SAMPLE_RATE

    def listen(self, timeout: float | None = None) -> Heard:
        samples, rate = self._record(6.0 if timeout is None else timeout)
        return self.recognizer.recognize(samples, rate)


class TextListener:
    """Answers typed on a text stream, one line each (the keyboard fallback).

    Args:
        stream: where lines come from (default: standard input).
        prompt: written to ``out`` before each read (None: no prompt).
        out: where the prompt goes (default: standard output).
    """

    def __init__(
        self, stream: TextIO | None = None, prompt: str | None = "> ", out: TextIO | None = None
    ) -> None:
        self.stream = stream
        self.prompt = prompt
        self.out = out

    def listen(self, timeout: float | None = None) -> Heard:
        stream = self.stream or sys.stdin
        out = self.out or sys.stdout
        if stream is None or stream.closed:
            return Heard("unknown", "", 0.0, "eof", "keyboard")
        if self.prompt:
            out.write(self.prompt)
            out.flush()
        try:
            line = stream.readline()
        except (OSError, ValueError):
            line = ""
        if line == "":
            if self.prompt:  # end of input: nothing typed ends the prompt's line
                out.write("\n")
                out.flush()
            return Heard("unknown", "", 0.0, "eof", "keyboard")
        return Heard.from_text(line.strip(), "keyboard")


class ScriptListener:
    """Answers from a script: each item is a WAV file (recognised) or literal text.

    Used for ``--answers`` and the demo: ``["yes.wav", "no", "stop"]``. An item that names an
    existing ``.wav`` file is audio; anything else is what the person "typed". After the last
    item every ``listen`` returns ``unknown`` with reason ``"eof"``.
    """

    def __init__(self, items: Iterable[str | Path], recognizer: Recognizer | None = None) -> None:
        self.items = [str(i) for i in items]
        self._recognizer = recognizer
        self._pos = 0
        for item in self.items:
            if item.lower().endswith(".wav") and not Path(item).is_file():
                raise FormcoachError(f"answer file {item} does not exist", "check the path")
            if item.lower().endswith(".wav"):
                read_wav(item, None)  # an unreadable answer is told before the session starts

    @property
    def recognizer(self) -> Recognizer:
        if self._recognizer is None:
            self._recognizer = PocketsphinxRecognizer()
        return self._recognizer

    @property
    def remaining(self) -> int:
        return len(self.items) - self._pos

    def listen(self, timeout: float | None = None) -> Heard:
        if self._pos >= len(self.items):
            return Heard("unknown", "", 0.0, "eof", "script")
        item = self.items[self._pos]
        self._pos += 1
        if item.lower().endswith(".wav"):
            samples, rate = read_wav(item)
            h = self.recognizer.recognize(samples, rate)
            return Heard(
                h.intent, h.text, h.confidence, h.reason, f"file:{Path(item).name}", h.seconds
            )
        return Heard.from_text(item, "script")


class ScriptedListener:
    """Replays prepared answers (tests): each item a :class:`Heard` or an intent name."""

    def __init__(self, answers: Sequence[Heard | str]) -> None:
        self.answers = [
            a if isinstance(a, Heard) else Heard(a, a, 1.0 if a != "unknown" else 0.0)
            for a in answers
        ]
        for a in self.answers:
            if a.intent not in INTENTS:
                raise ValueError(f"unknown intent {a.intent!r}; valid: {INTENTS}")
        self.calls = 0

    def listen(self, timeout: float | None = None) -> Heard:
        self.calls += 1
        if self.calls > len(self.answers):
            return Heard("unknown", "", 0.0, "eof", "script")
        return self.answers[self.calls - 1]


def make_listener(
    answers: Sequence[str | Path] | None = None,
    recognizer: str = "pocketsphinx",
    microphone: str = "auto",
) -> Listener:
    """The listener for this machine.

    Args:
        answers: WAV files and/or typed answers to use instead of a microphone.
        recognizer: ``"pocketsphinx"`` (offline) or ``"google"`` (online).
        microphone: ``"auto"`` (the microphone if there is one, else the keyboard),
            ``"on"`` (fail without one) or ``"off"`` (keyboard).

    Raises:
        FormcoachError: unknown recogniser, missing package, a missing answer file, or
            ``microphone="on"`` without a microphone.
    """
    if microphone not in ("auto", "on", "off"):
        raise FormcoachError(f"unknown microphone setting {microphone!r}", "use auto, on or off")
    if answers is not None:
        return ScriptListener(answers, make_recognizer(recognizer))
    if microphone != "off":
        if audio.has_input_device():
            return AudioListener(make_recognizer(recognizer))
        if microphone == "on":
            raise FormcoachError(
                "no microphone: miniaudio finds no input device, nor does sounddevice "
                "(if installed with PortAudio)",
                "connect a microphone, answer by typing (--microphone off) or pass WAV files "
                "with --answers",
            )
    return TextListener()
