"""What the coach says: short sentences a trainer would use, never raw numbers of a model."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "announce_set",
    "countdown",
    "exercise_words",
    "greeting",
    "rest_lines",
    "set_summary",
    "spoken_count",
    "workout_summary",
]

_NUMBERS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spoken_count(n: int) -> str:
    """Numbers below a thousand as words (they sound better from a speech synthesiser)."""
    if not 0 <= n < 1000:
        return str(n)
    if n < 20:
        return _NUMBERS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_NUMBERS[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_NUMBERS[hundreds]} hundred" + (f" and {spoken_count(rest)}" if rest else "")


def exercise_words(title: str, plural: bool = True) -> str:
    """``"Bicep curl"`` -> ``"bicep curls"``; ``"Plank"`` -> ``"plank"``."""
    words = title.replace("_", " ").strip().lower()
    if plural and not words.endswith("s") and words not in ("plank",):
        words += "s"
    return words


def greeting(name: str) -> str:
    return f"Hello {name.replace('_', ' ').title()}! Good to see you."


def announce_set(
    title: str, number: int, sets: int, reps: int | None, hold_s: float | None, go: bool = True
) -> str:
    """``"Set one of three: ten bicep curls. Go!"`` (without "Go!" when a countdown follows)."""
    what = exercise_words(title, plural=reps is not None and reps != 1)
    which = f"Set {spoken_count(number)} of {spoken_count(sets)}"
    if hold_s is not None:
        line = f"{which}: {what}, hold for {spoken_count(round(hold_s))} seconds."
    else:
        line = f"{which}: {spoken_count(reps or 0)} {what}."
    return f"{line} Go!" if go else line


def countdown(seconds: float) -> str:
    """``"Three, two, one. Go!"`` for the whole seconds of a countdown."""
    n = max(1, round(seconds))
    return ", ".join(spoken_count(k) for k in range(n, 0, -1)).capitalize() + ". Go!"


def set_summary(count: int, target: int | None, score: float | None, hold_s=None) -> str:
    if hold_s is not None:
        line = f"You held for {spoken_count(round(hold_s))} seconds."
    elif target is not None and count >= target:
        line = f"Set done: {spoken_count(count)} reps."
    else:
        line = f"That's {spoken_count(count)} reps."
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
    return [f"Rest for {spoken_count(round(rest_s))} seconds.", "Three, two, one. Go!"]


def workout_summary(name: str, sets: int, reps: int, scores: Sequence[float], part: str | None):
    """The last words of a session."""
    line = (
        f"Workout done, {name.replace('_', ' ').title()}: {spoken_count(sets)} "
        f"{'set' if sets == 1 else 'sets'}, {spoken_count(reps)} {'rep' if reps == 1 else 'reps'}."
    )
    if scores:
        mean = sum(scores) / len(scores)
        line += " Great form today." if mean >= 80 else " Solid work."
    if part:
        line += f" Next time, pay attention to {part}."
    return line + " See you next time!"
