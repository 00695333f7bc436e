"""What every recogniser shares: the :class:`Heard` it returns, the :class:`Recognizer`
protocol, and its input as (n,) int16 mono audio at 16 kHz (:func:`to_16k`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from formcoach.voice.audio import resample
from formcoach.voice.intents import find_intent

__all__ = ["SAMPLE_RATE", "Heard", "Recognizer", "how_it_came", "to_16k"]

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Heard:
    """What a listener understood.

    Attributes:
        intent: one of :data:`formcoach.voice.intents.INTENTS` ("unknown" for anything else).
        text: what was heard (a transcript or the typed line); "" for silence.
        confidence: 0..1, how sure the recogniser is of the words that decided the intent
            (lattice posterior for pocketsphinx, Google's own for Google, 1 for typed text,
            0 when nothing was heard).
        reason: why the intent is unknown: "silence", "unclear", "eof" (no more answers),
            "error"; "" when an intent was found.
        source: where it came from: "speech", "keyboard", "file:NAME", "script".
        seconds: recognition time.
    """

    intent: str
    text: str = ""
    confidence: float = 0.0
    reason: str = ""
    source: str = ""
    seconds: float = 0.0

    @property
    def understood(self) -> bool:
        """True when the intent is known."""
        return self.intent != "unknown"

    @staticmethod
    def from_text(text: str, source: str, confidence: float = 1.0, typed: bool = True) -> Heard:
        """Map a line of text onto an intent."""
        intent, _ = find_intent(text, typed=typed)
        if not text.strip():
            return Heard("unknown", "", 0.0, "silence", source)
        return Heard(
            intent,
            text,
            confidence if intent != "unknown" else 0.0,
            "" if intent != "unknown" else "unclear",
            source,
        )


#: :attr:`Heard.source` in words, as the console and the report say it
_HOW = {
    "speech": "microphone",
    "keyboard": "typed",
    "script": "scripted words",
    "page": "on the page",
}


def how_it_came(source: str, fallback: str = "") -> str:
    """How an answer came, in words: ``"speech"`` -> ``"microphone"``, ``"keyboard"`` ->
    ``"typed"``, ``"script"`` -> ``"scripted words"``, ``"file:yes.wav"`` -> ``"WAV yes.wav"``
    (``fallback`` when the source is not recorded)."""
    if source.startswith("file:"):
        return f"WAV {source[len('file:') :]}"
    return _HOW.get(source, source) or fallback


class Recognizer(Protocol):
    """Turns a recording into a :class:`Heard`."""

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        """``samples``: (n,) int16 mono audio at ``sample_rate``."""
        ...


def to_16k(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    x = np.asarray(samples)
    if x.ndim != 1:
        raise ValueError(f"expected mono audio of shape (n,), got {x.shape}")
    if x.dtype != np.int16:
        x = np.clip(np.round(x), -32768, 32767).astype(np.int16)
    return resample(x, sample_rate, SAMPLE_RATE)
