"""Pose sources: a camera, a video file, an OpenPose folder or a keypoint file, one interface.

:func:`open_source` turns what a user typed (``0``, ``clip.mp4``, ``poses.npy``, ``json_dir/``)
into a :class:`PoseSource`, which yields :class:`TrackedFrame` objects (the raw pose and, when
there is one, the image) in time order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.skeleton import Skeleton
from formcoach.pose.camera import Camera
from formcoach.pose.estimator import BlazePose, PoseEstimator
from formcoach.pose.frames import FrameSource
from formcoach.pose.keypoints import load_keypoints
from formcoach.pose.video import VideoFile

__all__ = [
    "ModelPoseSource",
    "PoseSource",
    "SequencePoseSource",
    "TrackedFrame",
    "is_camera",
    "open_source",
]

KEYPOINT_SUFFIXES = (".npy", ".npz")


@dataclass(frozen=True, eq=False)
class TrackedFrame:
    """A raw pose and, for video sources, the (H, W, 3) BGR image it was found in.

    ``lost``: a stand-in while the camera delivers nothing (the pose is missing).
    """

    pose: Pose
    image: np.ndarray | None = None
    lost: bool = False


class PoseSource:
    """Base of the pose sources: iterable of :class:`TrackedFrame`, plus what is known of it.

    Attributes:
        skeleton: layout of the poses it yields.
        fps: nominal frame rate, when known.
        frame_size: (width, height) in pixels, when known.
        frame_count: number of frames, when known (for progress bars).
        live: True for a camera (frames may be dropped to stay current).
        description: what it reads, for messages.
        path: the file it reads (``None`` for a camera).
    """

    skeleton: Skeleton
    path: Path | None = None
    fps: float | None = None
    frame_size: tuple[int, int] | None = None
    frame_count: int | None = None
    live: bool = False
    description: str = ""

    def __iter__(self) -> Iterator[TrackedFrame]:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> PoseSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ModelPoseSource(PoseSource):
    """Frames from a video or camera, each passed through a pose estimator."""

    def __init__(self, frames: FrameSource, estimator: PoseEstimator, description: str) -> None:
        self.frames = frames
        self.estimator = estimator
        self.skeleton = estimator.skeleton
        self.fps = frames.fps
        self.frame_size = frames.frame_size
        self.frame_count = frames.frame_count
        self.live = frames.live
        self.description = description
        self.path = getattr(frames, "path", None)

    def __iter__(self) -> Iterator[TrackedFrame]:
        for frame in self.frames:
            if getattr(frame, "lost", False):  # the camera is gone: nothing to estimate
                missing = Pose.missing(self.skeleton, frame.timestamp, frame.index)
                yield TrackedFrame(missing, None, lost=True)
                continue
            yield TrackedFrame(self.estimator(frame), frame.image)

    def close(self) -> None:
        self.frames.close()
        self.estimator.close()


class SequencePoseSource(PoseSource):
    """Poses already computed (a keypoint file), replayed frame by frame without images."""

    def __init__(
        self, seq: PoseSequence, description: str = "poses", path: Path | None = None
    ) -> None:
        self.seq = seq
        self.path = path
        self.skeleton = seq.skeleton
        self.fps = seq.fps
        self.frame_size = seq.frame_size
        self.frame_count = len(seq)
        self.description = description

    def __iter__(self) -> Iterator[TrackedFrame]:
        for pose in self.seq:
            assert isinstance(pose, Pose)
            yield TrackedFrame(pose)


def is_camera(spec: str | int | Path) -> bool:
    """True when ``spec`` names a camera index (``0``, ``"1"``) rather than a file."""
    if isinstance(spec, int):
        return True
    s = str(spec)
    return s.isdigit() and not Path(s).exists()


def open_source(
    spec: str | int | Path,
    *,
    fps: float | None = None,
    frame_size: tuple[int, int] | None = None,
    estimator: PoseEstimator | None = None,
    max_frames: int | None = None,
    duration_s: float | None = None,
) -> PoseSource:
    """Open whatever ``spec`` names as a pose source.

    Args:
        spec: a camera index, a video file, an OpenPose JSON folder, or a keypoint file
            (``.npy`` in a known layout, or a formcoach ``.npz``).
        fps: frame rate of a keypoint file (they do not store one; default 30).
        frame_size: (width, height) behind normalised keypoints, to convert them to pixels.
        estimator: pose model for video and camera (default: :class:`BlazePose`).
        max_frames: stop after this many frames.
        duration_s: for a camera, stop after this many seconds.

    Raises:
        FormcoachError: the source does not exist or cannot be read.
    """
    if is_camera(spec):
        cam = Camera(int(spec), max_frames=max_frames, duration_s=duration_s)
        return ModelPoseSource(cam, estimator or BlazePose(), f"camera {int(spec)}")
    path = Path(spec)
    if not path.exists():
        raise FormcoachError(
            f"no such file or folder: {str(path)!r}",
            "pass a video file, a camera index such as 0, an OpenPose JSON folder, "
            "or a keypoint file (.npy / .npz)",
        )
    if path.is_dir() or path.suffix.lower() in KEYPOINT_SUFFIXES:
        seq = load_keypoints(path, fps=fps, frame_size=frame_size)
        if max_frames is not None:
            seq = seq[:max_frames]  # type: ignore[assignment]
        return SequencePoseSource(seq, str(path), path)  # type: ignore[arg-type]
    video = VideoFile(path, max_frames=max_frames)
    try:
        model = estimator or BlazePose()
    except BaseException:
        video.close()
        raise
    return ModelPoseSource(video, model, str(path))
