"""Pose estimators: images in, :class:`~formcoach.core.pose.Pose` out.

The default is MediaPipe BlazePose (``mediapipe==0.10.21``, ``model_complexity=1``, the weights
bundled in the wheel: no network). Its output is converted in one adapter,
:func:`from_mediapipe`, so nothing downstream sees a MediaPipe object.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.quiet import quiet_stderr
from formcoach.core.skeleton import BLAZEPOSE_33, Skeleton
from formcoach.pose.frames import Frame
from formcoach.pose.zoom import Zoom, ZoomSettings

__all__ = [
    "BlazePose",
    "NullEstimator",
    "PoseEstimator",
    "ReplayEstimator",
    "from_mediapipe",
    "landmark_array",
]


class PoseEstimator(Protocol):
    """Finds one person's pose in a frame."""

    skeleton: Skeleton

    def __call__(self, frame: Frame) -> Pose:
        """The pose in ``frame`` (every joint missing when nobody is there)."""
        ...

    def close(self) -> None: ...


def landmark_array(landmarks: object) -> np.ndarray:
    """(33, 3) float64 x, y (fractions of the image's width and height) and visibility of
    MediaPipe ``pose_landmarks``."""
    return np.array([(lm.x, lm.y, lm.visibility) for lm in landmarks.landmark], np.float64)


def _pose_from_pixels(arr: np.ndarray, timestamp: float, index: int) -> Pose:
    """A :class:`Pose` from (33, 3) x, y in pixels and visibility."""
    # a detected landmark keeps a small positive visibility even when MediaPipe thinks it hidden
    vis = np.clip(arr[:, 2], 1e-3, 1.0).astype(np.float32)
    return Pose(arr[:, :2].astype(np.float32), vis, timestamp, index, BLAZEPOSE_33)


def from_mediapipe(
    landmarks: object | None, frame_size: tuple[int, int], timestamp: float, index: int
) -> Pose:
    """Convert MediaPipe ``pose_landmarks`` (or ``None``) into a :class:`Pose` in pixels.

    MediaPipe gives x and y as fractions of the frame's width and height; they are scaled to
    pixels so that x and y share one unit and angles come out right.
    """
    if landmarks is None:
        return Pose.missing(BLAZEPOSE_33, timestamp, index)
    w, h = frame_size
    arr = np.array(
        [(lm.x * w, lm.y * h, lm.visibility) for lm in landmarks.landmark], dtype=np.float32
    )
    return _pose_from_pixels(arr, timestamp, index)


