"""A live session over the training page's WebSocket, in-process (Starlette's TestClient):
the same coach as the terminal, with the page as camera, speaker and buttons."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from formcoach.store import Store
from formcoach.store.records import WEEKDAYS, WorkoutItem
from session_fakes import get_exercise
from web_fakes import ORIGIN, Fakes, Page, frame_bytes, make_app


def _store(tmp_path, plan=None):
    with Store(tmp_path / "f.db", validate_exercise=get_exercise) as store:
        store.add_profile("ana", plan={day: plan or [] for day in WEEKDAYS})  # today's, whenever


def _live(tmp_path, fakes, query, frames=600, answers=None):
    app = make_app(tmp_path, fakes)
    with TestClient(app) as client, client.websocket_connect(query, headers=ORIGIN) as ws:
        page = Page(ws, answers)
        page.run(frames)
    return page


def test_free_training_counts_judges_speaks_and_stores(tmp_path):
    _store(tmp_path)
    fakes = Fakes(judge_passes=[True, False, True])
    page = _live(tmp_path, fakes, "/ws/train?profile=ana&exercise=curl&reps=3")
    assert page.of("end") == [{"type": "end", "status": "finished"}]
    hello = page.of("hello")[0]
    assert any(part == "left_arm" for _, _, part in hello["edges"]) and hello["linger_s"] > 0
    states = page.of("state")
    phases = [s["phase"] for s in states]
    assert phases.index("asking") < phases.index("countdown") < phases.index("training")
    assert phases[-1] == "finished"
    assert [s["count"] for s in states if s["phase"] == "training"][-1] == 3
    failed = [s["last_rep"] for s in states if s["last_rep"] and s["last_rep"]["passed"] is False]
    assert failed and failed[0]["grades"] == {"left_arm": "bad"} and failed[0]["number"] == 2
    # every line was spoken through the page, with its audio on the server
    said = [m["text"] for m in page.of("say")]
    assert "Are you ready to train?" in said and "Two. Keep your elbow by your side." in said
    assert said == [" ".join(line.split()) for line in fakes.synth.lines]
    # the failed rep's correction cut what was playing
    assert any(m["type"] == "hush" for m in page.messages)
    # landmarks came back for the frames the coach looked at, as fractions of the frame
    poses = [m["pose"] for m in page.of("frame") if m.get("pose")]
    assert poses and all(0 <= v <= 1 for p in poses for row in p for v in row)
    with Store(tmp_path / "f.db") as store:
        sessions = store.sessions("ana")
        assert [(s.status, s.sets, s.reps) for s in sessions] == [("finished", 1, 3)]
        assert [r["passed"] for r in store.reps_of("ana")] == [True, False, True]


def test_a_rep_cue_is_linked_to_the_frame_the_rep_ended_on(tmp_path):
    _store(tmp_path)
    page = _live(tmp_path, Fakes(), "/ws/train?profile=ana&exercise=curl&reps=2")
    reps = {
        s["last_rep"]["said"]: s["last_rep"]["end_frame"] for s in page.of("state") if s["last_rep"]
    }
    linked = {m["text"]: m["rep_end_frame"] for m in page.of("say") if "rep_end_frame" in m}
    linked.update(
        {
            next(s["text"] for s in page.of("say") if s["line"] == c["line"]): c["rep_end_frame"]
            for c in page.of("cue")
        }
    )
    assert linked == reps and len(reps) == 2


def test_the_days_plan_is_trained_without_an_exercise(tmp_path, monkeypatch):
    _store(tmp_path, [WorkoutItem("curl", sets=1, reps=2)])
    page = _live(tmp_path, Fakes(), "/ws/train?profile=ana")
    states = page.of("state")
    assert states[-1]["phase"] == "finished"
    assert max(s["count"] for s in states) == 2


def test_declining_ends_without_a_session(tmp_path):
    _store(tmp_path)
    page = _live(tmp_path, Fakes(), "/ws/train?profile=ana&exercise=curl", answers={"ready": "no"})
    assert page.of("end") == [{"type": "end", "status": "declined"}]
    with Store(tmp_path / "f.db") as store:
        assert store.sessions("ana") == []


def test_an_unknown_profile_or_exercise_is_told_to_the_page(tmp_path):
    _store(tmp_path)
    page = _live(tmp_path, Fakes(), "/ws/train?profile=zed", frames=5)
    assert "no profile named 'zed'" in page.of("error")[0]["message"]
    page = _live(tmp_path, Fakes(), "/ws/train?profile=ana&exercise=handstand", frames=5)
    assert "handstand" in page.of("error")[0]["message"]


def test_a_profile_has_one_live_session_at_a_time(tmp_path):
    _store(tmp_path)
    app = make_app(tmp_path, Fakes())
    with (
        TestClient(app) as client,
        client.websocket_connect("/ws/train?profile=ana&exercise=curl", headers=ORIGIN) as first,
    ):
        first.send_bytes(frame_bytes(1))
        with client.websocket_connect("/ws/train?profile=Ana", headers=ORIGIN) as second:
            m = second.receive_json()
            assert m["type"] == "error" and "already training" in m["message"]
        assert "ana" in app.state.formcoach.profiles
    # the first session ended with its page: the profile is free again (its thread lets go
    # after the socket has closed, so give it a moment)
    profiles = app.state.formcoach.profiles
    deadline = time.monotonic() + 5.0
    while "ana" in profiles and time.monotonic() < deadline:
        time.sleep(0.02)
    profiles.claim("ana")


def test_a_frame_nobody_watches_is_answered_all_the_same(tmp_path):
    _store(tmp_path)
    app = make_app(tmp_path, Fakes())
    with (
        TestClient(app) as client,
        client.websocket_connect("/ws/train?profile=ana&exercise=curl", headers=ORIGIN) as ws,
    ):
        # while the coach asks its question it reads no frames: each is answered unlooked-at
        page = Page(ws, answers={})
        page.run(12)
        skipped = [m for m in page.of("frame") if m.get("skipped")]
        assert skipped and all(m["pose"] is None for m in skipped)
        assert {m["id"] for m in page.of("frame")} == set(range(1, 13))


def test_a_frame_too_big_closes_the_socket(tmp_path):
    _store(tmp_path)
    app = make_app(tmp_path, Fakes(), max_frame_bytes=20_000)
    with (
        TestClient(app) as client,
        client.websocket_connect("/ws/train?profile=ana", headers=ORIGIN) as ws,
    ):
        ws.send_bytes(frame_bytes(1, jpeg=b"\xff" * 30_000))
        with pytest.raises(WebSocketDisconnect) as e:
            while True:
                ws.receive_json()
        assert e.value.code == 1009


def test_a_frame_that_is_no_jpeg_is_answered_and_skipped(tmp_path):
    _store(tmp_path)
    app = make_app(tmp_path, Fakes())
    with (
        TestClient(app) as client,
        client.websocket_connect("/ws/train?profile=ana&exercise=curl", headers=ORIGIN) as ws,
    ):
        ws.send_bytes(frame_bytes(1, jpeg=b"not a picture"))
        while (m := ws.receive_json())["type"] != "frame":
            pass
        assert m["id"] == 1 and m["pose"] is None and m["skipped"]


def test_a_known_face_logs_in_and_an_unknown_one_is_offered_enrolment(tmp_path):
    import numpy as np

    from formcoach.faces import FixedFaces, face_at

    _store(tmp_path)
    with Store(tmp_path / "f.db") as store:
        store.add_face("ana", np.full(128, 0.1))
    fakes = Fakes()
    fakes.faces = FixedFaces([face_at(np.full(128, 0.1) + 0.01)])
    page = _live(tmp_path, fakes, "/ws/train?face=1&exercise=curl&reps=1")
    assert page.of("state")[-1]["profile"] == "ana" and page.of("end")[0]["status"] == "finished"

    fakes = Fakes()
    fakes.faces = FixedFaces([face_at(np.full(128, -0.1))])
    answers = {"remember your face": "yes", "type your name": "Bo", "ready": "no"}
    page = _live(tmp_path, fakes, "/ws/train?exercise=curl", answers=answers)
    assert "Nice to meet you, Bo." in [m["text"] for m in page.of("say")]
    with Store(tmp_path / "f.db") as store:
        assert len(store.face_encodings("Bo")) == 1
