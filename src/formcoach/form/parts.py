"""From a rep's feature curves to how far each body part deviated, and what to tell it.

Each measured feature is compared with its nearest reference curve (DTW). An arm that hardly
moves while the other does the exercise (a one-arm curl) is not judged: "which arm" must not
decide the verdict. Bilateral features are named after a side: in profile only the side closer
to the reference is kept (pose models guess the far side), and the parts are named after the
near side; from the front both sides count, except for a feature judged on ``either`` side
(one limb shown right rules the fault out). A built-in exercise's level faults (where the rep
got to) are read on either side in profile too: a limb seen reaching the depth or the lockout
shows the rep did, whichever side the pose model guessed worse.

A part deviates as much as its worst feature: its worst named fault for a built-in exercise
(:mod:`formcoach.form.faults`), its DTW distance to the nearest recorded rep for a taught one.
A built-in part whose features are readings of one fault (``needs: all``) deviates only as
much as every one of them shows it: each feature's worst fault, the least of those.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from formcoach.core.skeleton import BODY_PARTS
from formcoach.form.cues import describe, hidden_cue, pick_cue
from formcoach.form.exercises import Exercise
from formcoach.form.exercises.model import FeatureDef, PartDef
from formcoach.form.faults import FaultSize, fault_sizes, is_level
from formcoach.form.readings import RepCurves
from formcoach.form.references import Nearest, References, aligned, unit_of
from formcoach.form.verdict import Deviation

__all__ = ["PartDeviation", "judged_parts", "unseen_parts"]

#: An arm moving less than this share of the other arm's motion is resting while the other one
#: does the exercise (a one-arm curl or raise); it is not judged.
RESTING_SHARE = 0.5


@dataclass(frozen=True)
class PartDeviation:
    """How far one body part deviated, and what to say about it.

    Attributes:
        size: in tolerances (1 is the limit).
        cue: the correction for its worst deviation.
        deviation: which way and when, for reports.
        features: its features' DTW distances in their units (``"part.key[@side]"``).
    """

    size: float
    cue: str
    deviation: Deviation
    features: dict[str, float] = field(default_factory=dict)


def _compared(
    ex: Exercise, refs: References, curves: RepCurves, view: str, by_faults: bool = False
) -> dict[str, Nearest]:
    """Each measured feature of the exercise against its nearest reference curve, on the
    limb(s) doing the exercise. ``by_faults``: the sides :func:`_either_units` merges are all
    kept (each fault is read on the side that rules it out)."""
    defs = ex.feature_defs()
    units = refs.units(view)
    out = {
        key: refs.nearest(view, unit_of(key), q)
        for key, q in curves.curves.items()
        if unit_of(key) in defs and unit_of(key) in units
    }
    for key in _resting(out, curves, defs):
        del out[key]
    either = {k for k in out if unit_of(k) in _either_units(defs, curves.view)}
    if by_faults:
        return out
    return {k: n for k, n in out.items() if k not in either} | _best_side(
        {k: out[k] for k in either}
    )


def _either_units(defs: dict[str, FeatureDef], view: str) -> set[str]:
    """The bilateral features whose faults are read on either side: those marked ``sides:
    either`` from every view, and in profile every one (for its level faults only, see
    :func:`_faults`)."""
    return {u for u, f in defs.items() if f.bilateral and (view == "side" or f.sides == "either")}


def _best_side(compared: dict[str, Nearest]) -> dict[str, Nearest]:
    """In profile, keep each bilateral feature only on the side closer to the reference."""
    out: dict[str, Nearest] = {}
    for key, near in compared.items():
        other = next((k for k in out if unit_of(k) == unit_of(key)), None)
        if other is None:
            out[key] = near
        elif near.distance < out[other].distance:
            del out[other]
            out[key] = near
    return out


def _resting(
    compared: dict[str, Nearest], curves: RepCurves, defs: dict[str, FeatureDef]
) -> list[str]:
    """Keys of a limb resting while the other one does the exercise (a one-arm curl): the
    movement that drives the rep moves the other limb by more than its tolerance, and this
    one by less than :data:`RESTING_SHARE` of that. Each limb's movement is its range over
    the rep and the stream just around it (:attr:`RepCurves.around`): which arm works is a
    property of the movement, not of where the counter cut it."""
    driver = next((n.reference.driver for n in compared.values()), None)
    if driver is None or not driver.startswith("arm."):
        return []  # one arm at a time is common; every leg exercise here works both legs
    motion = {
        side: _range(curves, f"{driver}@{side}")
        for side in ("left", "right")
        if f"{driver}@{side}" in compared
    }
    if len(motion) < 2 or max(motion.values()) < defs[str(driver)].tol:
        return []
    resting = [s for s, m in motion.items() if m < RESTING_SHARE * max(motion.values())]
    return [k for k in compared if k.partition("@")[2] in resting]


def _range(curves: RepCurves, key: str) -> float:
    """How far the (N,) curve ``key`` moved over the rep and the levels just around it."""
    c = curves.curves[key]
    lo, hi = curves.around.get(key, (math.nan, math.nan))
    top = [v for v in (float(c.max()), hi) if not math.isnan(v)]  # NaN: not seen
    low = [v for v in (float(c.min()), lo) if not math.isnan(v)]
    return max(top) - min(low) if top and low else math.nan


def _side(key: str, curves: RepCurves) -> str | None:
    """The side a feature's body part is named after: in profile the near side (one arm, one
    leg, whichever side's curve matched best), else the side it was measured on."""
    side = key.split("@", 1)[1] if "@" in key else None
    if side and curves.view == "side" and curves.near_side:
        return curves.near_side
    return side


