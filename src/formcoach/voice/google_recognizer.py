"""Online speech to intent: Google's free web API through SpeechRecognition (optional)."""

from __future__ import annotations

import time

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice.heard import SAMPLE_RATE, Heard, to_16k
from formcoach.voice.utterance import Endpointing, cut_speech

__all__ = ["GoogleRecognizer"]


class GoogleRecognizer:
    """Online recognition with Google's free web API through SpeechRecognition (optional).

    Needs ``pip install 'formcoach[online]'`` and a network; audio leaves the machine.
    Silence is still caught locally first. A network failure raises :class:`FormcoachError`
    naming the offline alternative.
    """

    def __init__(self, language: str = "en-US", endpointing: Endpointing | None = None) -> None:
        try:
            import speech_recognition  # noqa: F401  (deferred: optional, formcoach[online])
        except ImportError:
            raise FormcoachError(
                "Google recognition needs the SpeechRecognition package",
                "pip install 'formcoach[online]', or use the offline recogniser",
            ) from None
        self.language = language
        self.endpointing = endpointing or Endpointing()

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        import speech_recognition as sr  # deferred: optional (formcoach[online])

        t0 = time.perf_counter()
        x = to_16k(samples, sample_rate)
        speech = cut_speech(x, self.endpointing)
        if speech is None:
            return Heard("unknown", "", 0.0, "silence", "speech", time.perf_counter() - t0)
        audio = sr.AudioData(speech.astype("<i2").tobytes(), SAMPLE_RATE, 2)
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