class BlazePose:
    """MediaPipe BlazePose (full model) in video mode: tracks one person across frames.

    Args:
        min_detection_confidence: person detector threshold.
        min_tracking_confidence: below this the detector runs again on the next frame.
        static_image_mode: detect afresh in every frame (for unrelated images).
        zoom: how a person too small for the whole-frame model is searched for and
            followed in a crop (:mod:`formcoach.pose.zoom`); ``None`` turns that off. Frames
            in which the whole-frame model finds the person are untouched by it.

    MediaPipe's own landmark smoothing is off: formcoach filters every source the same way
    (:mod:`formcoach.pose.cleaning`).
    """

    skeleton = BLAZEPOSE_33

    def __init__(
        self,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        static_image_mode: bool = False,
        zoom: ZoomSettings | None = ZoomSettings(),
    ) -> None:
        confidences = (min_detection_confidence, min_tracking_confidence)
        self._model = _Model(static_image_mode, *confidences)
        self._crop: _Model | None = None
        self._zoom = None
        if zoom is not None and not static_image_mode:

            def crop_landmarks(rgb: np.ndarray) -> np.ndarray | None:
                if self._crop is None:  # made when first needed: most clips never need it
                    self._crop = _Model(False, *confidences)
                out = self._crop(rgb)
                return None if out is None else landmark_array(out)

            def crop_reset() -> None:
                if self._crop is not None:
                    self._crop.reset()

            self._zoom = Zoom(zoom, (crop_landmarks, crop_reset))

    def process_rgb(self, rgb: np.ndarray) -> object | None:
        """The bare model call: (H, W, 3) uint8 RGB -> MediaPipe landmarks or ``None``."""
        return self._model(rgb)

    def __call__(self, frame: Frame) -> Pose:
        import cv2  # deferred: OpenCV comes with mediapipe, loaded with the model

        rgb = frame.rgb if frame.rgb is not None else cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB)
        h, w = frame.image.shape[:2]
        zoom, t, size, i = self._zoom, frame.timestamp, (w, h), frame.index
        if zoom is not None and zoom.following:
            seen = zoom.follow(rgb, t)
            if seen is not None and not zoom.may_hand_back(seen, size, t):
                return _pose_from_pixels(seen, t, i)
            # lost in the crop, or grown large enough: the whole-frame model may see them
            found = self.process_rgb(rgb)
            if found is not None:
                zoom.stop()
                return from_mediapipe(found, size, t, i)
            return (
                _pose_from_pixels(seen, t, i)
                if seen is not None
                else from_mediapipe(None, size, t, i)
            )
        found = self.process_rgb(rgb)
        if found is None and zoom is not None and (seen := zoom.start(rgb, t)) is not None:
            return _pose_from_pixels(seen, t, i)
        return from_mediapipe(found, size, t, i)

    def reset(self) -> None:
        """Forget the person being tracked: the next frame is the first of a new video.

        In video mode the model follows the person it found in the previous frame, so a model
        reused without a reset answers differently from a fresh one; after a reset it answers
        exactly as a fresh one does (checked on real clips), for a small fraction of the cost
        of loading it (about 10 ms against 0.5 s here).
        """
        self._model.reset()
        if self._zoom is not None:
            self._zoom.reset()

    def close(self) -> None:
        self._model.close()
        if self._crop is not None:
            self._crop.close()
        if self._zoom is not None:
            self._zoom.close()

    def __enter__(self) -> BlazePose:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Model:
    """A MediaPipe ``Pose`` (full model, no smoothing) whose start-up notes are discarded."""

    def __init__(self, static: bool, min_detection: float, min_tracking: float) -> None:
        self._pose = _mediapipe_pose(static, min_detection, min_tracking)
        self._quiet_calls = 2

    def __call__(self, rgb: np.ndarray) -> object | None:
        """(H, W, 3) uint8 RGB -> MediaPipe ``pose_landmarks`` or ``None``."""
        if self._quiet_calls:  # the landmark graph warns once when it first sees a person
            with quiet_stderr():
                out = self._pose.process(rgb).pose_landmarks
            self._quiet_calls -= out is not None
            return out
        return self._pose.process(rgb).pose_landmarks

    def reset(self) -> None:
        """Forget the person being tracked (the next image is searched afresh)."""
        self._pose.reset()
        self._quiet_calls = 2  # the restarted graph announces its models again

    def close(self) -> None:
        """Release the graph; closing twice is harmless."""
        if self._pose is not None:
            self._pose.close()
            self._pose = None


def _mediapipe_pose(static: bool, min_detection: float, min_tracking: float):
    """A MediaPipe ``Pose`` (full model, no smoothing), its start-up notes discarded."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        # deferred: MediaPipe loads TensorFlow Lite; formcoach imports without it
        from mediapipe.python.solutions import pose as mp_pose
    except ImportError as e:  # pragma: no cover - depends on the install
        raise FormcoachError(
            f"MediaPipe is not importable ({e})",
            "install formcoach with its pinned dependencies: pip install -c constraints.txt -e .",
        ) from None
    with quiet_stderr():
        pose = mp_pose.Pose(
            static_image_mode=static,
            model_complexity=1,  # the only model bundled in the wheel; 0 and 2 download
            smooth_landmarks=False,
            enable_segmentation=False,
            min_detection_confidence=min_detection,
            min_tracking_confidence=min_tracking,
        )
        # TFLite announces its CPU delegate once, from a worker thread, when the graph first
        # runs: run it once here, on an empty image, while that note is being discarded.
        pose.process(np.zeros((64, 64, 3), np.uint8))
    return pose


class NullEstimator:
    """Sees nobody, ever: for tests of what happens around the model."""

    def __init__(self, skeleton: Skeleton = BLAZEPOSE_33) -> None:
        self.skeleton = skeleton

    def __call__(self, frame: Frame) -> Pose:
        return Pose.missing(self.skeleton, frame.timestamp, frame.index)

    def close(self) -> None:
        pass


class ReplayEstimator:
    """Returns the poses of a known sequence by frame index: for tests with fixed answers."""

    def __init__(self, seq: PoseSequence) -> None:
        self.seq = seq
        self.skeleton = seq.skeleton

    def __call__(self, frame: Frame) -> Pose:
        if frame.index >= len(self.seq):
            return Pose.missing(self.skeleton, frame.timestamp, frame.index)
        p = self.seq[frame.index]
        assert isinstance(p, Pose)
        return Pose(p.xy, p.visibility, frame.timestamp, frame.index, p.skeleton)

    def close(self) -> None:
        pass
