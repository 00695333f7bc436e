"""Opening the SQLite file safely, and turning SQLite's failures into user-facing errors.

A damaged or foreign file is refused before SQLite writes a byte to it; a locked one gives a
clear message after a short wait. Nothing here ever deletes, truncates or replaces the file.
"""

from __future__ import annotations

import glob
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from formcoach.core.errors import FormcoachError
from formcoach.core.paths import user_data_dir
from formcoach.core.private import create_private_file, tighten_file

__all__ = [
    "DB_FILENAME",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "connect",
    "default_db_path",
    "enable_wal",
    "is_busy",
    "make_private",
    "retry_busy",
    "translate_errors",
]

T = TypeVar("T")

DB_FILENAME = "formcoach.db"
_HEADER = b"SQLite format 3\x00"
# SQLite primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 13, 14, 26


class DatabaseLocked(FormcoachError):
    """Another connection holds a lock the operation needs."""


class DatabaseCorrupt(FormcoachError):
    """The file is not a (healthy) formcoach database."""


def default_db_path() -> Path:
    """``formcoach.db`` in :func:`formcoach.core.paths.user_data_dir`."""
    return user_data_dir() / DB_FILENAME


def _corrupt(path: Path, what: str) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"the database {str(path)!r} is damaged or not a formcoach database ({what})",
        "it was left untouched: move it aside (formcoach then starts a new one), restore a "
        "backup, or pass --db NEW.db; 'sqlite3 FILE .recover' may rescue its data",
    )


def _locked(path: Path) -> DatabaseLocked:
    return DatabaseLocked(
        f"the database {str(path)!r} is locked by another program",
        "close the other formcoach (or program) using it and try again, "
        "or pass --db to use another file",
    )


def as_formcoach_error(e: sqlite3.Error, path: Path) -> FormcoachError:
    """The user-facing error for an SQLite failure on ``path``."""
    code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(e).lower()
    if is_busy(e):
        return _locked(path)
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return _corrupt(path, str(e))
    if code == _FULL or "disk is full" in text:
        return FormcoachError(
            f"the disk holding {str(path)!r} is full", "free some space and try again"
        )
    if code in (_READONLY, _CANTOPEN) or "readonly" in text or "unable to open" in text:
        return FormcoachError(
            f"cannot open or write the database {str(path)!r} ({e})",
            "check that its folder exists and is writable, or pass --db with another path",
        )
    return FormcoachError(
        f"database error on {str(path)!r}: {e}",
        "try again; if it persists, report it with this message",
    )


def is_busy(e: sqlite3.Error) -> bool:
    """True for SQLite's "database is locked" / "busy": another connection holds a lock."""
    code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(e).lower()
    return code in (_BUSY, _LOCKED) or "locked" in text or "busy" in text


def retry_busy(run: Callable[[], T], patience_s: float = 30.0) -> T:
    """``run()``, again after a short pause (growing to 0.2 s) while SQLite says busy.

    SQLite's own busy timeout covers most waits; a few cases return "busy" at once (a WAL
    being recovered after a crash, a journal mode switch), and two processes sharing one
    database must not see them. After ``patience_s`` the last error is raised.
    """
    deadline = time.monotonic() + patience_s
    pause = 0.005
    while True:
        try:
            return run()
        except sqlite3.OperationalError as e:
            if not is_busy(e) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause * (0.5 + random.random()))  # jitter: two waiters do not collide again
        pause = min(pause * 2, 0.2)


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn any :class:`sqlite3.Error` raised inside into a :class:`FormcoachError`."""
    try:
        yield
    except sqlite3.Error as e:
        raise as_formcoach_error(e, path) from e


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(len(_HEADER))
    except OSError as e:
        raise FormcoachError(
            f"cannot read the database {str(path)!r} ({e.strerror})",
            "check its permissions, or pass --db with another path",
        ) from None
    if head and head != _HEADER:
        raise _corrupt(path, "it does not start with the SQLite header")


def connect(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """Open (creating if absent) an SQLite file with formcoach's settings.

    ``synchronous=FULL`` (a committed rep survives even a power cut), foreign keys on, and
    ``secure_delete`` (forgotten faces are overwritten, not just unlinked); the file is
    checked (header, ``quick_check``) before anything is written. The WAL journal (readers
    never block the writer; a killed process loses no committed transaction) is switched on
    by :func:`enable_wal` once the file is known to be formcoach's.

    Args:
        path: the database file (its folder is created when missing), or ``":memory:"``.
        timeout: seconds to wait for another connection's lock before giving up.

    Raises:
        DatabaseCorrupt: the file exists but is not a healthy SQLite database.
        DatabaseLocked: another program holds the file locked.
        FormcoachError: the file or its folder cannot be created or opened.
    """
    memory = str(path) == ":memory:"
    path = Path(path)
    if not memory and path.is_dir():
        raise FormcoachError(f"{str(path)!r} is a folder, not a database file", "pass --db FILE.db")
    if memory:
        pass
    elif path.exists():
        _check_header(path)
        make_private(path)
    else:
        create_private_file(path)  # 0600 before SQLite opens it; its -wal and -shm follow
    with translate_errors(path):
        conn = sqlite3.connect(
            str(path), timeout=timeout, isolation_level=None, check_same_thread=False
        )
    try:
        with translate_errors(path):
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA synchronous = FULL")
            check = conn.execute("PRAGMA quick_check(1)").fetchone()
            if check is None or check[0] != "ok":
                raise _corrupt(path, f"integrity check: {check[0] if check else 'no answer'}")
    except BaseException:
        conn.close()
        raise
    return conn


def make_private(path: Path) -> list[Path]:
    """Tighten the database file, its WAL and shared-memory files and its upgrade backups
    to mode 0600 (files of an older formcoach were 0644); those changed."""
    siblings = [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]
    siblings += sorted(path.parent.glob(f"{glob.escape(path.name)}.v*.bak"))
    return [p for p in (path, *siblings) if tighten_file(p)]


def enable_wal(conn: sqlite3.Connection, path: Path, patience_s: float = 30.0) -> None:
    """Switch the file to WAL (it stays so). Only on a file known to be formcoach's.

    Another process opening the same new file at the same moment only delays it.

    Raises:
        DatabaseLocked: another program holds a lock that prevents it.
    """
    memory = str(path) == ":memory:"

    def switch() -> None:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if not memory and (mode is None or str(mode[0]).lower() != "wal"):
            # another connection held the file: SQLite kept the old mode; wait and retry
            raise sqlite3.OperationalError("database is locked")

    with translate_errors(path):
        retry_busy(switch, patience_s)
