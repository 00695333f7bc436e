"""Speech to intent: pocketsphinx offline (default) and Google online (optional).

Where the recognisers are, for their callers: what they return and their protocol
(:mod:`formcoach.voice.heard`), the offline one (:mod:`formcoach.voice.pocketsphinx_recognizer`,
which says how it tells an answer from anything else) and the online one
(:mod:`formcoach.voice.google_recognizer`).
"""

from __future__ import annotations

from formcoach.voice.google_recognizer import GoogleRecognizer
from formcoach.voice.heard import Heard, Recognizer
from formcoach.voice.pocketsphinx_recognizer import (
    MIN_KEYWORD_SCORE,
    PocketsphinxRecognizer,
    SearchSettings,
    homophones,
    model_info,
)

__all__ = [
    "MIN_KEYWORD_SCORE",
    "GoogleRecognizer",
    "Heard",
    "PocketsphinxRecognizer",
    "Recognizer",
    "SearchSettings",
    "homophones",
    "model_info",
]
