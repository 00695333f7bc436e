"""What the coach says: choosing a correction from how a repetition deviated.

An exercise file carries specific cues ("Go lower: hips down to knee height") for its typical
faults; when a deviation matches none of them, a generic sentence for the feature and direction
is used ("Bend your knees more."). Sentences never contain numbers.
"""

from __future__ import annotations

import re
from collections.abc import Container

import numpy as np

from formcoach.core.skeleton import BODY_PARTS
from formcoach.form.exercises.model import Cue, Exercise, FeatureDef, PartDef

__all__ = [
    "GENERIC_CUES",
    "generic_cue",
    "hidden_cue",
    "phase_masks",
    "pick_cue",
    "praise_for",
    "progress",
]

#: Catalogue feature (side-free name) -> (cue when its value is too high, when too low).
GENERIC_CUES: dict[str, tuple[str, str]] = {
    "elbow": ("Bend your elbows more.", "Straighten your arms more."),
    "shoulder": ("Keep your upper arms closer to your body.", "Raise your arms higher."),
    "hip": ("Bend more at the hips.", "Keep your hips straighter."),
    "knee": ("Bend your knees more.", "Don't bend your knees so much."),
    "ankle": ("Let your knees come forward a little.", "Keep your shins more upright."),
    "upper_arm_tilt": ("Raise your upper arms higher.", "Keep your elbows lower."),
    "forearm_tilt": ("Raise your hands higher.", "Keep your hands lower."),
    "thigh_tilt": ("Go lower: bring your thighs closer to level.", "Don't drop quite so low."),
    "shin_tilt": ("Let your knees come forward a little.", "Keep your shins more upright."),
    "wrist_height": ("Don't raise your hands so high.", "Raise your hands higher."),
    "shoulder_lift": ("Lift your shoulders up towards your ears.", "Relax your shoulders down."),
    "shoulder_height": ("Relax your shoulders down.", "Lift your shoulders up towards your ears."),
    "trunk_tilt": ("Keep your back more upright.", "Lean forward a little more."),
    "neck_tilt": (
        "Keep your head in line with your back.",
        "Keep your head in line with your back.",
    ),
    "knee_width": (
        "Keep your knees in line with your feet.",
        "Push your knees out over your toes.",
    ),
    "knee_track": (
        "Keep your knees in line with your feet.",
        "Push your knees out over your toes.",
    ),
}

_WHEN_WORDS = {"rest": "at the start and end", "peak": "at the turning point", "all": "throughout"}


def _base_name(spec: str) -> str | None:
    """``"{side}_knee"`` / ``"left_knee"`` / ``"knee"`` -> ``"knee"``; None for kind(...) specs."""
    if "(" in spec:
        return None
    return re.sub(r"^(\{side\}|left|right)_", "", spec)


def generic_cue(f: FeatureDef, part: PartDef, too: str) -> str:
    """A generic correction for a feature that is too high or too low."""
    base = _base_name(f.spec)
    if base in GENERIC_CUES:
        return GENERIC_CUES[base][0 if too == "high" else 1]
    spoken = BODY_PARTS[part.body_part("left")].spoken if part.name != "arm" else "your arms"
    if part.name == "leg":
        spoken = "your legs"
    if f.spec.startswith("angle("):
        return f"Watch {spoken}: bend {'more' if too == 'high' else 'less'}."
    return f"Watch {spoken}: keep them moving like a good rep."


def hidden_cue(part: PartDef, view: str) -> str:
    """What to say when a part cannot be judged from this view."""
    if part.hidden:
        return part.hidden
    spoken = BODY_PARTS[part.body_part("left")].spoken
    if part.name in ("arm", "leg"):
        spoken = f"your {part.name}s"
    other = [v for v in part.views if v != view]
    if other and other[0] == "side":
        return f"Turn sideways so I can see {spoken}."
    if other and other[0] == "front":
        return f"Face the camera so I can see {spoken}."
    return f"Step back so I can see {spoken}."


