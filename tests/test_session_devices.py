"""``formcoach session`` speaks through the speaker when there is one, and says once why not."""

from __future__ import annotations

from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.session import run
from formcoach.session.run import SessionOptions
from formcoach.voice.listener import TextListener


def _fake_make_speaker(device_ok: bool, calls: list):
    def make(backend, out_dir=None, output="auto", **kw):
        calls.append((output, Path(out_dir) if out_dir else None))
        if output == "device" and not device_ok:
            raise FormcoachError(
                "no speaker: sounddevice, PortAudio or an output device is missing"
            )
        return f"{output} speaker"

    return make


def test_speech_goes_to_the_speaker_by_default_when_one_exists(monkeypatch, tmp_path):
    calls: list = []
    monkeypatch.setattr(run, "make_speaker", _fake_make_speaker(True, calls))
    said: list[str] = []
    speaker = run._speaker(SessionOptions(), tmp_path / "speech", said.append)
    assert speaker == "device speaker" and calls == [("device", tmp_path / "speech")]
    assert said == []


def test_without_a_speaker_the_fallback_says_once_why(monkeypatch, tmp_path):
    calls: list = []
    monkeypatch.setattr(run, "make_speaker", _fake_make_speaker(False, calls))
    said: list[str] = []
    speaker = run._speaker(SessionOptions(), tmp_path / "speech", said.append)
    assert speaker == "files speaker"
    assert [c[0] for c in calls] == ["device", "files"]
    assert len(said) == 1 and "no speaker" in said[0] and str(tmp_path / "speech") in said[0]


def test_files_asked_for_are_files_without_a_word(monkeypatch, tmp_path):
    calls: list = []
    monkeypatch.setattr(run, "make_speaker", _fake_make_speaker(True, calls))
    said: list[str] = []
    run._speaker(SessionOptions(speech_output="files"), tmp_path, said.append)
    assert [c[0] for c in calls] == ["files"] and said == []


def test_without_a_microphone_the_fallback_says_once_why(monkeypatch):
    monkeypatch.setattr(run, "make_listener", lambda *a: TextListener())
    said: list[str] = []
    assert isinstance(run._listener(SessionOptions(), said.append), TextListener)
    assert len(said) == 1 and "no microphone" in said[0] and "keyboard" in said[0]
    said.clear()
    run._listener(SessionOptions(microphone="off"), said.append)  # asked for: nothing to explain
    assert said == []
