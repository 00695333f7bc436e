"""The work done on one recording, on whichever worker gets it.

It is ``formcoach analyze``'s path and no other: the poses from
:func:`formcoach.analysis.load_poses` (the pose cache, else the model), then
:func:`formcoach.analysis.analyze_sequence`; with ``auto`` the counter alone
(:func:`formcoach.counting.count_reps`), as ``formcoach count`` does. Every failure becomes an
``error`` row that says why, so one bad file never stops a batch.

A worker process keeps one pose model for its whole life (:func:`worker_model`) and resets it
between recordings, which gives exactly a fresh model's answers without loading it again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from formcoach import __version__
from formcoach.analysis import analyze_sequence, assumed_fps, load_poses
from formcoach.batch.chunks import Chunk, ChunkSettings, plan_chunks, read_chunk, stitch
from formcoach.batch.rows import RecordingRows, analysis_rows, count_rows, error_row
from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.skeleton import BLAZEPOSE_33
from formcoach.counting import count_reps
from formcoach.form.exercises import Exercise
from formcoach.form.exercises.dump import dump_exercise
from formcoach.form.judge_settings import JudgeSettings
from formcoach.pose.cache import POSE_CACHE_VERSION, has_cached_poses
from formcoach.pose.estimator import BlazePose
from formcoach.pose.sources import KEYPOINT_SUFFIXES
from formcoach.pose.video import Frame, VideoFile
from formcoach.render.overlay import write_overlay

__all__ = [
    "BatchSettings",
    "ChunkPlan",
    "ChunkTask",
    "Job",
    "PoseChunk",
    "StitchTask",
    "finish_chunked",
    "run_chunk",
    "run_job",
    "settings_key",
    "worker_model",
]


@dataclass(frozen=True)
class BatchSettings:
    """What every recording of a batch is analysed with.

    Attributes:
        judge: the judge's settings.
        chunks: how long recordings are split over workers.
        overlay_dir: write each analysed recording's overlay video here (None: no overlays).
        fps: frame rate of keypoint files, which store none (None: they are timed at
            :data:`formcoach.analysis.DEFAULT_FPS` and their rows say so); videos keep their own.
    """

    judge: JudgeSettings = JudgeSettings()
    chunks: ChunkSettings = ChunkSettings()
    overlay_dir: str | None = None
    fps: float | None = None


def settings_key(exercise: Exercise | None, settings: BatchSettings) -> str:
    """A fingerprint of everything that decides a recording's rows besides its content: the
    exercise's definition (not only its name), the settings, and the versions of formcoach and
    of the pose cache. A rerun skips a recording only when this and its content hash match."""
    spec = {
        "formcoach": __version__,
        "poses": POSE_CACHE_VERSION,
        "exercise": dump_exercise(exercise) if exercise is not None else "auto",
        "judge": repr(settings.judge),
        "chunks": asdict(settings.chunks),
        "overlays": settings.overlay_dir is not None,
        "fps": settings.fps,
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Job:
    """One recording, as sent to a worker.

    Attributes:
        path: the file.
        digest: its content hash (:func:`formcoach.core.digest.file_digest`).
        exercise_name: as the user gave it (``"auto"`` counts without judging).
        exercise: the resolved exercise (travels with the job: a remote worker may not have
            the user's taught exercises), None for ``auto``.
        person: who is in it, from a manifest.
        settings: the batch's settings.
    """

    path: str
    digest: str
    exercise_name: str
    exercise: Exercise | None
    person: str
    settings: BatchSettings

    @functools.cached_property
    def settings_id(self) -> str:
        """:func:`settings_key` of its exercise and settings; the frame rate given for keypoint
        files does not count for a video (it states its own), so it is not analysed again."""
        settings = self.settings
        if Path(self.path).suffix.lower() not in KEYPOINT_SUFFIXES:
            settings = replace(settings, fps=None)
        return settings_key(self.exercise, settings)

    @property
    def key(self) -> str:
        """Content hash and settings: what a rerun compares to skip finished work."""
        return f"{self.digest}-{self.settings_id}"

    def head(self, **measured: object) -> dict[str, object]:
        """The identifying fields of its rows, plus what the job measured."""
        return {
            "path": self.path,
            "person": self.person,
            "content_hash": self.digest,
            "settings": self.settings_id,
            "exercise": self.exercise.name if self.exercise else self.exercise_name,
        } | measured

    def failed(self, error: str, seconds: float) -> RecordingRows:
        """Its error row."""
        return error_row(self.head(), error, seconds)


class _ReusedModel:
    """The worker's one BlazePose, loaded at its first frame (a batch of cached recordings
    never loads it); "closing" it at the end of a recording only resets it."""

    skeleton = BLAZEPOSE_33

    def __init__(self) -> None:
        self._model: BlazePose | None = None

    def __call__(self, frame: Frame) -> Pose:
        if self._model is None:
            self._model = BlazePose()
        return self._model(frame)

    def close(self) -> None:
        if self._model is not None:
            self._model.reset()


_MODEL: _ReusedModel | None = None


def worker_model() -> _ReusedModel:
    """This process's pose model, loaded on first use and kept for the process's life."""
    global _MODEL
    if _MODEL is None:
        _MODEL = _ReusedModel()
    return _MODEL


@dataclass(frozen=True)
class ChunkPlan:
    """A recording too long for one worker: its chunks, to be read in parallel."""

    job: Job
    chunks: tuple[Chunk, ...]
    seconds: float


@dataclass(frozen=True)
class ChunkTask:
    job: Job
    chunk: Chunk


@dataclass(frozen=True, eq=False)
class PoseChunk:
    """One chunk's raw poses (warm-up dropped), or why it failed."""

    index: int
    poses: PoseSequence | None
    error: str | None
    seconds: float


