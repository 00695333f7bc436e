import builtins
import wave

import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.voice import audio
from formcoach.voice.audio import (
    Endpointing,
    cut_speech,
    read_wav,
    resample,
    speech_region,
    write_wav,
)
from voice_helpers import RATE, noise, silence, tone_burst


def test_wav_round_trip(tmp_path):
    x = tone_burst()
    p = write_wav(tmp_path / "a" / "x.wav", x, RATE)
    y, rate = read_wav(p)
    assert rate == RATE and y.dtype == np.int16
    np.testing.assert_array_equal(x, y)


def test_read_wav_averages_channels_and_resamples(tmp_path):
    left = np.full(8000, 1000, np.int16)
    right = np.full(8000, 3000, np.int16)
    p = tmp_path / "st.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.stack([left, right], 1).astype("<i2").tobytes())
    y, rate = read_wav(p)  # to 16 kHz
    assert rate == 16000 and len(y) == 16000
    assert abs(int(np.median(y)) - 2000) <= 2
    y8, r8 = read_wav(p, sample_rate=None)
    assert r8 == 8000 and len(y8) == 8000


def test_read_wav_errors_say_what_to_do(tmp_path):
    with pytest.raises(FormcoachError, match="no such audio file"):
        read_wav(tmp_path / "missing.wav")
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav at all")
    with pytest.raises(FormcoachError, match="WAV"):
        read_wav(bad)


def test_resample_keeps_duration():
    x = tone_burst(total_s=1.0, start_s=0.2)
    assert len(resample(x, 16000, 22050)) == 22050
    assert resample(x, 16000, 16000) is x


def test_speech_region_finds_the_burst():
    x = tone_burst(total_s=3.0, start_s=1.0, dur_s=0.5)
    a, b = speech_region(x, RATE, Endpointing(pad_s=0.0))
    assert abs(a / RATE - 1.0) < 0.05 and abs(b / RATE - 1.5) < 0.06
    a2, b2 = speech_region(x, RATE, Endpointing(pad_s=0.3))
    assert a2 == pytest.approx(a - 0.3 * RATE, abs=1) and b2 == pytest.approx(b + 0.3 * RATE, abs=1)


@pytest.mark.parametrize("x", [silence(), noise(), noise(level=12000), np.zeros(16000, np.int16)])
def test_no_speech_in_silence_or_steady_noise(x):
    assert speech_region(x, RATE) is None
    assert cut_speech(x, RATE) is None


def test_a_short_clip_gets_context_from_its_own_background():
    x = tone_burst(total_s=0.5, start_s=0.05, dur_s=0.4, noise=5)
    assert speech_region(x, RATE) is not None
    y = cut_speech(x, RATE, Endpointing(pad_s=0.5))
    # ~0.4 s of word plus ~0.5 s of context on each side, made of the clip's own background
    assert 1.2 * RATE <= len(y) <= 1.5 * RATE
    assert np.abs(y[: int(0.3 * RATE)]).max() < 50
    assert np.abs(y[-int(0.3 * RATE) :]).max() < 50


def test_endpointing_validates():
    with pytest.raises(ValueError):
        Endpointing(pad_s=-1)


def _no_sounddevice(monkeypatch, exc):
    real_import = builtins.__import__

    def fake(name, *a, **k):
        if name == "sounddevice":
            raise exc
        return real_import(name, *a, **k)

    monkeypatch.delitem(__import__("sys").modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake)


@pytest.mark.parametrize("exc", [OSError("PortAudio library not found"), ImportError("no")])
def test_missing_portaudio_means_no_devices(monkeypatch, exc):
    _no_sounddevice(monkeypatch, exc)
    assert audio.sounddevice_or_none() is None
    assert not audio.has_output_device()
    assert not audio.has_input_device()
    with pytest.raises(FormcoachError, match="no microphone"):
        audio.record_until_silence()


class FakeSd:
    """sounddevice stand-in: a device list and an input stream fed from an array."""

    class PortAudioError(Exception):
        pass

    def __init__(self, signal=None, devices=True):
        self.signal = signal
        self.devices = devices
        self.pos = 0

    def query_devices(self, kind=None):
        if not self.devices:
            raise self.PortAudioError("Error querying device -1")
        return {"max_output_channels": 2, "max_input_channels": 1}

    def InputStream(self, **kw):
        sd = self

        class S:
            def __enter__(self):
                return self

            def __exit__(self, *a):
                return False

            def read(self, n):
                chunk = sd.signal[sd.pos : sd.pos + n]
                sd.pos += n
                if len(chunk) < n:
                    chunk = np.concatenate([chunk, np.zeros(n - len(chunk), np.int16)])
                return chunk.reshape(-1, 1), False

        return S()


def test_device_queries_failing_mean_no_device(monkeypatch):
    monkeypatch.setattr(audio, "sounddevice_or_none", lambda: FakeSd(devices=False))
    assert not audio.has_output_device() and not audio.has_input_device()
    monkeypatch.setattr(audio, "sounddevice_or_none", lambda: FakeSd(devices=True))
    assert audio.has_output_device() and audio.has_input_device()


def test_recording_stops_after_the_pause():
    x = np.concatenate([silence(1.0), tone_burst(1.0, 0.0, 1.0, noise=3), silence(5.0)])
    sd = FakeSd(x)
    y = audio.record_until_silence(RATE, wait_s=4, max_s=10, silence_s=0.8, sd=sd)
    # 1 s before, 1 s of speech, ~0.8 s of pause
    assert 2.6 * RATE <= len(y) <= 3.1 * RATE


def test_recording_gives_up_when_nobody_speaks():
    sd = FakeSd(silence(20.0))
    y = audio.record_until_silence(RATE, wait_s=2.0, max_s=10, sd=sd)
    assert abs(len(y) / RATE - 2.0) < 0.1
