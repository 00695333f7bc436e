"""A repetition's feature curves: each judged feature over the rep, resampled to N samples.

The judge compares these curves with reference curves, so both must be measured the same way:
on the side nearer the camera in a side view (the far side is hidden or guessed by the pose
model), on both sides from the front; short gaps interpolated; N samples spread evenly over the
repetition whatever its speed. A feature along the body's length (a plank's line from shoulders
to ankles) is measured on the mean of both sides where both are seen (``sides: mean``): a
camera above or below the body, or close to it, reads each side off by the body's widths, the
near and far side by opposite amounts.

A feature compared by its ``"change"`` (:class:`~formcoach.form.exercises.FeatureDef`) is
measured from the person's own rest position: the frames at each end of the rep where the
movement driving it (the exercise's drive feature, on the same side) is nearest its rest level
— within a quarter of its range (:func:`formcoach.form.rest.rest_frames`) —, wherever the
counter cut the rep. An angle or ratio
becomes its value minus its median there, a tilt the angle the segment turned through since
then, whatever the direction. Who holds their trunk a little forward, or films from a little
above, then starts from zero like everybody else.

The change is :func:`~formcoach.form.rest.change_from_rest`'s; the curves are a
:class:`~formcoach.form.readings.RepCurves` (importable from here too, as are the other readings
of a rep :mod:`formcoach.form.readings` gives).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from formcoach.core.body import LEG_JOINTS, body_unit, folded_frames
from formcoach.core.features import FeatureSpec, estimate_view, feature
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON_JOINTS
from formcoach.form.exercises.model import SIDES, Exercise, FeatureDef, PartDef
from formcoach.form.readings import RepCurves, half_turn, widened
from formcoach.form.rest import REST_SHARE, change_from_rest, rest_frames
from formcoach.pose.glitches import GlitchSettings, remove_glitches

__all__ = [
    "REST_SHARE",
    "RepCurves",
    "choose_sides",
    "feature_spec",
    "half_turn",
    "rep_curves",
    "resample",
    "unit_name",
    "widened",
]


@lru_cache(maxsize=1024)
def feature_spec(text: str) -> FeatureSpec:
    """The catalogue feature ``text``, parsed once."""
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


def choose_sides(
    seq: PoseSequence, view: str, near_side: str | None, profile: str = "best"
) -> tuple[str, ...]:
    """The sides whose bilateral features are measured: both, except in a side view with
    ``profile="near"`` and a known near side."""
    if view == "side" and profile == "near" and near_side in SIDES:
        return (near_side,)
    return SIDES


def part_seen(part: PartDef, view: str, oblique: bool) -> bool:
    """Can ``part`` be judged from ``view``? A three-quarter side view also shows the parts
    judged from the front (knees caving in)."""
    return view in part.views or (oblique and view == "side" and "front" in part.views)


class _RestFrames:
    """Where one rep rested, per side, found once (:func:`rest_frames`) in the poses ``xy``
    (T, J, 2) of the stream around it (the rep at ``inside``)."""

    def __init__(self, xy: np.ndarray, exercise: Exercise, inside: slice) -> None:
        self.xy, self.exercise, self.inside = xy, exercise, inside
        self.levels = exercise.drive_levels()
        self._by_side: dict[str | None, np.ndarray] = {}

    def __call__(self, side: str | None) -> np.ndarray:
        if side not in self._by_side:
            self._by_side[side] = rest_frames(
                self.xy, self.exercise, side, self.levels, self.inside
            )
        return self._by_side[side]

    def change(self, x: np.ndarray, spec: FeatureSpec, side: str | None) -> np.ndarray:
        """The rep's (T,) values ``x`` of a feature as their change from where it rested."""
        around = spec(self.xy)
        around[self.inside] = x
        return change_from_rest(around, spec, self.xy, self(side))[self.inside]


def _measure_side(
    f: FeatureDef, side: str | None, xy: np.ndarray, max_missing: float, rest: _RestFrames
) -> np.ndarray | None:
    """(T,) curve of one feature on one side, gaps filled; None when missing too often."""
    spec = feature_spec(f.resolved(side))
    x = spec(xy)
    if not len(x) or float((~np.isfinite(x)).mean()) > max_missing:
        return None
    x = _fill(x).astype(np.float64)
    if f.compare == "change":
        x = rest.change(x, spec, side)
        x = _fill(x) if np.isfinite(x).any() else x
    return x if np.isfinite(x).all() else None


