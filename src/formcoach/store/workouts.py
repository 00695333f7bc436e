"""Workout plans: the default week for a new profile, weekdays, and items typed on the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from formcoach.core.errors import FormcoachError
from formcoach.store.records import WEEKDAYS, WorkoutItem

__all__ = [
    "DEFAULT_PLAN",
    "ExerciseValidator",
    "check_exercise_names",
    "check_item_kind",
    "parse_item",
    "parse_weekday",
    "weekday_name",
]

#: Checks that an exercise name exists (the exercise library's lookup): raises
#: FormcoachError or returns False for an unknown name.
ExerciseValidator = Callable[[str], object]

_ARMS = (
    WorkoutItem("bicep_curl", sets=3, reps=10, rest_s=60),
    WorkoutItem("shoulder_press", sets=3, reps=10, rest_s=60),
    WorkoutItem("push_up", sets=2, reps=10, rest_s=60),
)
_LEGS = (
    WorkoutItem("squat", sets=3, reps=12, rest_s=60),
    WorkoutItem("lunge", sets=2, reps=10, rest_s=60),
    WorkoutItem("plank", sets=2, hold_s=30, rest_s=45),
)
_LIGHT = (
    WorkoutItem("bicep_curl", sets=2, reps=10, rest_s=60),
    WorkoutItem("squat", sets=2, reps=10, rest_s=60),
)
#: A new profile's week (0 = Monday): arms, legs and core alternating, a light Sunday. Every
#: day has something, so "today's workout" always exists; edit it with `formcoach workout`.
DEFAULT_PLAN: Mapping[int, tuple[WorkoutItem, ...]] = {
    0: _ARMS,
    1: _LEGS,
    2: _ARMS,
    3: _LEGS,
    4: _ARMS,
    5: _LEGS,
    6: _LIGHT,
}

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_weekday(day: int | str | date | None) -> int:
    """0-6 (Monday = 0) from an int, a name (``"mon"``, ``"Tuesday"``), ``"today"`` or a date.

    Raises:
        FormcoachError: not a weekday.
    """
    if day is None:
        return date.today().weekday()
    if isinstance(day, date):
        return day.weekday()
    if isinstance(day, int) and not isinstance(day, bool):
        if 0 <= day <= 6:
            return day
    elif isinstance(day, str):
        d = day.strip().lower()
        if d == "today":
            return date.today().weekday()
        if d.isdigit() and 0 <= int(d) <= 6:
            return int(d)
        matches = [i for i, name in enumerate(WEEKDAYS) if len(d) >= 2 and name.startswith(d)]
        if len(matches) == 1:
            return matches[0]
    raise FormcoachError(
        f"{day!r} is not a weekday", "use monday..sunday (or mon, tue, ...), 0-6, or today"
    )


def weekday_name(day: int) -> str:
    return WEEKDAYS[day]


_ITEM = re.compile(
    r"^(?P<name>[A-Za-z][\w -]*?)\s*[:=]\s*(?P<sets>\d+)[xX*](?P<amount>\d+(?:\.\d+)?)(?P<s>s)?"
    r"(?:@(?P<rest>\d+(?:\.\d+)?)s?)?$"
)


def parse_item(text: str) -> WorkoutItem:
    """``"bicep_curl:3x10"``, ``"squat:3x12@90"`` (rest 90 s), ``"plank:2x30s@45"`` (hold);
    the name as ``exercise list`` shows it works too (``"bicep curl:3x10"``).

    Raises:
        FormcoachError: the text does not follow that form.
    """
    m = _ITEM.match(text.strip())
    if not m:
        raise FormcoachError(
            f"cannot read the workout item {text!r}",
            "write EXERCISE:SETSxREPS[@REST], e.g. bicep_curl:3x10@60, or SETSxSECONDSs for a "
            "hold, e.g. plank:2x30s",
        )
    name = re.sub(r"[\s_-]+", "_", m["name"].strip().lower())  # "bicep curl" -> bicep_curl
    sets = int(m["sets"])
    rest = float(m["rest"]) if m["rest"] else 60.0
    try:
        if m["s"]:
            return WorkoutItem(name, sets, hold_s=float(m["amount"]), rest_s=rest)
        if "." in m["amount"]:
            raise ValueError(f"{name}: reps must be a whole number, got {m['amount']}")
        return WorkoutItem(name, sets, reps=int(m["amount"]), rest_s=rest)
    except ValueError as e:
        raise FormcoachError(str(e), "fix the numbers in the workout item") from None


def check_item_kind(item: WorkoutItem, held: bool) -> None:
    """Raise when ``item`` counts reps of an exercise that is held (``held``), or times a
    hold of one counted in reps: ``plank:2x30`` (the ``s`` forgotten) is not 30 plank reps.

    Raises:
        FormcoachError: the kinds differ; the hint is the item written the other way.
    """
    if item.static == held:
        return
    sets, rest, name = item.sets, f"{item.rest_s:g}", item.exercise
    if held:
        raise FormcoachError(
            f"{name} is held, timed in seconds: {name}:{sets}x{item.reps}@{rest} would ask "
            f"for {item.reps} reps of it",
            f"write the hold in seconds, e.g. {name}:{sets}x{item.reps}s@{rest}",
        )
    reps = max(1, round(float(item.hold_s or 0)))
    raise FormcoachError(
        f"{name} is counted in reps, not held: {name}:{sets}x{item.hold_s:g}s@{rest} would "
        f"ask for {item.hold_s:g}-second holds",
        f"write SETSxREPS, e.g. {name}:{sets}x{reps}@{rest}",
    )


def check_exercise_names(
    names: Iterable[str], validate: ExerciseValidator | None, taught: Iterable[str] = ()
) -> None:
    """Raise one clear error naming every unknown exercise in ``names``.

    A name is known when it is a taught exercise or ``validate`` accepts it; without a
    validator only the form of the name is checked (lower case, digits, underscores).
    """
    known_taught = {t.lower() for t in taught}
    bad: list[str] = []
    reasons: list[FormcoachError] = []
    for name in dict.fromkeys(names):
        if name.lower() in known_taught:
            continue
        if validate is None:
            if not _NAME.match(name):
                bad.append(name)
            continue
        try:
            ok = validate(name)
        except FormcoachError as e:
            bad.append(name)
            reasons.append(e)
            continue
        if ok is False:
            bad.append(name)
    if len(bad) == 1 and len(reasons) == 1 and reasons[0].hint:
        raise reasons[0]  # the library's own words: "unknown exercise 'sqaut': did you mean ..."
    if bad:
        detail = f" ({'; '.join(map(str, reasons))})" if reasons else ""
        raise FormcoachError(
            f"unknown exercise{'s' if len(bad) > 1 else ''} {', '.join(map(repr, bad))}{detail}",
            "use a built-in exercise name (see 'formcoach exercise list') or teach it first",
        )
