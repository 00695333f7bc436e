"""What the coach is doing right now, for whatever shows it: the terminal's window, the web page.

The :class:`~formcoach.session.coach.Coach` keeps one :class:`CoachState` and hands every new
one to its ``on_state`` callback. The state is a frozen record, so a display on another thread
reads a consistent snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from formcoach.session.results import RepOutcome

__all__ = ["PHASES", "CoachState", "Phase", "state_lines"]

Phase = Literal[
    "starting",
    "identifying",
    "asking",
    "get_in_frame",
    "countdown",
    "training",
    "resting",
    "finished",
    "stopped",
    "declined",
]
#: Every phase, in the order a session usually passes through them.
PHASES: tuple[Phase, ...] = get_args(Phase)


@dataclass(frozen=True)
class CoachState:
    """A snapshot of the session.

    Attributes:
        phase: what is happening (:data:`PHASES`): ``get_in_frame`` while nobody is seen
            before a set, ``countdown`` in the seconds before counting starts.
        profile: who trains, once known.
        exercise: the title of the exercise of the current set.
        set_number: 1-based number of the current set of this exercise (0 before the first).
        sets: sets planned for this exercise.
        target_reps: reps asked for in this set (``None`` for a hold).
        target_hold_s: seconds of hold asked for (``None`` for reps).
        count: reps counted in this set.
        held_s: seconds held so far (holds).
        countdown: whole seconds left before counting starts (``countdown`` phase only).
        rest_s: length of the current rest in seconds (``resting`` phase only).
        said: the last line the coach spoke.
        last_rep: the last judged rep of this set.
        session_id: the stored session, once it exists.
    """

    phase: Phase = "starting"
    profile: str | None = None
    exercise: str | None = None
    set_number: int = 0
    sets: int = 0
    target_reps: int | None = None
    target_hold_s: float | None = None
    count: int = 0
    held_s: float = 0.0
    countdown: int | None = None
    rest_s: float | None = None
    said: str = ""
    last_rep: RepOutcome | None = None
    session_id: int | None = None

    @property
    def ended(self) -> bool:
        """True once the session is over."""
        return self.phase in ("finished", "stopped", "declined")


def state_lines(state: CoachState) -> list[str]:
    """One or two short lines for a corner of a window: the set's progress and the last line."""
    lines = []
    if state.exercise and state.set_number:
        if state.target_hold_s is not None:
            done = f"{state.held_s:.0f}/{state.target_hold_s:.0f} s"
        else:
            done = f"{state.count}/{state.target_reps or 0} reps"
        lines.append(f"{state.exercise}: set {state.set_number}/{state.sets}, {done}")
    if state.said:
        lines.append(state.said)
    return lines
