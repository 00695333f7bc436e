"""OpenCV, imported on first use with its own logging quietened, and its captures (a video file
or a camera) opened without its complaints: formcoach says what to do instead.
"""

from __future__ import annotations

import os

from formcoach.core.quiet import quiet_stderr

__all__ = ["import_cv2", "open_capture"]


def import_cv2():
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    # FFmpeg's own complaints about a damaged file ("Invalid NAL unit size"...) would bury
    # formcoach's one-line message; OpenCV reads this when it first opens a video
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    import cv2  # deferred: OpenCV reads OPENCV_LOG_LEVEL when it is first imported

    return cv2


def open_capture(target: str | int):
    """An opened ``cv2.VideoCapture`` or ``None`` when it cannot be opened."""
    cv2 = import_cv2()
    with quiet_stderr():  # OpenCV logs its own complaint; formcoach says what to do instead
        cap = cv2.VideoCapture(target)
    if not cap.isOpened():
        cap.release()
        return None
    return cap
