"""A real browser for the web app's tests and benchmark: headless Chromium with a fake camera
and microphone fed from files (Debian's ``chromium`` and ``chromium-driver``).

Chromium's fake camera plays a Y4M file (raw I420 frames) in a loop at the file's frame rate,
from its first frame whenever the page opens the camera; :func:`write_y4m` converts any clip
OpenCV reads, letterboxed to the size asked for, with an empty room before it (nobody in view
while the coach talks), still frames of its first frame (time to get into position) and of
its last one (the set ends by itself). :func:`serving` runs an app on a free local port.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np

__all__ = [
    "CHROMEDRIVER",
    "CHROMIUM",
    "browser_missing",
    "chromium",
    "letterbox",
    "serving",
    "write_y4m",
]

CHROMIUM = os.environ.get("FORMCOACH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FORMCOACH_CHROMEDRIVER", "/usr/bin/chromedriver")
#: Flags that work headless on a machine without a GPU, a sandbox or a network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    "--window-size=1280,900",
)


def browser_missing() -> str | None:
    """Why the browser cannot run here (``None`` when it can)."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() or shutil.which(path)):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401  deferred: selenium is a dev dependency
    except ImportError:
        return "selenium is not installed (pip install 'formcoach[dev]')"
    return None


def letterbox(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` scaled to fit (width, height) ``size``, centred on black."""
    w, h = size
    ih, iw = image.shape[:2]
    scale = min(w / iw, h / ih)
    nw, nh = max(2, int(iw * scale) // 2 * 2), max(2, int(ih * scale) // 2 * 2)
    out = np.zeros((h, w, 3), np.uint8)
    y0, x0 = (h - nh) // 2, (w - nw) // 2
    out[y0 : y0 + nh, x0 : x0 + nw] = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_AREA)
    return out


class _Y4mTimeline:
    """Writes frames to an open Y4M file, each shown for a span of the timeline."""

    def __init__(self, f: Any, fps: float) -> None:
        self.f, self.fps = f, fps
        self.frames, self.seconds = 0, 0.0

    def show(self, frame: np.ndarray, seconds: float) -> None:
        """``frame`` for ``seconds`` more (as many whole camera frames as that covers)."""
        self.seconds += seconds
        data = cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes()
        while self.frames < math.floor(self.seconds * self.fps + 1e-6):
            self.f.write(b"FRAME\n" + data)
            self.frames += 1


def write_y4m(
    clip: str | Path,
    out: str | Path,
    size: tuple[int, int] = (640, 480),
    lead_s: float = 0.0,
    tail_s: float = 0.0,
    empty_s: float = 0.0,
    fps: float | None = None,
) -> dict[str, Any]:
    """Convert ``clip`` into a Y4M file Chromium's fake camera plays.

    Args:
        clip: any video OpenCV reads.
        out: the .y4m file to write (raw: 1.5 bytes a pixel a frame).
        size: (width, height), even numbers; the clip is letterboxed into it.
        lead_s: seconds of the first frame, still, before the clip.
        tail_s: seconds of the last frame, still, after it.
        empty_s: seconds of an empty dark room before all that.
        fps: the camera's frame rate (default: the clip's); clip frames are repeated or
            dropped to keep its timing.

    Returns:
        ``{"fps", "frames", "clip_frames", "clip_start_s", "clip_end_s", "size"}``: the
        clip plays from ``clip_start_s`` to ``clip_end_s`` of the file.
    """
    w, h = size
    if w % 2 or h % 2:
        raise ValueError(f"Y4M (I420) needs an even width and height, got {size}")
    cap = cv2.VideoCapture(str(clip))
    clip_fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    fps = fps or clip_fps
    frames = (letterbox(image, size) for ok, image in iter(cap.read, (False, None)) if ok)
    n, last, start = 0, None, 0.0
    with open(out, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F{round(fps * 1000)}:1000 Ip A1:1 C420jpeg\n".encode())
        timeline = _Y4mTimeline(f, fps)
        timeline.show(np.full((h, w, 3), 24, np.uint8), empty_s)
        for last in frames:
            if n == 0:
                timeline.show(last, lead_s)
                start = timeline.seconds
            timeline.show(last, 1.0 / clip_fps)
            n += 1
        if last is None:
            raise ValueError(f"no frame could be read from {clip}")
        end = timeline.seconds
        timeline.show(last, tail_s)
    cap.release()
    return {
        "fps": fps,
        "frames": timeline.frames,
        "clip_frames": n,
        "clip_start_s": start,
        "clip_end_s": end,
        "size": size,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any, timeout_s: float = 20.0) -> Iterator[str]:
    """Run an ASGI ``app`` with uvicorn on a free port of 127.0.0.1; yields its base URL."""
    import uvicorn  # deferred: the web extra is optional, needed only where an app is served

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="formcoach-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the test server did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout_s)


@contextmanager
def chromium(
    profile_dir: str | Path, video: str | Path | None = None, audio: str | Path | None = None
) -> Iterator[Any]:
    """A headless Chromium (a selenium ``WebDriver``) with a fake camera and microphone.

    Args:
        profile_dir: a new, empty folder for the browser's profile.
        video: the Y4M file the camera plays (default: Chromium's test pattern).
        audio: the WAV file the microphone plays, in a loop (default: a beep).
    """
    # deferred: selenium is a dev dependency, needed only where a browser is driven
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service  # (deferred with the line above)

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile_dir}"):
        options.add_argument(flag)
    if video is not None:
        options.add_argument(f"--use-file-for-fake-video-capture={video}")
    if audio is not None:
        options.add_argument(f"--use-file-for-fake-audio-capture={audio}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
