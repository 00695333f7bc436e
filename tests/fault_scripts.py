"""Programs the fault tests run as real processes (``python -c "import fault_scripts; ..."``).

Each prints what it did on stdout, one flushed line per event, so the parent can kill it at a
known moment or check its account afterwards.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from formcoach.pose.estimator import ReplayEstimator
from formcoach.pose.sources import ModelPoseSource
from formcoach.pose.video import Camera
from formcoach.session import Coach, SessionConfig
from formcoach.store import RepRecord, Store
from formcoach.store.records import WorkoutItem
from formcoach.voice.listener import ScriptedListener
from formcoach.voice.speaker import RecordingSpeaker
from session_fakes import FPS, FakeCounter, FakeJudge, get_exercise, poses, source

PLAN = [WorkoutItem("curl", sets=2, reps=5, rest_s=0)]


class Announcing(Store):
    """A store that prints each rep once it is committed."""

    def add_rep(self, set_id, rep):
        row = super().add_rep(set_id, rep)
        print("rep", set_id, rep.number, flush=True)
        return row


class SlowCounter(FakeCounter):
    """About real time (the parent kills the process mid-set)."""

    def update(self, pose):
        time.sleep(0.01)
        return super().update(pose)


def train(db: str) -> None:
    """Train today's plan for ana (created with PLAN if new); print what was said at the end."""
    store = Announcing(db, validate_exercise=get_exercise)
    if store.find_profile("ana") is None:
        store.add_profile("ana", plan={d: PLAN for d in range(7)})
    speaker = RecordingSpeaker()
    coach = Coach(
        SessionConfig(profile="ana", rest_scale=0.0),
        store,
        speaker,
        ScriptedListener(["yes"]),
        None,
        open_source=lambda: source(3000),
        get_exercise=get_exercise,
        make_counter=lambda ex: SlowCounter(),
        make_judge=lambda ex: FakeJudge(),
        echo=None,
    )
    result = coach.run()
    print("said", json.dumps(speaker.said), flush=True)
    print("status", result.status, flush=True)


def write_reps(db: str, name: str, n: int, go: str) -> None:
    """Wait for the file ``go``, then open ``db`` and commit ``n`` reps, one at a time."""
    while not Path(go).exists():
        time.sleep(0.001)
    with Store(db) as store:
        if store.find_profile(name) is None:
            store.add_profile(name, plan={})
        with store.record_session(name, "two writers") as rec:
            rec.start_set("squat", n)
            for k in range(1, n + 1):
                rec.add_rep(RepRecord(k, start_s=k, end_s=k + 0.5, score=float(k % 100)))
    print("done", n, flush=True)


def full_disk_session(db: str, extra_pages: int, args: list[str]) -> None:
    """``formcoach ARGS`` with the database allowed only ``extra_pages`` more pages: SQLite
    then answers "database or disk is full", exactly as on a full disk."""
    from formcoach.cli import main
    from formcoach.store import connection, store

    real = connection.connect

    def limited(path, timeout=5.0):
        conn = real(path, timeout)
        if str(path) == db:
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")
        return conn

    store.connect = limited
    sys.exit(main(args, prog_name="formcoach"))


class FlakyCapture:
    """A camera (``cv2.VideoCapture``-like) that delivers ``frames`` frames at 30 fps, then
    fails as an unplugged one does."""

    def __init__(self, frames: int) -> None:
        self.left = frames

    def read(self):
        time.sleep(1 / FPS)
        if self.left <= 0:
            return False, None
        self.left -= 1
        return True, np.zeros((8, 8, 3), np.uint8)

    def get(self, prop):
        return FPS

    def release(self):
        pass


def camera_session(db: str, lost_after: int, back_after_s: float | None) -> None:
    """A coached set of 6 curls from a camera that stops after ``lost_after`` frames and is
    back ``back_after_s`` seconds later (``None``: never)."""
    t_lost: list[float] = []

    def reopen():
        t_lost.append(time.monotonic()) if not t_lost else None
        if back_after_s is not None and time.monotonic() - t_lost[0] >= back_after_s:
            return FlakyCapture(10_000)
        return None

    def open_camera():
        cam = Camera(0, capture=FlakyCapture(lost_after), reopen=reopen, reconnect_s=1.5)
        return ModelPoseSource(cam, ReplayEstimator(poses(3000)), "camera 0")

    store = Announcing(db, validate_exercise=get_exercise)
    store.add_profile("ana", plan={d: [WorkoutItem("curl", sets=1, reps=6)] for d in range(7)})
    speaker = RecordingSpeaker()
    coach = Coach(
        SessionConfig(profile="ana", rest_scale=0.0),
        store,
        speaker,
        ScriptedListener(["yes"]),
        None,
        open_source=open_camera,
        get_exercise=get_exercise,
        make_counter=lambda ex: FakeCounter(),
        make_judge=lambda ex: FakeJudge(),
        echo=None,
    )
    result = coach.run()
    store.close()
    print("said", json.dumps(speaker.said), flush=True)
    print("status", result.status, flush=True)
