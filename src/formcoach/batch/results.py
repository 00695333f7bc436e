"""A batch's results on disk: one Parquet part per recording as it finishes, then the tables.

``OUTDIR/parts/`` holds ``<key>.videos.parquet`` (and ``<key>.reps.parquet`` when it has reps)
for every finished recording, where the key is its content hash and settings fingerprint. Each
file is written to a temporary name and renamed, reps first, so a part that exists is whole:
Ctrl-C or ``kill -9`` loses only the recordings in flight, and a rerun skips every recording
whose key already has an ``ok`` part. ``videos.parquet`` and ``reps.parquet`` (and, asked for,
the same as CSV) are then gathered from the parts of the recordings of this batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from formcoach.batch.rows import DISTANCE_PREFIX, VIDEO_COLUMNS, RecordingRows
from formcoach.core.errors import FormcoachError
from formcoach.core.private import private_dir, write_private

try:  # pyarrow is part of the batch extra; without it the command says what to install
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - depends on the install
    pa = None

__all__ = ["REP_COLUMNS", "ResultStore", "require_pyarrow"]

_VIDEO_TYPES = {
    "frames": "int64",
    "frames_with_pose": "int64",
    "duration_s": "float64",
    "reps": "int64",
    "judged": "int64",
    "passed": "int64",
    "mean_score": "float64",
    "held_s": "float64",
    "chunks": "int64",
    "seconds": "float64",
    "assumed_fps": "float64",
}
#: The fixed columns of ``reps.parquet``; ``dist_<part>`` columns follow, one per body part.
REP_COLUMNS = (
    "video",
    "content_hash",
    "index",
    "start_s",
    "end_s",
    "start_frame",
    "end_frame",
    "score",
    "passed",
    "worst",
    "cue",
)
_REP_TYPES = {
    "index": "int64",
    "start_s": "float64",
    "end_s": "float64",
    "start_frame": "int64",
    "end_frame": "int64",
    "score": "int64",
    "passed": "bool",
}


def require_pyarrow() -> None:
    """Raise a :class:`FormcoachError` naming the install command when pyarrow is missing."""
    if pa is None:
        raise FormcoachError(
            "batch results are Parquet files, and pyarrow is not installed",
            "install the optional extra: pip install 'formcoach[batch]'",
        )


def _schema(columns: Iterable[str], types: dict[str, str]) -> pa.Schema:
    def kind(c: str) -> pa.DataType:
        if c.startswith(DISTANCE_PREFIX):
            return pa.float64()
        return pa.type_for_alias(types.get(c, "string"))

    return pa.schema([(c, kind(c)) for c in columns])


def _table(rows: list[dict[str, object]], fixed: Iterable[str], types: dict[str, str]):
    fixed = list(fixed)
    extra = sorted({k for r in rows for k in r} - set(fixed))
    columns = fixed + [c for c in extra if not c.startswith(DISTANCE_PREFIX)]
    columns += [c for c in extra if c.startswith(DISTANCE_PREFIX)]
    return pa.Table.from_pylist(rows, schema=_schema(columns, types))


def _write_atomic(table: pa.Table, path: Path, csv: bool = False) -> None:
    """Write a table whole or not at all, private to the user (0600)."""
    sink = pa.BufferOutputStream()
    if csv:
        pacsv.write_csv(table, sink)
    else:
        pq.write_table(table, sink)
    write_private(path, sink.getvalue().to_pybytes())


class ResultStore:
    """The results of batches written to ``outdir``.

    Raises:
        FormcoachError: the folder cannot be created, or pyarrow is missing.
    """

    def __init__(self, outdir: str | Path) -> None:
        require_pyarrow()
        self.outdir = Path(outdir)
        self.parts = self.outdir / "parts"
        private_dir(self.parts)

    def _video_part(self, key: str) -> Path:
        return self.parts / f"{key}.videos.parquet"

    def _reps_part(self, key: str) -> Path:
        return self.parts / f"{key}.reps.parquet"

    def write(self, key: str, rows: RecordingRows) -> None:
        """Store one finished recording (reps first: a videos part marks it whole)."""
        if rows.reps:
            reps = _table(rows.reps, REP_COLUMNS, _REP_TYPES)
            _write_atomic(reps, self._reps_part(key))
        else:
            self._reps_part(key).unlink(missing_ok=True)
        _write_atomic(_table([rows.video], VIDEO_COLUMNS, _VIDEO_TYPES), self._video_part(key))

    def load(self, key: str) -> RecordingRows | None:
        """A stored recording, or None when there is none (or its part is unreadable)."""
        part = self._video_part(key)
        if not part.exists():
            return None
        try:
            video = pq.read_table(part).to_pylist()[0]
            reps_part = self._reps_part(key)
            reps = pq.read_table(reps_part).to_pylist() if reps_part.exists() else []
        except (OSError, IndexError, pa.ArrowException):
            return None  # half-written by a crash of another tool: redo it
        return RecordingRows(video, reps)

    def write_tables(self, rows: list[RecordingRows], csv: bool = False) -> list[Path]:
        """Write ``videos.parquet`` and ``reps.parquet`` (and ``.csv``) from ``rows``."""
        videos = _table([r.video for r in rows], VIDEO_COLUMNS, _VIDEO_TYPES)
        reps = _table([x for r in rows for x in r.reps], REP_COLUMNS, _REP_TYPES)
        written = []
        for name, table in (("videos", videos), ("reps", reps)):
            for suffix in (".parquet", ".csv") if csv else (".parquet",):
                path = self.outdir / f"{name}{suffix}"
                _write_atomic(table, path, csv=suffix == ".csv")
                written.append(path)
        return written
