"""Forget means forget: ``profile forget NAME`` removes everything derived from the person
(encodings, sessions, reps, speech files, reports, cached poses of their recordings, the
exercises they taught), lists it, asks first unless ``--yes``, and leaves others alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.core.digest import file_digest
from formcoach.core.private import write_private
from formcoach.pose.cache import entry_path
from formcoach.pose.sources import SequencePoseSource
from formcoach.session import Coach, SessionConfig
from formcoach.store import Store
from formcoach.store.records import WorkoutItem
from formcoach.testing.reps import curls
from formcoach.voice.listener import ScriptedListener
from formcoach.voice.speaker import QueuedSpeaker, WavFolderSink
from session_fakes import FakeCounter, FakeJudge, get_exercise, poses


class ToneSynth:
    """A voice that says every line as a short tone (real WAV files, no speech engine)."""

    sample_rate = 16000

    def stream(self, text, on_chunk):
        on_chunk((np.sin(np.arange(800) / 5.0) * 8000).astype(np.int16))


def _report(result, store, folder: Path) -> Path:
    return write_private(folder / f"session-{result.session_id}.html", f"<p>{result.profile}</p>")


def _train(store: Store, name: str, recording: Path, out: Path) -> None:
    """A coached session on ``recording`` (its poses stand in for the pose model)."""
    speaker = QueuedSpeaker(ToneSynth(), WavFolderSink(out / "speech", echo=None))
    coach = Coach(
        SessionConfig(profile=name, day="monday", rest_scale=0.0, report_dir=out),
        store,
        speaker,
        ScriptedListener(["yes"]),
        None,
        open_source=lambda: SequencePoseSource(poses(400), str(recording), recording),
        get_exercise=get_exercise,
        make_counter=lambda ex: FakeCounter(),
        make_judge=lambda ex: FakeJudge(),
        echo=None,
        write_report=_report,
    )
    try:
        coach.run()
    finally:
        speaker.close()


@pytest.fixture
def world(tmp_path, monkeypatch):
    """Ana and Bob, each with faces, a session with speech and a report, a recording in the
    pose cache; Ana also taught an exercise."""
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FORMCOACH_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "sessions"
    recordings = {}
    face = {"ana": np.linspace(-0.3, 0.3, 128), "bob": np.linspace(0.2, -0.1, 128)}
    with Store(validate_exercise=get_exercise) as store:
        for name in ("ana", "bob"):
            store.add_profile(name, plan={"monday": [WorkoutItem("curl", sets=1, reps=2)]})
            store.add_face(name, face[name], "photo")
            rec = curls(2, seed=len(name) + ord(name[0])).save(tmp_path / f"{name}.npz")
            recordings[name] = rec
            write_private(entry_path(file_digest(rec)), b"cached poses")
            _train(store, name, rec, out / name)
    r = CliRunner().invoke(
        main,
        ["exercise", "teach", "ana_curl", str(recordings["ana"]), "--from", "bicep_curl",
         "--profile", "ana"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    with Store() as store:
        store.set_workout("bob", "tuesday", [WorkoutItem("ana_curl", sets=1, reps=3)])
    return {"home": tmp_path / "home", "out": out, "recordings": recordings, "face": face}


def _files(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if p.is_file()}


def test_a_session_records_its_recording_and_files(world):
    with Store() as s:
        fp = s.footprint("ana")
    assert fp.recordings == (file_digest(world["recordings"]["ana"]),)
    speech = [f for f in fp.files if f.endswith(".wav")]
    assert len(speech) >= 4 and all(Path(f).exists() for f in speech)
    assert any(f.endswith(".html") for f in fp.files)
    assert fp.exercises == ("ana curl",) and fp.shared_plans == ("bob",)


def test_forget_asks_first_and_changes_nothing_when_told_no(world, tmp_path):
    before = _files(tmp_path)
    r = CliRunner().invoke(main, ["profile", "forget", "ana"], input="n\n")
    assert r.exit_code == 1 and "Aborted" in r.output
    assert "2 face encodings" not in r.output and "1 face encodings" in r.output
    assert _files(tmp_path) == before


def test_forget_removes_everything_derived_from_the_person_and_lists_it(world, tmp_path):
    with Store() as s:
        ana = s.footprint("ana")
        bob = s.footprint("bob")
    ana_cache = entry_path(file_digest(world["recordings"]["ana"]))
    bob_cache = entry_path(file_digest(world["recordings"]["bob"]))
    taught = world["home"] / "exercises" / "ana_curl.yaml"
    assert taught.exists() and ana_cache.exists()

    r = CliRunner().invoke(main, ["profile", "forget", "ana", "--yes"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    for f in (*ana.files, str(ana_cache), str(taught)):
        assert not Path(f).exists(), f
        assert f in r.output, f  # listed
    assert "Taught exercises deleted: ana curl" in r.output
    assert "plans of bob" in r.output
    for f in (*bob.files, str(bob_cache), str(world["recordings"]["ana"])):
        assert Path(f).exists(), f  # others' data, and the user's own recording, stay

    db = world["home"] / "formcoach.db"
    with Store() as s:
        assert [p.name for p in s.profiles()] == ["bob"]
        assert s.taught_exercises() == []
        assert [n for n, _ in s.face_encodings()] == ["bob"]
    raw = b"".join(p.read_bytes() for p in db.parent.glob("formcoach.db*"))
    assert world["face"]["ana"].astype("<f8").tobytes() not in raw
    assert world["face"]["bob"].astype("<f8").tobytes() in raw
    with sqlite3.connect(db) as conn:  # compacted: no free pages left holding old rows
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM session_files").fetchone()[0] == len(bob.files)


def test_a_file_that_cannot_be_deleted_leaves_the_database_as_it_was(world, monkeypatch):
    with Store() as s:
        report = next(f for f in s.footprint("ana").files if f.endswith(".html"))
    real_unlink = Path.unlink

    def refuse(self, *a, **kw):
        if str(self) == report:
            raise PermissionError(13, "Permission denied")
        return real_unlink(self, *a, **kw)

    with monkeypatch.context() as m:
        m.setattr(Path, "unlink", refuse)
        r = CliRunner().invoke(main, ["profile", "forget", "ana", "--yes"])
    assert r.exit_code == 1 and "cannot delete" in r.output and "again" in r.output
    with Store() as s:
        assert s.find_profile("ana") is not None
    r = CliRunner().invoke(main, ["profile", "forget", "ana", "--yes"])
    assert r.exit_code == 0 and not Path(report).exists()
