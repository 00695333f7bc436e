"""The app's pages, forms and rules, in-process (Starlette's TestClient): every asset served
from the package, the token and origin checks, history plots, enrolment and analysis."""

from __future__ import annotations

import re
import sqlite3
import time

import cv2
import numpy as np
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse

from formcoach.faces import FixedFaces, face_at
from formcoach.form.exercises import get_exercise as real_exercise
from formcoach.form.verdict import score_from_deviation
from formcoach.store import Store
from formcoach.store.history import part_history
from formcoach.store.records import RepRecord
from formcoach.testing.reps import concat, curl
from formcoach.web.app import create_app
from formcoach.web.settings import ServeSettings
from session_fakes import get_exercise
from web_fakes import ORIGIN, Fakes, make_app


@pytest.fixture
def client(tmp_path):
    with Store(tmp_path / "f.db", validate_exercise=get_exercise) as store:
        store.add_profile("ana")
    with TestClient(make_app(tmp_path, Fakes())) as c:
        yield c


def _assets(html: str) -> list[str]:
    return re.findall(r"""(?:src|href|action)=["']([^"']+)["']""", html)


def test_every_page_and_asset_comes_from_the_server(client):
    pages = [
        "/",
        "/train",
        "/train?profile=ana&exercise=curl",
        "/history",
        "/history?profile=ana",
        "/profiles",
        "/analyse",
    ]
    seen = set()
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        for url in _assets(r.text):
            assert not re.match(r"(https?:)?//", url), f"{path} loads {url} from the network"
            seen.add(url.split("?")[0])
    scripts = [u for u in seen if u.startswith("/static/")]
    assert {"/static/train.js", "/static/profiles.js"} <= set(scripts)
    for url in scripts + ["/static/voice.js", "/static/skeleton.js", "/static/pcm-worklet.js"]:
        r = client.get(url)
        assert r.status_code == 200 and "javascript" in r.headers["content-type"], url
        assert not re.search(r"""(import|fetch)\s*\(?\s*["'](https?:)?//""", r.text), url


def test_the_training_page_has_its_test_hooks(client):
    html = client.get("/train?profile=ana&exercise=curl&reps=5").text
    for hook in ("start", "rep-count", "set-progress", "cue", "status"):
        assert f'data-testid="{hook}"' in html
    assert 'data-profile="ana"' in html and 'data-exercise="curl"' in html
    assert 'data-reps="5"' in html


def test_an_unknown_profile_or_exercise_is_a_clear_page(client):
    r = client.get("/train?profile=zed")
    assert r.status_code == 404 and "no profile named" in r.text
    r = client.get("/train?profile=ana&exercise=handstand")
    assert r.status_code == 404 and "handstand" in r.text


def test_the_chooser_lists_profiles_and_exercises(client):
    html = client.get("/train").text
    assert "<option>ana</option>" in html and 'value="plank"' in html
    assert client.get("/api/choices").json()["profiles"] == ["ana"]


def test_a_token_guards_every_request_and_socket(tmp_path):
    app = make_app(tmp_path, Fakes(), token="s3cret")
    with TestClient(app) as c:
        assert c.get("/").status_code == 401
        assert c.get("/static/train.js").status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        r = c.get("/?token=s3cret")
        assert r.status_code == 200 and "HttpOnly" in r.headers["set-cookie"]
        assert c.get("/history").status_code == 200  # the cookie carries it now
        c.cookies.clear()
        assert c.get("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        with (
            pytest.raises(WebSocketDenialResponse) as e,
            c.websocket_connect("/ws/train", headers=ORIGIN),
        ):
            pass
        assert e.value.status_code == 401
        with c.websocket_connect("/ws/train?token=s3cret&profile=zed", headers=ORIGIN) as ws:
            assert ws.receive_json()["type"] in ("hello", "listen", "error", "state")


def test_the_socket_opens_only_from_the_servers_own_pages(client):
    for headers in ({}, {"origin": "http://evil.example"}, {"origin": "http://testserver.evil"}):
        with (
            pytest.raises(WebSocketDenialResponse) as e,
            client.websocket_connect("/ws/train?profile=ana", headers=headers),
        ):
            pass
        assert e.value.status_code == 403


def test_changes_from_another_site_are_refused(client):
    r = client.post(
        "/profiles/forget", data={"name": "ana"}, headers={"origin": "http://evil.example"}
    )
    assert r.status_code == 403
    assert "<td>ana" in client.get("/profiles").text


def test_settings_bind_locally_and_need_a_token_elsewhere():
    local = ServeSettings()
    assert local.local and local.secured().token is None
    assert local.url() == "http://127.0.0.1:8000/"
    public = ServeSettings(host="0.0.0.0", port=9000).secured()
    assert public.token and len(public.token) >= 20
    assert public.url() == f"http://0.0.0.0:9000/?token={public.token}"
    assert ServeSettings(host="0.0.0.0", token="given").secured().token == "given"
    with pytest.raises(ValueError, match="port"):
        ServeSettings(port=70000)


