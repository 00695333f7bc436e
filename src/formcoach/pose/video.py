"""Frames from a video file or a camera, with timestamps from the source.

A video file is decoded on a background thread into a small queue, so decoding overlaps with
pose estimation on the other core. A camera is read on a background thread that keeps only the
newest frame: a slow consumer skips frames instead of falling behind the live scene.

The camera is :mod:`formcoach.pose.camera`'s, the :class:`Frame` :mod:`formcoach.pose.frames`'s
and the opening of OpenCV's captures :mod:`formcoach.pose.capture`'s; all are importable from
here too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.pose.camera import Camera
from formcoach.pose.capture import import_cv2, open_capture
from formcoach.pose.frames import Frame, FrameSource

__all__ = ["Camera", "Frame", "FrameSource", "VideoFile", "header_frame_count", "open_capture"]


def header_frame_count(path: str | Path) -> int:
    """The number of frames a video's header announces (0 when unreadable), nothing decoded."""
    cap = open_capture(str(path))
    if cap is None:
        return 0
    try:
        return max(0, int(cap.get(import_cv2().CAP_PROP_FRAME_COUNT)))
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
        cv2 = import_cv2()
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
        cv2 = import_cv2()
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
            cv2 = import_cv2()
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
