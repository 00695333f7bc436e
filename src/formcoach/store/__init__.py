"""formcoach's memory: one SQLite file with profiles, faces, exercises, workouts and history.

Open it with :class:`Store` (``Store()`` uses :func:`default_db_path`; ``Store(":memory:")``
in tests). Schema changes are numbered migrations (:mod:`formcoach.store.migrations`); every
write goes through one :class:`Writer` and is committed before the call returns.
"""

from formcoach.store.connection import DatabaseCorrupt, DatabaseLocked, default_db_path
from formcoach.store.migrations import MIGRATIONS, Migration, latest_version
from formcoach.store.records import (
    WEEKDAYS,
    ForgetReport,
    Profile,
    RepRecord,
    SessionInfo,
    TaughtExercise,
    WorkoutItem,
)
from formcoach.store.sessions import SessionRecorder
from formcoach.store.store import Store
from formcoach.store.workouts import DEFAULT_PLAN, parse_item, parse_weekday, weekday_name
from formcoach.store.writer import Writer

__all__ = [
    "DEFAULT_PLAN",
    "MIGRATIONS",
    "WEEKDAYS",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "ForgetReport",
    "Migration",
    "Profile",
    "RepRecord",
    "SessionInfo",
    "SessionRecorder",
    "Store",
    "TaughtExercise",
    "WorkoutItem",
    "Writer",
    "default_db_path",
    "latest_version",
    "parse_item",
    "parse_weekday",
    "weekday_name",
]