def _faults(
    ex: Exercise, refs: References, curves: RepCurves, compared: dict[str, Nearest]
) -> dict[str, FaultSize]:
    """Each feature's worst named fault (size >= 0 in tolerances).

    A feature judged on either side shows each fault as little as its better side does: a
    ``sides: either`` feature every fault, any bilateral feature in profile its level faults
    (where the rep got to: the pose model guesses the far limb, and a limb seen reaching the
    level rules the fault out); its other faults are read on the side closer to the reference,
    under whose key the feature's worst fault is kept.
    """
    defs = ex.feature_defs()
    sizes = _fault_sizes_by_key(ex, refs, curves, compared)
    either = _either_units(defs, curves.view)
    best = _best_side({k: n for k, n in compared.items() if unit_of(k) in either})
    out: dict[str, FaultSize] = {}
    for key, found in sizes.items():
        unit = unit_of(key)
        if unit in either:
            if key not in best:
                continue
            f = defs[unit]
            sides = [k for k in sizes if unit_of(k) == unit]
            found = [
                min((x for k in sides for x in sizes[k] if x.cue is fs.cue), key=_size)
                if f.sides == "either" or is_level(f, fs.cue, compared[key].curve)
                else fs
                for fs in found
            ]
        if found:
            worst = max(found, key=_size)
            out[key] = FaultSize(worst.cue, max(0.0, worst.size))
    return out


def _size(fs: FaultSize) -> float:
    return fs.size


def _fault_sizes_by_key(
    ex: Exercise, refs: References, curves: RepCurves, compared: dict[str, Nearest]
) -> dict[str, list[FaultSize]]:
    """Every fault seen from the view, measured on every compared feature (by key)."""
    defs = ex.feature_defs()
    paths: dict[int, list[tuple[int, int]]] = {}
    out: dict[str, list[FaultSize]] = {}
    for key, near in compared.items():
        ref = near.reference
        if id(ref) not in paths:
            paths[id(ref)] = refs.timing(ref, curves)
        q = curves.curves[key]
        values = aligned(q, paths[id(ref)], len(near.curve))
        around = curves.around.get(key)
        f = defs[unit_of(key)]
        edge = curves.edge.get(key)
        pinned = None if edge is None else aligned(edge, paths[id(ref)], len(near.curve)) > 0
        bound = curves.bound.get(key)
        past = curves.past.get(key)
        out[key] = fault_sizes(
            f, values, near.curve, ref.masks, curves.view, around, q, edge, pinned, bound, past
        )
    return out


def judged_parts(
    ex: Exercise,
    refs: References,
    curves: RepCurves,
    view: str,
    by_faults: bool,
    cue_strength: float = 0.5,
) -> dict[str, PartDeviation]:
    """Body part name -> its deviation, for every part seen (see the module docstring)."""
    compared = _compared(ex, refs, curves, view, by_faults)
    groups: dict[str, list[str]] = {}
    for key in compared:
        name = ex.part_of(unit_of(key)).body_part(_side(key, curves))
        groups.setdefault(name, []).append(key)
    if by_faults:
        faults = _faults(ex, refs, curves, compared)
        return {
            name: _fault_part(ex, name, keys, faults, compared)
            for name, keys in groups.items()
            if any(k in faults for k in keys)
        }
    return {
        name: _resemblance_part(ex, name, keys, refs, curves, compared, cue_strength)
        for name, keys in groups.items()
    }


