"""The pose pipeline: a source's raw poses, cleaned frame by frame, into sequences.

Live sessions and offline analysis run the same steps, in this order, one frame at a time::

    PoseSource ──raw Pose──▶ StreamCleaner ──clean Pose──▶ consumers (counter, judge, overlay)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.progress import progress_bar
from formcoach.pose.cleaning import CleanSettings, StreamCleaner
from formcoach.pose.sources import PoseSource

__all__ = ["PoseRun", "Step", "run_poses", "track"]


@dataclass(frozen=True, eq=False)
class Step:
    """One frame through the pipeline.

    Attributes:
        raw: the pose as the source gave it.
        pose: the cleaned pose (gaps held, jitter filtered).
        image: (H, W, 3) BGR frame for video sources, else ``None``.
        lost: the camera delivers nothing (a stand-in step; the pose is missing).
    """

    raw: Pose
    pose: Pose
    image: np.ndarray | None
    lost: bool = False


def track(source: PoseSource, settings: CleanSettings = CleanSettings()) -> Iterator[Step]:
    """Yield every frame of ``source`` with its raw and cleaned pose."""
    cleaner = StreamCleaner(source.skeleton, settings)
    for tf in source:
        yield Step(tf.pose, cleaner(tf.pose), tf.image, tf.lost)


@dataclass(frozen=True, eq=False)
class PoseRun:
    """The result of running a whole source through the pipeline.

    Attributes:
        raw: what the source gave, frame by frame (T frames, none dropped).
        clean: the cleaned poses, aligned with ``raw``.
        wall_s: seconds spent, start to end.
    """

    raw: PoseSequence
    clean: PoseSequence
    wall_s: float

    @property
    def frames(self) -> int:
        return len(self.raw)

    @property
    def frames_with_pose(self) -> int:
        return int(self.raw.detected.sum())

    @property
    def processing_fps(self) -> float:
        return self.frames / self.wall_s if self.wall_s > 0 else 0.0

    def summary(self) -> dict[str, float | int]:
        """The figures ``formcoach pose --json`` prints."""
        return {
            "frames": self.frames,
            "frames_with_pose": self.frames_with_pose,
            "duration_s": round(self.raw.duration, 3),
            "processing_fps": round(self.processing_fps, 2),
        }


def run_poses(
    source: PoseSource,
    settings: CleanSettings = CleanSettings(),
    on_step: Callable[[Step], None] | None = None,
    progress: bool | None = None,
) -> PoseRun:
    """Run ``source`` to its end (or Ctrl-C for a camera) and collect both sequences.

    Args:
        source: any pose source; it is closed afterwards.
        settings: cleaning settings.
        on_step: called with every :class:`Step` (e.g. to draw an overlay).
        progress: show a progress bar (default: when stderr is a terminal).
    """
    raw: list[Pose] = []
    cleaned: list[Pose] = []
    t0 = time.perf_counter()
    with (
        source,
        progress_bar(source.frame_count, f"poses from {source.description}", progress) as advance,
    ):
        try:
            for step in track(source, settings):
                raw.append(step.raw)
                cleaned.append(step.pose)
                if on_step is not None:
                    on_step(step)
                advance(1)
        except KeyboardInterrupt:
            if not source.live:
                raise
    wall = time.perf_counter() - t0
    kw = {"skeleton": source.skeleton, "frame_size": source.frame_size, "fps": source.fps}
    return PoseRun(PoseSequence.from_poses(raw, **kw), PoseSequence.from_poses(cleaned, **kw), wall)
