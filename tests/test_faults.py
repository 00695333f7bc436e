"""Faults survived, each on real processes: ``kill -9`` mid-set then resuming the day's plan,
two processes writing one database, a full disk, a camera that disappears mid-set."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from formcoach.session.watch import CAMERA_BACK, CAMERA_GONE, CAMERA_LOST
from formcoach.store import Store
from formcoach.store.records import WorkoutItem
from formcoach.testing.reps import curls

TESTS = str(Path(__file__).parent)

pytestmark = pytest.mark.timeout(180)


def _spawn(call: str, **kw) -> subprocess.Popen:
    code = f"import sys; sys.path.insert(0, {TESTS!r}); import fault_scripts as f; f.{call}"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _account(out: str) -> dict[str, object]:
    got: dict[str, object] = {"reps": []}
    for line in out.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "rep":
            got["reps"].append(tuple(int(v) for v in rest.split()))  # type: ignore[union-attr]
        elif kind == "said":
            got["said"] = json.loads(rest)
        elif kind == "status":
            got["status"] = rest
    return got


def test_kill_9_mid_set_keeps_finished_reps_and_the_plan_resumes_where_it_stopped(tmp_path):
    db = tmp_path / "f.db"
    proc = _spawn(f"train({str(db)!r})")
    reported: list[tuple[int, int]] = []
    deadline = time.monotonic() + 60
    while len(reported) < 7 and time.monotonic() < deadline:  # set 1 (5 reps) + 2 of set 2
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("rep"):
            reported.append(tuple(int(v) for v in line.split()[1:]))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert len(reported) == 7, proc.stderr.read()

    with Store(db) as s:  # opening it marks the dead session interrupted
        (first,) = s.sessions("ana")
        stored = s.reps_of("ana")
    assert first.status == "interrupted"
    kept = [(r["set_position"], r["number"]) for r in stored if r["number"] is not None]
    assert kept[: len(reported)] == [(0, n) for n in range(1, 6)] + [(1, 1), (1, 2)]
    owed = 5 - sum(1 for pos, _ in kept if pos == 1)  # the kill may land after one more commit

    out, err = _spawn(f"train({str(db)!r})").communicate(timeout=120)
    got = _account(out)
    assert got["status"] == "finished", err
    assert "Welcome back! Let's continue where we stopped: set two of two of curls." in got["said"]
    assert (
        f"Set two of two: {['zero', 'one', 'two', 'three', 'four', 'five'][owed]} curl"
        in " ".join(got["said"])
    )
    with Store(db) as s:
        sessions = s.sessions("ana")
        second = [r for r in s.reps_of("ana") if r["session_id"] == sessions[1].id]
    assert [x.status for x in sessions] == ["interrupted", "finished"]
    assert [r["number"] for r in second] == list(range(1, owed + 1))  # only what was owed
    assert {r["target_reps"] for r in second} == {owed}


def test_two_processes_write_1000_reps_each_to_one_new_database(tmp_path):
    db = tmp_path / "shared.db"  # not there yet: both create and migrate it at once
    go = tmp_path / "go"
    procs = [_spawn(f"write_reps({str(db)!r}, {name!r}, 1000, {str(go)!r})") for name in "AB"]
    time.sleep(1.0)  # both interpreters started and waiting
    go.touch()
    results = [p.communicate(timeout=150) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert out.strip() == "done 1000"
        assert "locked" not in (out + err).lower()
    with Store(db) as s:
        for name in "AB":
            numbers = [r["number"] for r in s.reps_of(name)]
            assert numbers == list(range(1, 1001)), name
        assert [x.status for x in s.sessions()] == ["finished", "finished"]
        assert s.schema_version == 5


@pytest.mark.slow
def test_a_full_disk_gives_a_clear_message_and_leaves_the_database_intact(tmp_path):
    db = tmp_path / "full.db"
    with Store(db) as s:
        s.add_profile("ana", plan={})
        s.set_workout("ana", "monday", [WorkoutItem("bicep_curl", sets=1, reps=40)])
    video = curls(40).save(tmp_path / "curls.npz")  # more reps than the file has room for
    args = [
        *("session", "--db", str(db), "--profile", "ana", "--day", "monday", "--video", str(video)),
        *("--answers", "yes", "--voice", "text", "--microphone", "off", "--no-window"),
        *("--out", str(tmp_path / "out")),
    ]
    proc = _spawn(f"full_disk_session({str(db)!r}, 0, {args!r})")
    out, err = proc.communicate(timeout=150)
    assert proc.returncode == 1, out + err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines == [f"Error: the disk holding {str(db)!r} is full: free some space and try again"]
    assert "Traceback" not in out + err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store(db) as s:
        (session,) = s.sessions("ana")
        reps = [r for r in s.reps_of("ana") if r["number"] is not None]
    assert session.status == "interrupted"
    said = [ln for ln in out.splitlines() if ln.startswith('formcoach says: "One.')]
    assert said and len(reps) >= len(said) - 1  # every rep said before the disk filled is kept
    assert [r["number"] for r in reps] == list(range(1, len(reps) + 1))


def _camera(tmp_path: Path, back_after_s: float | None) -> tuple[dict, Store]:
    db = tmp_path / "cam.db"
    out, err = _spawn(f"camera_session({str(db)!r}, 100, {back_after_s!r})").communicate(
        timeout=120
    )
    got = _account(out)
    assert "status" in got, err
    return got, Store(db)


def test_a_camera_that_disappears_mid_set_pauses_it_says_so_and_the_set_goes_on(tmp_path):
    got, store = _camera(tmp_path, back_after_s=1.0)
    with store:
        (session,) = store.sessions("ana")
        reps = [r["number"] for r in store.reps_of("ana") if r["number"] is not None]
    said = got["said"]
    assert said.index(CAMERA_LOST) < said.index(CAMERA_BACK)
    assert said.count(CAMERA_LOST) == 1  # said once, not every stand-in frame
    reps_before_loss = said[: said.index(CAMERA_LOST)]
    assert 1 <= sum(line.startswith(("One", "Two", "Three")) for line in reps_before_loss) <= 3
    assert got["status"] == "finished" and session.status == "finished"
    assert reps == [1, 2, 3, 4, 5, 6]  # the set went on after the camera came back


def test_a_camera_that_never_comes_back_ends_the_session_cleanly(tmp_path):
    got, store = _camera(tmp_path, back_after_s=None)
    with store:
        (session,) = store.sessions("ana")
        reps = [r["number"] for r in store.reps_of("ana") if r["number"] is not None]
    said = got["said"]
    assert said.index(CAMERA_LOST) < said.index(CAMERA_GONE)
    assert CAMERA_BACK not in said
    assert said[-1].startswith("Workout done, Ana")  # the summary, as after any session
    assert got["status"] == "finished"
    assert session.status == "finished" and session.ended_at is not None
    assert 1 <= len(reps) <= 3 and reps == list(range(1, len(reps) + 1))
