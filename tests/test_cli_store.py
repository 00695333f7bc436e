"""The profile, workout, history and eval-faces commands, in process."""

import json
import os

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.store import RepRecord, Store


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input)

    return invoke


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    with Store(path) as s:
        s.add_profile("Ana")
        with s.record_session("Ana") as rec:
            rec.start_set("squat", 3)
            rec.add_rep(RepRecord(1, score=60.0, passed=False, worst_part="knees", cue="knees out"))
            rec.add_rep(RepRecord(2, score=90.0, passed=True))
    return path


def test_history_prints_tables_json_and_a_plot(run, db, tmp_path):
    r = run("history", "ana", "--db", db)
    assert r.exit_code == 0, r.output
    assert "Ana: 1 session, 1 set, 2 reps" in r.output and "knees" in r.output
    r = run("history", "Ana", "--db", db, "--json", "--plot", tmp_path / "p.svg")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["total_reps"] == 2 and d["most_cued_part"] == "knees"
    assert d["exercises"]["squat"][0]["mean_score"] == 75.0
    assert (tmp_path / "p.svg").read_bytes().lstrip().startswith(b"<?xml")
    r = run("history", "zoe", "--db", db)
    assert r.exit_code == 1 and "no profile named 'zoe' (known: Ana)" in r.output
    assert "Traceback" not in r.output


def test_workout_show_and_set(run, db):
    r = run("workout", "show", "Ana", "--db", db, "--day", "mon")
    assert r.exit_code == 0 and "bicep_curl 3 x 10, rest 60 s" in r.output
    r = run("workout", "set", "Ana", "fri", "squat:5x5@120", "plank:1x60s", "--db", db)
    assert r.exit_code == 0, r.output
    r = run("workout", "show", "Ana", "--db", db, "--json")
    plan = json.loads(r.output)["plan"]
    assert plan["friday"][0] == {
        "exercise": "squat",
        "sets": 5,
        "reps": 5,
        "hold_s": None,
        "rest_s": 120.0,
    }
    assert plan["friday"][1]["hold_s"] == 60.0
    assert run("workout", "set", "Ana", "sun", "rest", "--db", db).exit_code == 0
    assert "Sunday: rest day" in run("workout", "show", "Ana", "--db", db).output
    r = run("workout", "set", "Ana", "funday", "squat:1x1", "--db", db)
    assert r.exit_code == 1 and "not a weekday" in r.output
    assert run("workout", "reset", "Ana", "--db", db).exit_code == 0
    assert "Sunday: rest day" not in run("workout", "show", "Ana", "--db", db).output


def test_workout_set_refuses_reps_of_a_hold_and_a_hold_of_a_rep_exercise(run, db):
    """'plank:2x30' (the 's' forgotten) was stored as 30 plank reps, which no one can do;
    'squat:3x10s' as 10-second squat holds. Each says how to write it; nothing is stored."""
    before = run("workout", "show", "Ana", "--db", db, "--day", "sat").output
    r = run("workout", "set", "Ana", "sat", "plank:2x30@45", "--db", db)
    assert r.exit_code == 1 and "plank is held" in r.output and "plank:2x30s@45" in r.output
    r = run("workout", "set", "Ana", "sat", "squat:3x10s", "--db", db)
    assert r.exit_code == 1 and "squat is counted in reps" in r.output
    assert "squat:3x10" in r.output
    assert run("workout", "show", "Ana", "--db", db, "--day", "sat").output == before


def test_workout_set_takes_the_names_exercise_list_shows(run, db):
    """'exercise list' shows 'bicep curl'; 'bicep curl:3x10' could not be read."""
    r = run("workout", "set", "Ana", "fri", "bicep curl:3x10", "Front Raise:2x8@30", "--db", db)
    assert r.exit_code == 0, r.output
    assert "bicep_curl 3 x 10, rest 60 s; front_raise 2 x 8, rest 30 s" in r.output


def test_a_typo_in_a_workout_is_named_once_with_the_closest_exercise(run, db):
    r = run("workout", "set", "Ana", "thu", "sqaut:3x5", "--db", db)
    assert r.exit_code == 1 and "did you mean 'squat'?" in r.output
    assert r.output.count("unknown exercise 'sqaut'") == 1, r.output


def test_commands_on_a_corrupt_database_fail_in_one_line_and_keep_the_file(run, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"definitely not sqlite" * 100)
    for args in (("profile", "list"), ("history", "ana"), ("workout", "show", "ana")):
        r = run(*args, "--db", bad)
        assert r.exit_code == 1
        assert "is damaged or not a formcoach database" in r.output
        assert "Traceback" not in r.output
    assert bad.read_bytes() == b"definitely not sqlite" * 100


def test_profile_list_and_forget_ask_before_deleting(run, db):
    r = run("profile", "list", "--db", db, "--json")
    assert json.loads(r.output)["profiles"][0] | {"created_at": None, "last_session": None} == {
        "name": "Ana",
        "faces": 0,
        "sessions": 1,
        "created_at": None,
        "last_session": None,
    }
    r = run("profile", "forget", "Ana", "--db", db, input="n\n")
    assert r.exit_code == 1 and "Aborted" in r.output
    assert "Ana" in run("profile", "list", "--db", db).output
    r = run("profile", "forget", "ana", "--db", db, input="y\n")
    assert r.exit_code == 0, r.output
    assert "0 face encodings," in r.output and "1 session, 1 set and 2 reps deleted" in r.output
    assert "No profiles yet" in run("profile", "list", "--db", db).output
    r = run("profile", "forget", "ana", "--db", db, "--yes")
    assert r.exit_code == 1 and "no profile named" in r.output


