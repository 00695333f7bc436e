"""Frames from a video file or a camera, with timestamps from the source.

A video file is decoded on a background thread into a small queue, so decoding overlaps with
pose estimation on the other core. A camera is read on a background thread that keeps only the
newest frame: a slow consumer skips frames instead of falling behind the live scene.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.quiet import quiet_stderr

__all__ = ["Camera", "Frame", "FrameSource", "VideoFile", "header_frame_count", "open_capture"]


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded frame.

    Attributes:
        image: (H, W, 3) uint8 BGR pixels.
        timestamp: seconds from the start of the source.
        index: position in the source (for a camera: frames grabbed so far, dropped ones too).
        rgb: the same pixels as RGB when the reader converted them already (on its own
            thread, off the model's critical path), else ``None``.
        lost: True for a stand-in a camera yields while it delivers nothing (unplugged,
            taken by another program); ``image`` is then the last real one.
    """

    image: np.ndarray
    timestamp: float
    index: int
    rgb: np.ndarray | None = None
    lost: bool = False


class FrameSource(Protocol):
    """Anything that yields :class:`Frame` objects in time order."""

    fps: float | None
    frame_size: tuple[int, int]
    frame_count: int | None
    live: bool

    def __iter__(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...


def _cv2():
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    # FFmpeg's own complaints about a damaged file ("Invalid NAL unit size"...) would bury
    # formcoach's one-line message; OpenCV reads this when it first opens a video
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    import cv2  # deferred: OpenCV reads OPENCV_LOG_LEVEL when it is first imported

    return cv2


def open_capture(target: str | int):
    """An opened ``cv2.VideoCapture`` or ``None`` when it cannot be opened."""
    cv2 = _cv2()
    with quiet_stderr():  # OpenCV logs its own complaint; formcoach says what to do instead
        cap = cv2.VideoCapture(target)
    if not cap.isOpened():
        cap.release()
        return None
    return cap


def header_frame_count(path: str | Path) -> int:
    """The number of frames a video's header announces (0 when unreadable), nothing decoded."""
    cap = open_capture(str(path))
    if cap is None:
        return 0
    try:
        return max(0, int(cap.get(_cv2().CAP_PROP_FRAME_COUNT)))
    finally:
        cap.release()


_END = object()


class VideoFile:
    """Frames of a video file (any format OpenCV's bundled FFmpeg reads).

    Args:
        path: the video.
        prefetch: frames decoded ahead on a background thread (0 decodes inline).
        max_frames: stop after this many frames.
        start_frame: the first frame to read (a seek: frames keep their index and timestamp
            in the whole file, so a part of a long recording lines up with the whole).

    Raises:
        FormcoachError: the file is missing, unreadable, or has no frames.
    """

    live = False

    def __init__(
        self,
        path: str | Path,
        prefetch: int = 8,
        max_frames: int | None = None,
        start_frame: int = 0,
    ) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FormcoachError(f"no such file: {str(self.path)!r}", "check the path")
        if self.path.is_dir():
            raise FormcoachError(
                f"{str(self.path)!r} is a folder, not a video",
                "pass a video file, or a folder of OpenPose *_keypoints.json files",
            )
        cv2 = _cv2()
        cap = open_capture(str(self.path))
        if cap is not None and start_frame > 0:
            cap.set(cv2.CAP_PROP_POS_FRAMES, start_frame)
        ok, first = cap.read() if cap is not None else (False, None)
        if not ok or first is None:
            if cap is not None:
                cap.release()
            raise FormcoachError(
                f"cannot read any frame from {str(self.path)!r}",
                "the file is not a video OpenCV can decode, or it has zero frames; "
                "convert it to mp4 (H.264) or webm and try again",
            )
        self._cap = cap
        self._first = first
        self._first_ts = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        fps = cap.get(cv2.CAP_PROP_FPS)
        self.fps: float | None = float(fps) if fps and 0 < fps < 1000 else None
        self.frame_size = (first.shape[1], first.shape[0])
        n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) - start_frame
        self.frame_count: int | None = n if n > 0 else None
        self.start_frame = start_frame
        if max_frames is not None and self.frame_count is not None:
            self.frame_count = min(self.frame_count, max_frames)
        self.max_frames = max_frames
        self.prefetch = prefetch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _frames(self) -> Iterator[Frame]:
        """Decode frames in order; timestamps from the container, else index / fps."""
        cv2 = _cv2()
        cap = self._cap
        step = 1.0 / (self.fps or 30.0)
        image, ts_raw, i, last = self._first, self._first_ts, 0, -np.inf
        while image is not None and not self._stop.is_set():
            if self.max_frames is not None and i >= self.max_frames:
                break
            index = self.start_frame + i
            # a container time that stalls or goes back is no time at all: the frame comes
            # one frame interval after the last (not a microsecond, which reads as a leap)
            ts = ts_raw if (ts_raw > last and (index == 0 or ts_raw > 0)) else index * step
            ts = max(ts, last + step) if i and ts <= last else ts
            last = ts
            yield Frame(image, ts, index)
            i += 1
            ok, image = cap.read()
            image = image if ok else None
            ts_raw = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        if image is None and not self._stop.is_set():
            self._check_complete(i)

    def _check_complete(self, decoded: int) -> None:
        """A file whose frames stop well before its own frame count is cut short (a copy
        interrupted, a download unfinished): say so instead of analysing half of it."""
        declared = self.frame_count if self.max_frames is None else None
        if declared is None:
            return
        missing = declared - decoded
        if missing > max(1.0 * (self.fps or 30.0), 0.02 * declared):
            raise FormcoachError(
                f"{str(self.path)!r} ends after {decoded} of its {declared} frames: the file "
                "is truncated or damaged",
                "copy or export the recording again and retry",
            )

    def __iter__(self) -> Iterator[Frame]:
        if self.prefetch <= 0:
            yield from self._frames()
            return
        q: queue.Queue = queue.Queue(maxsize=self.prefetch)

        failure: list[FormcoachError] = []

        def work() -> None:
            cv2 = _cv2()
            try:
                for f in self._frames():
                    rgb = cv2.cvtColor(f.image, cv2.COLOR_BGR2RGB)
                    f = Frame(f.image, f.timestamp, f.index, rgb)
                    while not self._stop.is_set():
                        try:
                            q.put(f, timeout=0.1)
                            break
                        except queue.Full:
                            continue
            except FormcoachError as e:
                failure.append(e)  # raised on the consumer's side, after the frames before it
            finally:
                q.put(_END)

        self._thread = threading.Thread(target=work, name="formcoach-decode", daemon=True)
        self._thread.start()
        try:
            while (item := q.get()) is not _END:
                yield item
            if failure:
                raise failure[0]
        finally:
            self.close()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        self._cap.release()

    def __enter__(self) -> VideoFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
        cv2 = _cv2()
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
