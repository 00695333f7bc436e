"""Tolerances from examples of correct repetitions: how far from its nearest good rep a good rep is.

Used by teaching (a demonstration of one to three reps) and by the evaluation (many reps), so
both turn examples into a judge the same way:

1. for each feature, each example's DTW distance to its nearest other example, measured as the
   judge measures a rep against references (each side against its nearest curve; the worse
   side counts from the front, the better one in profile; references of the same camera view
   when there are any);
2. the tolerance is an upper quantile of those distances (the spread of correct execution),
   shrunk towards a prior tolerance with the weight of ``prior_weight`` examples: a one-rep
   demonstration says nothing about spread, so the prior decides; twenty reps speak for
   themselves. The prior is the built-in exercise's tolerance, or — for a taught exercise
   without one — a share of the feature's range of motion (a still part must stay still, a
   moving one may vary with its motion), never below the pose model's noise;
3. with enough examples, one global factor makes the examples themselves pass (each judged
   against the others, its worst feature deciding) at ``pass_rate``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from dtaidistance import dtw

from formcoach.core.features import feature

__all__ = [
    "CalibrationSettings",
    "calibrate",
    "curve_distance",
    "global_factor",
    "least_tolerance",
    "motion_prior",
    "nearest_distances",
    "shrunk_tolerance",
    "with_least",
]


@dataclass(frozen=True)
class CalibrationSettings:
    """How tolerances are estimated from examples.

    Attributes:
        quantile: which quantile of the examples' nearest-neighbour distances is the spread.
        prior_weight: how many examples the prior tolerance is worth.
        pass_rate: with at least ``min_for_factor`` examples, scale all tolerances so this
            share of the examples pass when each is judged against the others.
        min_for_factor: fewest examples for the global factor.
        relative: a motion prior is this share of the feature's range of motion...
        floor_angle: ...but never below this many degrees (pose-model noise)...
        floor_other: ...or this much for ratios and heights.
        least_angle: a tolerance learned from fewer than ``min_for_factor`` examples is never
            below this many degrees, whatever they show: one to three reps of one take cannot
            show how a person's
            correct reps vary between takes and over a set (posture, camera, the pose model's
            noise on a part that does not move)...
        least_other: ...nor below this much for ratios and heights. Both are the generic
            tolerances (:func:`formcoach.form.teach.generic_exercise`): a demonstration shows
            what to follow, not that its person is steadier than people are.
    """

    quantile: float = 0.9
    prior_weight: float = 1.0
    pass_rate: float = 0.9
    min_for_factor: int = 5
    relative: float = 0.1
    floor_angle: float = 4.0
    floor_other: float = 0.04
    least_angle: float = 12.0
    least_other: float = 0.15

    def __post_init__(self) -> None:
        if not 0 < self.quantile <= 1 or not 0 < self.pass_rate <= 1:
            raise ValueError("CalibrationSettings: quantile and pass_rate must be in (0, 1]")
        if self.prior_weight < 0 or self.relative < 0:
            raise ValueError("CalibrationSettings: weights must be >= 0")


def least_tolerance(spec: str, settings: CalibrationSettings = CalibrationSettings()) -> float:
    """The least tolerance of a taught feature (``spec`` may hold ``{side}``): the generic
    tolerance, 12 degrees or 0.15 units by default."""
    angle = feature(spec.replace("{side}", "left")).is_angle
    return settings.least_angle if angle else settings.least_other


def with_least(
    tol: Mapping[str, float],
    specs: Mapping[str, str],
    n_examples: int,
    settings: CalibrationSettings = CalibrationSettings(),
) -> dict[str, float]:
    """Tolerances learned from ``n_examples`` reps, never below :func:`least_tolerance` when
    they are too few to show a spread (fewer than ``settings.min_for_factor``: a demonstration
    of one to three reps of one take); with more, their spread decides."""
    if n_examples >= settings.min_for_factor:
        return dict(tol)
    return {u: max(t, least_tolerance(specs[u], settings)) for u, t in tol.items()}


def curve_distance(a: np.ndarray, b: np.ndarray, window: int) -> float:
    """DTW distance of two (N,) curves as an RMS deviation along the alignment (their units)."""
    d = dtw.distance_fast(
        np.ascontiguousarray(a, dtype=np.float64),
        np.ascontiguousarray(b, dtype=np.float64),
        window=window,
        use_pruning=False,
    )
    return float(d) / np.sqrt(len(a))


def motion_prior(
    examples: Sequence[Mapping[str, np.ndarray]],
    specs: Mapping[str, str],
    settings: CalibrationSettings = CalibrationSettings(),
) -> dict[str, float]:
    """Prior tolerance per feature from its range of motion in the examples, with a floor.

    Args:
        examples: per example, ``"part.key[@side]"`` -> (N,) curve.
        specs: ``"part.key"`` -> feature spec (to tell angles from ratios).
        settings: relative share and floors.
    """
    ranges: dict[str, list[float]] = {}
    for ex in examples:
        for k, c in ex.items():
            ranges.setdefault(k.split("@")[0], []).append(float(np.ptp(c)))
    out = {}
    for base, spec in specs.items():
        angle = feature(spec.replace("{side}", "left")).is_angle
        floor = settings.floor_angle if angle else settings.floor_other
        r = ranges.get(base)
        out[base] = max(floor, settings.relative * float(np.median(r))) if r else floor
    return out


def shrunk_tolerance(
    distances: Sequence[float], prior: float, settings: CalibrationSettings
) -> float:
    """The spread of ``distances`` (nearest-neighbour distances) shrunk towards ``prior``."""
    d = np.asarray(distances, dtype=np.float64)
    d = d[np.isfinite(d)]
    if not d.size:
        return float(prior)
    spread = float(np.quantile(d, settings.quantile))
    n, w0 = d.size, settings.prior_weight
    return float(np.sqrt((n * spread**2 + w0 * prior**2) / (n + w0)))


def global_factor(worst: Sequence[float], settings: CalibrationSettings) -> float:
    """The factor that lets ``pass_rate`` of the examples pass (1 with too few examples)."""
    w = np.asarray(worst, dtype=np.float64)
    w = w[np.isfinite(w)]
    if w.size < settings.min_for_factor:
        return 1.0
    f = float(np.quantile(w, settings.pass_rate))
    return f if f > 0 else 1.0


def nearest_distances(
    examples: Sequence[Mapping[str, np.ndarray]],
    window: int,
    views: Sequence[str] | None = None,
    groups: Sequence[int] | None = None,
) -> dict[str, dict[int, float]]:
    """For each feature (``"part.key"``), each example's distance to its nearest other example.

    Args:
        examples: per example, ``"part.key[@side]"`` -> (N,) curve.
        window: dtaidistance window.
        views: each example's camera view; neighbours of the same view are preferred.
        groups: each example's recording; neighbours from the same recording are not used
            (when there are others).

    Returns:
        ``"part.key"`` -> {example index: distance}.
    """
    n = len(examples)
    views = list(views) if views is not None else ["any"] * n
    groups = list(groups) if groups is not None else list(range(n))
    out: dict[str, dict[int, float]] = {}
    for i, ex in enumerate(examples):
        others = [j for j in range(n) if j != i and groups[j] != groups[i]]
        if not others:
            others = [j for j in range(n) if j != i]
        same = [j for j in others if views[j] == views[i]]
        others = same or others
        by_base: dict[str, list[np.ndarray]] = {}
        for k, c in ex.items():
            by_base.setdefault(k.split("@")[0], []).append(c)
        for base, mine in by_base.items():
            theirs = [c for j in others for k, c in examples[j].items() if k.split("@")[0] == base]
            if not theirs:
                continue
            per_side = [min(curve_distance(a, b, window) for b in theirs) for a in mine]
            # as the judge: the better side in profile, the worse side from the front
            out.setdefault(base, {})[i] = min(per_side) if views[i] == "side" else max(per_side)
    return out


def calibrate(
    examples: Sequence[Mapping[str, np.ndarray]],
    specs: Mapping[str, str],
    window: int,
    priors: Mapping[str, float] | None = None,
    settings: CalibrationSettings = CalibrationSettings(),
    views: Sequence[str] | None = None,
    groups: Sequence[int] | None = None,
) -> dict[str, float]:
    """Tolerance per feature from examples of correct reps.

    Args:
        examples: per example, ``"part.key[@side]"`` -> (N,) curve.
        specs: ``"part.key"`` -> feature spec, for every feature to calibrate.
        window: dtaidistance window.
        priors: ``"part.key"`` -> prior tolerance (a built-in exercise's); motion priors
            (:func:`motion_prior`) when omitted.
        settings: quantile, prior weight, global pass rate.
        views: each example's camera view (see :func:`nearest_distances`).
        groups: each example's recording (see :func:`nearest_distances`).

    Returns:
        ``"part.key"`` -> tolerance.
    """
    prior = dict(priors) if priors is not None else motion_prior(examples, specs, settings)
    nn = nearest_distances(examples, window, views, groups)
    tol = {
        base: shrunk_tolerance(list(nn.get(base, {}).values()), prior[base], settings)
        for base in specs
    }
    worst = [
        max((d[i] / tol[b] for b, d in nn.items() if i in d and b in tol), default=np.nan)
        for i in range(len(examples))
    ]
    factor = global_factor(worst, settings)
    return {k: v * factor for k, v in tol.items()}
