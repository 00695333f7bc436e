"""Killing a session mid-set (``kill -9``) loses no finished rep; the next start says so."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from formcoach.store import Store

SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests!r})
    from formcoach.voice.listener import ScriptedListener
    from formcoach.session import Coach, SessionConfig
    from formcoach.voice.speaker import RecordingSpeaker
    from formcoach.store import Store
    from formcoach.store.records import WorkoutItem
    from session_fakes import FakeCounter, FakeJudge, get_exercise, source

    class Slow(FakeCounter):
        def update(self, pose):
            time.sleep(0.01)  # about real time: the parent kills us mid-set
            return super().update(pose)

    class Announcing(Store):
        def add_rep(self, set_id, rep):
            row = super().add_rep(set_id, rep)
            print("rep", rep.number, flush=True)  # only once the store has it
            return row

    store = Announcing({db!r}, validate_exercise=get_exercise)
    store.add_profile("ana", plan={{"monday": [WorkoutItem("curl", sets=1, reps=50)]}})
    coach = Coach(
        SessionConfig(profile="ana", day="monday", rest_scale=0.0), store,
        RecordingSpeaker(), ScriptedListener(["yes"]), None,
        open_source=lambda: source(3000), get_exercise=get_exercise,
        make_counter=lambda ex: Slow(), make_judge=lambda ex: FakeJudge(), echo=None,
    )
    coach.run()
    """
)


def test_kill_9_mid_session_keeps_finished_reps(tmp_path):
    db = tmp_path / "f.db"
    tests = str(Path(__file__).parent)
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(db=str(db), tests=tests)],
        stdout=subprocess.PIPE,
        text=True,
    )
    reported = 0
    deadline = time.monotonic() + 60
    while reported < 3 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("rep"):
            reported += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert reported >= 3, "the session did not get going"
    with Store(db) as store:  # opening it marks the dead session interrupted
        sessions = store.sessions("ana")
        reps = store.reps_of("ana")
    assert [s.status for s in sessions] == ["interrupted"]
    stored = [r["number"] for r in reps if r["number"] is not None]
    assert len(stored) >= reported  # every rep the session announced is on disk
    assert stored == list(range(1, len(stored) + 1))
