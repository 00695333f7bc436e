import builtins
import sys
import threading
import time

import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.voice import speaker as speaker_mod
from formcoach.voice.audio import read_wav
from formcoach.voice.speaker import (
    DeviceSink,
    QueuedSpeaker,
    RecordingSpeaker,
    WavFolderSink,
    make_speaker,
)
from voice_helpers import require_backend


class SlowSynth:
    """A voice that takes ``delay`` s per chunk: 3 chunks of 100 samples per line."""

    sample_rate = 8000

    def __init__(self, delay=0.05, fail_on=None):
        self.delay = delay
        self.fail_on = fail_on
        self.spoken = []

    def stream(self, text, on_chunk):
        if text == self.fail_on:
            raise FormcoachError("cannot say that")
        self.spoken.append(text)
        for _ in range(3):
            time.sleep(self.delay)
            if on_chunk(np.full(100, 7, np.int16)) is False:
                return


class ListSink:
    def __init__(self, fail=False):
        self.lines, self.chunks, self.fail, self.closed = [], [], fail, False

    def begin(self, line, rate):
        self.lines.append(line.text)

    def write(self, chunk):
        if self.fail:
            raise OSError("device unplugged")
        self.chunks.append(chunk)

    def end(self):
        return None

    def close(self):
        self.closed = True


def test_say_returns_at_once_and_wait_waits():
    synth, sink = SlowSynth(delay=0.1), ListSink()
    sp = QueuedSpeaker(synth, sink)
    t = time.perf_counter()
    sp.say("one")
    sp.say("two")
    returned = time.perf_counter() - t
    assert returned < 0.05  # 2 lines take >= 0.6 s to speak
    assert sp.wait(timeout=5)
    assert time.perf_counter() - t >= 0.55
    sp.close()
    assert sink.lines == ["one", "two"] and len(sink.chunks) == 6 and sink.closed
    lines = sp.lines
    assert [line.index for line in lines] == [1, 2]
    assert all(line.latency_s is not None and line.latency_s > 0 for line in lines)
    # the second line waited for the first: its first audio came later after say()
    assert lines[1].latency_s > lines[0].latency_s


def test_wait_times_out_while_speaking():
    sp = QueuedSpeaker(SlowSynth(delay=0.2), ListSink())
    sp.say("slow")
    assert sp.wait(timeout=0.05) is False
    assert sp.wait(timeout=5) is True
    sp.close()


def test_interrupt_drops_queued_lines_and_cuts_the_current_one():
    synth, sink = SlowSynth(delay=0.1), ListSink()
    sp = QueuedSpeaker(synth, sink)
    sp.say("first")
    sp.say("second")
    time.sleep(0.05)
    sp.say("urgent", interrupt=True)
    sp.close()
    by_text = {line.text: line for line in sp.lines}
    assert by_text["second"].error == "interrupted"
    assert "second" not in synth.spoken and "urgent" in synth.spoken
    assert len(sink.chunks) < 6 + 3  # "first" was cut short


def test_a_failing_line_is_recorded_and_later_lines_still_play():
    sp = QueuedSpeaker(SlowSynth(delay=0.0, fail_on="bad"), ListSink())
    sp.say("bad")
    sp.say("good")
    sp.close()
    bad, good = sp.lines
    assert "cannot say that" in bad.error and bad.latency_s is None
    assert good.error == "" and good.latency_s is not None


def test_a_failing_device_falls_back_to_files(tmp_path):
    files = WavFolderSink(tmp_path, echo=None)
    sp = QueuedSpeaker(SlowSynth(delay=0.0), ListSink(fail=True), fallback=lambda: files)
    sp.say("hello there")
    sp.say("again")
    sp.close()
    assert [p.name for p in sorted(tmp_path.glob("*.wav"))] == [
        "0001-hello-there.wav",
        "0002-again.wav",
    ]
    assert all(line.error == "" for line in sp.lines)


def test_wav_folder_numbering_continues_and_echoes(tmp_path):
    (tmp_path / "0007-old.wav").write_bytes(b"")
    said = []
    sp = QueuedSpeaker(
        SlowSynth(delay=0.0),
        WavFolderSink(tmp_path, echo=lambda text, wav=None: said.append((text, wav))),
    )
    sp.say("Keep your back straight!")
    sp.close()
    path = sp.lines[0].path
    assert path.name == "0008-keep-your-back-straight.wav"
    x, rate = read_wav(path, sample_rate=None)
    assert rate == 8000 and len(x) == 300 and (x == 7).all()
    assert said == [("Keep your back straight!", path)]
    assert (tmp_path / "0007-old.wav").exists()


def test_a_line_written_to_a_file_is_printed_with_the_file_after_the_quote(tmp_path, capsys):
    """The demo printed 'formcoach says: "Hello Obama!  [.../0001-hello.wav]"': the file
    inside the quotes, as if it had been said."""
    sp = QueuedSpeaker(SlowSynth(delay=0.0), WavFolderSink(tmp_path))
    sp.say("Two.")
    sp.close()
    out = capsys.readouterr().out.strip()
    assert out == f'formcoach says: "Two."  [{sp.lines[0].path}]'


def test_recording_speaker_is_a_speaker():
    sp = RecordingSpeaker()
    sp.say("hi")
    assert sp.wait() and sp.said == ["hi"]
    sp.close()
    with pytest.raises(RuntimeError):
        sp.say("after close")


