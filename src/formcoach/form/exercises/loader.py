"""Reading and writing exercise YAML files, validated with errors that name the file and line.

Schema (one exercise per file; ``?`` marks optional keys)::

    name: squat                       # identifier: lower case, letters, digits, spaces, - or _
    title?: Squat                     # display name (default: name, capitalised)
    aliases?: [squats, air squat]     # other names it answers to
    description?: one or two sentences on how it is done
    kind?: reps                       # reps (counted) | hold (timed, e.g. plank)
    view?: side                       # best camera view: side | front
    drive: [left_knee, right_knee]    # features whose rise and fall make one rep (a hold:
                                      #   whose values, held steady, are its position)
    tempo_s?: 2.5                     # typical duration of one rep (or judged stretch of a hold)
    phases: [0, 0.45, 0.55, 1]        # keyframe times over one rep, 0..1, increasing
    praise?: ["Good squat."]          # said after a good rep
    parts:                            # judged body parts
      - part: leg                     # a body part (trunk, hips, knees, head, shoulders,
                                      #   left_arm...) or arm / leg for both sides
        views?: [side]                # views it can be judged from (default: both)
        hidden?: Turn sideways so I can see how deep you go.
        features:
          - key: knee                 # short name within the part
            feature: "{side}_knee"    # a feature of formcoach.core.features; {side} = both sides
            tol: 15                   # still-correct RMS deviation from the reference (units
                                      #   of the feature: degrees for angles)
            keys: [175, 85, 85, 175]  # value at each phase; or {side: [...], front: [...]}
            cues:                     # corrections, by when in the rep and which way it is off
              - {when: peak, too: high, say: "Go lower: hips down to knee height."}
    recorded?:                        # taught exercises: reference reps from a demonstration
      - view: side
        curves: {leg.knee: [...]}     # "part.key" -> values resampled over the rep
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import yaml

from formcoach.core.errors import FormcoachError
from formcoach.core.features import feature
from formcoach.core.skeleton import BODY_PARTS
from formcoach.form.exercises.model import (
    SIDED_PARTS,
    VIEWS,
    WHEN,
    Cue,
    Exercise,
    FeatureDef,
    PartDef,
    Recorded,
)

__all__ = ["ExerciseFileError", "dump_exercise", "load_exercise", "parse_exercise"]

#: Longer than any exercise file, even one taught with recorded reference curves.
_MAX_CHARS = 2_000_000

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9 _-]*$")


class ExerciseFileError(FormcoachError):
    """An exercise file that cannot be read: which file, which line, what is wrong."""


class _Map(dict):
    """A mapping that remembers the line of each key (1-based)."""

    lines: dict[str, int]
    line: int


class _List(list):
    line: int


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        # an alias can build a cycle or a billion-element list from a few bytes: refuse them
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed here", mark
            )
        return super().compose_node(parent, index)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    out = _Map(loader.construct_mapping(node, deep=True))
    out.lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    out.line = node.start_mark.line + 1
    return out


def _construct_list(loader: _Loader, node: yaml.SequenceNode) -> _List:
    out = _List(loader.construct_sequence(node, deep=True))
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


class _Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Any, key: str | None, what: str) -> ExerciseFileError:
        line = None
        if isinstance(node, _Map):
            line = node.lines.get(key, node.line) if key else node.line
        elif isinstance(node, _List):
            line = node.line
        where = f"{self.path}, line {line}" if line else self.path
        return ExerciseFileError(
            f"{where}: {what}",
            "fix the exercise file (the schema is in formcoach.form.exercises.loader), "
            "or teach the exercise again with 'formcoach exercise teach'",
        )

    def get(self, m: _Map, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in m:
            if default is ...:
                raise self.fail(m, None, f"missing key {key!r}")
            return default
        value = m[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(m, key, f"{key!r} must be a finite number, got {value}")
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(m, key, f"{key!r} must be a {names}, got {type(value).__name__}")
        return value

    def numbers(self, m: _Map, key: str, value: Any) -> tuple[float, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(m, key, f"{key!r} must be a non-empty list of numbers")
        out = []
        for v in value:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise self.fail(m, key, f"{key!r} holds {v!r}, which is not a finite number")
            out.append(float(v))
        return tuple(out)

    def strings(self, m: _Map, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = m.get(key, list(default))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(m, key, f"{key!r} must be a list of strings")
        return tuple(value)


def _check_spec(ctx: _Ctx, m: _Map, key: str, spec: str) -> None:
    """Check a feature spec (both sides for ``{side}`` specs) parses."""
    sides = ("left", "right") if "{side}" in spec else (None,)
    for side in sides:
        try:
            feature(spec.replace("{side}", side) if side else spec)
        except FormcoachError as e:
            raise ctx.fail(m, key, f"feature {spec!r}: {e}") from None


def _parse_cue(ctx: _Ctx, m: Any) -> Cue:
    if not isinstance(m, _Map):
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
    return Cue(when, too, say)


def _parse_feature(ctx: _Ctx, m: Any, n_phases: int, part: str) -> FeatureDef:
    if not isinstance(m, _Map):
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
    return FeatureDef(key, spec, tol, keys, cues)


def _parse_part(ctx: _Ctx, m: Any, n_phases: int) -> PartDef:
    if not isinstance(m, _Map):
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
    return PartDef(name, feats, views, hidden)


def _parse_recorded(ctx: _Ctx, m: Any, units: set[str]) -> Recorded:
    if not isinstance(m, _Map):
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


def parse_exercise(data: Any, where: str = "<exercise>", source: str = "builtin") -> Exercise:
    """Validate a YAML document (as read by :func:`load_exercise`) into an :class:`Exercise`."""
    ctx = _Ctx(where)
    if not isinstance(data, _Map):
        raise ctx.fail(
            data, None, "an exercise file must be a YAML mapping (name: ..., parts: ...)"
        )
    known = {
        "name",
        "title",
        "aliases",
        "description",
        "kind",
        "view",
        "drive",
        "tempo_s",
        "phases",
        "praise",
        "parts",
        "recorded",
    }
    for k in data:
        if k not in known:
            raise ctx.fail(data, k, f"unknown key {k!r} (known: {', '.join(sorted(known))})")
    name = ctx.get(data, "name", str).strip().lower()
    if not _NAME_RE.match(name):
        raise ctx.fail(data, "name", f"name {name!r}: use lower-case letters, digits, spaces, - _")
    kind = ctx.get(data, "kind", str, "reps")
    if kind not in ("reps", "hold"):
        raise ctx.fail(data, "kind", f"'kind' must be reps or hold, got {kind!r}")
    static = kind == "hold"
    view = ctx.get(data, "view", str, "side")
    if view not in VIEWS:
        raise ctx.fail(data, "view", f"'view' must be side or front, got {view!r}")
    drive = ctx.strings(data, "drive")
    if not drive and not static:
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
    parts_raw = data.get("parts")
    if not isinstance(parts_raw, list) or not parts_raw:
        raise ctx.fail(data, "parts", "'parts' must be a non-empty list of judged body parts")
    parts = tuple(_parse_part(ctx, p, len(phases)) for p in parts_raw)
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
    tempo = ctx.get(data, "tempo_s", float, 2.0)
    if not tempo > 0:
        raise ctx.fail(data, "tempo_s", "'tempo_s' must be positive")
    title = ctx.get(data, "title", str, name.capitalize())
    return Exercise(
        name=name,
        title=title,
        aliases=tuple(a.strip().lower() for a in ctx.strings(data, "aliases")),
        description=ctx.get(data, "description", str, "").strip(),
        static=static,
        view=view,
        drive=drive,
        phases=phases,
        tempo_s=tempo,
        parts=parts,
        praise=ctx.strings(data, "praise", ("Good rep.",)),
        recorded=recorded,
        source=source,
        path=Path(where) if where and not where.startswith("<") else None,
    )


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
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
        return parse_exercise(data, str(path), source)
    except RecursionError:
        raise ExerciseFileError(
            f"{path}: nested too deeply to be an exercise file", "check that this is one"
        ) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ExerciseFileError(
            f"{path}{line}: not valid YAML ({problem})",
            "fix the file's indentation or quoting (a cue with a colon needs quotes)",
        ) from None


def _flow(values: tuple[float, ...], digits: int = 2) -> list[float]:
    return [round(float(v), digits) for v in values]


def dump_exercise(ex: Exercise) -> str:
    """The YAML text of an exercise (what :func:`load_exercise` reads back)."""
    parts = []
    for p in ex.parts:
        feats = []
        for f in p.features:
            d: dict[str, Any] = {"key": f.key, "feature": f.spec, "tol": float(f"{f.tol:.4g}")}
            if f.keys:
                d["keys"] = {v: _flow(k) for v, k in f.keys.items()}
            if f.cues:
                d["cues"] = [{"when": c.when, "too": c.too, "say": c.say} for c in f.cues]
            feats.append(d)
        pd: dict[str, Any] = {"part": p.name, "views": list(p.views), "features": feats}
        if p.hidden:
            pd["hidden"] = p.hidden
        parts.append(pd)
    doc: dict[str, Any] = {
        "name": ex.name,
        "title": ex.title,
        "aliases": list(ex.aliases),
        "description": ex.description,
        "kind": "hold" if ex.static else "reps",
        "view": ex.view,
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
