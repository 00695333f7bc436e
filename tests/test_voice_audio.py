import builtins
import wave

import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.voice import audio
from formcoach.voice.audio import read_wav, resample, write_wav
from voice_helpers import RATE, FakeSd, tone_burst


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


def test_device_queries_failing_mean_no_device(monkeypatch):
    monkeypatch.setattr(audio, "sounddevice_or_none", lambda: FakeSd(devices=False))
    assert not audio.has_output_device() and not audio.has_input_device()
    monkeypatch.setattr(audio, "sounddevice_or_none", lambda: FakeSd(devices=True))
    assert audio.has_output_device() and audio.has_input_device()