def _fault_part(
    ex: Exercise,
    name: str,
    keys: list[str],
    faults: dict[str, FaultSize],
    compared: dict[str, Nearest],
) -> PartDeviation:
    shown = [k for k in keys if k in faults]
    key = max(shown, key=lambda k: faults[k].size)
    if ex.part_of(unit_of(key)).needs == "all":  # one fault read twice: as little as it shows
        worst = {unit_of(k): k for k in sorted(shown, key=lambda k: faults[k].size)}
        key = min(worst.values(), key=lambda k: faults[k].size)
    fault = faults[key]
    unit, _, side = key.partition("@")
    f = ex.feature_defs()[unit]
    deviation = Deviation(
        name,
        unit,
        f.resolved(side or None),
        fault.cue.too,
        fault.cue.when,
        round(fault.size, 3),
        describe(f.key, fault.cue.too, fault.cue.when, f.compare == "change"),
    )
    features = {k: compared[k].distance for k in keys}
    return PartDeviation(fault.size, fault.cue.say, deviation, features)


def _resemblance_part(
    ex: Exercise,
    name: str,
    keys: list[str],
    refs: References,
    curves: RepCurves,
    compared: dict[str, Nearest],
    cue_strength: float,
) -> PartDeviation:
    """A part of a taught exercise: its worst DTW distance, and the cue its deviation fits.

    Every feature of the part is compared with the reference along one time alignment — the
    one of the movement that drives the rep (elbow in a curl) — so "at the turning point" means
    the same moment for all of them.
    """
    defs = ex.feature_defs()
    z = {k: compared[k].distance / defs[unit_of(k)].tol for k in keys}
    worst_key = max(keys, key=z.__getitem__)
    ref = compared[worst_key].reference
    path = refs.timing(ref, curves)
    pdef = ex.part_of(unit_of(worst_key))
    cands: list[tuple[FeatureDef, PartDef, np.ndarray, float]] = []
    for key in keys:
        near = compared[key]
        r = near.curve if near.reference is ref else ref.by_unit.get(unit_of(key), [near.curve])[0]
        dev = aligned(curves.curves[key], path, len(r)) - r
        cands.append((defs[unit_of(key)], pdef, dev, z[key]))
    say, f, too, when, size = pick_cue(cands, ref.masks, cue_strength)
    key = next(k for k in keys if defs[unit_of(k)] is f)
    side = key.split("@", 1)[1] if "@" in key else None
    text = describe(f.key, too, when, f.compare == "change")
    deviation = Deviation(name, unit_of(key), f.resolved(side), too, when, round(size, 3), text)
    features = {k: compared[k].distance for k in keys}
    return PartDeviation(z[worst_key], say, deviation, features)


def unseen_parts(
    ex: Exercise,
    refs: References,
    curves: RepCurves,
    view: str,
    judged: dict[str, PartDeviation],
) -> dict[str, str]:
    """Body part -> what to say because it could not be judged from this view."""
    defs = ex.feature_defs()
    units = refs.units(view)
    unseen = {k: why for k, why in curves.hidden.items() if unit_of(k) in defs}
    unseen.update(
        {k: "view" for k in curves.curves if unit_of(k) in defs and unit_of(k) not in units}
    )
    out: dict[str, str] = {}
    for key, why in unseen.items():
        pdef = ex.part_of(unit_of(key))
        side = _side(key, curves)
        name = pdef.body_part(side)
        if name in judged or name in out:
            continue
        if why == "view" and any(pdef.body_part(s) in judged for s in ("left", "right")):
            # the view note names the part without a side ("Turn sideways so I can see your
            # arms"): said while the other arm was judged it contradicts the verdict
            continue
        out[name] = (
            hidden_cue(pdef, curves.view)
            if why == "view"
            else f"Make sure the camera can see {BODY_PARTS[pdef.body_part(side)].spoken}."
        )
    return out