@dataclass(frozen=True)
class StitchTask:
    job: Job
    parts: tuple[PoseChunk, ...]


def _guarded(job: Job, t0: float, work: Callable[[], RecordingRows]) -> RecordingRows:
    try:
        return work()
    except FormcoachError as e:
        return job.failed(str(e), time.perf_counter() - t0)
    except Exception as e:  # one broken file must not stop a batch: it becomes an error row
        return job.failed(f"unexpected {type(e).__name__}: {e}", time.perf_counter() - t0)


def _analyze(job: Job, raw: PoseSequence, seconds_before: float, t0: float, chunks: int):
    def head(overlay: str | None = None) -> dict[str, object]:
        seconds = round(seconds_before + time.perf_counter() - t0, 3)
        return job.head(seconds=seconds, chunks=chunks, overlay=overlay, assumed_fps=guessed)

    guessed = assumed_fps(job.path, job.settings.fps)

    if job.exercise is None:
        if len(raw) == 0 or not raw.detected.any():
            raise FormcoachError(
                f"nobody was detected in {job.path}", "make sure the whole body is in view and lit"
            )
        return count_rows(raw, count_reps(raw), head())
    a = analyze_sequence(raw, job.exercise, job.path, job.settings.judge, assumed_fps=guessed)
    overlay = None
    if job.settings.overlay_dir is not None:
        out = Path(job.settings.overlay_dir) / f"{Path(job.path).stem}-{job.digest[:12]}.webm"
        overlay = str(write_overlay(a, job.path, out))
    return analysis_rows(a, raw, head(overlay))


def _chunk_plan(job: Job, t0: float) -> ChunkPlan | None:
    """The chunks of a long video whose poses are not cached yet, else None."""
    path = Path(job.path)
    if (
        path.suffix.lower() in KEYPOINT_SUFFIXES
        or not path.is_file()
        or has_cached_poses(path, job.digest)
    ):
        return None
    with VideoFile(path, prefetch=0) as video:
        frames, fps = video.frame_count, video.fps
    if not frames or not fps:
        return None
    chunks = plan_chunks(frames, fps, job.settings.chunks)
    if len(chunks) < 2:
        return None
    return ChunkPlan(job, tuple(chunks), time.perf_counter() - t0)


def run_job(job: Job) -> RecordingRows | ChunkPlan:
    """Analyse one recording, or say how to split it when it is long and not cached."""
    t0 = time.perf_counter()

    def work() -> RecordingRows | ChunkPlan:  # type: ignore[return-value]
        plan = _chunk_plan(job, t0)
        if plan is not None:
            return plan
        raw = load_poses(job.path, fps=job.settings.fps, progress=False, estimator=worker_model())
        return _analyze(job, raw, 0.0, t0, chunks=1)

    return _guarded(job, t0, work)  # type: ignore[arg-type]


def run_chunk(task: ChunkTask) -> PoseChunk:
    """The raw poses of one chunk of a long recording."""
    t0 = time.perf_counter()
    try:
        poses = read_chunk(task.job.path, task.chunk, worker_model())
        return PoseChunk(task.chunk.index, poses, None, time.perf_counter() - t0)
    except Exception as e:  # reported on the recording's row by finish_chunked
        msg = str(e) if isinstance(e, FormcoachError) else f"unexpected {type(e).__name__}: {e}"
        return PoseChunk(task.chunk.index, None, msg, time.perf_counter() - t0)


def finish_chunked(task: StitchTask) -> RecordingRows:
    """Stitch a long recording's chunks and count and judge it as one stream."""
    t0 = time.perf_counter()
    before = sum(p.seconds for p in task.parts)
    failed = [p for p in task.parts if p.poses is None]
    if failed:
        return task.job.failed(f"part {failed[0].index + 1}: {failed[0].error}", before)
    parts = sorted(task.parts, key=lambda p: p.index)

    def work() -> RecordingRows:
        raw = stitch([p.poses for p in parts if p.poses is not None])
        return _analyze(task.job, raw, before, t0, chunks=len(parts))

    return _guarded(task.job, t0, work)
