"""What the database knows of one person's traces, and deleting their rows for good."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from formcoach.store.connection import translate_errors
from formcoach.store.records import Footprint, ForgetReport

if TYPE_CHECKING:
    from formcoach.store.writer import Writer

__all__ = ["FileKind", "FootprintMixin"]

#: The kinds of file a session leaves beside the database.
FileKind = str
_KINDS = ("speech", "report")

_COUNTS = """SELECT
    (SELECT count(*) FROM face_encodings WHERE profile_id = :p) AS encodings,
    (SELECT count(*) FROM workout_items WHERE profile_id = :p) AS items,
    (SELECT count(*) FROM sessions WHERE profile_id = :p) AS sessions,
    (SELECT count(*) FROM sets JOIN sessions s ON s.id = sets.session_id
      WHERE s.profile_id = :p) AS sets,
    (SELECT count(*) FROM reps JOIN sets ON sets.id = reps.set_id
      JOIN sessions s ON s.id = sets.session_id WHERE s.profile_id = :p) AS reps"""


def _plain(name: str) -> str:
    return name.strip().lower().replace("_", " ").replace("-", " ")


class FootprintMixin:
    """The forgetting half of :class:`~formcoach.store.Store`."""

    writer: Writer
    path: Path
    _conn: sqlite3.Connection

    def _rows(self, sql: str, params: Sequence | Mapping = ()) -> list[sqlite3.Row]: ...
    def _one(self, sql: str, params: Sequence | Mapping = ()) -> sqlite3.Row | None: ...
    def profile(self, name: str) -> Any: ...

    def add_session_files(self, session_id: int, kind: FileKind, paths: Iterable[str]) -> None:
        """Record files a session wrote (``speech`` WAVs, its ``report``), so forgetting the
        person deletes them too. A path recorded twice is kept once."""
        if kind not in _KINDS:
            raise ValueError(f"a session file is one of {_KINDS}, got {kind!r}")
        rows = [(session_id, kind, str(p)) for p in paths]
        if not rows:
            return
        with self.writer.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO session_files (session_id, kind, path) VALUES (?, ?, ?)",
                rows,
            )

    def session_files(self, session_id: int) -> list[tuple[str, str]]:
        """(kind, path) of every file recorded for a session, in the order recorded."""
        rows = self._rows(
            "SELECT kind, path FROM session_files WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return [(r["kind"], r["path"]) for r in rows]

    def footprint(self, name: str) -> Footprint:
        """Everything stored about ``name``, in and beside the database (nothing is changed).

        Raises:
            FormcoachError: no such profile.
        """
        p = self.profile(name)
        counts = self._one(_COUNTS, {"p": p.id})
        assert counts is not None
        files = self._rows(
            """SELECT f.path FROM session_files f JOIN sessions s ON s.id = f.session_id
               WHERE s.profile_id = ? UNION
               SELECT report FROM sessions WHERE profile_id = ? AND report IS NOT NULL""",
            (p.id, p.id),
        )
        recordings = self._rows(
            """SELECT source_digest AS d, source FROM sessions WHERE profile_id = :p UNION
               SELECT source_digest AS d, source FROM exercises WHERE taught_by = :p""",
            {"p": p.id},
        )
        taught = [
            r["name"]
            for r in self._rows(
                "SELECT name FROM exercises WHERE taught_by = ? ORDER BY name", (p.id,)
            )
        ]
        # plans name exercises as typed ("ana_curl", "Ana-Curl"): compare the way lookups do
        shared = self._rows(
            "SELECT DISTINCT q.name FROM workout_items w JOIN profiles q ON q.id = w.profile_id "
            "WHERE q.id != ? AND replace(replace(lower(trim(w.exercise)), '_', ' '), '-', ' ') "
            "IN (SELECT value FROM json_each(?)) ORDER BY q.name",
            (p.id, json.dumps([_plain(t) for t in taught])),
        )
        return Footprint(
            name=p.name,
            encodings=counts["encodings"],
            sessions=counts["sessions"],
            sets=counts["sets"],
            reps=counts["reps"],
            workout_items=counts["items"],
            files=tuple(sorted({r[0] for r in files})),
            recordings=tuple(sorted({r["d"] for r in recordings if r["d"]})),
            sources=tuple(sorted({r["source"] for r in recordings if r["source"]})),
            exercises=tuple(taught),
            shared_plans=tuple(r[0] for r in shared),
        )

    def forget_profile(self, name: str) -> ForgetReport:
        """Delete a profile's rows: face encodings, plan, sessions, sets, reps, the files
        recorded for their sessions, and the exercises they taught.

        Files outside the database are :func:`formcoach.store.forget.forget_person`'s job.
        Deleted pages are zeroed (``secure_delete``), the file is rebuilt (``VACUUM``) and
        the WAL truncated, so nothing of the person lingers in the database's files.
        """
        fp = self.footprint(name)
        p = self.profile(name)
        with self.writer.transaction() as db:
            db.execute("DELETE FROM exercises WHERE taught_by = ?", (p.id,))
            db.execute("DELETE FROM profiles WHERE id = ?", (p.id,))  # cascades to the rest
        self.compact()
        return ForgetReport(
            fp.name,
            fp.encodings,
            fp.sessions,
            fp.sets,
            fp.reps,
            fp.workout_items,
            exercises=fp.exercises,
            shared_plans=fp.shared_plans,
        )

    def compact(self) -> None:
        """Rebuild the file without free pages (``VACUUM``) and empty the WAL into it."""
        with self.writer._lock, translate_errors(self.path):
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
