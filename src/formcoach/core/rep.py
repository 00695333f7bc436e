"""A repetition found in a pose stream, and the hook through which an exercise guides counting.

The counter (``formcoach.counting``) emits :class:`Rep` objects; the judge
(``formcoach.form.judge``) scores them; the session stores them. An exercise definition tells the
counter what drives a repetition through the small :class:`ExerciseHint` protocol, so counting
does not depend on how exercises are defined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["ExerciseHint", "Rep"]


@dataclass(frozen=True)
class Rep:
    """One repetition.

    Its frames are the closed interval ``start_frame..end_frame`` (:attr:`frames`). The reps of
    one stream follow each other and share at most one frame: a rep's ``start_frame`` is at or
    after the previous rep's ``end_frame`` (the frame it arrived back at is where the next may
    leave), and its farthest frame is after it.

    Attributes:
        start_frame: index of its first frame in the source.
        end_frame: index of its last frame (inclusive).
        start_s: timestamp of the first frame, seconds.
        end_s: timestamp of the last frame, seconds.
        number: 1-based count within the stream.
        emitted_frame: index of the frame whose arrival let the counter emit it (its latency
            is ``emitted_frame - end_frame`` frames), offline as live; -1 when not known (a
            rep made by hand): the judge then reads nothing after ``end_frame``.
        features: optional per-rep measurements (e.g. range of motion), name -> value.
    """

    start_frame: int
    end_frame: int
    start_s: float
    end_s: float
    number: int = 0
    emitted_frame: int = -1
    features: dict[str, float] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.end_frame < self.start_frame:
            raise ValueError(
                f"Rep: expected end_frame >= start_frame, got {self.start_frame}..{self.end_frame}"
            )
        if self.end_s < self.start_s:
            raise ValueError(f"Rep: expected end_s >= start_s, got {self.start_s}..{self.end_s}")

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def frames(self) -> range:
        """The frame indices of the rep (inclusive of ``end_frame``)."""
        return range(self.start_frame, self.end_frame + 1)

    def as_dict(self) -> dict[str, float | int]:
        """The fields ``formcoach count --json`` prints for a rep."""
        return {
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "start_frame": self.start_frame,
            "end_frame": self.end_frame,
        }


@runtime_checkable
class ExerciseHint(Protocol):
    """What an exercise tells the counter.

    Attributes:
        name: the exercise's identifier (``"squat"``).
        drive: features (catalogue names or ``kind(...)`` strings, see
            :mod:`formcoach.core.features`) whose rise and fall make one repetition, most telling
            first; the counter may use any of them.
        static: True for holds (plank) that are timed, not counted.
    """

    name: str
    drive: tuple[str, ...]
    static: bool
