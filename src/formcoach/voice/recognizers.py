"""Speech to intent: pocketsphinx offline (default) and Google online (optional).

How the offline recogniser rejects what is not an answer
--------------------------------------------------------
A grammar of the answers alone forces every sound into one of its phrases (DESIGN.md: ~0.68 on
the real clips). Measured on ../shared/data/speech (38 clips) and on copies of it made harder
(seconds of background around the word, x0.1 and x4 gain, white noise at 20 and 10 dB SNR):

- grammar + keyword-spotting log-likelihood ratio of the phrase against a free phone loop
  (accept when the phrase beats the phone loop): 0.84 on the clips, ~0.83 over the six
  conditions; it separates "yes" well but short "no" poorly, and better needs a threshold
  tuned per phrase;
- grammar + a phone-loop garbage alternative inside the grammar: in a first trial it rejected
  true answers before other words and was ~50x slower (every phone a grammar word);
- **free decoding with pocketsphinx's general English language model, then looking for an
  answer phrase in the transcript: 0.947 on the clips, ~0.93 over the six conditions.**
  Another word is transcribed as another English word ("bed" -> "then", "three" -> "three")
  instead of being forced into "yes": the background model is all of English, nothing tuned
  to these clips. (DESIGN.md's 3/18 for free decoding was on espeak voices, which this
  acoustic model hears badly; on the real voices it found 6/6 yes and 5/6 no.)

Silence and steady noise never reach the decoder: :func:`speech_region` finds no frame well
above the recording's noise floor. Speech is cut to its region plus 0.5 s of context, taken
from the recording's own background where the clip is shorter (pocketsphinx normalises its
features over the utterance: a short word inside seconds of silence, or cut with no silence
after it, decodes worse).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice.audio import Endpointing, cut_speech, speech_region
from formcoach.voice.intents import find_intent

__all__ = ["GoogleRecognizer", "Heard", "PocketsphinxRecognizer", "Recognizer"]

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


class Recognizer(Protocol):
    """Turns a recording into a :class:`Heard`."""

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        """``samples``: (n,) int16 mono audio at ``sample_rate``."""
        ...


def _to_16k(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    from formcoach.voice.audio import resample

    x = np.asarray(samples)
    if x.ndim != 1:
        raise ValueError(f"expected mono audio of shape (n,), got {x.shape}")
    if x.dtype != np.int16:
        x = np.clip(np.round(x), -32768, 32767).astype(np.int16)
    return resample(x, sample_rate, SAMPLE_RATE)


class PocketsphinxRecognizer:
    """Offline recognition: endpointing, then pocketsphinx with its general English model.

    Args:
        endpointing: how speech is found in the recording (silence/noise → "silence").
        min_confidence: an answer whose deciding words have a lower lattice posterior is
            reported as "unclear". 0 accepts every answer found in the transcript (the
            measured default: posteriors of true short answers go as low as ~0.3).
        decoder_options: extra ``pocketsphinx.Decoder`` settings (e.g. ``{"beam": 1e-40}``).
    """

    def __init__(
        self,
        endpointing: Endpointing | None = None,
        min_confidence: float = 0.0,
        decoder_options: dict | None = None,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in 0..1, got {min_confidence}")
        self.endpointing = endpointing or Endpointing()
        self.min_confidence = min_confidence
        self._options = dict(decoder_options or {})
        self._decoder = None

    def _ensure(self):
        if self._decoder is None:
            try:
                import pocketsphinx
            except ImportError:
                raise FormcoachError(
                    "offline speech recognition needs pocketsphinx",
                    "pip install 'formcoach[voice]', or answer by typing",
                ) from None
            opts = {"loglevel": "FATAL", **self._options}
            try:
                self._decoder = pocketsphinx.Decoder(**opts)
            except (ValueError, RuntimeError) as e:
                raise FormcoachError(
                    f"pocketsphinx could not start ({e})",
                    "reinstall it: pip install --force-reinstall pocketsphinx",
                ) from None
        return self._decoder

    def transcribe(self, samples: np.ndarray) -> tuple[str, list[tuple[str, float]]]:
        """Free transcription of 16 kHz int16 audio: ``(text, [(word, posterior), ...])``."""
        d = self._ensure()
        d.start_utt()
        d.process_raw(samples.astype("<i2").tobytes(), full_utt=True)
        d.end_utt()
        hyp = d.hyp()
        words = []
        for seg in d.seg() or []:
            w = seg.word
            if w.startswith(("<", "[", "+")) or w in ("</s>",):
                continue
            words.append((w.split("(")[0], float(min(max(seg.prob, 0.0), 1.0))))
        return (hyp.hypstr if hyp else ""), words

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        """Find the answer in a recording (any rate; resampled to 16 kHz)."""
        t0 = time.perf_counter()
        x = _to_16k(samples, sample_rate)
        speech = cut_speech(x, SAMPLE_RATE, self.endpointing)
        if speech is None:
            return Heard("unknown", "", 0.0, "silence", "speech", time.perf_counter() - t0)
        text, words = self.transcribe(speech)
        intent, phrase = find_intent(text, typed=False)
        conf = _phrase_confidence(words, phrase) if intent != "unknown" else _mean_conf(words)
        if intent != "unknown" and conf < self.min_confidence:
            intent = "unknown"
        reason = "" if intent != "unknown" else ("unclear" if text else "silence")
        return Heard(intent, text, conf, reason, "speech", time.perf_counter() - t0)


def _mean_conf(words: list[tuple[str, float]]) -> float:
    return float(np.mean([p for _, p in words])) if words else 0.0


def _phrase_confidence(words: list[tuple[str, float]], phrase: str) -> float:
    wanted = phrase.replace("'", "").split()
    probs = [p for w, p in words if w.replace("'", "") in wanted]
    return float(min(probs)) if probs else _mean_conf(words)


class GoogleRecognizer:
    """Online recognition with Google's free web API through SpeechRecognition (optional).

    Needs ``pip install 'formcoach[online]'`` and a network; audio leaves the machine.
    Silence is still caught locally first. A network failure raises :class:`FormcoachError`
    naming the offline alternative.
    """

    def __init__(self, language: str = "en-US", endpointing: Endpointing | None = None) -> None:
        try:
            import speech_recognition  # noqa: F401
        except ImportError:
            raise FormcoachError(
                "Google recognition needs the SpeechRecognition package",
                "pip install 'formcoach[online]', or use the offline recogniser",
            ) from None
        self.language = language
        self.endpointing = endpointing or Endpointing()

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        import speech_recognition as sr

        t0 = time.perf_counter()
        x = _to_16k(samples, sample_rate)
        region = speech_region(x, SAMPLE_RATE, self.endpointing)
        if region is None:
            return Heard("unknown", "", 0.0, "silence", "speech", time.perf_counter() - t0)
        audio = sr.AudioData(x[region[0] : region[1]].astype("<i2").tobytes(), SAMPLE_RATE, 2)
        try:
            result = sr.Recognizer().recognize_google(audio, language=self.language, show_all=True)
        except sr.RequestError as e:
            raise FormcoachError(
                f"Google speech recognition is unreachable ({e})",
                "check the network, or use the offline recogniser (--listener pocketsphinx)",
            ) from None
        alts = result.get("alternative", []) if isinstance(result, dict) else []
        if not alts:
            return Heard("unknown", "", 0.0, "unclear", "speech", time.perf_counter() - t0)
        text = str(alts[0].get("transcript", ""))
        conf = float(alts[0].get("confidence", 0.5))
        heard = Heard.from_text(text, "speech", conf, typed=False)
        return Heard(
            heard.intent,
            heard.text,
            heard.confidence,
            heard.reason,
            "speech",
            time.perf_counter() - t0,
        )


def model_info() -> dict:
    """Where pocketsphinx's bundled model lives (for diagnostics)."""
    import pocketsphinx

    return {"model": os.fspath(pocketsphinx.get_model_path())}
