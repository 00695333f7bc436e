"""After a workout ends in the browser, what cannot act is disabled and "Start again" works.

A real headless Chromium with a real curl clip as its camera and a silent microphone: the
coach asks if the trainee is ready, the "No" button declines, and the page must then disable
every answer (nobody is listening any more), offer "Start again", and start a new session with
it (no reload), whose question the buttons can answer again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from formcoach.form.exercises import get_exercise
from formcoach.store import Store
from formcoach.testing.browser import chromium, serving, write_y4m
from formcoach.voice.audio import write_wav
from formcoach.web.app import create_app
from formcoach.web.settings import ServeSettings

CLIP = "chauhan08_fitness__barbell-curl.mp4"
ENDED = ("finished", "stopped", "declined", "error", "disconnected")
pytestmark = [pytest.mark.realdata, pytest.mark.browser, pytest.mark.slow]


def _get(driver, selector: str):
    return driver.find_element("css selector", selector)


def _status(driver) -> str:
    return _get(driver, '[data-testid="status"]').text


def _wait_for(driver, statuses: tuple[str, ...], timeout_s: float = 120.0) -> str:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if (status := _status(driver)) in statuses:
            return status
        time.sleep(0.2)
    log = driver.execute_script("return window.formcoach.log")
    raise AssertionError(f"status {_status(driver)!r}, waited for {statuses}; log {log}")


def _live(driver) -> dict[str, bool]:
    """Which answer controls can be used: each button by its word, and the typed field."""
    out = {
        b.get_attribute("data-answer"): b.is_enabled()
        for b in driver.find_elements("css selector", "[data-answer]")
    }
    return out | {"typed": _get(driver, '[data-testid="typed"]').is_enabled()}


def test_after_the_workout_ends_nothing_dead_is_live_and_start_again_works(
    shared_data, browser_available, tmp_path
):
    video = tmp_path / "camera.y4m"
    write_y4m(shared_data / "videos" / CLIP, video, (320, 180), empty_s=2, lead_s=1, fps=10)
    microphone = write_wav(tmp_path / "quiet.wav", np.zeros(16000, np.int16), 16000)
    db = tmp_path / "formcoach.db"
    with Store(db, validate_exercise=get_exercise) as store:
        store.add_profile("ana")
    app = create_app(ServeSettings(db=db, work_dir=tmp_path / "work"))
    with serving(app) as base, chromium(tmp_path / "chrome", video, microphone) as driver:
        driver.get(f"{base}/train?profile=ana&exercise=bicep_curl&reps=3")
        _get(driver, '[data-testid="start"]').click()
        _wait_for(driver, ("asking",))
        assert _live(driver)["yes"] and _live(driver)["no"]
        _get(driver, '[data-testid="answer-no"]').click()
        assert _wait_for(driver, ENDED) == "declined"
        time.sleep(0.5)  # anything the server still sends after "end" must not revive them
        shot = tmp_path / "ended.png"
        driver.save_screenshot(str(shot))
        if os.environ.get("FORMCOACH_SHOTS"):
            Path(os.environ["FORMCOACH_SHOTS"]).write_bytes(shot.read_bytes())
        assert not any(_live(driver).values()), _live(driver)
        again = _get(driver, '[data-testid="start-again"]')
        assert again.is_displayed() and again.is_enabled() and again.text == "Start again"

        again.click()
        _wait_for(driver, ("asking",))
        assert _live(driver)["yes"] and _live(driver)["typed"]
        assert not again.is_displayed()
        assert _get(driver, '[data-testid="rep-count"]').text == "0"
        _get(driver, '[data-testid="answer-no"]').click()
        assert _wait_for(driver, ENDED) == "declined"  # the second session ran to its end
        assert not any(_live(driver).values())
    video.unlink()
