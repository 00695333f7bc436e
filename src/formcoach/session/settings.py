"""How the sets of a session are run: timings and policies, in seconds."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TrainingSettings"]


@dataclass(frozen=True)
class TrainingSettings:
    """How a set is run.

    Attributes:
        absent_s: seconds without a person before the coach says it is waiting.
        idle_s: seconds without a new rep (after the first) that end a set.
        start_timeout_s: seconds to wait for the first rep of a set.
        praise_every: praise one good rep in this many (counting aloud the others).
        hold_window_s: a hold is judged over windows this long.
        hold_in_position: a hold window with at least this score counts as holding, for an
            exercise that does not say where its position is (a plank does: the counter's
            rule decides, whatever the form).
        hold_cue_every_s: at most one correction this often during a hold.
        buffer_s: seconds of poses kept for judging (bounds memory).
        countdown_s: live only: seconds counted down, once the person is in view, before a
            set is counted, so getting into position is never counted (0: none).
    """

    absent_s: float = 2.0
    idle_s: float = 12.0
    start_timeout_s: float = 45.0
    praise_every: int = 3
    hold_window_s: float = 2.0
    hold_in_position: int = 30
    hold_cue_every_s: float = 6.0
    buffer_s: float = 90.0
    countdown_s: float = 3.0
