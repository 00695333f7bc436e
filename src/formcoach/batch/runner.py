"""Running a batch: hash every recording, skip what is done, keep the engine busy, write each
result as it arrives.

The driver does little: it hashes files, hands each recording to a worker (a long one as
chunks first, then one stitching task), and writes each finished recording's rows at once. A
bounded number of calls is in flight (twice the workers: each worker has its next call
waiting), and the chunks of a long recording go ahead of new recordings, so its parts do not
pile up in memory. Recordings are handed out longest first (by their frame count), so the
batch does not end with one worker busy on a long recording while the others wait. A call
whose worker died is tried once more; twice lost, the recording becomes an error row.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formcoach.batch.engines import Engine, WorkerLost
from formcoach.batch.job import (
    BatchSettings,
    ChunkPlan,
    ChunkTask,
    Job,
    PoseChunk,
    StitchTask,
    finish_chunked,
    run_chunk,
    run_job,
)
from formcoach.batch.manifest import Recording
from formcoach.batch.results import ResultStore
from formcoach.batch.rows import RecordingRows, error_row
from formcoach.core.digest import file_digest
from formcoach.core.errors import FormcoachError
from formcoach.core.progress import progress_bar
from formcoach.form.exercises import Exercise, get_exercise
from formcoach.pose.sources import KEYPOINT_SUFFIXES
from formcoach.pose.video import header_frame_count

__all__ = ["BatchOutcome", "run_batch"]

#: Tries of a call whose worker died before a recording is given up as an error.
ATTEMPTS = 2


@dataclass
class BatchOutcome:
    """What a batch did.

    Attributes:
        rows: one per recording that has a result (this run's or a previous run's), in input
            order; recordings left in flight by an interruption have none.
        analysed: recordings analysed by this run.
        skipped: recordings whose results a previous run had already written.
        pending: recordings not finished because the batch was interrupted.
        interrupted: Ctrl-C stopped it.
        wall_s: seconds, start to end.
    """

    rows: list[RecordingRows] = field(default_factory=list)
    analysed: int = 0
    skipped: int = 0
    pending: list[str] = field(default_factory=list)
    interrupted: bool = False
    wall_s: float = 0.0

    @property
    def ok(self) -> int:
        return sum(r.ok for r in self.rows)

    @property
    def failed(self) -> list[tuple[str, str]]:
        """(path, error) of every recording that failed."""
        return [(str(r.video["path"]), str(r.video["error"])) for r in self.rows if not r.ok]

    @property
    def guessed_rate(self) -> tuple[int, float | None]:
        """How many recordings were keypoint files timed at a guessed frame rate (no --fps
        given), and that rate (None when there were none)."""
        rates = [r.video.get("assumed_fps") for r in self.rows if r.ok]
        rates = [float(x) for x in rates if x]
        return len(rates), (rates[0] if rates else None)


def _resolve(name: str, cache: dict[str, Exercise | FormcoachError | None]):
    if name not in cache:
        try:
            cache[name] = None if name.strip().lower() == "auto" else get_exercise(name)
        except FormcoachError as e:
            cache[name] = e
    return cache[name]


def _frames(path: str) -> int:
    """A video's frame count from its header (0 for anything else): the cost to sort by."""
    return 0 if Path(path).suffix.lower() in KEYPOINT_SUFFIXES else header_frame_count(path)


def _jobs(recordings: list[Recording], settings: BatchSettings):
    """(recording, job or error rows) for every recording, hashing each file."""
    exercises: dict[str, Exercise | FormcoachError | None] = {}
    out: list[tuple[Recording, Job | RecordingRows]] = []
    with progress_bar(len(recordings), "hashing recordings") as advance:
        for rec in recordings:
            exercise = _resolve(rec.exercise, exercises)
            name = exercise.name if isinstance(exercise, Exercise) else rec.exercise
            head = {"path": str(rec.path), "person": rec.person, "exercise": name}
            try:
                if isinstance(exercise, FormcoachError):
                    raise exercise
                digest = file_digest(rec.path) if rec.path.is_file() else ""
                if not digest:
                    raise FormcoachError(f"no such file: {str(rec.path)!r}", "check the path")
                job = Job(str(rec.path), digest, rec.exercise, exercise, rec.person, settings)
                out.append((rec, job))
            except FormcoachError as e:
                out.append((rec, error_row(head, str(e), 0.0)))
            advance(1)
    return out


