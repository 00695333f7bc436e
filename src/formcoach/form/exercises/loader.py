"""Reading exercise YAML files, validated with errors that name the file and line.

The judged ``parts`` are validated in :mod:`~formcoach.form.exercises.parse_parts`; an exercise
is written back by :mod:`~formcoach.form.exercises.dump`.

Schema (one exercise per file; ``?`` marks optional keys)::

    name: squat                       # identifier: lower case, letters, digits, spaces, - or _
    title?: Squat                     # display name (default: name, capitalised)
    aliases?: [squats, air squat]     # other names it answers to
    description?: one or two sentences on how it is done
    kind?: reps                       # reps (counted) | hold (timed, e.g. plank)
    view?: side                       # best camera view: side | front
    posture?: standing                # all through a rep: lying | standing | hanging (a rep
                                      #   clearly in another is not judged; omitted: unchecked)
    arms_up?: false                   # do the wrists go above the head? (default true)
    drive: [left_knee, right_knee]    # features whose rise and fall make one rep (a hold:
                                      #   whose values, held steady, are its position)
    tempo_s?: 2.5                     # typical duration of one rep (or judged stretch of a hold)
    phases: [0, 0.45, 0.55, 1]        # keyframe times over one rep, 0..1, increasing
    praise?: ["Good squat."]          # said after a good rep, whatever was seen
    parts:                            # judged body parts
      - part: leg                     # a body part (trunk, hips, knees, head, shoulders,
                                      #   left_arm...) or arm / leg for both sides
        views?: [side]                # views it can be judged from (default: both)
        hidden?: Turn sideways so I can see how deep you go.
        praise?: [Nice depth.]        # said after a good rep only when this part was seen
        needs?: any                   # any: the part shows its worst feature's fault | all:
                                      #   only what every feature shows (one fault read twice)
        features:
          - key: knee                 # short name within the part
            feature: "{side}_knee"    # a feature of formcoach.core.features; {side} = both sides
            tol: 15                   # still-correct RMS deviation from the reference (units
                                      #   of the feature: degrees for angles)
            keys: [175, 85, 85, 175]  # value at each phase; or {side: [...], front: [...]}
            compare?: value           # value: the feature itself | change: only how far it
                                      #   moves from the rep's own start (drift, sway, valgus)
            sides?: each              # each: both sides judged when seen | either: only the
                                      #   side closer to the reference (one limb suffices)
            cues:                     # corrections, by when in the rep and which way it is off
              - {when: peak, too: high, say: "Go lower: hips down to knee height."}
              # views?: [side]        # a fault seen only from some views
    recorded?:                        # taught exercises: reference reps from a demonstration
      - view: side
        curves: {leg.knee: [...]}     # "part.key" -> values resampled over the rep
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from formcoach.core.errors import FormcoachError
from formcoach.core.features import feature
from formcoach.form.exercises.model import POSTURES, VIEWS, Exercise
from formcoach.form.exercises.parse_parts import parse_how_judged
from formcoach.form.exercises.yamlfile import (
    ExerciseFileError,
    FileContext,
    LineMap,
    read_yaml,
)

__all__ = ["ExerciseFileError", "load_exercise", "parse_exercise"]

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9 _-]*$")


_KNOWN_KEYS = frozenset(
    (
        "name",
        "title",
        "aliases",
        "description",
        "kind",
        "view",
        "posture",
        "arms_up",
        "drive",
        "tempo_s",
        "phases",
        "praise",
        "parts",
        "recorded",
    )
)


def _parse_how_counted(ctx: FileContext, data: LineMap) -> dict[str, Any]:
    """The keys that say what the exercise is and how it is counted (not how it is judged)."""
    for k in data:
        if k not in _KNOWN_KEYS:
            raise ctx.fail(data, k, f"unknown key {k!r} (known: {', '.join(sorted(_KNOWN_KEYS))})")
    name = ctx.get(data, "name", str).strip().lower()
    if not _NAME_RE.match(name):
        raise ctx.fail(data, "name", f"name {name!r}: use lower-case letters, digits, spaces, - _")
    kind = ctx.get(data, "kind", str, "reps")
    if kind not in ("reps", "hold"):
        raise ctx.fail(data, "kind", f"'kind' must be reps or hold, got {kind!r}")
    view = ctx.get(data, "view", str, "side")
    if view not in VIEWS:
        raise ctx.fail(data, "view", f"'view' must be side or front, got {view!r}")
    posture = ctx.get(data, "posture", str, "")
    if posture not in POSTURES:
        raise ctx.fail(
            data, "posture", f"'posture' must be lying, standing or hanging, got {posture!r}"
        )
    arms_up = ctx.get(data, "arms_up", bool, True)
    drive = ctx.strings(data, "drive")
    if not drive and kind != "hold":
        raise ctx.fail(data, None, "missing key 'drive' (the features that make one rep)")
    for d in drive:
        try:
            feature(d)
        except FormcoachError as e:
            raise ctx.fail(data, "drive", f"drive feature {d!r}: {e}") from None
    phases = ctx.numbers(data, "phases", data.get("phases", [0.0]))
    if phases[0] != 0.0 or any(b <= a for a, b in itertools.pairwise(phases)):
        raise ctx.fail(data, "phases", "'phases' must start at 0 and increase")
    if phases[-1] > 1.0:
        raise ctx.fail(data, "phases", "'phases' must stay within 0..1")
    tempo = ctx.get(data, "tempo_s", float, 2.0)
    if not tempo > 0:
        raise ctx.fail(data, "tempo_s", "'tempo_s' must be positive")
    return {
        "name": name,
        "title": ctx.get(data, "title", str, name.capitalize()),
        "aliases": tuple(a.strip().lower() for a in ctx.strings(data, "aliases")),
        "description": ctx.get(data, "description", str, "").strip(),
        "static": kind == "hold",
        "view": view,
        "posture": posture,
        "arms_up": arms_up,
        "drive": drive,
        "phases": phases,
        "tempo_s": tempo,
        "praise": ctx.strings(data, "praise", ("Good rep.",)),
    }


def parse_exercise(data: Any, where: str = "<exercise>", source: str = "builtin") -> Exercise:
    """Validate a YAML document (as read by :func:`load_exercise`) into an :class:`Exercise`."""
    ctx = FileContext(where)
    if not isinstance(data, LineMap):
        raise ctx.fail(
            data, None, "an exercise file must be a YAML mapping (name: ..., parts: ...)"
        )
    header = _parse_how_counted(ctx, data)
    parts, recorded = parse_how_judged(ctx, data, len(header["phases"]))
    return Exercise(
        **header,
        parts=parts,
        recorded=recorded,
        source=source,
        path=Path(where) if where and not where.startswith("<") else None,
    )


#: Longer than any exercise file, even one taught with recorded reference curves.
_MAX_CHARS = 2_000_000


def load_exercise(path: str | Path, source: str = "builtin", text: str | None = None) -> Exercise:
    """Read and validate one exercise file.

    Raises:
        ExerciseFileError: unreadable file, malformed YAML, or a schema error (with the line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as e:
        raise ExerciseFileError(f"cannot read exercise file {str(path)!r} ({e})") from None
    if len(text) > _MAX_CHARS:
        raise ExerciseFileError(
            f"{path}: {len(text)} characters is too long for an exercise file",
            f"an exercise is at most {_MAX_CHARS} characters; check that this is one",
        )
    try:
        return parse_exercise(read_yaml(text, str(path)), str(path), source)
    except RecursionError:
        raise ExerciseFileError(
            f"{path}: nested too deeply to be an exercise file", "check that this is one"
        ) from None
