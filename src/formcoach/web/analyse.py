"""Recordings uploaded for analysis: the same path as ``formcoach analyze``, one at a time.

A job reads the recording's poses, counts and judges every rep, renders the same HTML report
and writes the overlay video (VP8 WebM, which browsers play). The upload is deleted as soon
as the overlay is written; reports and overlays live in the server's work folder until the
server stops (the oldest are dropped beyond :data:`KEEP_JOBS`).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcoach.analysis import analyze_sequence, load_poses
from formcoach.core.errors import FormcoachError
from formcoach.core.private import private_dir, tighten_file
from formcoach.render.analysis_report import render_report
from formcoach.render.overlay import write_overlay

__all__ = ["KEEP_JOBS", "AnalysisJob", "AnalysisJobs"]

#: Finished analyses kept (reports and overlays); older ones are deleted.
KEEP_JOBS = 20


@dataclass(eq=False)
class AnalysisJob:
    """One uploaded recording being analysed (its fields change as it runs).

    Attributes:
        id: the job's key in URLs.
        exercise: the exercise's name.
        filename: the name the recording was uploaded under.
        status: ``"queued"``, ``"running"``, ``"done"`` or ``"failed"``.
        error: why it failed (a sentence).
        report: the report's HTML once done.
        overlay: the overlay video once done.
        summary: ``formcoach analyze --json``'s figures once done.
    """

    id: str
    exercise: str
    filename: str
    status: str = "queued"
    error: str = ""
    report: str = ""
    overlay: Path | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    created: float = field(default_factory=time.time)


class AnalysisJobs:
    """The analyses of the server (one runs at a time: the pose model takes a core).

    Args:
        folder: where uploads and overlays go.
        get_exercise: an exercise by name.
    """

    def __init__(self, folder: Path, get_exercise: Callable[[str], Any]) -> None:
        self.folder = folder
        self.get_exercise = get_exercise
        self._jobs: dict[str, AnalysisJob] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="formcoach-analyse")

    def upload_path(self, filename: str) -> Path:
        """A fresh path for an upload, keeping its suffix (OpenCV reads by content)."""
        suffix = Path(filename).suffix.lower()[:8] or ".mp4"
        private_dir(self.folder / "uploads")
        return self.folder / "uploads" / f"{uuid.uuid4().hex}{suffix}"

    def submit(self, upload: Path, exercise_name: str, filename: str) -> AnalysisJob:
        """Queue the analysis of ``upload`` (deleted once analysed).

        Raises:
            FormcoachError: an unknown exercise.
        """
        try:
            exercise = self.get_exercise(exercise_name)
        except FormcoachError:
            upload.unlink(missing_ok=True)
            raise
        job = AnalysisJob(uuid.uuid4().hex[:16], exercise.name, filename)
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, exercise, upload)
        return job

    def get(self, job_id: str) -> AnalysisJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _forget_old(self) -> None:
        done = sorted(
            (j for j in self._jobs.values() if j.status in ("done", "failed")),
            key=lambda j: j.created,
        )
        for job in done[: max(0, len(self._jobs) - KEEP_JOBS)]:
            del self._jobs[job.id]
            if job.overlay is not None:
                job.overlay.unlink(missing_ok=True)

    def _run(self, job: AnalysisJob, exercise: Any, upload: Path) -> None:
        job.status = "running"
        try:
            analysis = analyze_sequence(load_poses(str(upload)), exercise, job.filename)
            job.report = render_report(analysis)
            job.overlay = write_overlay(analysis, str(upload), self.folder / f"{job.id}.webm")
            tighten_file(job.overlay)  # 0600: it shows the person
            job.summary = analysis.summary()
            job.status = "done"
        except FormcoachError as e:  # named as the person named it, not by its upload path
            job.error, job.status = str(e).replace(str(upload), job.filename), "failed"
        except Exception as e:  # a recording that breaks a library must not kill the worker
            job.error = f"{type(e).__name__}: {e}".replace(str(upload), job.filename)
            job.status = "failed"
        finally:
            upload.unlink(missing_ok=True)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
