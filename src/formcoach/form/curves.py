"""A repetition's feature curves: each judged feature over the rep, resampled to N samples.

The judge compares these curves with reference curves, so both must be measured the same way:
on the side nearer the camera in a side view (the far side is hidden or guessed by the pose
model), on both sides from the front; short gaps interpolated; N samples spread evenly over the
repetition whatever its speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from formcoach.core.features import FeatureSpec, estimate_view, feature
from formcoach.core.pose import PoseSequence
from formcoach.form.exercises.model import SIDES, Exercise
from formcoach.pose.glitches import GlitchSettings, remove_glitches

__all__ = ["RepCurves", "choose_sides", "half_turn", "rep_curves", "resample", "unit_name"]


@lru_cache(maxsize=1024)
def _spec(text: str) -> FeatureSpec:
    return feature(text)


def unit_name(unit: str, side: str | None) -> str:
    """``"leg.knee"`` + ``"left"`` -> ``"leg.knee@left"``; single features keep their name."""
    return f"{unit}@{side}" if side else unit


def resample(x: np.ndarray, n: int) -> np.ndarray:
    """(T,) -> (n,) by linear interpolation over the frame index."""
    if len(x) == n:
        return x.astype(np.float64)
    t = np.linspace(0.0, len(x) - 1.0, n)
    return np.interp(t, np.arange(len(x)), x).astype(np.float64)


def _fill(x: np.ndarray) -> np.ndarray:
    ok = np.isfinite(x)
    if ok.all():
        return x
    idx = np.flatnonzero(ok)
    return np.interp(np.arange(len(x)), idx, x[idx])


@dataclass(frozen=True)
class RepCurves:
    """The judged features of one repetition.

    Attributes:
        view: ``"side"`` or ``"front"``.
        sides: the sides bilateral features were measured on.
        curves: ``"part.feature"`` or ``"part.feature@side"`` -> (N,) float64 curve.
        hidden: the same kind of key -> why it could not be measured (``"view"``: the part is
            not judged from this view; ``"unseen"``: its joints were missing too often).
        frames: T, the number of frames of the repetition.
        near_side: in a side view, the side nearer the camera (by the pose model's
            visibility), when known: bilateral parts are named after it in profile.
    """

    view: str
    sides: tuple[str, ...]
    curves: dict[str, np.ndarray]
    hidden: dict[str, str] = field(default_factory=dict)
    frames: int = 0
    near_side: str | None = None


def half_turn(rc: RepCurves) -> RepCurves:
    """The same rep cut half a cycle later: its second half first.

    A counter that takes the turning point for the rest position cuts a push-up
    bottom-to-bottom instead of top-to-top; turned by half, the rep lines up with a reference
    that starts at rest.
    """
    curves = {k: np.concatenate([c[len(c) // 2 :], c[: len(c) // 2]]) for k, c in rc.curves.items()}
    return replace(rc, curves=curves)


def choose_sides(
    seq: PoseSequence, view: str, near_side: str | None, profile: str = "best"
) -> tuple[str, ...]:
    """The sides whose bilateral features are measured: both, except in a side view with
    ``profile="near"`` and a known near side."""
    if view == "side" and profile == "near" and near_side in SIDES:
        return (near_side,)
    return SIDES


def rep_curves(
    seq: PoseSequence,
    exercise: Exercise,
    samples: int = 40,
    view: str | None = None,
    near_side: str | None = None,
    max_missing: float = 0.3,
    profile: str = "best",
    glitches: GlitchSettings | None = GlitchSettings(),
) -> RepCurves:
    """Measure an exercise's judged features over a repetition.

    Args:
        seq: the repetition's poses (T frames, any skeleton).
        exercise: which features to measure, on which parts, from which views.
        samples: N, the number of samples per curve.
        view: the camera view; estimated from ``seq`` when omitted.
        near_side: the side nearer the camera in a side view; estimated when omitted.
        max_missing: a feature missing in more than this share of the frames is not judged.
        profile: in a side view, measure bilateral features on the ``"near"`` side only, or on
            both sides seen well enough (``"best"``: the judge keeps the side closer to the
            reference, since pose models often guess or swap the far side in profile).
        glitches: what counts as a pose-model glitch; its frames are dropped per joint and
            interpolated over (:func:`formcoach.pose.glitches.remove_glitches`). ``None`` keeps
            every position.

    Returns:
        The curves, and the features that could not be measured and why.
    """
    common = seq.to_common()
    if glitches is not None:
        common, _ = remove_glitches(common, glitches)
    if view is None or (view == "side" and near_side is None):
        v = estimate_view(common)
        view = view or v.facing
        near_side = near_side or v.near_side
    sides = choose_sides(common, view, near_side, profile)
    xy = common.xy
    curves: dict[str, np.ndarray] = {}
    hidden: dict[str, str] = {}
    for part in exercise.parts:
        for f in part.features:
            unit = f"{part.name}.{f.key}"
            on = sides if f.bilateral else (None,)
            if view not in part.views:
                for side in on:
                    hidden[unit_name(unit, side)] = "view"
                continue
            measured: dict[str, np.ndarray] = {}
            for side in on:
                x = _spec(f.resolved(side))(xy)
                miss = float((~np.isfinite(x)).mean()) if len(x) else 1.0
                if miss > max_missing:
                    hidden[unit_name(unit, side)] = "unseen"
                    continue
                measured[unit_name(unit, side)] = _fill(x).astype(np.float64)
            if not measured and f.bilateral and len(sides) == 1:
                # the near side is hidden: the far one may be seen well enough
                other = "right" if sides[0] == "left" else "left"
                x = _spec(f.resolved(other))(xy)
                if len(x) and float((~np.isfinite(x)).mean()) <= max_missing:
                    hidden.pop(unit_name(unit, sides[0]), None)
                    measured[unit_name(unit, other)] = _fill(x).astype(np.float64)
            curves.update(measured)
    curves = {k: resample(c, samples) for k, c in curves.items()}
    near = near_side if view == "side" and near_side in SIDES else None
    return RepCurves(view, sides, curves, hidden, len(seq), near)
