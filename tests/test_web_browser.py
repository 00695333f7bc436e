"""End to end in a real headless Chromium: a fake camera playing a real curl clip, a fake
microphone saying a real "yes", the real models on the server.

The clip is turned into a Y4M file the fake camera plays from the moment the page opens it:
an empty room while the coach greets and asks (answered by the recorded "yes", decoded on the
server), then the person still in position (the countdown), then the clip, then the person
still again until the set ends by itself. The page must show the clip's true count.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import numpy as np
import pytest

from formcoach.form.exercises import get_exercise
from formcoach.store import Store
from formcoach.testing.browser import chromium, serving, write_y4m
from formcoach.voice.audio import read_wav, write_wav
from formcoach.web.app import create_app
from formcoach.web.settings import ServeSettings

CLIP = "chauhan08_fitness__barbell-curl.mp4"
YES = "6a27a9bf_nohash_0.wav"
pytestmark = [pytest.mark.realdata, pytest.mark.browser, pytest.mark.slow]


def _true_count(videos) -> int:
    with open(videos / "ground_truth.csv", newline="") as f:
        return int(next(r for r in csv.DictReader(f) if r["file"] == CLIP)["gt_count"])


def _hooks(driver) -> dict[str, str]:
    get = driver.find_element
    return {
        hook: get("css selector", f'[data-testid="{hook}"]').text
        for hook in ("rep-count", "set-progress", "cue", "status")
    }


def _save_small(png: Path, out: Path) -> None:
    """A copy of the screenshot in 128 colours (a few dozen KB, for the repository)."""
    from PIL import Image

    out.parent.mkdir(parents=True, exist_ok=True)
    Image.open(png).convert("RGB").quantize(128).save(out, optimize=True)


def _train(driver, url: str, shot, timeout_s: float = 240.0) -> dict:
    driver.get(url)
    driver.find_element("css selector", '[data-testid="start"]').click()
    t0, shot_taken = time.monotonic(), False
    while time.monotonic() - t0 < timeout_s:
        hooks = _hooks(driver)
        if not shot_taken and hooks["rep-count"].isdigit() and int(hooks["rep-count"]) >= 4:
            driver.save_screenshot(str(shot))
            shot_taken = True
        if hooks["status"] in ("finished", "stopped", "declined", "error", "disconnected"):
            break
        time.sleep(0.5)
    page = driver.execute_script("return window.formcoach")
    return {"hooks": _hooks(driver), "page": page, "screenshot": shot_taken}


def test_a_set_in_the_browser_counts_the_clip_speaks_and_is_stored(
    shared_data, browser_available, tmp_path
):
    true_count = _true_count(shared_data / "videos")
    video = tmp_path / "camera.y4m"
    # 15 fps at the clip's own 640x360: the raw file is still ~400 MB, deleted at the end
    write_y4m(
        shared_data / "videos" / CLIP, video, (640, 360), empty_s=40, lead_s=4, tail_s=20, fps=15
    )
    yes, rate = read_wav(shared_data / "speech" / "yes" / YES)
    # the microphone loops the recording with quiet after it: a person saying "yes" every
    # 5 s, so each 6 s the coach listens for an answer holds one (not all the time: every
    # utterance heard during the set is decoded too, on the same CPU)
    quiet = np.zeros(int((5.0 - len(yes) / rate) * rate), np.int16)
    microphone = write_wav(tmp_path / "yes.wav", np.concatenate([yes, quiet]), rate)
    db = tmp_path / "formcoach.db"
    with Store(db, validate_exercise=get_exercise) as store:
        store.add_profile("ana")
    app = create_app(ServeSettings(db=db, work_dir=tmp_path / "work"))
    reps = true_count + 10  # more than the clip has: the set ends when the person stops
    try:
        with serving(app) as base, chromium(tmp_path / "chrome", video, microphone) as driver:
            url = f"{base}/train?profile=ana&exercise=bicep_curl&reps={reps}"
            result = _train(driver, url, tmp_path / "train.png")
    finally:
        video.unlink()
    hooks, page = result["hooks"], result["page"]
    assert hooks["status"] == "finished", (hooks, page["log"])
    # heard by the microphone, not typed
    assert any("-> yes (microphone)" in line for line in page["log"]), page["log"]
    assert hooks["rep-count"] == str(true_count), (hooks, page["log"])
    assert hooks["set-progress"].endswith(f"{true_count} of {reps} reps")
    # a rep's cue was played through to its end, its audio starting soon after the rep ended
    rep_lines = [p for p in page["played"] if p["played"] and p["text"].startswith("One.")]
    line = rep_lines[0] if rep_lines else {}
    assert line and line["ended_ms"] - line["started_ms"] >= 900 * line["seconds"], rep_lines
    assert page["cues"] and min(c["latency_ms"] for c in page["cues"]) < 1000
    with Store(db) as store:
        sessions = store.sessions("ana")
        assert [(s.status, s.sets, s.reps) for s in sessions] == [("finished", 1, true_count)]
    assert result["screenshot"] and (tmp_path / "train.png").stat().st_size > 20_000
    if os.environ.get("FORMCOACH_SCREENSHOT"):  # the README's picture, taken here
        _save_small(tmp_path / "train.png", Path(os.environ["FORMCOACH_SCREENSHOT"]))
    # nothing of the camera was kept: only results in the database, no image files anywhere
    assert not [p for p in tmp_path.joinpath("work").rglob("*") if p.is_file()]
