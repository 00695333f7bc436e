"""The judging half of an exercise file: its ``parts`` (body parts, their features and cues)
and ``recorded`` reference reps, validated into :class:`PartDef` and :class:`Recorded`.

The schema is in :mod:`formcoach.form.exercises.loader`; every error names the file and line.
"""

from __future__ import annotations

import re
from typing import Any

from formcoach.core.errors import FormcoachError
from formcoach.core.features import feature
from formcoach.core.skeleton import BODY_PARTS
from formcoach.form.exercises.model import (
    COMPARE,
    NEEDS,
    SIDE_RULES,
    SIDED_PARTS,
    VIEWS,
    WHEN,
    Cue,
    FeatureDef,
    PartDef,
    Recorded,
)
from formcoach.form.exercises.yamlfile import FileContext, LineMap

__all__ = ["parse_how_judged"]


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


def parse_how_judged(
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
