"""The database schema as numbered migrations, and the code that brings a file up to date.

Each migration runs once, in order, inside one transaction with its row in
``schema_migrations``; an old file is first copied to ``<name>.v<N>.bak`` beside itself.
Never edit a released migration: add a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.core.private import create_private_file
from formcoach.store.connection import retry_busy, translate_errors
from formcoach.store.records import now_iso

__all__ = ["MIGRATIONS", "Migration", "latest_version", "migrate", "schema_version"]


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its number, a name, and the SQL that performs it."""

    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "profiles, face encodings, taught exercises, workout plans",
        """
        CREATE TABLE profiles (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE face_encodings (
            id          INTEGER PRIMARY KEY,
            profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            encoding    BLOB NOT NULL CHECK (length(encoding) = 1024),  -- 128 float64
            source      TEXT,                                           -- photo or camera
            created_at  TEXT NOT NULL
        );
        CREATE TABLE exercises (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
            yaml        TEXT NOT NULL,
            taught_by   INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
            created_at  TEXT NOT NULL
        );
        CREATE TABLE workout_items (
            id          INTEGER PRIMARY KEY,
            profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
            position    INTEGER NOT NULL,
            exercise    TEXT NOT NULL,
            sets        INTEGER NOT NULL CHECK (sets > 0),
            reps        INTEGER CHECK (reps > 0),
            hold_s      REAL CHECK (hold_s > 0),
            rest_s      REAL NOT NULL CHECK (rest_s >= 0),
            CHECK ((reps IS NULL) <> (hold_s IS NULL)),
            UNIQUE (profile_id, weekday, position)
        );
        """,
    ),
    Migration(
        2,
        "sessions, sets and reps with their verdicts",
        """
        CREATE TABLE sessions (
            id          INTEGER PRIMARY KEY,
            profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            started_at  TEXT NOT NULL,
            ended_at    TEXT,
            status      TEXT NOT NULL DEFAULT 'running'
                        CHECK (status IN ('running', 'finished', 'interrupted')),
            pid         INTEGER,           -- the process recording it, to detect a crash
            host        TEXT,
            source      TEXT,              -- camera index or video file
            report      TEXT               -- path of the HTML report, once written
        );
        CREATE TABLE sets (
            id            INTEGER PRIMARY KEY,
            session_id    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            position      INTEGER NOT NULL,
            exercise      TEXT NOT NULL,
            target_reps   INTEGER,
            target_hold_s REAL,
            hold_s        REAL,            -- seconds actually held (static exercises)
            started_at    TEXT NOT NULL,
            ended_at      TEXT,
            UNIQUE (session_id, position)
        );
        CREATE TABLE reps (
            id             INTEGER PRIMARY KEY,
            set_id         INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
            number         INTEGER NOT NULL CHECK (number > 0),
            start_s        REAL,           -- seconds in the source
            end_s          REAL,
            start_frame    INTEGER,
            end_frame      INTEGER,
            score          REAL,           -- 0-100 form score
            passed         INTEGER CHECK (passed IN (0, 1)),
            worst_part     TEXT,           -- body part that most needs fixing
            cue            TEXT,           -- what the trainer said
            part_distances TEXT,           -- JSON {body part: DTW distance}
            recorded_at    TEXT NOT NULL,
            UNIQUE (set_id, number)
        );
        """,
    ),
    Migration(
        3,
        "indexes for identification and history",
        """
        CREATE INDEX face_encodings_profile ON face_encodings(profile_id);
        CREATE INDEX sessions_profile ON sessions(profile_id, started_at);
        CREATE INDEX sessions_running ON sessions(status) WHERE status = 'running';
        CREATE INDEX sets_session ON sets(session_id);
        CREATE INDEX reps_set ON reps(set_id);
        """,
    ),
    Migration(
        4,
        "a taught exercise's definition lives in the library only; the row records who taught it",
        """
        CREATE TABLE exercises_v4 (
            id          INTEGER PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- the library's <name>.yaml
            taught_by   INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
            created_at  TEXT NOT NULL
        );
        INSERT INTO exercises_v4 (id, name, taught_by, created_at)
            SELECT id, name, taught_by, created_at FROM exercises;
        DROP TABLE exercises;
        ALTER TABLE exercises_v4 RENAME TO exercises;
        """,
    ),
    Migration(
        5,
        "what a person leaves outside the database: recordings by content, speech and reports",
        """
        ALTER TABLE sessions ADD COLUMN source_digest TEXT;   -- SHA-256 of a recording's content
        ALTER TABLE exercises ADD COLUMN source_digest TEXT;  -- the recording it was taught from
        ALTER TABLE exercises ADD COLUMN source TEXT;
        CREATE TABLE session_files (
            id          INTEGER PRIMARY KEY,
            session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            kind        TEXT NOT NULL CHECK (kind IN ('speech', 'report')),
            path        TEXT NOT NULL,
            UNIQUE (session_id, path)
        );
        CREATE INDEX session_files_session ON session_files(session_id);
        """,
    ),
)


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    return max((m.version for m in migrations), default=0)


def schema_version(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version (0: an empty file).

    Raises:
        DatabaseCorrupt-like FormcoachError: the file holds tables but is not formcoach's.
    """
    with translate_errors(path):
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "schema_migrations" not in tables:
            if tables:
                raise FormcoachError(
                    f"{str(path)!r} is an SQLite database, but not formcoach's "
                    f"(it has tables {sorted(tables)[:5]})",
                    "it was left untouched: pass --db with another file name",
                )
            return 0
        row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    migrations: Sequence[Migration] = MIGRATIONS,
    backup: bool = True,
    on_backup: Callable[[Path], None] | None = None,
) -> tuple[int, int]:
    """Bring the schema up to the newest migration; return (version before, version after).
    ``on_backup`` is told the copy of the file as it was, when one is made.

    Raises:
        FormcoachError: the file is newer than this formcoach, is not formcoach's, or a
            migration failed (the file then stays at its last complete version).
    """
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)) or (versions and versions[0] != 1):
        raise ValueError(f"migrations must be numbered 1, 2, ... in order, got {versions}")
    before = schema_version(conn, path)
    target = latest_version(migrations)
    if before > target:
        raise FormcoachError(
            f"the database {str(path)!r} has schema version {before}, newer than this "
            f"formcoach understands ({target})",
            "upgrade formcoach, or pass --db to use another file",
        )
    if before == target:
        return before, before
    if backup and before > 0 and str(path) != ":memory:":
        copy = _backup(conn, path, before)
        if on_backup is not None:
            on_backup(copy)
    with translate_errors(path):
        for m in migrations:
            if m.version > before:
                _apply(conn, m)
    return before, target


def _apply(conn: sqlite3.Connection, m: Migration) -> None:
    """Run one migration in its own write transaction, unless another process sharing the
    file applied it meanwhile (the version is read again under the write lock)."""
    retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        (done,) = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        if done is None or done < m.version:
            # executescript would commit first: run the statements one by one instead.
            for statement in _statements(m.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, now_iso()),
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _statements(sql: str) -> list[str]:
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {buf.strip()[:60]!r}")
    return out


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    dest = path.with_name(f"{path.name}.v{version}.bak")
    n = 1
    while dest.exists():  # never overwrite an earlier backup
        n += 1
        dest = path.with_name(f"{path.name}.v{version}.{n}.bak")
    create_private_file(dest)  # the copy holds faces too: owner-only, like the database
    with translate_errors(dest):
        target = sqlite3.connect(str(dest))
        try:
            conn.backup(target)
        finally:
            target.close()
    return dest