def test_profile_add_needs_a_source(run, tmp_path):
    r = run("profile", "add", "ana", "--db", tmp_path / "x.db")
    assert r.exit_code == 2 and "--photo" in r.output


@pytest.mark.realdata
def test_profile_add_identify_and_forget_on_real_photos(run, shared_data, tmp_path):
    pytest.importorskip("dlib")
    faces, db = shared_data / "faces", tmp_path / "f.db"
    r = run("profile", "add", "obama", "--photo", faces / "obama.jpg", "--db", db)
    assert r.exit_code == 0 and "Created profile 'obama'" in r.output, r.output
    r = run("profile", "add", "joe", "--photo", faces / "biden.jpg", "--db", db)
    assert r.exit_code == 0, r.output
    r = run("profile", "add", "barack", "--photo", faces / "obama2.jpg", "--db", db)
    assert r.exit_code == 1 and "looks like 'obama'" in r.output
    r = run("profile", "add", "x", "--photo", faces / "two_people.jpg", "--db", db)
    assert r.exit_code == 1 and "more than one face" in r.output
    r = run("profile", "identify", faces / "two_people.jpg", "--db", db, "--json")
    assert sorted(f["name"] for f in json.loads(r.output)["faces"]) == ["joe", "obama"]
    r = run("profile", "identify", faces / "lin-manuel-miranda.png", "--db", db)
    assert "face 1: unknown" in r.output
    assert run("profile", "forget", "obama", "--yes", "--db", db).exit_code == 0
    with Store(db) as s:
        assert [n for n, _ in s.face_encodings()] == ["joe"]


@pytest.mark.realdata
def test_profile_add_from_a_video(run, shared_data, tmp_path):
    """The camera path, fed by a short clip made from a real photo (no camera here)."""
    pytest.importorskip("dlib")
    image = cv2.imread(str(shared_data / "faces" / "obama_small.jpg"))
    clip = tmp_path / "me.avi"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 10, (320, 240))
    for k in range(8):
        shifted = np.roll(image, 3 * k, axis=1)
        writer.write(cv2.resize(shifted, (320, 240)))
    writer.release()
    assert os.path.getsize(clip) > 0
    db = tmp_path / "v.db"
    r = run("profile", "add", "obama", "--video", clip, "--frames", "3", "--db", db)
    assert r.exit_code == 0, r.output
    assert "3 face encodings added" in r.output
    r = run("profile", "identify", shared_data / "faces" / "obama2.jpg", "--db", db)
    assert "face 1: obama" in r.output


@pytest.mark.realdata
def test_eval_faces_json_meets_the_dev_targets(run, shared_data):
    pytest.importorskip("dlib")
    r = run("eval", "faces", shared_data / "faces", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert {
        "verify_accuracy",
        "unknown_rejection",
        "multi_faces_found",
        "multi_faces_expected",
    } <= set(d)
    assert d["verify_accuracy"] == 1.0 and d["unknown_rejection"] == 1.0
    assert d["multi_faces_found"] == d["multi_faces_expected"] == 2


def test_profile_add_without_a_camera_says_so(run, tmp_path):
    r = run("profile", "add", "ana", "--camera", "9", "--seconds", "1", "--db", tmp_path / "c.db")
    assert r.exit_code == 1 and "cannot open camera 9" in r.output
    assert (
        not (tmp_path / "c.db").exists()
        or "ana" not in run("profile", "list", "--db", tmp_path / "c.db").output
    )


def test_forget_points_at_upgrade_backups_that_may_still_hold_the_person(run, tmp_path):
    from formcoach.store import MIGRATIONS

    db = tmp_path / "old.db"
    with Store(db, migrations=MIGRATIONS[:1]) as s:
        s.add_profile("Ana")
    Store(db).close()  # upgrade: leaves old.db.v1.bak
    r = run("profile", "forget", "Ana", "--yes", "--db", db)
    assert r.exit_code == 0 and "old.db.v1.bak" in r.output
    assert (tmp_path / "old.db.v1.bak").exists()  # pointed at, never deleted behind the user


def test_an_older_database_is_upgraded_and_says_where_its_old_copy_is(run, tmp_path):
    """An older file was upgraded in silence, leaving a stray old.db.v1.bak."""
    from formcoach.store import MIGRATIONS

    db = tmp_path / "old.db"
    with Store(db, migrations=MIGRATIONS[:1]) as s:
        s.add_profile("Ana")
    r = run("profile", "list", "--db", db)
    assert r.exit_code == 0 and "Ana" in r.output
    assert "was from an older formcoach (schema 1)" in r.output
    assert str(tmp_path / "old.db.v1.bak") in r.output
    assert "older formcoach" not in run("profile", "list", "--db", db).output  # said once