def test_closed_queued_speaker_refuses_lines():
    sp = QueuedSpeaker(SlowSynth(delay=0.0), ListSink())
    sp.close()
    with pytest.raises(RuntimeError):
        sp.say("late")


class FakeOutSd:
    def __init__(self):
        self.written = []

    def OutputStream(self, **kw):
        sd = self

        class S:
            def start(self):
                sd.started = kw

            def write(self, data):
                sd.written.append(np.array(data))

            def stop(self):
                pass

            def close(self):
                sd.closed = True

        return S()


def test_device_sink_plays_chunks_as_they_come():
    sd = FakeOutSd()
    sp = QueuedSpeaker(SlowSynth(delay=0.0), DeviceSink(sd=sd))
    sp.say("hello")
    sp.close()
    assert sd.started["samplerate"] == 8000 and sd.started["channels"] == 1
    assert len(sd.written) == 3 and sd.written[0].shape == (100, 1)
    assert sd.closed


def test_make_speaker_without_a_sound_card_writes_wavs(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("formcoach.voice.audio.has_output_device", lambda: False)
    sp = make_speaker("espeak", output="auto", out_dir=None)
    assert isinstance(sp, QueuedSpeaker) and isinstance(sp.sink, WavFolderSink)
    sp.close()
    sp = make_speaker("espeak", out_dir=tmp_path)
    sp.say("Are you ready?")
    sp.close()
    (path,) = tmp_path.glob("*.wav")
    x, rate = read_wav(path, sample_rate=None)
    assert rate == 22050 and 0.4 < len(x) / rate < 3.0 and np.abs(x).max() > 1000
    assert "Are you ready?" in capsys.readouterr().out
    with pytest.raises(FormcoachError, match="no speaker"):
        make_speaker("espeak", output="device")


def test_make_speaker_choices():
    assert isinstance(make_speaker("text", echo=None), RecordingSpeaker)
    with pytest.raises(FormcoachError, match="espeak"):
        make_speaker("festival")
    with pytest.raises(FormcoachError, match="auto"):
        make_speaker("text", output="speakers")


def test_espeak_streams_real_audio_quickly():
    from formcoach.voice.espeak import espeak_synth

    synth = espeak_synth()
    chunks = []
    synth.stream("Keep your elbows close to your body.", chunks.append)
    audio = np.concatenate(chunks)
    assert len(chunks) > 3  # streamed in pieces, so playback can start on the first
    assert 1.0 < len(audio) / synth.sample_rate < 5.0
    short = synth.synth("Good.")
    assert 0 < len(short) < len(audio)
    with pytest.raises(FormcoachError, match="no voice"):
        synth.configure(voice="xx-nonexistent")
    synth.configure(voice="en-us")


def test_espeak_is_safe_from_two_threads():
    from formcoach.voice.espeak import espeak_synth

    synth = espeak_synth()
    out = {}

    def run(name):
        out[name] = synth.synth(f"Set {name} done")

    ts = [threading.Thread(target=run, args=(n,)) for n in ("one", "two")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(out["one"]) > 1000 and len(out["two"]) > 1000


def test_gtts_missing_names_the_extra(monkeypatch):
    real_import = builtins.__import__

    def fake(name, *a, **k):
        if name == "gtts":
            raise ImportError("No module named 'gtts'", name="gtts")
        return real_import(name, *a, **k)

    monkeypatch.delitem(sys.modules, "gtts", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(FormcoachError, match=r"pip install 'formcoach\[online\]'"):
        make_speaker("gtts")


def test_gtts_offline_is_a_clear_error(monkeypatch):
    require_backend("gtts")
    require_backend("miniaudio")
    import gtts

    def offline(self, fp):
        import requests

        raise requests.exceptions.ConnectionError("Failed to resolve translate.google.com")

    monkeypatch.setattr(gtts.gTTS, "write_to_fp", offline)
    with pytest.raises(FormcoachError, match="offline voice"):
        make_speaker("gtts")


def test_gtts_audio_is_decoded_for_the_sinks(monkeypatch, tmp_path):
    require_backend("gtts")
    require_backend("miniaudio")
    import gtts
    import miniaudio

    # no network here: hand gTTS's writer a real encoded file (WAV; miniaudio decodes both)
    from formcoach.voice.audio import write_wav
    from formcoach.voice.espeak import espeak_synth
    from formcoach.voice.gtts_voice import GttsSynth

    src = write_wav(tmp_path / "src.wav", espeak_synth().synth("hello"), 22050)
    monkeypatch.setattr(gtts.gTTS, "write_to_fp", lambda self, fp: fp.write(src.read_bytes()))
    synth = GttsSynth()
    x = synth.synth("hello")
    assert x.dtype == np.int16 and abs(len(x) / synth.sample_rate - 0.5) < 0.5
    assert hasattr(miniaudio, "decode")
    sp = make_speaker("gtts", out_dir=tmp_path / "out", echo=None)
    sp.say("hello")
    sp.close()
    assert len(list((tmp_path / "out").glob("*.wav"))) == 1


def test_default_speech_folder_is_in_user_data(monkeypatch, tmp_path):
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path))
    assert speaker_mod._default_speech_dir() == tmp_path / "speech"
