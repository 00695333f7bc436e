"""What the coach says: short sentences a trainer would use, never raw numbers of a model."""

from __future__ import annotations

from collections.abc import Sequence

from formcoach.core import words
from formcoach.core.words import counted, spoken_count

__all__ = [
    "announce_set",
    "countdown",
    "exercise_words",
    "greeting",
    "rest_lines",
    "resuming",
    "set_summary",
    "spoken_count",
    "workout_summary",
]

_HELD = ("plank",)  # "hold the plank", never "planks"


def exercise_words(title: str, plural: bool = True) -> str:
    """``"Bicep curl"`` -> ``"bicep curls"``, ``"Shoulder press"`` -> ``"shoulder presses"``;
    ``"Plank"`` -> ``"plank"``."""
    name = title.replace("_", " ").strip().lower()
    return words.plural(name) if plural and name not in _HELD else name


def greeting(name: str) -> str:
    return f"Hello {name.replace('_', ' ').title()}! Good to see you."


def announce_set(
    title: str, number: int, sets: int, reps: int | None, hold_s: float | None, go: bool = True
) -> str:
    """``"Set one of three: ten bicep curls. Go!"`` (without "Go!" when a countdown follows)."""
    which = f"Set {spoken_count(number)} of {spoken_count(sets)}"
    what = exercise_words(title, plural=False)
    if hold_s is not None:
        line = f"{which}: {what}, hold for {counted(hold_s, 'second', spoken=True)}."
    else:
        line = f"{which}: {what if what in _HELD else counted(reps or 0, what, spoken=True)}."
    return f"{line} Go!" if go else line


def countdown(seconds: float) -> str:
    """``"Three, two, one. Go!"`` for the whole seconds of a countdown."""
    n = max(1, round(seconds))
    return ", ".join(spoken_count(k) for k in range(n, 0, -1)).capitalize() + ". Go!"


def set_summary(count: int, target: int | None, score: float | None, hold_s=None) -> str:
    if hold_s is not None:
        line = f"You held for {counted(hold_s, 'second', spoken=True)}."
    elif target is not None and count >= target:
        line = f"Set done: {counted(count, 'rep', spoken=True)}."
    else:
        line = f"That's {counted(count, 'rep', spoken=True)}."
    if score is None:
        return line
    if score >= 85:
        return f"{line} Excellent form."
    if score >= 65:
        return f"{line} Good form."
    if score >= 40:
        return f"{line} Your form needs some work."
    return f"{line} Let's clean up your form next time."


def rest_lines(rest_s: float) -> list[str]:
    """The rest announcement and the countdown at its end."""
    return [f"Rest for {counted(rest_s, 'second', spoken=True)}.", "Three, two, one. Go!"]


def workout_summary(
    name: str,
    sets: int,
    reps: int,
    scores: Sequence[float],
    part: str | None,
    stopped: bool = False,
):
    """The last words of a session (``stopped``: the person stopped it before the plan's end)."""
    opening = "We stopped early" if stopped else "Workout done"
    line = (
        f"{opening}, {name.replace('_', ' ').title()}: {counted(sets, 'set', spoken=True)}, "
        f"{counted(reps, 'rep', spoken=True)}."
    )
    if scores:
        mean = sum(scores) / len(scores)
        line += " Great form today." if mean >= 80 else " Solid work."
    if part:
        line += f" Next time, pay attention to {part}."
    return line + " See you next time!"


def resuming(title: str, number: int, sets: int) -> str:
    """Said when a session continues one that was cut short today."""
    return (
        f"Welcome back! Let's continue where we stopped: set {spoken_count(number)} of "
        f"{spoken_count(sets)} of {exercise_words(title)}."
    )
