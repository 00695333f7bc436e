"""Reading and writing exercise YAML files, validated with errors that name the file and line.

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

import yaml

from formcoach.core.errors import FormcoachError
from formcoach.core.features import feature
from formcoach.core.skeleton import BODY_PARTS
from formcoach.form.exercises.model import (
    COMPARE,
    NEEDS,
    POSTURES,
    SIDE_RULES,
    SIDED_PARTS,
    VIEWS,
    WHEN,
    Cue,
    Exercise,
    FeatureDef,
    PartDef,
    Recorded,
)
from formcoach.form.exercises.yamlfile import (
    ExerciseFileError,
    FileContext,
    LineMap,
    read_yaml,
)

__all__ = ["ExerciseFileError", "dump_exercise", "load_exercise", "parse_exercise"]

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9 _-]*$")


def _check_spec(ctx: FileContext, m: LineMap, key: str, spec: str) -> None:
    """Check a feature spec (both sides for ``{side}`` specs) parses."""
    sides = ("left", "right") if "{side}" in spec else (None,)
    for side in sides:
        try:
            feature(spec.replace("{side}", side) if side else spec)
        except FormcoachError as e:
            raise ctx.fail(m, key, f"feature {spec!r}: {e}") from None


def _parse_cue(ctx: FileContext, m: Any) -> Cue:
    if not isinstance(m, LineMap):
        raise ctx.fail(m, None, "a cue must be a mapping {when, too, say}")
    when = ctx.get(m, "when", str, "all")
    if when not in WHEN:
        raise ctx.fail(m, "when", f"'when' must be one of {', '.join(WHEN)}, got {when!r}")
    too = ctx.get(m, "too", str)
    if too not in ("high", "low"):
        raise ctx.fail(m, "too", f"'too' must be high or low, got {too!r}")
    say = ctx.get(m, "say", str).strip()
    if not say:
        raise ctx.fail(m, "say", "'say' must be a sentence")
    if re.search(r"\d", say):
        raise ctx.fail(m, "say", f"a cue is said to a person: no numbers in it ({say!r})")
    views = ctx.strings(m, "views")
    for v in views:
        if v not in VIEWS:
            raise ctx.fail(m, "views", f"unknown view {v!r}: use {' or '.join(VIEWS)}")
    return Cue(when, too, say, views)


def _parse_feature(ctx: FileContext, m: Any, n_phases: int, part: str) -> FeatureDef:
    if not isinstance(m, LineMap):
        raise ctx.fail(m, None, "a feature must be a mapping {key, feature, tol, keys, cues}")
    spec = ctx.get(m, "feature", str)
    _check_spec(ctx, m, "feature", spec)
    key = ctx.get(m, "key", str, spec.replace("{side}_", "").split("(")[0])
    tol = ctx.get(m, "tol", float)
    if not tol > 0:
        raise ctx.fail(m, "tol", f"'tol' must be positive, got {tol}")
    raw = m.get("keys", {})
    keys: dict[str, tuple[float, ...]] = {}
    if isinstance(raw, list):
        keys["any"] = ctx.numbers(m, "keys", raw)
    elif isinstance(raw, dict):
        for view, values in raw.items():
            if view not in (*VIEWS, "any"):
                raise ctx.fail(m, "keys", f"keys for unknown view {view!r}: use side/front/any")
            keys[view] = ctx.numbers(m, "keys", values)
    else:
        raise ctx.fail(m, "keys", "'keys' must be a list of numbers or {view: list}")
    for view, values in keys.items():
        if len(values) not in (1, n_phases):
            raise ctx.fail(
                m,
                "keys",
                f"{part}.{key}: {len(values)} keys for view {view!r}, but the exercise has "
                f"{n_phases} phases (give one value per phase, or a single constant)",
            )
    cues_raw = m.get("cues", [])
    if not isinstance(cues_raw, list):
        raise ctx.fail(m, "cues", "'cues' must be a list")
    cues = tuple(_parse_cue(ctx, c) for c in cues_raw)
    compare = ctx.get(m, "compare", str, "value")
    if compare not in COMPARE:
        raise ctx.fail(m, "compare", f"'compare' must be {' or '.join(COMPARE)}, got {compare!r}")
    sides = ctx.get(m, "sides", str, "each")
    if sides not in SIDE_RULES:
        raise ctx.fail(m, "sides", f"'sides' must be one of {', '.join(SIDE_RULES)}, got {sides!r}")
    return FeatureDef(key, spec, tol, keys, cues, compare, sides)


def _parse_part(ctx: FileContext, m: Any, n_phases: int) -> PartDef:
    if not isinstance(m, LineMap):
        raise ctx.fail(m, None, "a part must be a mapping {part, features, ...}")
    name = ctx.get(m, "part", str)
    if name not in BODY_PARTS and name not in SIDED_PARTS:
        raise ctx.fail(
            m, "part", f"unknown body part {name!r}: use {', '.join((*SIDED_PARTS, *BODY_PARTS))}"
        )
    views = ctx.strings(m, "views", VIEWS)
    for v in views:
        if v not in VIEWS:
            raise ctx.fail(m, "views", f"unknown view {v!r}: use {' or '.join(VIEWS)}")
    feats_raw = m.get("features")
    if not isinstance(feats_raw, list) or not feats_raw:
        raise ctx.fail(m, "features", f"part {name!r} needs a non-empty list of 'features'")
    feats = tuple(_parse_feature(ctx, f, n_phases, name) for f in feats_raw)
    seen: set[str] = set()
    for f in feats:
        if f.key in seen:
            raise ctx.fail(m, "features", f"part {name!r} has two features called {f.key!r}")
        seen.add(f.key)
    if name in SIDED_PARTS and not all(f.bilateral for f in feats):
        raise ctx.fail(m, "features", f"every feature of part {name!r} must use {{side}}")
    hidden = ctx.get(m, "hidden", str, "")
    needs = ctx.get(m, "needs", str, "any")
    if needs not in NEEDS:
        raise ctx.fail(m, "needs", f"'needs' must be {' or '.join(NEEDS)}, got {needs!r}")
    return PartDef(name, feats, views, hidden, ctx.strings(m, "praise", ()), needs)


def _parse_recorded(ctx: FileContext, m: Any, units: set[str]) -> Recorded:
    if not isinstance(m, LineMap):
        raise ctx.fail(m, None, "a recorded reference must be a mapping {view, curves}")
    view = ctx.get(m, "view", str)
    if view not in VIEWS:
        raise ctx.fail(m, "view", f"unknown view {view!r}")
    curves_raw = ctx.get(m, "curves", dict)
    curves: dict[str, tuple[float, ...]] = {}
    for k, v in curves_raw.items():
        if k.split("@")[0] not in units:
            raise ctx.fail(curves_raw, k, f"curve {k!r} is for no feature of the exercise")
        curves[k] = ctx.numbers(curves_raw, k, v)
    return Recorded(view, curves)


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


def _parse_how_judged(
    ctx: FileContext, data: LineMap, n_phases: int
) -> tuple[tuple[PartDef, ...], tuple[Recorded, ...]]:
    """The judged body parts and the recorded reference reps (taught exercises)."""
    parts_raw = data.get("parts")
    if not isinstance(parts_raw, list) or not parts_raw:
        raise ctx.fail(data, "parts", "'parts' must be a non-empty list of judged body parts")
    parts = tuple(_parse_part(ctx, p, n_phases) for p in parts_raw)
    names = [p.name for p in parts]
    if len(set(names)) != len(names):
        raise ctx.fail(data, "parts", "a body part is listed twice")
    units = {f"{p.name}.{f.key}" for p in parts for f in p.features}
    rec_raw = data.get("recorded", [])
    if not isinstance(rec_raw, list):
        raise ctx.fail(data, "recorded", "'recorded' must be a list")
    recorded = tuple(_parse_recorded(ctx, r, units) for r in rec_raw)
    if not recorded:
        for p in parts:
            for f in p.features:
                if not f.keys:
                    raise ctx.fail(
                        data, "parts", f"{p.name}.{f.key} has no 'keys' (reference values)"
                    )
    return parts, recorded


def parse_exercise(data: Any, where: str = "<exercise>", source: str = "builtin") -> Exercise:
    """Validate a YAML document (as read by :func:`load_exercise`) into an :class:`Exercise`."""
    ctx = FileContext(where)
    if not isinstance(data, LineMap):
        raise ctx.fail(
            data, None, "an exercise file must be a YAML mapping (name: ..., parts: ...)"
        )
    header = _parse_how_counted(ctx, data)
    parts, recorded = _parse_how_judged(ctx, data, len(header["phases"]))
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


def _flow(values: tuple[float, ...], digits: int = 2) -> list[float]:
    return [round(float(v), digits) for v in values]


def _cue_dict(c: Cue) -> dict[str, Any]:
    d: dict[str, Any] = {"when": c.when, "too": c.too, "say": c.say}
    if c.views:
        d["views"] = list(c.views)
    return d


def dump_exercise(ex: Exercise) -> str:
    """The YAML text of an exercise (what :func:`load_exercise` reads back)."""
    parts = []
    for p in ex.parts:
        feats = []
        for f in p.features:
            d: dict[str, Any] = {"key": f.key, "feature": f.spec, "tol": float(f"{f.tol:.4g}")}
            if f.keys:
                d["keys"] = {v: _flow(k) for v, k in f.keys.items()}
            if f.compare != "value":
                d["compare"] = f.compare
            if f.sides != "each":
                d["sides"] = f.sides
            if f.cues:
                d["cues"] = [_cue_dict(c) for c in f.cues]
            feats.append(d)
        pd: dict[str, Any] = {"part": p.name, "views": list(p.views), "features": feats}
        if p.hidden:
            pd["hidden"] = p.hidden
        if p.praise:
            pd["praise"] = list(p.praise)
        if p.needs != "any":
            pd["needs"] = p.needs
        parts.append(pd)
    doc: dict[str, Any] = {
        "name": ex.name,
        "title": ex.title,
        "aliases": list(ex.aliases),
        "description": ex.description,
        "kind": "hold" if ex.static else "reps",
        "view": ex.view,
        **({"posture": ex.posture} if ex.posture else {}),
        **({} if ex.arms_up else {"arms_up": False}),
        "drive": list(ex.drive),
        "tempo_s": round(float(ex.tempo_s), 2),
        "phases": _flow(ex.phases, 4),
        "praise": list(ex.praise),
        "parts": parts,
    }
    if ex.recorded:
        doc["recorded"] = [
            {"view": r.view, "curves": {k: _flow(v, 3) for k, v in r.curves.items()}}
            for r in ex.recorded
        ]
    return yaml.safe_dump(doc, sort_keys=False, width=100, allow_unicode=True)
