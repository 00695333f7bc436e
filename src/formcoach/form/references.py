"""The reference repetitions a judge compares with, ready for dynamic time warping.

A built-in exercise brings one reference rep per camera view, drawn from its keyframes; a
taught one the reps recorded in its demonstration. Every reference curve of one view and
feature is stacked in one array, so a single C call of dtaidistance measures a rep's curve
against all of them.

Traps of dtaidistance avoided here: ``use_pruning=False`` (pruning can return ``inf`` when the
best path is the diagonal), and ``window=w+1`` for a band of ``|i-j| <= w``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from dtaidistance import dtw

from formcoach.form.cues import phase_masks, progress
from formcoach.form.curves import RepCurves, resample
from formcoach.form.exercises import Exercise, Recorded

__all__ = ["ALL_VIEWS", "Nearest", "ReferenceRep", "References", "unit_of"]

#: The view key under which every reference of every view is stacked.
ALL_VIEWS = "*"


def unit_of(key: str) -> str:
    """``"arm.elbow@left"`` -> ``"arm.elbow"``."""
    return key.split("@", 1)[0]


@dataclass(frozen=True)
class ReferenceRep:
    """One reference repetition in one view.

    Attributes:
        view: the camera view it is seen from.
        curves: ``"part.key"`` or ``"part.key@side"`` -> (N,) curve.
        by_unit: ``"part.key"`` -> its curves on any side.
        masks: ``"rest"``, ``"peak"``, ``"all"`` -> (N,) bool, where in the rep each phase is.
        driver: the ``"part.key"`` that moves most (in tolerances), which times the rep;
            None for a hold.
    """

    view: str
    curves: dict[str, np.ndarray]
    by_unit: dict[str, list[np.ndarray]]
    masks: dict[str, np.ndarray]
    driver: str | None


@dataclass(frozen=True)
class Nearest:
    """A rep's curve against its nearest reference curve: the DTW distance (RMS along the
    alignment, in the feature's units), that curve and the reference rep it belongs to."""

    distance: float
    curve: np.ndarray
    reference: ReferenceRep


class References:
    """Every reference rep of one exercise, stacked per view and feature.

    Args:
        exercise: whose references (keyframes of a built-in, recordings of a taught one).
        samples: N, samples per curve.
        window: dtaidistance's ``window`` argument.
        extra: more recorded reference reps (e.g. a person's own good reps).
    """

    def __init__(
        self, exercise: Exercise, samples: int, window: int, extra: Sequence[Recorded] = ()
    ) -> None:
        self.samples = samples
        self.window = window
        self._tols = {u: f.tol for u, f in exercise.feature_defs().items()}
        recorded = list(exercise.recorded) + list(extra)
        reps = [self._make(r.view, r.curves) for r in recorded]
        if not exercise.recorded:
            reps += [
                self._make(v, exercise.keyframe_curves(v, samples))
                for v in exercise.reference_views()
            ]
        self.reps = reps
        self._stacks = {
            view: self._stack([r for r in reps if view in (ALL_VIEWS, r.view)])
            for view in {r.view for r in reps} | {ALL_VIEWS}
        }

    def _make(self, view: str, curves: Mapping[str, Sequence[float] | np.ndarray]) -> ReferenceRep:
        arrs = {
            k: resample(np.asarray(c, np.float64), self.samples)
            for k, c in curves.items()
            if unit_of(k) in self._tols
        }
        by_unit: dict[str, list[np.ndarray]] = {}
        for k, c in arrs.items():
            by_unit.setdefault(unit_of(k), []).append(np.ascontiguousarray(c))
        tols = {k: self._tols[unit_of(k)] for k in arrs}
        spans = {unit_of(k): float(np.ptp(c)) / tols[k] for k, c in arrs.items()}
        driver = max(spans, key=spans.__getitem__) if spans else None
        if driver is not None and spans[driver] < 1.0:
            driver = None
        return ReferenceRep(view, arrs, by_unit, phase_masks(progress(arrs, tols)), driver)

    def _stack(self, reps: list[ReferenceRep]) -> dict[str, tuple[np.ndarray, list[ReferenceRep]]]:
        """Per feature: all its reference curves in one array (row 0 left free for the rep)."""
        per: dict[str, tuple[list[np.ndarray], list[ReferenceRep]]] = {}
        for r in reps:
            for unit, cs in r.by_unit.items():
                rows, owners = per.setdefault(unit, ([np.zeros(self.samples)], []))
                rows.extend(cs)
                owners.extend([r] * len(cs))
        return {u: (np.vstack(rows), owners) for u, (rows, owners) in per.items()}

    def has_view(self, view: str) -> bool:
        """True when some reference was seen from ``view``."""
        return view in self._stacks and view != ALL_VIEWS

    def units(self, view: str) -> set[str]:
        """The features with a reference in ``view``."""
        return set(self._stacks.get(view, {}))

    def nearest(self, view: str, unit: str, q: np.ndarray) -> Nearest:
        """The reference curve of ``unit`` in ``view`` nearest to the (N,) curve ``q``."""
        rows, owners = self._stacks[view][unit]
        series = rows.copy()
        series[0] = q
        d = np.asarray(
            dtw.distance_matrix_fast(
                series,
                block=((0, 1), (1, len(series))),
                window=self.window,
                use_pruning=False,
                compact=True,
                parallel=False,
            )
        )
        i = int(np.argmin(d))
        return Nearest(float(d[i]) / math.sqrt(self.samples), rows[i + 1], owners[i])

    def timing(self, ref: ReferenceRep, curves: RepCurves) -> list[tuple[int, int]]:
        """The DTW alignment (rep sample, reference sample) of a rep with ``ref``, on the
        movement that drives it; the diagonal for a still reference."""
        if ref.driver is not None:
            mine = [c for k, c in curves.curves.items() if unit_of(k) == ref.driver]
            if mine:
                r = ref.by_unit[ref.driver][0]
                q = min(mine, key=lambda c: float(np.abs(c - r).mean()))
                return dtw.warping_path_fast(q, r, window=self.window, use_pruning=False)
        return [(i, i) for i in range(self.samples)]

    def first_curves(self, view: str) -> dict[str, np.ndarray]:
        """The first reference's curves in a view (for plots); empty when there is none."""
        for r in self.reps:
            if r.view == view:
                return dict(r.curves)
        return {}


def aligned(q: np.ndarray, path: Sequence[tuple[int, int]], n: int) -> np.ndarray:
    """(n,) the mean of the rep's (N,) curve ``q`` over the samples aligned to each reference
    sample along ``path``."""
    total = np.zeros(n)
    count = np.zeros(n)
    for i, j in path:
        total[j] += q[i]
        count[j] += 1
    return total / np.maximum(count, 1)
