"""Live frames from a camera, with timestamps from the reading.

A camera is read on a background thread that keeps only the newest frame: a slow consumer skips
frames instead of falling behind the live scene.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from formcoach.core.errors import FormcoachError
from formcoach.pose.capture import import_cv2, open_capture
from formcoach.pose.frames import Frame

__all__ = ["Camera"]


class Camera:
    """Live frames from a camera, newest first: frames the consumer is too slow for are dropped.

    A camera that stops delivering (unplugged, taken by another program) is reopened for up
    to ``reconnect_s`` seconds; meanwhile a ``lost`` stand-in frame comes every
    ``LOST_EVERY_S`` seconds, so the session can say so and wait. Frames then resume, or the
    iteration ends.

    Args:
        index: the camera's OpenCV index (0 is the default camera).
        max_frames: stop after this many delivered frames.
        duration_s: stop after this many seconds.
        capture: an opened ``cv2.VideoCapture``-like object to read instead (for tests).
        reconnect_s: how long to try to reopen a camera that stopped delivering.
        reopen: opens the camera again (``None`` when it cannot); default: OpenCV's.

    Attributes:
        dropped: frames grabbed but never delivered because a newer one arrived.
        lost: True while the camera delivers nothing and is being reopened.

    Raises:
        FormcoachError: no camera with that index can be opened.
    """

    live = True
    #: Seconds between two ``lost`` stand-in frames while the camera is gone.
    LOST_EVERY_S = 0.5

    def __init__(
        self,
        index: int = 0,
        max_frames: int | None = None,
        duration_s: float | None = None,
        capture: object | None = None,
        reconnect_s: float = 30.0,
        reopen: Callable[[], object | None] | None = None,
    ) -> None:
        cv2 = import_cv2()
        self.index = index
        cap = capture if capture is not None else open_capture(index)
        ok, first = cap.read() if cap is not None else (False, None)
        if not ok or first is None:
            if cap is not None:
                cap.release()
            raise FormcoachError(
                f"cannot open camera {index}",
                "check that a camera is connected and not used by another program, "
                "or pass a video file instead",
            )
        self._cap = cap
        fps = cap.get(cv2.CAP_PROP_FPS)
        self.fps: float | None = float(fps) if fps and 0 < fps < 1000 else None
        self.frame_size = (first.shape[1], first.shape[0])
        self.frame_count: int | None = max_frames
        self.max_frames = max_frames
        self.duration_s = duration_s
        self.reconnect_s = reconnect_s
        self._reopen = reopen or (lambda: open_capture(index))
        self.dropped = 0
        self.lost = False
        self._last_image = first
        self._next_index = 0
        self._latest: Frame | None = None
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._grab, name="formcoach-camera", daemon=True)
        self._thread.start()

    def _grab(self) -> None:
        while not self._stop.is_set():
            ok, image = self._cap.read()
            if not ok or image is None:
                if not self._reconnect():
                    break
                continue
            now = time.monotonic() - self._t0
            with self._cond:
                if self._latest is not None:
                    self.dropped += 1
                self._latest = Frame(image, now, self._next_index)
                self._last_image = image
                self._next_index += 1
                self._cond.notify_all()
        with self._cond:
            self._stop.set()
            self._cond.notify_all()

    def _reconnect(self) -> bool:
        """Reopen the camera until it delivers again (True) or ``reconnect_s`` passed."""
        with self._cond:
            self.lost = True
            self._cond.notify_all()
        self._cap.release()
        deadline = time.monotonic() + self.reconnect_s
        while not self._stop.is_set() and time.monotonic() < deadline:
            cap = self._reopen()
            ok, image = cap.read() if cap is not None else (False, None)
            if ok and image is not None:
                self._cap = cap
                with self._cond:
                    self.lost = False
                return True
            if cap is not None:
                cap.release()
            self._stop.wait(self.LOST_EVERY_S)
        return False

    def _next_frame(self) -> Frame | None:
        """The newest frame, a ``lost`` stand-in while the camera is gone, or None at the end."""
        with self._cond:
            since = time.monotonic()
            while self._latest is None and not self._stop.is_set():
                now = time.monotonic()
                if self.lost and now - since >= self.LOST_EVERY_S:
                    self._next_index += 1
                    return Frame(self._last_image, now - self._t0, self._next_index - 1, lost=True)
                self._cond.wait(timeout=0.1)
            frame, self._latest = self._latest, None
            return frame

    def __iter__(self) -> Iterator[Frame]:
        delivered = 0
        try:
            while not (self.max_frames is not None and delivered >= self.max_frames):
                if self.duration_s is not None and time.monotonic() - self._t0 > self.duration_s:
                    break
                frame = self._next_frame()
                if frame is None:
                    break
                delivered += 1
                yield frame
        finally:
            self.close()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        self._cap.release()

    def __enter__(self) -> Camera:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
