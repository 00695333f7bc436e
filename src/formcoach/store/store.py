"""The :class:`Store`: formcoach's SQLite database behind plain methods."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.store.connection import (
    connect,
    default_db_path,
    enable_wal,
    retry_busy,
    translate_errors,
)
from formcoach.store.footprint import FootprintMixin
from formcoach.store.migrations import MIGRATIONS, Migration, migrate, schema_version
from formcoach.store.records import Profile, TaughtExercise, WorkoutItem, now_iso
from formcoach.store.resume import ResumeMixin
from formcoach.store.sessions import SessionsMixin
from formcoach.store.workouts import (
    DEFAULT_PLAN,
    ExerciseValidator,
    check_exercise_names,
    parse_weekday,
)
from formcoach.store.writer import Writer

__all__ = ["Store"]

_MAX_NAME = 64


def _clean_name(name: str) -> str:
    n = " ".join(str(name).split())
    if not n or len(n) > _MAX_NAME or any(not ch.isprintable() for ch in n):
        raise FormcoachError(
            f"{name!r} cannot be a profile name",
            f"use 1-{_MAX_NAME} printable characters, e.g. 'alice'",
        )
    return n


class Store(SessionsMixin, FootprintMixin, ResumeMixin):
    """formcoach's database: profiles, faces, taught exercises, workouts, sessions, reps.

    One SQLite file (WAL, numbered migrations applied on open). Every write goes through
    one :class:`~formcoach.store.writer.Writer` and is committed before the method returns.
    Opening it marks sessions whose process died as ``interrupted``.

    Args:
        path: the database file (default :func:`default_db_path`), or ``":memory:"``.
        timeout: seconds to wait for another program's lock.
        validate_exercise: the exercise library's name check (raises FormcoachError or
            returns False for an unknown name), used when a workout is set or loaded.
        migrations: the schema (tests pass partial lists to build old files).

    Raises:
        FormcoachError: the file is locked, damaged, not formcoach's, or from a newer
            formcoach. The file is never modified in those cases.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        timeout: float = 5.0,
        validate_exercise: ExerciseValidator | None = None,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.validate_exercise = validate_exercise
        self.backup: Path | None = None  # the file as it was before an upgrade
        self._conn = connect(self.path, timeout)
        try:
            schema_version(self._conn, self.path)  # refuses a foreign file before any write
            enable_wal(self._conn, self.path, timeout)
            self.migrated_from, self.migrated_to = migrate(
                self._conn, self.path, migrations, on_backup=self._keep_backup
            )
            self.writer = Writer(self._conn, self.path, timeout)
            self.recovered: list[int] = (
                self.recover_interrupted() if self._has_table("sessions") else []
            )
        except BaseException:
            self._conn.close()
            raise

    # -- plumbing -------------------------------------------------------------------------
    def _keep_backup(self, copy: Path) -> None:
        self.backup = copy

    def upgrade_note(self) -> str | None:
        """One line saying the file was upgraded on opening and where its old copy is
        (``None``: no upgrade)."""
        if self.backup is None:
            return None
        return (
            f"formcoach: the database {str(self.path)!r} was from an older formcoach (schema "
            f"{self.migrated_from}); it is upgraded to schema {self.migrated_to}, and the file "
            f"as it was is kept in {str(self.backup)!r}"
        )

    def require_writable(self) -> None:
        """Raise before any work when the file (or its folder, which holds SQLite's WAL
        files) cannot be written: a session would greet, ask, then fail at its first set.

        Raises:
            FormcoachError: read-only, with what to do.
        """
        if str(self.path) == ":memory:":
            return
        for p in (self.path, self.path.resolve().parent):
            if not os.access(p, os.W_OK):
                raise FormcoachError(
                    f"the database {str(self.path)!r} is read-only ({str(p)!r} cannot be "
                    "written), and a session stores every rep",
                    "make it writable (chmod u+w), or pass --db with another file",
                )

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return schema_version(self._conn, self.path)

    def _rows(self, sql: str, params: Sequence | Mapping = ()) -> list[sqlite3.Row]:
        def read() -> list[sqlite3.Row]:
            cur = self._conn.execute(sql, params)
            cur.row_factory = sqlite3.Row
            return cur.fetchall()

        with self.writer._lock, translate_errors(self.path):
            return retry_busy(read, self.writer.patience_s)

    def _one(self, sql: str, params: Sequence | Mapping = ()) -> sqlite3.Row | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _has_table(self, name: str) -> bool:
        return bool(
            self._rows("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
        )

    # -- profiles -------------------------------------------------------------------------
    def add_profile(
        self, name: str, plan: Mapping[int, Iterable[WorkoutItem]] | None = DEFAULT_PLAN
    ) -> Profile:
        """Create a profile with a workout plan (default: :data:`DEFAULT_PLAN`).

        Raises:
            FormcoachError: the name is taken or unusable.
        """
        clean = _clean_name(name)
        if self.find_profile(clean) is not None:
            raise FormcoachError(
                f"a profile named {clean!r} already exists",
                "pick another name, or add photos to it with 'formcoach profile add'",
            )
        with self.writer.transaction() as db:
            cur = db.execute(
                "INSERT INTO profiles (name, created_at) VALUES (?, ?)", (clean, now_iso())
            )
            pid = int(cur.lastrowid)
            for day, items in (plan or {}).items():
                self._write_day(db, pid, parse_weekday(day), list(items))
        return self.profile(clean)

    def find_profile(self, name: str) -> Profile | None:
        row = self._one("SELECT * FROM profiles WHERE name = ?", (" ".join(str(name).split()),))
        return Profile(row["id"], row["name"], row["created_at"]) if row else None

    def profile(self, name: str) -> Profile:
        """The profile called ``name`` (case-insensitive).

        Raises:
            FormcoachError: no such profile (the message lists the known ones).
        """
        p = self.find_profile(name)
        if p is None:
            known = [q.name for q in self.profiles()]
            raise FormcoachError(
                f"no profile named {name!r}"
                + (f" (known: {', '.join(known)})" if known else " (no profiles yet)"),
                "create it with 'formcoach profile add NAME --photo PHOTO'",
            )
        return p

    def profiles(self) -> list[Profile]:
        rows = self._rows("SELECT * FROM profiles ORDER BY name")
        return [Profile(r["id"], r["name"], r["created_at"]) for r in rows]

    # -- faces ----------------------------------------------------------------------------
    def add_face(self, name: str, encoding: np.ndarray, source: str | None = None) -> int:
        """Store one (128,) face encoding for a profile; returns its id."""
        enc = np.asarray(encoding, dtype="<f8").reshape(-1)
        if enc.shape != (128,) or not np.isfinite(enc).all():
            raise ValueError(f"a face encoding is 128 finite numbers, got shape {enc.shape}")
        p = self.profile(name)
        with self.writer.transaction() as db:
            cur = db.execute(
                "INSERT INTO face_encodings (profile_id, encoding, source, created_at) "
                "VALUES (?, ?, ?, ?)",
                (p.id, enc.tobytes(), source, now_iso()),
            )
            return int(cur.lastrowid)

    def face_encodings(self, name: str | None = None) -> list[tuple[str, np.ndarray]]:
        """(profile name, (128,) encoding) for every enrolled face (or one profile's)."""
        sql = (
            "SELECT p.name, f.encoding FROM face_encodings f JOIN profiles p ON p.id = f.profile_id"
        )
        params: tuple = ()
        if name is not None:
            sql += " WHERE p.id = ?"
            params = (self.profile(name).id,)
        rows = self._rows(sql + " ORDER BY f.id", params)
        return [(r[0], np.frombuffer(r[1], dtype="<f8").copy()) for r in rows]

    # -- exercises taught by the user --------------------------------------------------------
    def save_exercise(
        self,
        name: str,
        taught_by: str | None = None,
        replace: bool = False,
        source: str | None = None,
        source_digest: str | None = None,
    ) -> None:
        """Record that an exercise was taught by demonstration, by whom, and from what.

        The definition itself is the library's YAML file of that name
        (:func:`formcoach.form.exercises.save_user_exercise`); the database only refers to it.
        ``source`` and ``source_digest`` (content SHA-256) name the recording it was taught
        from, so forgetting the teacher deletes that recording's cached poses too.

        Raises:
            FormcoachError: the name exists and ``replace`` is False.
        """
        if not name:
            raise FormcoachError("an exercise needs a name")
        teacher = self.profile(taught_by).id if taught_by else None
        with self.writer.transaction() as db:
            exists = db.execute("SELECT 1 FROM exercises WHERE name = ?", (name,)).fetchone()
            if exists and not replace:
                raise FormcoachError(
                    f"an exercise named {name!r} was already taught",
                    "pick another name, or replace it explicitly",
                )
            db.execute("DELETE FROM exercises WHERE name = ?", (name,))
            db.execute(
                "INSERT INTO exercises (name, taught_by, created_at, source, source_digest) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, teacher, now_iso(), source, source_digest),
            )

    def taught_exercises(self) -> list[TaughtExercise]:
        """Every exercise recorded as taught, by name, with who taught it."""
        rows = self._rows(
            "SELECT e.name, p.name AS teacher, e.created_at FROM exercises e "
            "LEFT JOIN profiles p ON p.id = e.taught_by ORDER BY e.name"
        )
        return [TaughtExercise(r["name"], r["teacher"], r["created_at"]) for r in rows]

    def delete_exercise(self, name: str) -> bool:
        """Forget that ``name`` was taught; True when it was recorded."""
        with self.writer.transaction() as db:
            return db.execute("DELETE FROM exercises WHERE name = ?", (name,)).rowcount > 0

    # -- workout plans ----------------------------------------------------------------------
    def check_exercises(self, names: Iterable[str]) -> None:
        """Raise a FormcoachError naming every exercise neither taught nor known to the
        library (through ``validate_exercise``)."""
        taught = [r[0] for r in self._rows("SELECT name FROM exercises")]
        check_exercise_names(names, self.validate_exercise, taught)

    def set_workout(self, name: str, day: int | str | date, items: Sequence[WorkoutItem]) -> None:
        """Replace a profile's plan for one weekday (``[]``: a rest day)."""
        p = self.profile(name)
        self.check_exercises(i.exercise for i in items)
        with self.writer.transaction() as db:
            self._write_day(db, p.id, parse_weekday(day), list(items))

    @staticmethod
    def _write_day(db: sqlite3.Connection, pid: int, day: int, items: list[WorkoutItem]) -> None:
        db.execute("DELETE FROM workout_items WHERE profile_id = ? AND weekday = ?", (pid, day))
        db.executemany(
            "INSERT INTO workout_items (profile_id, weekday, position, exercise, sets, reps, "
            "hold_s, rest_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (pid, day, k, i.exercise, i.sets, i.reps, i.hold_s, i.rest_s)
                for k, i in enumerate(items)
            ],
        )

    def workout(self, name: str, day: int | str | date | None = None) -> list[WorkoutItem]:
        """A profile's plan for a weekday (default today), in order; ``[]`` on a rest day."""
        p = self.profile(name)
        rows = self._rows(
            "SELECT * FROM workout_items WHERE profile_id = ? AND weekday = ? ORDER BY position",
            (p.id, parse_weekday(day)),
        )
        return [
            WorkoutItem(r["exercise"], r["sets"], r["reps"], r["hold_s"], r["rest_s"]) for r in rows
        ]

    def plan(self, name: str) -> dict[int, list[WorkoutItem]]:
        """The whole week: {weekday 0-6: items}."""
        return {d: self.workout(name, d) for d in range(7)}

    def todays_workout(self, name: str, today: date | None = None) -> list[WorkoutItem]:
        """Today's items, every exercise name checked (FormcoachError names unknown ones)."""
        items = self.workout(name, today or date.today())
        self.check_exercises(i.exercise for i in items)
        return items