def _measure_feature(
    unit: str,
    f: FeatureDef,
    sides: tuple[str, ...],
    xy: np.ndarray,
    max_missing: float,
    rest: _RestFrames,
    near_side: str | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """One feature on every side it is measured on: (curves, hidden) by key. A ``sides:
    mean`` feature seen on both sides is their mean, named after the near side (the side
    bilateral parts are named after in profile), else the first side."""
    on: tuple[str | None, ...] = sides if f.bilateral else (None,)
    measured: dict[str, np.ndarray] = {}
    hidden: dict[str, str] = {}
    for side in on:
        x = _measure_side(f, side, xy, max_missing, rest)
        if x is None:
            hidden[unit_name(unit, side)] = "unseen"
        else:
            measured[unit_name(unit, side)] = x
    if not measured and f.bilateral and len(sides) == 1:
        # the near side is hidden: the far one may be seen well enough
        other = "right" if sides[0] == "left" else "left"
        x = _measure_side(f, other, xy, max_missing, rest)
        if x is not None:
            hidden.pop(unit_name(unit, sides[0]), None)
            measured[unit_name(unit, other)] = x
    if f.sides == "mean" and len(measured) > 1:
        side = near_side if near_side in sides else sides[0]
        return {unit_name(unit, side): np.mean(list(measured.values()), axis=0)}, {}
    return measured, hidden


def rep_curves(
    seq: PoseSequence,
    exercise: Exercise,
    samples: int = 40,
    view: str | None = None,
    near_side: str | None = None,
    max_missing: float = 0.3,
    profile: str = "best",
    glitches: GlitchSettings | None = GlitchSettings(),
    oblique: bool = False,
    beyond: np.ndarray | None = None,
    inside: slice | None = None,
) -> RepCurves:
    """Measure an exercise's judged features over a repetition.

    Args:
        seq: the repetition's poses (T frames, any skeleton), or with ``inside`` the stream
            around it (where a ``"change"`` feature's rest is looked for too).
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
        oblique: a three-quarter side view: parts judged from the front are measured too.
        beyond: (T, J, 2) outward directions of COMMON joints pinned to the frame's edge.
        inside: where the repetition is in ``seq`` (default: all of it).

    Returns:
        The curves, and the features that could not be measured and why.
    """
    inside = slice(*(inside or slice(0, len(seq))).indices(len(seq))[:2])
    common = seq.to_common()
    if glitches is not None:
        common, _ = remove_glitches(common, glitches)
    if view is None or (view == "side" and near_side is None):
        v = estimate_view(common[inside])
        view = view or v.facing
        near_side = near_side or v.near_side
    sides = choose_sides(common, view, near_side, profile)
    around = unfold(common).xy
    rest = _RestFrames(around, exercise, inside)
    xy = around[inside]
    curves, hidden = _measure_parts(
        exercise, view, oblique, sides, xy, max_missing, rest, near_side
    )
    edge, bound = _edge_samples(exercise, list(curves), xy, beyond, samples)
    curves = {k: resample(c, samples) for k, c in curves.items()}
    near = near_side if view == "side" and near_side in SIDES else None
    frames = inside.stop - inside.start
    return RepCurves(view, sides, curves, hidden, frames, near, {}, oblique, (), edge, bound)


def _measure_parts(
    exercise: Exercise,
    view: str,
    oblique: bool,
    sides: tuple[str, ...],
    xy: np.ndarray,
    max_missing: float,
    rest: _RestFrames,
    near_side: str | None,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Every judged feature of the rep's (T, J, 2) poses ``xy``: (T,) curves and why the
    others are hidden, by key."""
    curves: dict[str, np.ndarray] = {}
    hidden: dict[str, str] = {}
    for part in exercise.parts:
        seen = part_seen(part, view, oblique)
        for f in part.features:
            unit = f"{part.name}.{f.key}"
            if not seen:
                for side in sides if f.bilateral else (None,):
                    hidden[unit_name(unit, side)] = "view"
                continue
            measured, missing = _measure_feature(unit, f, sides, xy, max_missing, rest, near_side)
            curves.update(measured)
            hidden.update(missing)
    return curves, hidden


def _edge_samples(
    exercise: Exercise, keys: list[str], read: np.ndarray, beyond: np.ndarray | None, samples: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Key -> (samples,) bool: where the feature was read on the poses as given (T, J, 2)
    ``read`` but not without the joints pinned to the frame's edge (``beyond``: (T, J, 2)
    outward directions, :func:`formcoach.form.frame_edge.beyond_frame`); and key -> (samples,)
    which way (+1 / -1, 0: neither) the feature moves there with the pinned joints pushed a
    little further out. Keys with any."""
    if beyond is None or not beyond.any():
        return {}, {}
    out_dir = np.nan_to_num(beyond)
    pinned = (out_dir != 0).any(axis=-1)
    seen = read.copy()
    seen[pinned] = np.nan
    unit_len = body_unit(read)
    step = 1e-3 * float(np.nanmedian(unit_len)) if np.isfinite(unit_len).any() else 0.0
    pushed = read + step * out_dir
    defs = exercise.feature_defs()
    edge: dict[str, np.ndarray] = {}
    bound: dict[str, np.ndarray] = {}
    for key in keys:
        unit, _, side = key.partition("@")
        f = defs[unit]
        on = SIDES if f.sides == "mean" and side else (side or None,)
        lost = np.zeros(len(read), bool)
        way = np.zeros(len(read))
        for s in on:
            spec = feature_spec(f.resolved(s))
            here = spec(read)
            lost_s = np.isfinite(here) & ~np.isfinite(spec(seen))
            lost |= lost_s
            way += np.where(lost_s, np.nan_to_num(np.sign(spec(pushed) - here)), 0.0)
        if lost.any():
            edge[key] = resample(lost.astype(np.float64), samples) > 0
            bound[key] = np.sign(resample(way, samples))
    return edge, bound


def unfold(common: PoseSequence) -> PoseSequence:
    """The poses (COMMON skeleton) with the hips and legs unseen in the frames where the
    skeleton is folded (:func:`formcoach.core.body.folded_frames`): the pose model did not
    really see them there, so the features on them are missing in those frames, and a feature
    missing too often is not judged."""
    folded = folded_frames(common.xy)
    if not folded.any():
        return common
    legs = [COMMON_JOINTS.index(j) for j in LEG_JOINTS]
    xy, vis = common.xy.copy(), common.visibility.copy()
    xy[np.ix_(folded, legs)] = np.nan
    vis[np.ix_(folded, legs)] = 0.0
    return common.replace(xy=xy, visibility=vis)
