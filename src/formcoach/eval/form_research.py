"""Research protocols for form judging, which learn from labelled examples (the product never
has any): what a judge taught from other people's correct reps could do.

One generic method for every exercise — no per-exercise choice of features:

- **Reps.** Pose-model glitches (a joint teleporting for a moment and coming back,
  :mod:`formcoach.pose.glitches`) are bridged over the whole file, as the judge does around a rep;
  then the counter splits each file into reps; each rep keeps the frames around it up to
  halfway to its neighbours (a file with one rep, or none found, is judged whole). The labelled
  files are short clips their authors cut around the reps, so the surroundings belong to them.
- **Features.** Every catalogue feature of the generic parts
  (:data:`formcoach.form.teach.GENERIC_PARTS`) the camera sees, on the near side in profile.
- **one-class**: for each file, an exercise is taught from the reps of all *other* correct
  files (:func:`formcoach.form.calibration.calibrate`: tolerances from their spread, a global
  factor so that 90% of them pass) and the file is judged against it, exactly as a taught
  :class:`formcoach.form.judge.FormJudge` judges: per feature the nearest reference, per rep the
  worst feature, per file the mean over its reps. Reported: the ROC AUC of that deviation, and
  the accuracy of the judge's own pass/fail (deviation <= 1, a threshold that never saw an
  incorrect rep).
- **loo** (leave-one-out, both labels known): two ways to use the labelled training files — the
  one-class deviation with its threshold placed where it best separates the training files, or
  the training file nearest in calibrated distance (RMS over features, in tolerances) — and the
  method picks, by leave-one-out on the training files alone, whichever classifies them better.

Distances are computed once (every rep against every rep of another file, per feature and
side) and every protocol reuses them. (The judge's half-cycle phase check is not needed here:
the labelled clips were cut by their authors.)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.view import estimate_view
from formcoach.counting import count_reps
from formcoach.eval.form_data import LabelledFile
from formcoach.form.calibration import (
    CalibrationSettings,
    curve_distance,
    global_factor,
    motion_prior,
    shrunk_tolerance,
)
from formcoach.form.exercises import Exercise, get_exercise
from formcoach.form.judge import JudgeSettings, measure_curves
from formcoach.form.readings import RepCurves
from formcoach.form.teach import generic_exercise
from formcoach.pose.glitches import repaired

__all__ = [
    "RESEARCH_PROTOCOLS",
    "PrecomputedJudge",
    "RepSet",
    "auc",
    "evaluate_exercise",
    "library_exercise",
    "measure_reps",
]

#: The protocols that learn from labelled examples.
RESEARCH_PROTOCOLS = ("loo", "one-class")


def library_exercise(name: str) -> Exercise | None:
    """The built-in (or taught) exercise a data set's exercise name means, if any."""
    try:
        return get_exercise(name)
    except FormcoachError:
        return None


def auc(correct_scores, incorrect_scores) -> float:
    """ROC AUC of a score that should be higher for incorrect reps (ties count half)."""
    c = np.asarray(correct_scores, float)
    i = np.asarray(incorrect_scores, float)
    if not len(c) or not len(i):
        return float("nan")
    gt = (i[:, None] > c[None, :]).sum() + 0.5 * (i[:, None] == c[None, :]).sum()
    return float(gt / (len(c) * len(i)))


