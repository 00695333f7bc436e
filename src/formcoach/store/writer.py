"""The one write path: every change to the database goes through :class:`Writer`."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from formcoach.store.connection import retry_busy, translate_errors

__all__ = ["Writer"]


class Writer:
    """Serialises writes and commits each one before returning.

    ``with writer.transaction() as db: db.execute(...)`` takes the write lock at once
    (``BEGIN IMMEDIATE``, so a busy database fails before any work, not halfway), commits
    on leaving, rolls back on any exception, and turns SQLite errors into
    :class:`~formcoach.core.errors.FormcoachError`. Nested use joins the outer transaction.
    Once a transaction has returned, its rows are on disk: a ``kill -9`` right after loses
    nothing.

    Another process writing the same file only delays a write: SQLite's busy timeout, then
    retries for ``patience_s`` (:func:`~formcoach.store.connection.retry_busy`), before
    :class:`~formcoach.store.connection.DatabaseLocked` is raised.

    Args:
        conn: an autocommit connection (``isolation_level=None``).
        path: the database file, for messages.
        patience_s: how long to keep retrying a write another connection blocks.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, patience_s: float = 5.0) -> None:
        self._conn = conn
        self._path = path
        self.patience_s = patience_s
        self._lock = threading.RLock()
        self._depth = 0
        self.commits = 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, translate_errors(self._path):
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            retry_busy(lambda: self._conn.execute("BEGIN IMMEDIATE"), self.patience_s)
            self._depth = 1
            try:
                yield self._conn
                self._conn.execute("COMMIT")
                self.commits += 1
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        """Run one statement in its own transaction."""
        with self.transaction() as db:
            return db.execute(sql, params)
