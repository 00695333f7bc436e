"""The exercise library: one YAML file per exercise, built in or taught by the user.

Built-in exercises live in ``formcoach/exercises/builtin/*.yaml``; exercises taught by
demonstration (``formcoach exercise teach``) in ``formcoach.core.paths.user_data_dir()/exercises``.
Both are found by name or alias with :func:`get_exercise`; a user exercise with the name of a
built-in one takes its place (a personal baseline).
"""

from __future__ import annotations

import difflib
import re
from importlib import resources
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.core.paths import user_data_dir
from formcoach.core.private import private_dir, write_private
from formcoach.form.exercises.dump import dump_exercise
from formcoach.form.exercises.loader import ExerciseFileError, load_exercise
from formcoach.form.exercises.model import Cue, Exercise, FeatureDef, PartDef, Recorded

__all__ = [
    "Cue",
    "Exercise",
    "ExerciseFileError",
    "FeatureDef",
    "PartDef",
    "Recorded",
    "builtin_exercises",
    "get_exercise",
    "list_exercises",
    "load_exercise",
    "match_exercise",
    "name_key",
    "normalise_name",
    "save_user_exercise",
    "user_exercise_dir",
    "user_exercise_file",
    "user_exercises",
]


def normalise_name(name: str) -> str:
    """``"Push-Up"``, ``"push_up"``, ``" push up "`` -> ``"push up"`` (for lookups)."""
    return " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())


def name_key(name: str) -> str:
    """What a name is looked up by: lower case, without spaces, ``-`` or ``_``
    (``"Front-Raise"``, ``"front_raise"``, ``"frontraise"`` -> ``"frontraise"``)."""
    return re.sub(r"[\s_-]+", "", name.strip().lower())


def user_exercise_dir() -> Path:
    """Where taught exercises are stored (not created here)."""
    return user_data_dir() / "exercises"


def user_exercise_file(name: str) -> Path:
    """The YAML file of the taught exercise called ``name`` (it may not exist)."""
    return user_exercise_dir() / f"{name.replace(' ', '_')}.yaml"


def builtin_exercises() -> dict[str, Exercise]:
    """The exercises shipped with formcoach, by name."""
    folder = resources.files("formcoach.form.exercises") / "builtin"
    out: dict[str, Exercise] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            ex = load_exercise(Path(str(entry)), "builtin", entry.read_text(encoding="utf-8"))
            out[ex.name] = ex
    return out


def user_exercises() -> dict[str, Exercise]:
    """Exercises taught by the user, by name (files that cannot be read raise)."""
    folder = user_exercise_dir()
    out: dict[str, Exercise] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            ex = load_exercise(path, "user")
            out[ex.name] = ex
    return out


def list_exercises() -> list[Exercise]:
    """Every exercise, built-in and taught, sorted by name (a taught one replaces a built-in)."""
    merged = builtin_exercises() | user_exercises()
    return [merged[k] for k in sorted(merged)]


def get_exercise(name: str) -> Exercise:
    """Find an exercise by name or alias; case, spaces, ``-`` and ``_`` do not matter, nor a
    plural ``s`` (``"frontraise"``, ``"Front-Raise"``, ``"shoulder_shrugs"``).

    Raises:
        FormcoachError: no exercise has that name; the message names the closest ones.
    """
    if isinstance(name, Exercise):
        return name
    wanted = name_key(name)
    exercises = list_exercises()
    by_key: dict[str, Exercise] = {}
    for rank in ("name", "alias", "plural"):  # a name beats an alias beats a plural
        for ex in exercises:
            names = (ex.name,) if rank == "name" else ex.aliases
            for n in names if rank != "plural" else (ex.name, *ex.aliases):
                key = name_key(n).rstrip("s") if rank == "plural" else name_key(n)
                by_key.setdefault(key, ex)
        if wanted in by_key:
            return by_key[wanted]
        if rank == "plural" and wanted.rstrip("s") in by_key:
            return by_key[wanted.rstrip("s")]
    raise FormcoachError(f"unknown exercise {name!r}", _closest_hint(wanted, exercises))


def _closest_hint(wanted: str, exercises: list[Exercise]) -> str:
    """``did you mean ...?`` with the closest names, then every name."""
    keys = {name_key(n): ex.name for ex in exercises for n in (ex.name, *ex.aliases)}
    close = difflib.get_close_matches(wanted, list(keys), n=6, cutoff=0.6)
    named = list(dict.fromkeys(keys[k] for k in close))[:3]
    first = f"did you mean {' or '.join(repr(n) for n in named)}? " if named else ""
    return (
        f"{first}The exercises are: {', '.join(ex.name for ex in exercises)} "
        "(or teach one with 'formcoach exercise teach NAME VIDEO')"
    )


def match_exercise(text: str) -> Exercise | None:
    """The exercise a free-text description names ("standing barbell curl, front view"), by
    the longest name or alias it contains; None when it names none."""
    words = f" {normalise_name(text.replace(',', ' ').replace('/', ' ').replace('(', ' '))} "
    best: tuple[int, Exercise] | None = None
    for ex in list_exercises():
        for n in (ex.name, *ex.aliases):
            key = f" {normalise_name(n)} "
            if key in words and (best is None or len(key) > best[0]):
                best = (len(key), ex)
    return best[1] if best else None


def save_user_exercise(ex: Exercise, overwrite: bool = True) -> Path:
    """Write a taught exercise to the user's folder; returns the file written.

    The file is private (0600, in a 0700 folder), written next to its final place and
    renamed, so a crash never leaves half a file; the text is read back and validated first.
    """
    private_dir(user_exercise_dir())
    path = user_exercise_file(ex.name)
    if path.exists() and not overwrite:
        raise FormcoachError(
            f"a taught exercise called {ex.name!r} already exists ({path})",
            "choose another name, or pass --force to replace it",
        )
    text = dump_exercise(ex)
    load_exercise(path, "user", text)  # never store what cannot be read back
    return write_private(path, text)
