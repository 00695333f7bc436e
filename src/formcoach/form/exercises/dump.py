"""An :class:`Exercise` written back as YAML text (what
:func:`~formcoach.form.exercises.loader.load_exercise` reads back)."""

from __future__ import annotations

from typing import Any

import yaml

from formcoach.form.exercises.model import Cue, Exercise

__all__ = ["dump_exercise"]


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
