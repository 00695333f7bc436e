"""Recording sessions: sets and reps committed one by one, crashed sessions found later."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from formcoach.core.errors import FormcoachError
from formcoach.store.liveness import hostname, process_alive
from formcoach.store.records import RepRecord, SessionInfo, SessionStatus, now_iso

if TYPE_CHECKING:
    from formcoach.store.writer import Writer

__all__ = ["SessionRecorder", "SessionsMixin"]

_END_STATUSES = ("finished", "interrupted")


class SessionsMixin:
    """The session half of :class:`~formcoach.store.Store`."""

    writer: Writer

    def _rows(self, sql: str, params: Sequence | Mapping = ()) -> list[sqlite3.Row]: ...
    def _one(self, sql: str, params: Sequence | Mapping = ()) -> sqlite3.Row | None: ...
    def profile(self, name: str) -> Any: ...

    def start_session(
        self, name: str, source: str | None = None, source_digest: str | None = None
    ) -> int:
        """Open a ``running`` session for a profile (after marking crashed ones); its id.

        ``source`` names the camera or recording; ``source_digest`` is a recording's content
        SHA-256 (so forgetting the person deletes its cached poses).
        """
        p = self.profile(name)
        self.recover_interrupted()
        with self.writer.transaction() as db:
            cur = db.execute(
                "INSERT INTO sessions (profile_id, started_at, status, pid, host, source, "
                "source_digest) VALUES (?, ?, 'running', ?, ?, ?, ?)",
                (p.id, now_iso(), os.getpid(), hostname(), source, source_digest),
            )
            return int(cur.lastrowid)

    def _session_row(self, session_id: int) -> sqlite3.Row:
        row = self._one("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if row is None:
            raise FormcoachError(f"no session {session_id} in the database", "check the id")
        return row

    def _check_running(self, session_id: int) -> None:
        status = self._session_row(session_id)["status"]
        if status != "running":
            raise FormcoachError(
                f"session {session_id} is {status}, not running", "start a new session"
            )

    def start_set(
        self,
        session_id: int,
        exercise: str,
        target_reps: int | None = None,
        target_hold_s: float | None = None,
    ) -> int:
        """Open the next set of a running session; its id."""
        self._check_running(session_id)
        with self.writer.transaction() as db:
            (pos,) = db.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM sets WHERE session_id = ?",
                (session_id,),
            ).fetchone()
            cur = db.execute(
                "INSERT INTO sets (session_id, position, exercise, target_reps, target_hold_s, "
                "started_at) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, pos, exercise, target_reps, target_hold_s, now_iso()),
            )
            return int(cur.lastrowid)

    def add_rep(self, set_id: int, rep: RepRecord) -> int:
        """Store one finished rep; it is on disk when this returns. Its id."""
        with self.writer.transaction() as db:
            cur = db.execute(
                "INSERT INTO reps (set_id, number, start_s, end_s, start_frame, end_frame, "
                "score, passed, worst_part, cue, part_distances, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    set_id,
                    rep.number,
                    rep.start_s,
                    rep.end_s,
                    rep.start_frame,
                    rep.end_frame,
                    rep.score,
                    None if rep.passed is None else int(bool(rep.passed)),
                    rep.worst_part,
                    rep.cue,
                    json.dumps(rep.part_distances),
                    now_iso(),
                ),
            )
            return int(cur.lastrowid)

    def end_set(self, set_id: int, hold_s: float | None = None) -> None:
        """Close a set (``hold_s``: seconds held, for a static exercise)."""
        with self.writer.transaction() as db:
            db.execute(
                "UPDATE sets SET ended_at = ?, hold_s = coalesce(?, hold_s) WHERE id = ?",
                (now_iso(), hold_s, set_id),
            )

    def end_session(
        self, session_id: int, status: SessionStatus = "finished", report: str | None = None
    ) -> None:
        """Close a session as ``finished`` (or ``interrupted``), with its report's path."""
        if status not in _END_STATUSES:
            raise ValueError(f"a session ends as one of {_END_STATUSES}, got {status!r}")
        self._session_row(session_id)
        with self.writer.transaction() as db:
            db.execute(
                "UPDATE sets SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL",
                (now_iso(), session_id),
            )
            db.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, report = coalesce(?, report) "
                "WHERE id = ?",
                (status, now_iso(), report, session_id),
            )

    def recover_interrupted(self) -> list[int]:
        """Mark ``running`` sessions whose process is gone as ``interrupted``; their ids.

        Their end time is that of their last stored rep (or set, or their start).
        """
        here = hostname()
        dead = [
            r["id"]
            for r in self._rows(
                "SELECT id, pid, host, started_at FROM sessions WHERE status = 'running'"
            )
            if r["host"] != here or not process_alive(r["pid"], r["started_at"])
        ]
        if not dead:
            return []
        with self.writer.transaction() as db:
            for sid in dead:
                db.execute(
                    """UPDATE sessions SET status = 'interrupted', ended_at = coalesce(
                         (SELECT max(r.recorded_at) FROM reps r JOIN sets s ON s.id = r.set_id
                           WHERE s.session_id = :id),
                         (SELECT max(started_at) FROM sets WHERE session_id = :id),
                         started_at)
                       WHERE id = :id AND status = 'running'""",
                    {"id": sid},
                )
        return dead

    def sessions(self, name: str | None = None) -> list[SessionInfo]:
        """Sessions (of one profile, or all), oldest first, with their set and rep counts."""
        where, params = "", ()
        if name is not None:
            where, params = "WHERE s.profile_id = ?", (self.profile(name).id,)
        rows = self._rows(
            f"""SELECT s.*, p.name AS profile,
                  (SELECT count(*) FROM sets WHERE session_id = s.id) AS n_sets,
                  (SELECT count(*) FROM reps r JOIN sets t ON t.id = r.set_id
                    WHERE t.session_id = s.id) AS n_reps
                FROM sessions s JOIN profiles p ON p.id = s.profile_id {where}
                ORDER BY s.started_at, s.id""",
            params,
        )
        return [
            SessionInfo(
                r["id"],
                r["profile"],
                r["started_at"],
                r["ended_at"],
                r["status"],
                r["n_sets"],
                r["n_reps"],
                r["source"],
                r["report"],
            )
            for r in rows
        ]

    def reps_of(self, name: str) -> list[dict]:
        """Every stored rep of a profile with its set and session, oldest first (for history).

        Keys: session_id, session_start, status, set_id, set_position, exercise, target_reps,
        target_hold_s, hold_s, number, start_s, end_s, start_frame, end_frame, score, passed,
        worst_part, cue, part_distances (dict), recorded_at. Sets without reps appear once
        with ``number`` None.
        """
        rows = self._rows(
            """SELECT s.id AS session_id, s.started_at AS session_start, s.status,
                      t.id AS set_id, t.position AS set_position, t.exercise, t.target_reps,
                      t.target_hold_s, t.hold_s, r.number, r.start_s, r.end_s,
                      r.start_frame, r.end_frame, r.score, r.passed, r.worst_part, r.cue,
                      r.part_distances, r.recorded_at
               FROM sessions s JOIN sets t ON t.session_id = s.id
               LEFT JOIN reps r ON r.set_id = t.id
               WHERE s.profile_id = ?
               ORDER BY s.started_at, s.id, t.position, r.number""",
            (self.profile(name).id,),
        )
        out = []
        for r in rows:
            d = dict(r)
            d["passed"] = None if d["passed"] is None else bool(d["passed"])
            d["part_distances"] = json.loads(d["part_distances"]) if d["part_distances"] else {}
            out.append(d)
        return out

    @contextmanager
    def record_session(
        self, name: str, source: str | None = None, source_digest: str | None = None
    ) -> Iterator[SessionRecorder]:
        """``with store.record_session("ana") as rec:`` — finished on a normal exit,
        interrupted when an exception (Ctrl-C too) leaves the block."""
        rec = SessionRecorder(self, self.start_session(name, source, source_digest))
        try:
            yield rec
        except BaseException:
            self.end_session(rec.session_id, "interrupted")
            raise
        if rec.status == "running":
            self.end_session(rec.session_id, "finished", rec.report)


class SessionRecorder:
    """A running session: open sets, add reps, each committed at once."""

    def __init__(self, store: SessionsMixin, session_id: int) -> None:
        self.store = store
        self.session_id = session_id
        self.set_id: int | None = None
        self.report: str | None = None
        self.status: SessionStatus = "running"

    def start_set(
        self, exercise: str, target_reps: int | None = None, target_hold_s: float | None = None
    ) -> int:
        if self.set_id is not None:
            self.end_set()
        self.set_id = self.store.start_set(self.session_id, exercise, target_reps, target_hold_s)
        return self.set_id

    def add_rep(self, rep: RepRecord) -> int:
        if self.set_id is None:
            raise FormcoachError("a rep needs an open set", "call start_set first")
        return self.store.add_rep(self.set_id, rep)

    def end_set(self, hold_s: float | None = None) -> None:
        if self.set_id is not None:
            self.store.end_set(self.set_id, hold_s)
            self.set_id = None

    def finish(self, status: SessionStatus = "finished", report: str | None = None) -> None:
        self.end_set()
        self.store.end_session(self.session_id, status, report)
        self.status = status
