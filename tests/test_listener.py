import builtins
import io
import sys

import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.voice.audio import write_wav
from formcoach.voice.listener import (
    AudioListener,
    Heard,
    ScriptedListener,
    ScriptListener,
    TextListener,
    make_listener,
    make_recognizer,
)
from formcoach.voice.recognizers import (
    MIN_KEYWORD_SCORE,
    GoogleRecognizer,
    PocketsphinxRecognizer,
    homophones,
)
from voice_helpers import RATE, noise, require_backend, silence, spoken, tone_burst


def test_text_listener_maps_typed_words():
    out = io.StringIO()
    kb = TextListener(io.StringIO("Yes!\nnot today\nbanana\n\n"), prompt="> ", out=out)
    a, b, c, d, e = (kb.listen() for _ in range(5))
    assert (a.intent, a.source, a.confidence) == ("yes", "keyboard", 1.0)
    assert b.intent == "no"
    assert (c.intent, c.reason, c.text) == ("unknown", "unclear", "banana")
    assert (d.intent, d.reason) == ("unknown", "silence")
    assert (e.intent, e.reason) == ("unknown", "eof")
    assert out.getvalue().count("> ") == 5


def test_scripted_listener_replays_then_runs_out():
    sl = ScriptedListener(["yes", Heard("unknown", "", 0.0, "silence")])
    assert sl.listen().intent == "yes"
    assert sl.listen().reason == "silence"
    assert sl.listen().reason == "eof"
    with pytest.raises(ValueError, match="maybe"):
        ScriptedListener(["maybe"])


class FakeRecognizer:
    def __init__(self, intent="yes"):
        self.intent = intent
        self.got = []

    def recognize(self, samples, rate):
        self.got.append((len(samples), rate))
        return Heard(self.intent, self.intent, 0.9, "", "speech")


def test_script_listener_mixes_wav_files_and_text(tmp_path):
    wav = write_wav(tmp_path / "answer.wav", tone_burst(), RATE)
    rec = FakeRecognizer("no")
    sl = ScriptListener([str(wav), "stop"], recognizer=rec)
    a = sl.listen()
    assert (a.intent, a.source) == ("no", "file:answer.wav") and rec.got == [(2 * RATE, RATE)]
    assert sl.listen().intent == "stop"
    assert sl.listen().reason == "eof" and sl.remaining == 0
    with pytest.raises(FormcoachError, match="does not exist"):
        ScriptListener([str(tmp_path / "missing.wav")])


def test_audio_listener_records_then_recognises():
    rec = FakeRecognizer("how_many")
    asked = []

    def record(timeout):
        asked.append(timeout)
        return tone_burst(), RATE

    al = AudioListener(rec, record=record)
    assert al.listen(3.0).intent == "how_many"
    assert asked == [3.0] and rec.got == [(2 * RATE, RATE)]


@pytest.mark.parametrize("audio", [silence(1.5), noise(1.0), noise(1.0, level=15000)])
def test_pocketsphinx_rejects_silence_and_steady_noise_without_decoding(audio):
    rec = PocketsphinxRecognizer()
    h = rec.recognize(audio, RATE)
    assert (h.intent, h.reason, h.text, h.confidence) == ("unknown", "silence", "", 0.0)
    assert rec._decoder is None  # never needed the decoder


def test_pocketsphinx_never_hears_yes_or_no_in_a_hum():
    """A buzzing, periodic non-speech sound reaches the decoder but is not an answer."""
    t = np.arange(int(1.5 * RATE)) / RATE
    x = np.zeros_like(t)
    x[int(0.5 * RATE) : int(1.0 * RATE)] = 6000 * np.sign(np.sin(2 * np.pi * 220 * t[:8000]))
    x += np.random.default_rng(0).normal(0, 20, len(x))
    h = PocketsphinxRecognizer().recognize(x.astype(np.int16), RATE)
    assert h.intent not in ("yes", "no")
    assert h.source == "speech" and h.seconds > 0


def test_pocketsphinx_accepts_other_rates_and_checks_shape():
    rec = PocketsphinxRecognizer()
    h = rec.recognize(silence(1.0)[::2], 8000)
    assert h.reason == "silence"
    with pytest.raises(ValueError, match="mono"):
        rec.recognize(np.zeros((100, 2), np.int16), RATE)
    with pytest.raises(ValueError):
        PocketsphinxRecognizer(min_confidence=2)


def test_min_confidence_turns_weak_answers_into_unclear(monkeypatch):
    rec = PocketsphinxRecognizer(min_confidence=0.5)
    monkeypatch.setattr(rec, "transcribe", lambda x: ("oh yes", [("oh", 0.9), ("yes", 0.3)]))
    word, _ = spoken("yes", 0.5, 0.5)
    h = rec.recognize(word, RATE)
    assert (h.intent, h.reason, h.confidence) == ("unknown", "unclear", 0.3)
    rec.min_confidence = 0.2
    assert rec.recognize(word, RATE).intent == "yes"


def test_make_listener_falls_back_to_the_keyboard(monkeypatch, tmp_path):
    monkeypatch.setattr("formcoach.voice.audio.has_input_device", lambda: False)
    assert isinstance(make_listener(), TextListener)
    assert isinstance(make_listener(microphone="off"), TextListener)
    with pytest.raises(FormcoachError, match="no microphone"):
        make_listener(microphone="on")
    monkeypatch.setattr("formcoach.voice.audio.has_input_device", lambda: True)
    assert isinstance(make_listener(), AudioListener)
    assert isinstance(make_listener(["yes"]), ScriptListener)
    with pytest.raises(FormcoachError, match="pocketsphinx"):
        make_recognizer("whisper")
    with pytest.raises(FormcoachError, match="auto"):
        make_listener(microphone="maybe")