def _spans(seq: PoseSequence, hint: Exercise | None) -> list[tuple[int, int]]:
    """Each rep with its surroundings up to halfway to its neighbours; the whole file if <= 1."""
    if not seq.detected.any():  # nobody seen: nothing to count (count_reps would warn)
        return [(0, len(seq) - 1)]
    reps = count_reps(seq, hint) if hint is not None else count_reps(seq)
    if len(reps) <= 1:
        return [(0, len(seq) - 1)]
    cuts = [0] + [(a.end_frame + b.start_frame) // 2 for a, b in itertools.pairwise(reps)]
    cuts.append(len(seq))
    return [(cuts[i], cuts[i + 1] - 1) for i in range(len(reps))]


@dataclass(eq=False)
class RepSet:
    """Every rep of a set of files, measured, with rep-to-rep distances.

    Attributes:
        files: the labelled files.
        file_of: (R,) the file of each rep.
        curves: each rep's curves.
        bases: the features (``"part.key"``) measured on any rep.
        dist: per feature, (S, R, R): rep a's s-th side against rep r (nearest of r's sides);
            ``inf`` where a has no s-th side, r lacks the feature, or both are one file.
        specs: per feature, its spec.
    """

    files: list[LabelledFile]
    file_of: np.ndarray
    curves: list[RepCurves]
    bases: list[str]
    dist: dict[str, np.ndarray]
    specs: dict[str, str]

    @property
    def labels(self) -> np.ndarray:
        """(R,) True for reps of correct files."""
        return np.array([self.files[f].correct for f in self.file_of], bool)


def measure_reps(
    files: list[LabelledFile],
    hint: Exercise | None = None,
    settings: JudgeSettings = JudgeSettings(),
    template: Exercise | None = None,
) -> RepSet:
    """Find, measure and compare every rep of ``files`` (see the module docstring)."""
    template = template or generic_exercise("evaluation")
    file_of: list[int] = []
    curves: list[RepCurves] = []
    for fi, lf in enumerate(files):
        seq = repaired(lf.seq, settings.glitches)
        view = estimate_view(seq)
        for a, b in _spans(seq, hint):
            rc = measure_curves(seq[a : b + 1], template, settings, view.facing, view.near_side)
            if rc.curves:
                file_of.append(fi)
                curves.append(rc)
    n = len(curves)
    bases = sorted({k.split("@")[0] for rc in curves for k in rc.curves})
    grouped = [_group(rc) for rc in curves]
    slots = {b: max(len(g.get(b, ())) for g in grouped) for b in bases}
    dist = {b: np.full((slots[b], n, n), np.inf) for b in bases}
    w = settings.window
    for a in range(n):
        for r in range(n):
            if file_of[a] == file_of[r]:
                continue
            for b, mine in grouped[a].items():
                theirs = grouped[r].get(b)
                if theirs:
                    for s, q in enumerate(mine):
                        dist[b][s, a, r] = min(curve_distance(q, c, w) for c in theirs)
    specs = {u: f.spec for u, f in template.feature_defs().items() if u in bases}
    return RepSet(files, np.array(file_of, dtype=np.int64), curves, bases, dist, specs)


def _group(rc: RepCurves) -> dict[str, list[np.ndarray]]:
    out: dict[str, list[np.ndarray]] = {}
    for k in sorted(rc.curves):
        out.setdefault(k.split("@")[0], []).append(rc.curves[k])
    return out


class PrecomputedJudge:
    """The judge's arithmetic on a :class:`RepSet`'s precomputed distances: teach an exercise
    from some reps and judge others, as :func:`~formcoach.form.teach.teach_from_curves` and
    :class:`~formcoach.form.judge.FormJudge` (taught, resemblance) would, without measuring
    anything twice."""

    def __init__(self, reps: RepSet, cal: CalibrationSettings) -> None:
        self.reps = reps
        self.cal = cal
        views = np.array([rc.view for rc in reps.curves])
        self.profile = views == "side"
        self.same_view = views[:, None] == views[None, :]
        self.other_file = reps.file_of[:, None] != reps.file_of[None, :]

    def allowed(self, refs: np.ndarray) -> np.ndarray:
        """(R, R) which references each rep may use: others' reps, same view if any."""
        ok = self.other_file & refs[None, :]
        same = ok & self.same_view
        return np.where(same.any(axis=1, keepdims=True), same, ok)

    def nearest(self, refs: np.ndarray) -> dict[str, np.ndarray]:
        """Per feature, (R,) each rep's distance to its nearest allowed reference."""
        allowed = self.allowed(refs)
        out = {}
        for b, d in self.reps.dist.items():
            m = np.where(allowed[None], d, np.inf).min(axis=2)  # (S, R)
            absent = np.isinf(d).all(axis=2)  # a side a does not have
            worst = np.where(absent, -np.inf, m).max(axis=0)  # from the front: the worse side
            best = np.where(absent, np.inf, m).min(axis=0)  # in profile: the better side
            best = np.where(absent.all(axis=0), -np.inf, best)
            # -inf: a lacks b; inf: no reference has b
            out[b] = np.where(self.profile, best, worst)
        return out

    def tolerances(self, train: np.ndarray) -> dict[str, float]:
        """Tolerances taught from the reps ``train`` ((R,) bool), as :func:`calibrate` does
        (teaching also holds fewer than ``min_for_factor`` reps to the generic tolerance,
        :func:`~formcoach.form.calibration.with_least`: not here, where the protocols
        measure what labelled reps alone teach)."""
        idx = np.flatnonzero(train)
        prior = motion_prior([self.reps.curves[i].curves for i in idx], self.reps.specs, self.cal)
        nn = self.nearest(train)
        tol = {}
        for b in self.reps.bases:
            d = nn[b][idx]
            tol[b] = shrunk_tolerance(d[np.isfinite(d)].tolist(), prior[b], self.cal)
        z = np.stack([nn[b][idx] / tol[b] for b in self.reps.bases])
        z = np.where(np.isfinite(z), z, np.nan)
        with np.errstate(all="ignore"):
            worst = np.nanmax(z, axis=0)
        f = global_factor(worst, self.cal)
        return {k: v * f for k, v in tol.items()}

    def deviations(self, refs: np.ndarray, tol: dict[str, float]) -> np.ndarray:
        """(R,) each rep's worst feature against ``refs``, in tolerances."""
        nn = self.nearest(refs)
        z = np.stack([nn[b] / tol[b] for b in self.reps.bases])
        z = np.where(np.isfinite(z), z, 0.0)
        return z.max(axis=0)

    def file_scores(self, refs: np.ndarray, tol: dict[str, float]) -> np.ndarray:
        """Per file, the mean deviation of its reps (NaN for a file without any rep)."""
        dev = self.deviations(refs, tol)
        of = [dev[self.reps.file_of == f] for f in range(len(self.reps.files))]
        return np.array([d.mean() if d.size else np.nan for d in of])

    def nearest_file(self, f: int, pool: np.ndarray, tol: dict[str, float]) -> int:
        """The file (among ``pool`` files) nearest to file ``f``: RMS over features."""
        reps = self.reps
        mine = np.flatnonzero(reps.file_of == f)
        cand = np.flatnonzero(np.isin(reps.file_of, pool) & (reps.file_of != f))
        total = np.zeros(len(cand))
        for a in mine:
            rows = []
            for b, d in reps.dist.items():
                m = d[:, a, :][:, cand]  # (S, C)
                has = ~np.isinf(d[:, a, :]).all(axis=1)
                if not has.any():
                    continue
                side = m[has].min(axis=0) if self.profile[a] else m[has].max(axis=0)
                rows.append(side / tol[b])
            z = np.array(rows)
            z = np.where(np.isfinite(z), z, np.nan)
            with np.errstate(all="ignore"):
                total += np.sqrt(np.nanmean(z**2, axis=0))
        total = np.where(np.isfinite(total), total, np.inf)
        return int(reps.file_of[cand[int(np.argmin(total))]])


def _best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The threshold (pass when score <= t) with the best accuracy; the middle of ties."""
    s = np.sort(np.unique(scores))
    cands = np.concatenate([[s[0] - 1.0], (s[:-1] + s[1:]) / 2, [s[-1] + 1.0]])
    acc = np.array([np.mean((scores <= t) == labels) for t in cands])
    best = np.flatnonzero(acc == acc.max())
    return float(cands[best[len(best) // 2]])


def _predict(judge: PrecomputedJudge, f: int, train_files: np.ndarray, rule: str) -> bool:
    """Is file ``f`` correct, by ``rule`` (``"threshold"`` or ``"nearest"``) trained on
    ``train_files`` (both labels)?"""
    reps = judge.reps
    flabels = np.array([lf.correct for lf in reps.files])
    in_train = np.isin(reps.file_of, train_files)
    correct = in_train & reps.labels
    tol = judge.tolerances(correct)
    if rule == "nearest":
        return bool(flabels[judge.nearest_file(f, train_files, tol)])
    scores = judge.file_scores(correct, tol)
    t = _best_threshold(scores[train_files], flabels[train_files])
    return bool(scores[f] <= t)


def _loo(judge: PrecomputedJudge, progress: Callable[[int], None] | None) -> tuple[float, dict]:
    """Leave-one-out accuracy; each fold picks its rule by LOO on its training files."""
    flabels = np.array([lf.correct for lf in judge.reps.files])
    n = len(flabels)
    hits = 0
    chosen: dict[str, int] = {}
    for f in range(n):
        train = np.array([i for i in range(n) if i != f])
        inner = {}
        for rule in ("threshold", "nearest"):
            inner[rule] = np.mean(
                [_predict(judge, g, train[train != g], rule) == flabels[g] for g in train]
            )
        rule = "threshold" if inner["threshold"] >= inner["nearest"] else "nearest"
        chosen[rule] = chosen.get(rule, 0) + 1
        hits += int(_predict(judge, f, train, rule) == flabels[f])
        if progress:
            progress(1)
    return hits / n, chosen


def evaluate_exercise(
    files: list[LabelledFile],
    protocols: tuple[str, ...] = RESEARCH_PROTOCOLS,
    settings: JudgeSettings = JudgeSettings(),
    calibration: CalibrationSettings = CalibrationSettings(),
    progress: Callable[[int], None] | None = None,
) -> dict[str, object]:
    """Evaluate one exercise's labelled files under the research protocols.

    Returns:
        ``{"n", "correct", "incorrect", "reps", "loo_accuracy", "one_class_auc",
        "one_class_accuracy"}`` (keys for the protocols run).
    """
    lib = library_exercise(files[0].exercise)
    flabels = np.array([f.correct for f in files])
    out: dict[str, object] = {
        "n": len(files),
        "correct": int(flabels.sum()),
        "incorrect": int((~flabels).sum()),
        "library_exercise": lib.name if lib else None,
    }
    reps = measure_reps(files, lib, settings)
    judge = PrecomputedJudge(reps, calibration)
    out["reps"] = len(reps.curves)
    if "one-class" in protocols:
        out.update(_one_class(judge, files, progress))
    if "loo" in protocols:
        acc, chosen = _loo(judge, progress)
        out["loo_accuracy"] = round(acc, 4)
        out["loo_rule"] = chosen
    return out


def _one_class(
    judge: PrecomputedJudge, files: list[LabelledFile], progress: Callable[[int], None] | None
) -> dict[str, object]:
    """Each file judged against an exercise taught from the other correct files."""
    reps = judge.reps
    flabels = np.array([f.correct for f in files])
    scores = np.zeros(len(files))
    for f in range(len(files)):
        train = reps.labels & (reps.file_of != f)
        scores[f] = judge.file_scores(train, judge.tolerances(train))[f]
        if progress:
            progress(1)
    return {
        "one_class_auc": round(auc(scores[flabels], scores[~flabels]), 4),
        "one_class_accuracy": round(float(np.mean((scores <= 1.0) == flabels)), 4),
        "one_class_scores": {files[i].file: round(float(scores[i]), 3) for i in range(len(files))},
    }
