"""The store under failure: a killed process, a locked file, a damaged file."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from formcoach.core.errors import FormcoachError
from formcoach.store import DatabaseCorrupt, DatabaseLocked, RepRecord, Store

WRITER = textwrap.dedent(
    """
    import sys, time
    from formcoach.store import RepRecord, Store
    store = Store(sys.argv[1])
    sid = store.start_session("Ana", source="test")
    set_id = store.start_set(sid, "squat", target_reps=1000)
    print("session", sid, flush=True)
    n = 0
    while True:
        n += 1
        store.add_rep(set_id, RepRecord(n, start_s=n, end_s=n + 0.9, score=50.0 + n % 40,
                                        passed=n % 3 != 0, worst_part="knees", cue="go lower"))
        print("rep", n, flush=True)  # printed only once the rep is committed
        time.sleep(0.01)
    """
)


def test_kill_9_mid_session_loses_no_finished_rep_and_marks_it_interrupted(tmp_path):
    db = tmp_path / "formcoach.db"
    with Store(db) as s:
        s.add_profile("Ana")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        sid = int(proc.stdout.readline().split()[1])
        reported = 0
        deadline = time.monotonic() + 60
        while reported < 25 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line.startswith("rep"), line
            reported = int(line.split()[1])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert reported >= 25
    with Store(db) as s:
        assert s.recovered == [sid]
        (info,) = s.sessions("Ana")
        assert info.status == "interrupted"
        reps = s.reps_of("Ana")
        numbers = [r["number"] for r in reps]
        # every rep reported as committed is there, in order, with its verdict
        assert numbers[:reported] == list(range(1, reported + 1))
        assert len(numbers) in (reported, reported + 1)  # the kill may land after a commit
        assert reps[2]["passed"] is False and reps[2]["cue"] == "go lower"
        assert info.ended_at == reps[-1]["recorded_at"]
        # the next session starts cleanly and the crashed one stays interrupted
        s.start_session("Ana")
        assert [x.status for x in s.sessions("Ana")] == ["interrupted", "running"]


def test_a_write_while_another_connection_holds_an_exclusive_lock_fails_clearly(tmp_path):
    db = tmp_path / "formcoach.db"
    with Store(db) as s:
        s.add_profile("Ana")
    before = db.read_bytes()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with Store(db, timeout=0.2) as s:
            assert [p.name for p in s.profiles()] == ["Ana"]  # reading still works (WAL)
            t0 = time.monotonic()
            with pytest.raises(DatabaseLocked) as err:
                s.add_profile("Bob")
            assert time.monotonic() - t0 < 5
            assert "is locked by another program" in str(err.value)
            assert "close the other formcoach" in str(err.value)
            assert not s._conn.in_transaction
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert db.read_bytes() == before
    with Store(db) as s:  # usable again once the lock is gone
        s.add_profile("Bob")
        assert len(s.profiles()) == 2


def test_opening_a_file_held_in_exclusive_locking_mode_fails_clearly(tmp_path):
    db = tmp_path / "formcoach.db"
    Store(db).close()
    before = db.read_bytes()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("COMMIT")  # the lock is kept until the connection closes
    try:
        with pytest.raises(DatabaseLocked, match="locked by another program"):
            Store(db, timeout=0.2)
    finally:
        holder.close()
    assert db.read_bytes() == before


def test_a_file_of_garbage_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "formcoach.db"
    garbage = os.urandom(8192)
    db.write_bytes(garbage)
    with pytest.raises(DatabaseCorrupt) as err:
        Store(db)
    msg = str(err.value)
    assert "is damaged or not a formcoach database" in msg
    assert "left untouched" in msg and "--db" in msg
    assert db.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["formcoach.db"]


def test_a_database_with_damaged_pages_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "formcoach.db"
    with Store(db) as s:
        for k in range(40):
            s.add_profile(f"person {k}")
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 3 * page
    data[page:] = os.urandom(len(data) - page)  # keep the header page, smash the rest
    db.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        Store(db)
    assert db.read_bytes() == bytes(data)


def test_a_path_that_is_a_folder_or_unwritable_gives_a_clear_error(tmp_path):
    with pytest.raises(FormcoachError, match="is a folder"):
        Store(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(FormcoachError, match="cannot create the folder"):
        Store(blocker / "sub" / "formcoach.db")


def test_a_rep_record_committed_before_an_error_stays(tmp_path):
    db = tmp_path / "formcoach.db"
    with Store(db) as s:
        s.add_profile("Ana")
        sid = s.start_session("Ana")
        set_id = s.start_set(sid, "squat", 5)
        s.add_rep(set_id, RepRecord(1))
        with pytest.raises(FormcoachError):  # duplicate rep number violates UNIQUE
            s.add_rep(set_id, RepRecord(1))
        s.add_rep(set_id, RepRecord(2))
    with Store(db) as s:
        assert [r["number"] for r in s.reps_of("Ana")] == [1, 2]
