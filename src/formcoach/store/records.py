"""The rows the store hands out and takes in, as frozen dataclasses."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

__all__ = [
    "WEEKDAYS",
    "Footprint",
    "ForgetReport",
    "Profile",
    "RepRecord",
    "SessionInfo",
    "SessionStatus",
    "TaughtExercise",
    "WorkoutItem",
    "now_iso",
]

SessionStatus = Literal["running", "finished", "interrupted"]


def now_iso() -> str:
    """The current time as ISO 8601 in UTC, to the millisecond: how every time is stored."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Profile:
    """A person formcoach knows."""

    id: int
    name: str
    created_at: str


@dataclass(frozen=True)
class WorkoutItem:
    """One exercise of a day's plan: ``sets`` of ``reps`` (or of a ``hold_s`` second hold).

    Raises:
        ValueError: not exactly one of reps / hold_s, or a count out of range.
    """

    exercise: str
    sets: int
    reps: int | None = None
    hold_s: float | None = None
    rest_s: float = 60.0

    def __post_init__(self) -> None:
        if not self.exercise or not self.exercise.strip():
            raise ValueError("a workout item needs an exercise name")
        if not 1 <= self.sets <= 50:
            raise ValueError(f"{self.exercise}: sets must be 1-50, got {self.sets}")
        if (self.reps is None) == (self.hold_s is None):
            raise ValueError(
                f"{self.exercise}: give either reps or a hold in seconds, "
                f"got reps={self.reps}, hold_s={self.hold_s}"
            )
        if self.reps is not None and not 1 <= self.reps <= 1000:
            raise ValueError(f"{self.exercise}: reps must be 1-1000, got {self.reps}")
        if self.hold_s is not None and not 0 < self.hold_s <= 3600:
            raise ValueError(f"{self.exercise}: a hold must be 0-3600 s, got {self.hold_s}")
        if not 0 <= self.rest_s <= 3600:
            raise ValueError(f"{self.exercise}: rest must be 0-3600 s, got {self.rest_s}")

    @property
    def static(self) -> bool:
        """True for a hold (plank), counted in seconds, not reps."""
        return self.hold_s is not None

    def describe(self) -> str:
        """``"bicep_curl 3 x 10, rest 60 s"`` / ``"plank 2 x 30 s hold, rest 45 s"``."""
        amount = f"{self.reps}" if self.reps is not None else f"{self.hold_s:g} s hold"
        return f"{self.exercise} {self.sets} x {amount}, rest {self.rest_s:g} s"


@dataclass(frozen=True)
class RepRecord:
    """One finished repetition and its verdict, as stored.

    Attributes:
        number: 1-based within its set.
        start_s, end_s: seconds in the source (video or camera clock).
        start_frame, end_frame: frame range in the source.
        score: 0-100 form score (``None`` when the rep was not judged).
        passed: the verdict (``None`` when not judged).
        worst_part: the body part that most needs fixing (e.g. ``"left_arm"``).
        cue: the sentence the trainer said about it.
        part_distances: {body part: DTW distance}; non-finite values are stored as null.
    """

    number: int
    start_s: float | None = None
    end_s: float | None = None
    start_frame: int | None = None
    end_frame: int | None = None
    score: float | None = None
    passed: bool | None = None
    worst_part: str | None = None
    cue: str | None = None
    part_distances: dict[str, float | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValueError(f"a rep number starts at 1, got {self.number}")
        if self.start_s is not None and self.end_s is not None and self.end_s < self.start_s:
            raise ValueError(f"rep {self.number}: ends ({self.end_s}) before it starts")
        if (
            self.start_frame is not None
            and self.end_frame is not None
            and self.end_frame < self.start_frame
        ):
            raise ValueError(f"rep {self.number}: end frame before start frame")
        if self.score is not None and not (math.isfinite(self.score)):
            raise ValueError(f"rep {self.number}: score must be finite, got {self.score}")
        clean = {
            str(k): (float(v) if v is not None and math.isfinite(float(v)) else None)
            for k, v in dict(self.part_distances).items()
        }
        object.__setattr__(self, "part_distances", clean)


@dataclass(frozen=True)
class SessionInfo:
    """A session as stored, with its volume."""

    id: int
    profile: str
    started_at: str
    ended_at: str | None
    status: SessionStatus
    sets: int
    reps: int
    source: str | None = None
    report: str | None = None


@dataclass(frozen=True)
class TaughtExercise:
    """An exercise a user taught by demonstration: its name (the library's ``<name>.yaml``),
    who taught it and when."""

    name: str
    taught_by: str | None
    created_at: str


@dataclass(frozen=True)
class Footprint:
    """Everything formcoach keeps that was derived from one person.

    Attributes:
        name: the profile.
        encodings, sessions, sets, reps, workout_items: rows in the database.
        files: speech WAVs and HTML reports of their sessions.
        recordings: content SHA-256s of the recordings they trained on or taught from (their
            cached poses are theirs too).
        sources: those recordings' file names (for caches keyed by name).
        exercises: the exercises they taught (the library's YAML files).
        shared_plans: other profiles whose plans name one of those exercises.
    """

    name: str
    encodings: int = 0
    sessions: int = 0
    sets: int = 0
    reps: int = 0
    workout_items: int = 0
    files: tuple[str, ...] = ()
    recordings: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()
    shared_plans: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForgetReport:
    """What forgetting a profile deleted.

    Attributes:
        name: the profile.
        encodings, sessions, sets, reps, workout_items: database rows deleted.
        exercises: taught exercises deleted (database rows and YAML files).
        files: speech WAVs, reports, taught-exercise files and cached poses deleted.
        shared_plans: other profiles whose plans named a deleted exercise.
    """

    name: str
    encodings: int
    sessions: int
    sets: int
    reps: int
    workout_items: int
    exercises: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    shared_plans: tuple[str, ...] = ()