class _Scheduler:
    """Keeps ``engine`` busy with the calls that finish a set of jobs."""

    def __init__(self, engine: Engine, on_done: Callable[[str, RecordingRows], None]) -> None:
        self.engine = engine
        self.on_done = on_done
        self.queue: deque[tuple[Callable[[Any], Any], Any, Job, int]] = deque()
        self.flight: dict[Any, tuple[Callable[[Any], Any], Any, Job, int]] = {}
        self.parts: dict[str, tuple[ChunkPlan, dict[int, PoseChunk]]] = {}

    def run(self, jobs: Iterable[Job]) -> None:
        self.queue.extend((run_job, job, job, 1) for job in jobs)
        limit = 2 * max(1, self.engine.workers)
        while self.queue or self.flight:
            while self.queue and len(self.flight) < limit:
                call = self.queue.popleft()
                self.flight[self.engine.submit(call[0], call[1])] = call
            for ticket in self.engine.wait(list(self.flight)):
                self._take(ticket)

    def unfinished(self) -> list[Job]:
        jobs = {c[2].key: c[2] for c in [*self.queue, *self.flight.values()]}
        return list(jobs.values())

    def _take(self, ticket: Any) -> None:
        fn, arg, job, attempt = self.flight.pop(ticket)
        try:
            value = self.engine.result(ticket)
        except WorkerLost as e:
            if attempt < ATTEMPTS:
                self.queue.appendleft((fn, arg, job, attempt + 1))
                return
            msg = f"the worker analysing it died {ATTEMPTS} times ({e})"
            if isinstance(arg, ChunkTask):
                value = PoseChunk(arg.chunk.index, None, msg, 0.0)
            else:
                value = job.failed(msg, 0.0)
        if isinstance(value, ChunkPlan):
            self.parts[job.key] = (value, {})
            tasks = [(run_chunk, ChunkTask(job, c), job, 1) for c in value.chunks]
            self.queue.extendleft(reversed(tasks))
        elif isinstance(value, PoseChunk):
            self._add_part(job, value)
        else:
            self.on_done(job.key, value)

    def _add_part(self, job: Job, part: PoseChunk) -> None:
        plan, got = self.parts[job.key]
        got[part.index] = part
        if len(got) == len(plan.chunks):
            del self.parts[job.key]
            stitch = StitchTask(job, tuple(got.values()))
            self.queue.appendleft((finish_chunked, stitch, job, 1))


def _as_input(rows: RecordingRows, rec: Recording) -> RecordingRows:
    """Rows stored under a content hash, labelled with this input's path and person."""
    video = rows.video | {"path": str(rec.path), "person": rec.person}
    return RecordingRows(video, [r | {"video": str(rec.path)} for r in rows.reps])


def run_batch(
    recordings: list[Recording],
    engine: Engine,
    store: ResultStore,
    settings: BatchSettings = BatchSettings(),
    csv: bool = False,
) -> BatchOutcome:
    """Analyse every recording on ``engine``, writing results to ``store`` as they finish.

    A recording whose content and settings already have an ``ok`` result in ``store`` is not
    analysed again; the same content listed twice is analysed once. Ctrl-C stops the batch:
    what finished is kept and the tables are written; the rest is done by the next run.
    """
    t0 = time.perf_counter()
    out = BatchOutcome()
    prepared = _jobs(recordings, settings)
    results: dict[str, RecordingRows] = {}
    todo: dict[str, Job] = {}
    for _, job in prepared:
        if isinstance(job, Job) and job.key not in results and job.key not in todo:
            stored = store.load(job.key)
            if stored is not None and stored.ok:
                results[job.key] = stored
                out.skipped += 1
            else:
                todo[job.key] = job
    scheduler = None
    with progress_bar(len(todo), f"analysing on {engine.name} x{engine.workers}") as advance:

        def done(key: str, rows: RecordingRows) -> None:
            store.write(key, rows)
            results[key] = rows
            out.analysed += 1
            advance(1)

        scheduler = _Scheduler(engine, done)
        try:
            scheduler.run(sorted(todo.values(), key=lambda j: -_frames(j.path)))
        except KeyboardInterrupt:
            out.interrupted = True
            out.pending = [j.path for j in scheduler.unfinished()]
    for rec, job in prepared:
        rows = job if isinstance(job, RecordingRows) else results.get(job.key)
        if rows is not None:
            out.rows.append(_as_input(rows, rec))
    store.write_tables(out.rows, csv=csv)
    out.wall_s = time.perf_counter() - t0
    return out
