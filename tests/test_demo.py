"""``formcoach demo``: the scripted session on real material, end to end."""

import sqlite3

import pytest
from click.testing import CliRunner

from formcoach.cli import main


@pytest.mark.realdata
@pytest.mark.slow
def test_demo_runs_the_whole_session_on_real_material(shared_data, tmp_path):
    r = CliRunner().invoke(main, ["demo", "--data", str(shared_data), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "enrolled 'obama'" in out
    assert "formcoach saw: obama" in out  # recognised from the second photo
    assert "Hello Obama" in out
    assert '"yes" -> yes (WAV 439c84f4_nohash_1.wav)' in out  # the real recorded answer
    assert "Set one of three: three bicep curls" in out
    assert "Workout done, Obama" in out
    # the spoken lines were written as WAV files, the reps stored, the report written
    wavs = sorted((tmp_path / "speech").glob("*.wav"))
    assert len(wavs) >= 10 and wavs[0].stat().st_size > 1000
    with sqlite3.connect(tmp_path / "demo.db") as db:
        reps = db.execute("SELECT count(*) FROM reps").fetchone()[0]
        status = db.execute("SELECT status FROM sessions").fetchone()[0]
    assert reps >= 8 and status == "finished"  # 9 curls in the clip, 3 sets of 3 planned
    reports = list(tmp_path.glob("session-*.html"))
    assert len(reports) == 1 and "<svg" in reports[0].read_text()
    # a second run recognises the enrolled face again and adds a session
    r2 = CliRunner().invoke(main, ["demo", "--data", str(shared_data), "--out", str(tmp_path)])
    assert r2.exit_code == 0, r2.output
    assert "already enrolled" in r2.output
    with sqlite3.connect(tmp_path / "demo.db") as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 2


def test_demo_without_material_says_what_to_pass(tmp_path):
    r = CliRunner().invoke(main, ["demo", "--data", str(tmp_path / "none"), "--out", str(tmp_path)])
    assert r.exit_code != 0
    assert "--video (videos/chauhan08_fitness__barbell-curl.mp4)" in r.output
    assert "--enrol (faces/obama.jpg)" in r.output
    assert "Traceback" not in r.output