def test_google_missing_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def fake(name, *a, **k):
        if name == "speech_recognition":
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.delitem(sys.modules, "speech_recognition", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(FormcoachError, match=r"pip install 'formcoach\[online\]'"):
        make_recognizer("google")


def test_google_offline_is_a_clear_error_and_results_map_to_intents(monkeypatch):
    require_backend("speech_recognition")
    import speech_recognition as sr

    rec = GoogleRecognizer()
    word, _ = spoken("yes", 0.5, 0.5)

    def offline(self, audio, **kw):
        raise sr.RequestError("recognition connection failed: [Errno -3]")

    monkeypatch.setattr(sr.Recognizer, "recognize_google", offline)
    with pytest.raises(FormcoachError, match="offline recogniser"):
        rec.recognize(word, RATE)
    answer = {"alternative": [{"transcript": "yeah let's go", "confidence": 0.93}]}
    monkeypatch.setattr(sr.Recognizer, "recognize_google", lambda self, a, **kw: answer)
    h = rec.recognize(word, RATE)
    assert (h.intent, h.confidence, h.text) == ("yes", 0.93, "yeah let's go")
    monkeypatch.setattr(sr.Recognizer, "recognize_google", lambda self, a, **kw: [])
    assert rec.recognize(word, RATE).reason == "unclear"
    assert rec.recognize(silence(), RATE).reason == "silence"


@pytest.mark.parametrize("word", ["yes", "no"])
def test_a_spoken_answer_inside_two_seconds_of_silence_is_heard(word):
    # espeak's "en-us+f4" voice (the acoustic model hears the plain en-us "no" as "though");
    # each synthesis differs (the variants' pitch flutter), so most must be heard. "en-us+f3"
    # was heard "no" in 9-13 of 16 (the others "you know") and failed a clean CI run at 7 of
    # 16; "en-us+f4": "no" 12-13 of 16, "yes" 16 of 16 (3 runs each). 24 syntheses make a
    # majority a steady test at that rate (12 or fewer of 24: about 3 runs in 1000).
    rec = PocketsphinxRecognizer()
    heard = [rec.recognize(spoken(word, voice="en-us+f4")[0], RATE) for _ in range(24)]
    assert sum(h.intent == word for h in heard) > len(heard) / 2, [h.text for h in heard]
    assert all(h.source == "speech" and h.intent in (word, "unknown") for h in heard)


@pytest.mark.parametrize("voice", ["en-us", "en-us+f3"])
def test_other_spoken_words_are_rejected(voice):
    """Out-of-vocabulary words come out as other English words, never as yes or no."""
    rec = PocketsphinxRecognizer()
    for word in ("bird", "house", "three", "cat", "happy"):
        x, _ = spoken(word, 1.0, 1.0, voice=voice)
        h = rec.recognize(x, RATE)
        assert h.intent not in ("yes", "no"), (word, h.text)


def test_a_homophone_of_a_one_word_answer_is_that_answer(monkeypatch):
    rec = PocketsphinxRecognizer()
    word, _ = spoken("no", 0.5, 0.5)
    for text, intent in [("know", "no"), ("weight", "pause"), ("i know", "unknown")]:
        monkeypatch.setattr(rec, "transcribe", lambda x, t=text: (t, [(w, 0.9) for w in t.split()]))
        assert rec.recognize(word, RATE).intent == intent, text


def test_homophones_come_from_the_pronouncing_dictionary(tmp_path):
    d = tmp_path / "mini.dict"
    d.write_text("no N OW\nknow N OW\nknow(2) N AA\nyes Y EH S\nnow N AW\nyeah Y AE\n")
    assert homophones(d) == {"know": "no"}


def test_an_answer_the_keyword_check_does_not_find_is_unclear(monkeypatch):
    rec = PocketsphinxRecognizer(min_keyword_score={"yes": -50.0})
    word, _ = spoken("yes", 0.5, 0.5)
    monkeypatch.setattr(rec, "transcribe", lambda x: ("yeah", [("yeah", 0.9)]))
    checked = []

    def score(intent, phrase, value):
        checked.append((intent, phrase))
        return value

    monkeypatch.setattr(rec, "answer_score", lambda x, i, p: score(i, p, -70.0))
    h = rec.recognize(word, RATE)
    assert (h.intent, h.reason, h.text) == ("unknown", "unclear", "yeah")
    assert checked == [("yes", "yeah")]
    monkeypatch.setattr(rec, "answer_score", lambda x, i, p: score(i, p, -30.0))
    assert rec.recognize(word, RATE).intent == "yes"
    monkeypatch.setattr(rec, "transcribe", lambda x: ("no", [("no", 0.9)]))
    monkeypatch.setattr(rec, "answer_score", lambda x, i, p: score(i, p, -999.0))
    assert rec.recognize(word, RATE).intent == "no"  # no floor for "no"
    with pytest.raises(ValueError, match="maybe"):
        PocketsphinxRecognizer(min_keyword_score={"maybe": -1.0})


def test_keyword_scores_prefer_the_phrase_that_was_said():
    rec = PocketsphinxRecognizer()
    x, _ = spoken("yes", 0.5, 0.5, voice="en-us+f3")
    yes, no = rec.keyword_score(x, "yes"), rec.keyword_score(x, "no")
    assert yes > no and yes > MIN_KEYWORD_SCORE["yes"]
    # one search over several phrases finds the best of them (its score is not exactly a
    # single phrase's: the phrases share the search, measured within a few units)
    assert rec.keyword_score(x, ["yes", "no"]) > max(yes, no) - 5.0
    assert rec.answer_score(x, "yes", "yeah") > yes - 5.0
    assert rec.transcribe(x)[0] == "yes"  # the language-model search is active again
