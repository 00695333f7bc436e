"""Forgetting a person: their rows in the database and every file derived from them.

The files go first (speech WAVs and reports of their sessions, the cached poses of the
recordings they trained on or taught from, the exercises they taught), then the rows. If a
file cannot be deleted, nothing in the database has changed yet and running it again
finishes the job.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.form.exercises import user_exercise_file
from formcoach.pose.cache import remove_recordings
from formcoach.store.records import ForgetReport
from formcoach.store.store import Store

__all__ = ["forget_person"]


def _delete(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as e:
        raise FormcoachError(
            f"cannot delete {str(path)!r} ({e.strerror}); nothing was forgotten yet",
            "check the file's permissions, then run 'formcoach profile forget' again",
        ) from None
    return True


def forget_person(store: Store, name: str) -> ForgetReport:
    """Delete everything formcoach keeps of ``name``; the report lists what went.

    Deleted: face encodings, workout plan, sessions, sets and reps (zeroed in the file, then
    ``VACUUM``), the speech WAVs and HTML reports of their sessions, the cached poses of the
    recordings they trained on or taught from, and the exercises they taught (their YAML
    files and rows).

    Raises:
        FormcoachError: no such profile, or a file could not be deleted (the database is
            then unchanged).
    """
    fp = store.footprint(name)
    gone: list[Path] = []
    for f in fp.files:
        if _delete(Path(f)):
            gone.append(Path(f))
    for ex in fp.exercises:
        path = user_exercise_file(ex)
        if _delete(path):
            gone.append(path)
    gone += remove_recordings(fp.recordings, fp.sources)
    report = store.forget_profile(fp.name)
    return replace(report, files=tuple(str(p) for p in gone))
