"""Offline speech to intent: Silero voice detection, then pocketsphinx's general English model.

How the offline recogniser tells an answer from anything else
--------------------------------------------------------------
1. **Voice or not.** The Silero voice activity detector finds the speech
   (:mod:`formcoach.voice.utterance`); silence, steady noise, hums and knocks have none and
   never reach the decoder ("silence").
2. **What was said.** pocketsphinx transcribes the speech (plus 0.5 s of context each side)
   with its general English language model, and :func:`formcoach.voice.intents.find_intent`
   looks for an answer phrase in the transcript. Another word comes out as another English
   word ("bird" -> "burnett", "three" -> "three") instead of being forced into "yes": the
   rejection model is all of English. A transcript that is one word pronounced exactly like a
   one-word answer in the recogniser's own dictionary ("know" for "no", "weight" for "wait")
   is that answer: the sounds are the same.
3. **Is the answer really there?** An answer the transcript names must also be found by
   keyword spotting: a phrase's path against a free phone loop over the same audio (a
   log-likelihood ratio), per 10 ms frame, the best of the phrase heard and the intent's
   one-word phrases (in noise a real "yes" is often transcribed "yeah": the check confirms
   the intent, not the spelling). Below the intent's floor (:data:`MIN_KEYWORD_SCORE`) the
   answer is "unclear" and the trainer asks again. The floors are chosen on the tuning
   speakers only (``benchmarks/speech_thresholds.py``): "yes" gets -54.0, midway between the
   weakest true "yes" (-50.3) and a "cat" transcribed "yeah" (-57.9); no other word was heard
   as "no" there, so "no" has no floor.

What was measured and not taken is in ``docs/speech.md``: a grammar of the answers alone,
keyword spotting alone, and a second constrained pass against the transcript
(``benchmarks/speech_second_pass.py``). The transcript decides, the keyword score vetoes.

The search beams are narrowed from pocketsphinx's defaults (:class:`SearchSettings`): the same
transcripts on the tuning speakers, several times faster. Every answer is decoded as if it
were the first: features are normalised over that answer alone (batch CMN) and the feature
extractor's running state is reset before each decode. Batch CMN alone was not enough: the
same validation "no" was heard "no" by a fresh decoder and "i had" by one that had decoded
anything before, which is how the evaluation (one file after another) and a session (one
answer after another) use it.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice.heard import Heard, to_16k
from formcoach.voice.intents import INTENTS, PHRASES, find_intent
from formcoach.voice.utterance import Endpointing, cut_speech

__all__ = [
    "MIN_KEYWORD_SCORE",
    "PocketsphinxRecognizer",
    "SearchSettings",
    "homophones",
    "model_info",
]

#: Keyword-spotting score per frame (see ``PocketsphinxRecognizer.answer_score``) below which
#: an answer the transcript names is not believed, per intent. Chosen on the tuning speakers
#: only (``python benchmarks/speech_thresholds.py``): midway between the intent's weakest true
#: answer and its strongest other word heard as that intent. An intent with no such word among
#: the tuning speakers has no floor.
MIN_KEYWORD_SCORE: dict[str, float] = {"yes": -54.0}


@dataclass(frozen=True)
class SearchSettings:
    """pocketsphinx's search beams (probability ratios to the best path; smaller is wider).

    Attributes:
        beam: HMM states kept per frame (pocketsphinx default 1e-48).
        word_beam: word exits kept per frame (default 7e-29).
        max_hmms_per_frame: at most this many active HMMs per frame (default 30000).
    """

    beam: float = 1e-30
    word_beam: float = 1e-20
    max_hmms_per_frame: int = 3000

    def options(self) -> dict:
        """As ``pocketsphinx.Decoder`` keyword arguments."""
        return {"beam": self.beam, "wbeam": self.word_beam, "maxhmmpf": self.max_hmms_per_frame}


def homophones(dictionary: str | Path, phrases: dict[str, str] = PHRASES) -> dict[str, str]:
    """Words pronounced exactly like a one-word answer phrase: word -> intent.

    Args:
        dictionary: a pocketsphinx/CMU pronouncing dictionary (``word PH ON ES`` per line,
            ``word(2)`` for variants).
        phrases: phrase -> intent (one-letter keyboard keys are skipped).
    """
    single = {p: i for p, i in phrases.items() if " " not in p and len(p) > 1}
    words_of: dict[str, set[str]] = defaultdict(set)
    sounds_of: dict[str, set[str]] = defaultdict(set)
    with open(dictionary, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0].split("(")[0].lower()
            sound = " ".join(parts[1:])
            if word in single:
                sounds_of[word].add(sound)
            words_of[sound].add(word)
    found: dict[str, str] = {}
    for phrase, intent in single.items():
        for sound in sounds_of[phrase]:
            for word in words_of[sound] - set(phrases):
                found.setdefault(word, intent)
    return found


class PocketsphinxRecognizer:
    """Offline recognition: Silero voice detection, then pocketsphinx with its general
    English model.

    Args:
        endpointing: how the speech is found in the recording (none → "silence").
        min_confidence: an answer whose deciding words have a lower lattice posterior is
            reported as "unclear". 0 (the default) accepts every answer found in the
            transcript: posteriors of true short answers go as low as 0.25, and other
            words heard as "yeah" reach 0.73.
        search: the decoder's beams.
        decoder_options: extra ``pocketsphinx.Decoder`` settings.
        min_keyword_score: intent -> floor of :meth:`answer_score` (default
            :data:`MIN_KEYWORD_SCORE`; ``{}``: no keyword check).
    """

    def __init__(
        self,
        endpointing: Endpointing | None = None,
        min_confidence: float = 0.0,
        search: SearchSettings | None = None,
        decoder_options: dict | None = None,
        min_keyword_score: Mapping[str, float] | None = None,
    ) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in 0..1, got {min_confidence}")
        thresholds = dict(MIN_KEYWORD_SCORE if min_keyword_score is None else min_keyword_score)
        unknown = set(thresholds) - set(INTENTS)
        if unknown:
            raise ValueError(f"min_keyword_score names unknown intents {sorted(unknown)}")
        self.endpointing = endpointing or Endpointing()
        self.min_confidence = min_confidence
        self.min_keyword_score = thresholds
        self._options = {**(search or SearchSettings()).options(), **(decoder_options or {})}
        self._decoder = None
        self._homophones: dict[str, str] = {}
        self._keyphrases: set[str] = set()

    def _ensure(self):
        if self._decoder is None:
            try:
                import pocketsphinx  # deferred: optional, loads a 40 MB model
            except ImportError:
                raise FormcoachError(
                    "offline speech recognition needs pocketsphinx",
                    "pip install 'formcoach[voice]', or answer by typing",
                ) from None
            # batch CMN: each answer's features are normalised over that answer alone (with
            # the reset in _decode, what is heard never depends on what was heard before).
            # Dither (half a bit of noise, fixed seed): digital silence around an answer (a
            # browser's or a file's exact zeros) has no log energy, which breaks that
            # normalisation; a real "yes" with 0.5 s of zeros before it was heard as "ask".
            opts = {"loglevel": "FATAL", "cmn": "batch", "dither": True, "seed": 1}
            opts |= self._options
            try:
                self._decoder = pocketsphinx.Decoder(**opts)
            except (ValueError, RuntimeError) as e:
                raise FormcoachError(
                    f"pocketsphinx could not start ({e})",
                    "reinstall it: pip install --force-reinstall pocketsphinx",
                ) from None
            self._homophones = homophones(self._decoder.config["dict"])
        return self._decoder

    def transcribe(self, samples: np.ndarray) -> tuple[str, list[tuple[str, float]]]:
        """Free transcription of 16 kHz int16 audio: ``(text, [(word, posterior), ...])``."""
        d = self._ensure()
        _decode(d, samples)
        hyp = d.hyp()
        words = []
        for seg in d.seg() or []:
            w = seg.word
            if w.startswith(("<", "[", "+")) or w in ("</s>",):
                continue
            words.append((w.split("(")[0], float(min(max(seg.prob, 0.0), 1.0))))
        return (hyp.hypstr if hyp else ""), words

    def keyword_score(self, samples: np.ndarray, phrases: str | Iterable[str]) -> float:
        """How well any of ``phrases`` explains its best stretch of 16 kHz int16 audio:
        pocketsphinx's keyword-spotting score (a phrase's path against a free phone loop, a
        log-likelihood ratio) per 10 ms frame, the best over all detections of all the
        phrases (one search); ``-inf`` if none is ever detected."""
        d = self._ensure()
        wanted = tuple(sorted({phrases} if isinstance(phrases, str) else set(phrases)))
        name = "kw:" + "|".join(wanted)
        if name not in self._keyphrases:
            with tempfile.TemporaryDirectory() as tmp:
                keyfile = Path(tmp) / "keyphrases.txt"
                keyfile.write_text("".join(f"{p}\n" for p in wanted), encoding="utf-8")
                d.add_kws(name, str(keyfile))
            self._keyphrases.add(name)
        d.activate_search(name)
        try:
            _decode(d, samples)
            logmath = d.get_logmath()
            scores = [
                logmath.log(seg.prob) / (seg.end_frame - seg.start_frame + 1)
                for seg in d.seg() or []
                if seg.prob > 0
            ]
        finally:
            d.activate_search("_default")
        return max(scores, default=float("-inf"))

    def answer_score(self, samples: np.ndarray, intent: str, phrase: str) -> float:
        """The keyword score of an answer: the best of the phrase heard and every one-word
        phrase of its intent (a "yes" that noise turned into "yeah" in the transcript is
        still a yes); compared with the intent's floor in :meth:`recognize`."""
        one_word = {p for p, i in PHRASES.items() if i == intent and " " not in p and len(p) > 1}
        return self.keyword_score(samples, one_word | {phrase})

    def intent_of(self, text: str) -> tuple[str, str]:
        """The intent of a transcript and the phrase (or homophone) that decided it."""
        intent, phrase = find_intent(text, typed=False)
        word = text.strip().lower()
        if intent == "unknown" and word and " " not in word:
            self._ensure()
            if word in self._homophones:
                return self._homophones[word], word
        return intent, phrase

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        """Find the answer in a recording (any rate; resampled to 16 kHz)."""
        t0 = time.perf_counter()
        x = to_16k(samples, sample_rate)
        speech = cut_speech(x, self.endpointing)
        if speech is None:
            return Heard("unknown", "", 0.0, "silence", "speech", time.perf_counter() - t0)
        text, words = self.transcribe(speech)
        intent, phrase = self.intent_of(text)
        conf = _phrase_confidence(words, phrase) if intent != "unknown" else _mean_conf(words)
        if intent != "unknown" and conf < self.min_confidence:
            intent = "unknown"
        floor = self.min_keyword_score.get(intent)
        if floor is not None and self.answer_score(speech, intent, phrase) < floor:
            intent = "unknown"
        reason = "" if intent != "unknown" else "unclear"  # speech was there, words or none
        return Heard(intent, text, conf, reason, "speech", time.perf_counter() - t0)


def _decode(decoder, samples: np.ndarray) -> None:
    """Decode one answer (16 kHz int16) with the active search from the feature extractor's
    initial state (its running state is reset first: see the module's docstring)."""
    decoder.reinit_feat()
    decoder.start_utt()
    decoder.process_raw(samples.astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()


def _mean_conf(words: list[tuple[str, float]]) -> float:
    return float(np.mean([p for _, p in words])) if words else 0.0


def _phrase_confidence(words: list[tuple[str, float]], phrase: str) -> float:
    wanted = phrase.replace("'", "").split()
    probs = [p for w, p in words if w.replace("'", "") in wanted]
    return float(min(probs)) if probs else _mean_conf(words)


def model_info() -> dict:
    """Where pocketsphinx's bundled model lives (for diagnostics)."""
    import pocketsphinx  # deferred: optional (formcoach[voice])

    return {"model": os.fspath(pocketsphinx.get_model_path())}
