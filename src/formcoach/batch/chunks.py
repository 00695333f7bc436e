"""Long recordings in parts: the pose model runs on overlapping chunks on several workers, and
the chunks' poses are stitched back into one stream before anything is counted.

The pose model is nearly all the cost (counting and judging are a few per cent of it), so only
the model is split. Reps are then counted and judged on the stitched stream by the same code as
a whole recording (:func:`formcoach.analysis.analyze_sequence`): a rep that straddles a seam is
one rep of one continuous stream, never a half in each chunk, so there is nothing to merge and
no rep can be counted twice or lost at a seam.

The model tracks the person from frame to frame; a chunk starts it afresh, so each chunk is
read from ``warmup_s`` before its own first frame and those frames are dropped (the tracker has
locked on by then). Seeks are frame-exact with OpenCV's FFmpeg (checked on every real clip).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.pose.estimator import PoseEstimator
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import ModelPoseSource
from formcoach.pose.video import VideoFile

__all__ = ["Chunk", "ChunkSettings", "plan_chunks", "read_chunk", "stitch"]


@dataclass(frozen=True)
class ChunkSettings:
    """How long recordings are split.

    Attributes:
        chunk_s: seconds of video per chunk, the unit of work given to one worker; a recording
            is split only when it makes at least two chunks of about this length.
        warmup_s: seconds read before a chunk's first frame and dropped, while the freshly
            started tracker locks on to the person.
    """

    chunk_s: float = 60.0
    warmup_s: float = 1.0

    def __post_init__(self) -> None:
        if not self.chunk_s > 0 or self.warmup_s < 0:
            raise FormcoachError(
                f"chunks: expected chunk_s > 0 and warmup_s >= 0, got {self.chunk_s}, "
                f"{self.warmup_s}",
                "pass positive seconds",
            )


@dataclass(frozen=True)
class Chunk:
    """Frames ``[start, stop)`` of a recording, read from ``read_from`` (warm-up included)."""

    index: int
    read_from: int
    start: int
    stop: int


def plan_chunks(frames: int, fps: float, settings: ChunkSettings = ChunkSettings()) -> list[Chunk]:
    """Split ``frames`` frames at ``fps`` into about ``chunk_s``-second chunks.

    Returns:
        One chunk covering everything when the recording is shorter than two chunks, else
        ``round(duration / chunk_s)`` chunks of equal length whose own frames tile the
        recording exactly.
    """
    if frames <= 0 or fps <= 0:
        raise FormcoachError(f"cannot split {frames} frames at {fps} fps", "check the video")
    n = max(1, round(frames / fps / settings.chunk_s))
    edges = np.linspace(0, frames, n + 1).round().astype(int)
    warm = round(settings.warmup_s * fps)
    return [
        Chunk(i, max(0, int(a) - warm), int(a), int(b))
        for i, (a, b) in enumerate(itertools.pairwise(edges))
    ]


def read_chunk(path: str, chunk: Chunk, estimator: PoseEstimator) -> PoseSequence:
    """The raw poses of the chunk's own frames (warm-up dropped), timestamps as in the file.

    ``estimator`` is closed at the end, as any pose source closes its model.
    """
    video = VideoFile(path, start_frame=chunk.read_from, max_frames=chunk.stop - chunk.read_from)
    run = run_poses(
        ModelPoseSource(video, estimator, f"{path} part {chunk.index + 1}"), progress=False
    )
    raw = run.raw
    drop = chunk.start - chunk.read_from
    if len(raw) < drop:
        raise FormcoachError(
            f"{path}: part {chunk.index + 1} ends at frame {chunk.read_from + len(raw)}, "
            f"before its start {chunk.start}",
            "the file is shorter than its header says; re-encode it",
        )
    return raw[drop:]  # type: ignore[return-value]


def stitch(parts: list[PoseSequence]) -> PoseSequence:
    """One sequence from chunk sequences in time order (each already without its warm-up)."""
    if not parts:
        raise FormcoachError("nothing to stitch", "read the chunks first")
    first = parts[0]
    return PoseSequence(
        np.concatenate([p.xy for p in parts]),
        np.concatenate([p.visibility for p in parts]),
        np.concatenate([p.timestamps for p in parts]),
        first.skeleton,
        first.frame_size,
        first.fps,
    )