def _stored_session(db):
    with Store(db, validate_exercise=get_exercise) as store, store.record_session("ana") as rec:
        rec.start_set("curl", 3)
        for n, (passed, arm) in enumerate([(True, 0.4), (False, 1.6), (True, 0.5)], 1):
            rec.add_rep(
                RepRecord(
                    n,
                    n,
                    n + 1,
                    30 * n,
                    30 * n + 30,
                    80 if passed else 30,
                    passed,
                    None if passed else "left_arm",
                    "",
                    {"left_arm": arm, "trunk": 0.2},
                )
            )


def test_history_shows_sessions_and_form_per_body_part(client, tmp_path):
    _stored_session(tmp_path / "f.db")
    html = client.get("/history?profile=ana").text
    assert html.count("<svg") == 2  # per exercise, and per body part
    assert 'aria-label="body parts"' in html and "<b>left arm</b>needs the most work" in html
    with Store(tmp_path / "f.db") as store:
        parts = part_history(store, "ana")
    scores = [score_from_deviation(d) for d in (0.4, 1.6, 0.5)]
    assert parts == {"curl": {"left_arm": [(1, round(sum(scores) / 3, 1))], "trunk": [(1, 98.0)]}}
    assert 'data-testid="sessions"' in html
    data = client.get("/api/history/ana").json()
    assert data["total_reps"] == 3 and data["most_cued_part"] == "left_arm"
    assert client.get("/history?profile=zed").status_code == 404


def _jpeg() -> bytes:
    return cv2.imencode(".jpg", np.full((120, 160, 3), 128, np.uint8))[1].tobytes()


def test_enrol_by_photo_keeps_only_the_encoding_and_forget_removes_it(tmp_path):
    fakes = Fakes()
    fakes.faces = FixedFaces([face_at(np.full(128, 0.3))])
    app = make_app(tmp_path, fakes)
    with TestClient(app) as c:
        r = c.post("/profiles/enrol", data={"name": "Bo"}, files={"photo": ("bo.jpg", _jpeg())})
        assert r.status_code == 200 and "Bo: 1 face enrolled" in r.text
        r = c.post("/profiles/enrol", data={"name": "Cy"}, files={"photo": ("x.jpg", b"junk")})
        assert r.status_code == 400 and "not an image" in r.text
        # only 128 numbers per face are stored: no image bytes anywhere in the database
        con = sqlite3.connect(tmp_path / "f.db")
        blobs = [
            len(v)
            for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            for row in con.execute(f"SELECT * FROM {t}")
            for v in row
            if isinstance(v, bytes)
        ]
        con.close()
        assert blobs and max(blobs) <= 128 * 8
        assert not list(app.state.formcoach.work_dir.rglob("*.jpg"))
        r = c.post("/profiles/forget", data={"name": "Bo"}, headers=ORIGIN)
        assert r.status_code == 200 and "Bo forgotten" in r.text
    with Store(tmp_path / "f.db") as store:
        assert store.find_profile("Bo") is None


def test_an_uploaded_recording_gets_the_analyze_report_and_overlay(tmp_path):
    recording = tmp_path / "curls.npz"
    concat([curl(seed=1), curl(swing=35, seed=2), curl(seed=3)]).save(recording)
    parts = Fakes().parts(get_exercise=real_exercise)
    app = create_app(ServeSettings(db=tmp_path / "f.db"), parts)
    with TestClient(app) as c:
        with recording.open("rb") as f:
            r = c.post(
                "/analyse",
                data={"exercise": "bicep_curl"},
                files={"recording": ("curls.npz", f)},
                follow_redirects=False,
            )
        assert r.status_code == 303
        job_url = r.headers["location"]
        for _ in range(300):
            page = c.get(job_url).text
            if 'data-testid="status">done' in page or "failed" in page:
                break
            time.sleep(0.1)
        assert 'data-testid="status">done' in page, page
        report = c.get(job_url + "/report").text
        assert "Keep your elbows pinned" in report
        video = c.get(job_url + "/overlay.webm")
        assert video.status_code == 200 and video.content[:4] == b"\x1a\x45\xdf\xa3"  # WebM
        assert not list((app.state.formcoach.work_dir / "uploads").iterdir())  # deleted
        r = c.post("/analyse", data={"exercise": "handstand"}, files={"recording": ("a.npz", b"x")})
        assert r.status_code == 400 and "handstand" in r.text


def test_an_upload_that_is_no_video_is_named_as_the_person_named_it(tmp_path):
    """A text file renamed .mp4, uploaded on the Analyse page: the failure named the server's
    upload path ('/tmp/formcoach-serve-.../uploads/408521....mp4'), a file the person never saw."""
    app = create_app(ServeSettings(db=tmp_path / "f.db"), Fakes().parts(get_exercise=real_exercise))
    with TestClient(app) as c:
        r = c.post(
            "/analyse",
            data={"exercise": "push_up"},
            files={"recording": ("my squats.mp4", b"hello")},
            follow_redirects=False,
        )
        assert r.status_code == 303
        for _ in range(300):
            page = c.get(r.headers["location"]).text
            if "failed" in page or 'data-testid="status">done' in page:
                break
            time.sleep(0.1)
    assert "failed" in page and "cannot read any frame from &#39;my squats.mp4&#39;" in page, page
    assert "uploads" not in page