def progress(curves: dict[str, np.ndarray], tols: dict[str, float]) -> np.ndarray:
    """How far into the movement a reference is at each sample, 0 (rest) to 1 (turning point).

    Each curve's distance from its starting value, in tolerances, weighted by how much it
    moves; (N,) in [0, 1], all zeros for a still reference (a hold).
    """
    acc = None
    total = 0.0
    for k, c in curves.items():
        tol = tols.get(k, 1.0)
        away = np.abs(c - c[0]) / tol
        span = float(away.max())
        if span < 1.0:  # moves less than its tolerance: not part of the movement
            continue
        acc = away if acc is None else acc + away
        total += span
    if acc is None or total == 0:
        n = len(next(iter(curves.values()))) if curves else 0
        return np.zeros(n)
    return acc / float(acc.max())


def phase_masks(prog: np.ndarray) -> dict[str, np.ndarray]:
    """Boolean (N,) masks of the reference samples at rest, at the turning point, and all."""
    full = np.ones(len(prog), bool)
    if not np.any(prog > 0):
        return {"rest": full, "peak": full, "all": full}
    return {"rest": prog <= 0.25, "peak": prog >= 0.75, "all": full}


def pick_cue(
    candidates: list[tuple[FeatureDef, PartDef, np.ndarray, float]],
    masks: dict[str, np.ndarray],
    min_strength: float = 0.5,
) -> tuple[str, FeatureDef, str, str, float]:
    """Choose what to say about a part from its features' deviations.

    Args:
        candidates: (feature, part, deviation (N,) in feature units along the reference —
            query minus reference —, the feature's deviation in tolerances).
        masks: reference phase masks from :func:`phase_masks`.
        min_strength: how far (in tolerances) a deviation must go in a cue's direction and
            phase for that specific cue to be chosen over a generic one.

    Returns:
        (sentence, feature, too, when, strength in tolerances).
    """
    best: tuple[float, str, FeatureDef, str, str] | None = None
    for f, _part, dev, _z in candidates:
        for cue in f.cues:
            s = _strength(dev, masks[cue.when], cue, f.tol)
            if best is None or s > best[0]:
                best = (s, cue.say, f, cue.too, cue.when)
    if best is not None and best[0] >= min_strength:
        return best[1], best[2], best[3], best[4], best[0]
    # no specific cue fits: a generic one for the feature that deviates most
    f, part, dev, _z = max(candidates, key=lambda c: c[3])
    when, mean = max(
        ((w, float(dev[m].mean()) if m.any() else 0.0) for w, m in masks.items()),
        key=lambda wm: abs(wm[1]),
    )
    too = "high" if mean > 0 else "low"
    return generic_cue(f, part, too), f, too, when, abs(mean) / f.tol


def _strength(dev: np.ndarray, mask: np.ndarray, cue: Cue, tol: float) -> float:
    if not mask.any():
        return 0.0
    sign = 1.0 if cue.too == "high" else -1.0
    return sign * float(dev[mask].mean()) / tol


def describe(feature_key: str, too: str, when: str, change: bool = False) -> str:
    """A short description of a deviation for reports: ``"knee too high at the turning point"``;
    for a feature judged by its change, ``"upper arm moved too much at the turning point"``."""
    key = feature_key.replace("_", " ")
    if change:
        how = "moved too much" if too == "high" else "moved too little"
        return f"{key} {how} {_WHEN_WORDS.get(when, when)}"
    return f"{key} too {too} {_WHEN_WORDS.get(when, when)}"


def praise_for(ex: Exercise, judged: Container[str]) -> tuple[str, ...]:
    """What may be said after a good rep whose judged body parts are ``judged``: the
    exercise's praise, and a part's own praise ("Nice and straight." about the body line) only
    when that part was seen and judged — never about a part the camera did not show."""
    seen = [p.praise for p in ex.parts if any(p.body_part(s) in judged for s in ("left", "right"))]
    return (*ex.praise, *(line for lines in seen for line in lines)) or ("Good rep.",)
