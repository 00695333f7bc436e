import json

import pytest
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.voice.audio import write_wav
from voice_helpers import RATE, noise, silence, tone_burst


@pytest.fixture
def speech_dir(tmp_path):
    write_wav(tmp_path / "other" / "quiet.wav", silence(), RATE)
    write_wav(tmp_path / "other" / "hiss.wav", noise(), RATE)
    return tmp_path


def test_eval_speech_json(speech_dir):
    r = CliRunner().invoke(main, ["eval", "speech", str(speech_dir), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["n"] == 2 and out["accuracy"] == 1.0
    assert out["per_class"]["other"] == {
        "n": 2,
        "correct": 2,
        "accuracy": 1.0,
        "heard_as": {"unknown": 2},
    }


def test_eval_speech_text_lists_every_file(speech_dir):
    r = CliRunner().invoke(main, ["eval", "speech", str(speech_dir)])
    assert r.exit_code == 0, r.output
    assert "quiet.wav" in r.output and "hiss.wav" in r.output
    assert "accuracy 1.000 on 2 files" in r.output


def test_eval_speech_bad_folder(tmp_path):
    r = CliRunner().invoke(main, ["eval", "speech", str(tmp_path / "nope")])
    assert r.exit_code != 0 and "not a folder" in r.output
    r = CliRunner().invoke(main, ["eval", "speech", str(tmp_path)])
    assert r.exit_code != 0 and "no WAV files" in r.output and "Traceback" not in r.output


def test_eval_speech_counts_every_class(speech_dir):
    write_wav(speech_dir / "yes" / "buzz.wav", silence(), RATE)  # a "yes" nobody said
    write_wav(speech_dir / "no" / "buzz.wav", silence(), RATE)
    r = CliRunner().invoke(main, ["eval", "speech", str(speech_dir), "--json"])
    out = json.loads(r.output)
    assert out["n"] == 4 and out["accuracy"] == 0.5
    assert out["per_class"]["yes"]["accuracy"] == 0.0 and out["per_class"]["no"]["n"] == 1
    assert out["wrong"] == ["yes/buzz.wav", "no/buzz.wav"]


def test_say_writes_numbered_wavs(tmp_path):
    r = CliRunner().invoke(main, ["say", "Are you ready?", "Good rep!", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in tmp_path.glob("*.wav"))
    assert names == ["0001-are-you-ready.wav", "0002-good-rep.wav"]
    assert "first audio" in r.output and "Are you ready?" in r.output


def test_listen_to_files(tmp_path):
    p = write_wav(tmp_path / "hush.wav", silence(), RATE)
    q = write_wav(tmp_path / "burst.wav", tone_burst(), RATE)
    r = CliRunner().invoke(main, ["listen", str(p), str(q), "--json"])
    assert r.exit_code == 0, r.output
    first, second = (json.loads(line) for line in r.output.strip().splitlines())
    assert first["intent"] == "unknown" and first["reason"] == "silence"
    assert second["source"] == "file:burst.wav"


def test_eval_speech_parts_split_the_speakers(speech_dir):
    write_wav(speech_dir / "other" / "noise__abc123_nohash_0.wav", noise(seed=5), RATE)
    write_wav(speech_dir / "other" / "noise__def456_nohash_0.wav", noise(seed=6), RATE)
    counts = {}
    for part in ("tune", "validate", "all"):
        r = CliRunner().invoke(main, ["eval", "speech", str(speech_dir), "--part", part, "--json"])
        assert r.exit_code == 0, r.output
        out = json.loads(r.output)
        assert out["part"] == part and out["recall"] == {"other": 1.0}
        assert out["confusion"] == {"other": {"yes": 0, "no": 0, "other": out["n"]}}
        counts[part] = out["n"]
    assert counts["tune"] + counts["validate"] == counts["all"] == 4
    assert counts["tune"] >= 1 and counts["validate"] >= 1
    r = CliRunner().invoke(main, ["eval", "speech", str(speech_dir), "--part", "validate"])
    assert "other recall" in r.output and "validate: accuracy" in r.output
