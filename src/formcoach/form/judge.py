"""Judging a repetition body part by body part against an exercise's reference (DTW).

For each judged feature, the repetition's curve (N samples) is aligned with each reference
curve by dynamic time warping (dtaidistance, C path, Sakoe-Chiba band) and the smallest distance
is kept, as a root-mean-square deviation along the alignment in the feature's units. Divided by
the feature's tolerance it becomes a deviation in tolerances: 1 is the limit of a correct rep.
A body part deviates as much as its worst feature.

Two verdicts come out:

- the seed's: the median over body parts against a threshold (``JudgeSettings.median_threshold``),
  as in the original design;
- the calibrated one: the worst body part against 1 — a single bad part makes a bad rep —, with
  a 0-100 score (``100·exp(-d²/2)``: 100 perfect, 61 at the limit) and, for a failed rep, the
  worst part(s), which way it deviated and when, and the exercise's cue for that fault.

Traps of dtaidistance avoided here: ``use_pruning=False`` (pruning can return ``inf`` when the
best path is the diagonal), and ``window=w+1`` for a band of ``|i-j| <= w``.
Judging does no I/O and takes about a millisecond (see ``benchmarks/judge_speed.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from dtaidistance import dtw

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.form.cues import hidden_cue, phase_masks, pick_cue, progress
from formcoach.form.curves import RepCurves, half_turn, rep_curves, resample
from formcoach.form.exercises import Exercise, Recorded, get_exercise
from formcoach.form.exercises.model import FeatureDef, PartDef
from formcoach.form.verdict import Deviation, RepVerdict, score_from_deviation
from formcoach.pose.glitches import GlitchSettings, remove_glitches

__all__ = [
    "Deviation",
    "FormJudge",
    "JudgeSettings",
    "RepVerdict",
    "measure_curves",
    "score_from_deviation",
]


@dataclass(frozen=True)
class JudgeSettings:
    """How repetitions are judged.

    Attributes:
        samples: N, samples per curve (rep and reference).
        band: Sakoe-Chiba band as a share of N: how far in time DTW may shift a sample.
        max_missing: a feature missing in more than this share of a rep's frames is not judged.
        min_frames: a rep with fewer frames is too short to judge.
        min_duration_s: a rep shorter than this is too short to judge.
        median_threshold: the seed's verdict passes when the median part deviation is at most
            this (in tolerances).
        limit: the calibrated verdict passes when the worst part deviates at most this much.
        cue_strength: how far a deviation must match an exercise cue (in tolerances) for that
            cue to be said rather than a generic one.
        profile: in a side view, judge bilateral features on the ``"near"`` side (by the pose
            model's visibility) or on the ``"best"`` side seen (the one closer to the
            reference: pose models often guess or swap the far side in profile).
        phase_check: also try the rep cut half a cycle later (second half first) and keep it
            when it is much closer to the reference: a counter that took the turning point for
            the rest position cuts bottom-to-bottom instead of top-to-top.
        glitches: what counts as a pose-model glitch (a joint teleporting for a moment and
            coming back): such stretches are bridged before a rep is measured, looking at up
            to ``glitches.max_duration_s`` of the stream around the rep; ``None`` keeps every
            position as the pose model gave it.
    """

    samples: int = 40
    band: float = 0.25
    max_missing: float = 0.3
    min_frames: int = 8
    min_duration_s: float = 0.25
    median_threshold: float = 1.0
    limit: float = 1.0
    cue_strength: float = 0.5
    profile: str = "best"
    phase_check: bool = True
    glitches: GlitchSettings | None = GlitchSettings()

    def __post_init__(self) -> None:
        if self.samples < 8:
            raise ValueError("JudgeSettings.samples must be at least 8")
        if not 0 < self.band <= 1:
            raise ValueError("JudgeSettings.band must be in (0, 1]")
        if not 0 <= self.max_missing < 1:
            raise ValueError("JudgeSettings.max_missing must be in [0, 1)")
        if self.limit <= 0 or self.median_threshold <= 0:
            raise ValueError("JudgeSettings thresholds must be positive")
        if self.profile not in ("near", "best"):
            raise ValueError("JudgeSettings.profile must be 'near' or 'best'")

    @property
    def window(self) -> int:
        """dtaidistance's ``window`` argument (it allows ``|i-j| <= window-1``)."""
        return max(1, round(self.band * self.samples)) + 1


@dataclass(frozen=True)
class _Ref:
    """One reference repetition in one view, ready for DTW."""

    view: str
    curves: dict[str, np.ndarray]  # "part.key" or "part.key@side" -> (N,)
    by_unit: dict[str, list[np.ndarray]]  # "part.key" -> curves of any side
    masks: dict[str, np.ndarray]
    driver: str | None  # the "part.key" that moves most (in tolerances): the rep's timing


def _base(key: str) -> str:
    return key.split("@", 1)[0]


def measure_curves(
    seq: PoseSequence,
    exercise: Exercise,
    settings: JudgeSettings,
    view: str | None = None,
    near_side: str | None = None,
) -> RepCurves:
    """A rep's curves measured as the judge measures them (``seq`` already glitch-repaired)."""
    return rep_curves(
        seq,
        exercise,
        settings.samples,
        view,
        near_side,
        settings.max_missing,
        settings.profile,
        glitches=None,
    )


class FormJudge:
    """Judges repetitions of one exercise against its reference(s).

    Args:
        exercise: an :class:`Exercise` or its name.
        settings: how to judge.
        references: extra reference repetitions (e.g. a person's own good reps); a taught
            exercise brings its recorded ones, a built-in one its keyframe reference.

    Example:
        >>> judge = FormJudge("squat")  # doctest: +SKIP
        >>> verdict = judge.judge(poses, rep)  # doctest: +SKIP
        >>> verdict.cue  # doctest: +SKIP
        'Go lower: hips down to knee height.'
    """

    def __init__(
        self,
        exercise: Exercise | str,
        settings: JudgeSettings = JudgeSettings(),
        references: Sequence[Recorded] = (),
    ) -> None:
        self.exercise = get_exercise(exercise) if isinstance(exercise, str) else exercise
        self.settings = settings
        self._defs = self.exercise.feature_defs()
        self._tols = {k: f.tol for k, f in self._defs.items()}
        recorded = list(self.exercise.recorded) + list(references)
        refs: list[_Ref] = []
        if recorded:
            refs = [self._make_ref(r.view, r.curves) for r in recorded]
        if not self.exercise.recorded:
            n = settings.samples
            refs += [
                self._make_ref(v, self.exercise.keyframe_curves(v, n))
                for v in self.exercise.reference_views()
            ]
        self._refs = refs
        # per view ("*": all), per feature: one array of every reference curve, row 0 left
        # free for the rep, so one C call measures a rep against all of them
        self._stacks: dict[str, dict[str, tuple[np.ndarray, list[_Ref]]]] = {}
        for view in {r.view for r in refs} | {"*"}:
            chosen = [r for r in refs if view in ("*", r.view)]
            per: dict[str, tuple[list[np.ndarray], list[_Ref]]] = {}
            for r in chosen:
                for base, cs in r.by_unit.items():
                    rows, owners = per.setdefault(base, ([np.zeros(settings.samples)], []))
                    rows.extend(cs)
                    owners.extend([r] * len(cs))
            self._stacks[view] = {b: (np.vstack(rows), o) for b, (rows, o) in per.items()}

    def _make_ref(self, view: str, curves) -> _Ref:
        n = self.settings.samples
        arrs = {
            k: resample(np.asarray(c, np.float64), n)
            for k, c in curves.items()
            if _base(k) in self._defs
        }
        by_unit: dict[str, list[np.ndarray]] = {}
        for k, c in arrs.items():
            by_unit.setdefault(_base(k), []).append(np.ascontiguousarray(c))
        tols = {k: self._tols[_base(k)] for k in arrs}
        spans = {_base(k): float(np.ptp(c)) / tols[k] for k, c in arrs.items()}
        driver = max(spans, key=spans.get) if spans and max(spans.values()) >= 1.0 else None
        return _Ref(view, arrs, by_unit, phase_masks(progress(arrs, tols)), driver)

    def _distances(self, q: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """DTW distances of the (N,) curve ``q`` to rows 1.. of ``rows`` (row 0 is scratch)."""
        series = rows.copy()
        series[0] = q
        return np.asarray(
            dtw.distance_matrix_fast(
                series,
                block=((0, 1), (1, len(series))),
                window=self.settings.window,
                use_pruning=False,
                compact=True,
                parallel=False,
            )
        )

    @property
    def references(self) -> int:
        """How many reference repetitions (over all views) the judge compares with."""
        return len(self._refs)

    def reference_curves(self, view: str) -> dict[str, np.ndarray]:
        """The first reference's curves in a view (for plots); empty when there is none."""
        for r in self._refs:
            if r.view == view:
                return dict(r.curves)
        return {}

    # ----------------------------------------------------------------------------------
    def judge(
        self,
        seq: PoseSequence,
        rep: Rep | None = None,
        view: str | None = None,
        near_side: str | None = None,
    ) -> RepVerdict:
        """Judge one repetition.

        Args:
            seq: poses; the whole stream when ``rep`` is given (its frame indices are indices
                into ``seq``), else just the repetition.
            rep: the repetition to judge within ``seq``.
            view: ``"side"`` or ``"front"``; estimated from the poses when omitted (pass the
                view of the whole set for steadier results).
            near_side: the side nearer the camera in a side view; estimated when omitted.

        Raises:
            FormcoachError: the rep is too short to judge, or no judged body part can be seen.
        """
        return self.judge_curves(self.measure(seq, rep, view, near_side), rep)

    def measure(
        self,
        seq: PoseSequence,
        rep: Rep | None = None,
        view: str | None = None,
        near_side: str | None = None,
    ) -> RepCurves:
        """Check a rep can be judged and measure its curves (arguments as :meth:`judge`).

        Raises:
            FormcoachError: the rep is too short, or nobody was seen in most of it.
        """
        part_seq = self._repaired(seq, rep, self._slice(seq, rep))
        return measure_curves(part_seq, self.exercise, self.settings, view, near_side)

    def _repaired(self, seq: PoseSequence, rep: Rep | None, part: PoseSequence) -> PoseSequence:
        """The rep's poses ``part`` with pose-model glitches bridged, judged on the rep and up
        to ``glitches.max_duration_s`` of ``seq`` on each side of it (whether a jump near the
        rep's ends comes back shows there)."""
        g = self.settings.glitches
        if g is None:
            return part
        if rep is None:
            return remove_glitches(part, g)[0]
        margin = math.ceil(g.max_duration_s * seq.frame_rate()) + 1
        a = max(0, rep.start_frame - margin)
        b = min(len(seq), rep.end_frame + 1 + margin)
        window, n = remove_glitches(seq[a:b], g)
        return window[rep.start_frame - a : rep.end_frame + 1 - a] if n else part

    def _slice(self, seq: PoseSequence, rep: Rep | None) -> PoseSequence:
        s = self.settings
        if rep is not None:
            if rep.start_frame < 0 or rep.end_frame >= len(seq):
                raise FormcoachError(
                    f"rep frames {rep.start_frame}..{rep.end_frame} are outside the "
                    f"{len(seq)} frames given",
                    "pass the whole pose stream the rep was counted in",
                )
            seq = seq[rep.start_frame : rep.end_frame + 1]  # type: ignore[assignment]
        duration = float(seq.timestamps[-1] - seq.timestamps[0]) if len(seq) > 1 else 0.0
        if len(seq) < s.min_frames or duration < s.min_duration_s:
            raise FormcoachError(
                f"a rep of {len(seq)} frames ({duration:.2f} s) is too short to judge",
                f"a rep needs at least {s.min_frames} frames and {s.min_duration_s} s: "
                "move through the whole range of the exercise",
            )
        detected = seq.detected.mean() if len(seq) else 0.0
        if detected < 1 - s.max_missing:
            raise FormcoachError(
                f"nobody was seen in {100 * (1 - detected):.0f}% of the rep's frames",
                "stay in view of the camera for the whole rep",
            )
        return seq

    def judge_curves(self, curves: RepCurves, rep: Rep | None = None) -> RepVerdict:
        """Judge a repetition already measured with :func:`formcoach.form.curves.rep_curves`."""
        verdict = self._judge_curves(curves, rep)
        if self.settings.phase_check and not verdict.passed and not self.exercise.static:
            turned = self._judge_curves(half_turn(curves), rep)
            if turned.aggregate < 0.5 * verdict.aggregate:
                return turned
        return verdict

    def _judge_curves(self, curves: RepCurves, rep: Rep | None) -> RepVerdict:
        s = self.settings
        ex = self.exercise
        view = curves.view
        other_view = None
        if view not in self._stacks and self.exercise.recorded:
            view = "*"  # a demonstration from another view beats none at all
            other_view = self._refs[0].view if self._refs else None
        stacks = self._stacks.get(view, {})
        features: dict[str, float] = {}
        best_ref: dict[str, np.ndarray] = {}
        best_ref_of: dict[str, _Ref] = {}
        unseen = {k: v for k, v in curves.hidden.items() if _base(k) in self._defs}
        for key, q in curves.curves.items():
            base = _base(key)
            if base not in self._defs:
                continue  # measured for another exercise: not judged here
            if base not in stacks:
                unseen[key] = "view"  # no reference for this view
                continue
            rows, owners = stacks[base]
            d = self._distances(q, rows)
            i = int(np.argmin(d))
            best_ref[key], best_ref_of[key] = rows[i + 1], owners[i]
            features[key] = float(d[i]) / math.sqrt(s.samples)
        if curves.view == "side":
            features = _best_side(features)
            measured = {_base(k) for k in features}
            unseen = {k: v for k, v in unseen.items() if _base(k) not in measured}
        # parts: the worst of their features
        parts: dict[str, float] = {}
        part_units: dict[str, list[str]] = {}
        part_def: dict[str, PartDef] = {}
        for key, d in features.items():
            base = _base(key)
            pdef = ex.part_of(base)
            side = _side(key, curves)
            name = pdef.body_part(side)
            z = d / self._tols[base]
            parts[name] = max(parts.get(name, 0.0), z)
            part_units.setdefault(name, []).append(key)
            part_def[name] = pdef
        hidden: dict[str, str] = {}
        for key, why in unseen.items():
            base = _base(key)
            pdef = ex.part_of(base)
            side = _side(key, curves)
            name = pdef.body_part(side)
            if name not in parts:
                hidden[name] = (
                    hidden_cue(pdef, curves.view)
                    if why == "view"
                    else f"Make sure the camera can see {_spoken(pdef, side)}."
                )
        if other_view is not None:
            turn = "sideways" if other_view == "side" else "to face the camera"
            hidden["view"] = (
                f"I learned this exercise from the {other_view}: turn {turn} "
                "so I can compare you fairly."
            )
        if not parts:
            first = next(iter(hidden.values()), "Make sure your whole body is in view.")
            raise FormcoachError(
                f"none of the body parts judged for {ex.name} could be seen "
                f"from this {curves.view} view",
                first,
            )
        values = np.array(list(parts.values()))
        median = float(np.median(values))
        aggregate = float(values.max())
        passed = aggregate <= s.limit
        ranked = sorted(parts, key=parts.get, reverse=True)  # type: ignore[arg-type]
        worst = tuple(p for p in ranked[:2] if parts[p] > s.limit)
        deviation = None
        if passed:
            praise = ex.praise or ("Good rep.",)
            cue = praise[(rep.number if rep else 0) % len(praise)]
        else:
            cue, deviation = self._correction(
                ranked[0],
                part_units[ranked[0]],
                part_def[ranked[0]],
                curves,
                best_ref,
                best_ref_of,
                features,
            )
        return RepVerdict(
            exercise=ex.name,
            view=curves.view,
            distances=parts,
            features=features,
            median=median,
            threshold=s.median_threshold,
            seed_passed=median <= s.median_threshold,
            aggregate=aggregate,
            passed=passed,
            score=score_from_deviation(aggregate),
            worst=worst,
            deviation=deviation,
            cue=cue,
            hidden=hidden,
            rep=rep,
        )

    def _correction(
        self,
        part: str,
        units: list[str],
        pdef: PartDef,
        curves: RepCurves,
        best_ref: dict[str, np.ndarray],
        best_ref_of: dict[str, _Ref],
        features: dict[str, float],
    ) -> tuple[str, Deviation]:
        """The cue for a failed rep's worst part, and which way it deviated.

        Every feature of the part is compared with the reference along one time alignment —
        the one of the movement that drives the rep (elbow in a curl) — so "at the turning
        point" means the same moment for all of them.
        """
        worst_unit = max(units, key=lambda k: features[k] / self._tols[_base(k)])
        ref = best_ref_of[worst_unit]
        path = self._timing(ref, curves)
        cands: list[tuple[FeatureDef, PartDef, np.ndarray, float]] = []
        for key in units:
            q = curves.curves[key]
            r = best_ref[key] if best_ref_of[key] is ref else ref.by_unit.get(_base(key), [None])[0]
            if r is None:
                r = best_ref[key]
            dev = np.zeros(len(r))
            cnt = np.zeros(len(r))
            for i, j in path:
                dev[j] += q[i] - r[j]
                cnt[j] += 1
            dev /= np.maximum(cnt, 1)
            f = self._defs[_base(key)]
            cands.append((f, pdef, dev, features[key] / f.tol))
        say, f, too, when, size = pick_cue(cands, ref.masks, self.settings.cue_strength)
        key = next(k for k in units if self._defs[_base(k)] is f)
        side = key.split("@", 1)[1] if "@" in key else None
        return say, Deviation(part, _base(key), f.resolved(side), too, when, round(size, 3))

    def _timing(self, ref: _Ref, curves: RepCurves) -> list[tuple[int, int]]:
        """The DTW alignment of the rep with ``ref`` on the movement driving it (diagonal for
        a still reference)."""
        n = self.settings.samples
        if ref.driver is not None:
            mine = [c for k, c in curves.curves.items() if _base(k) == ref.driver]
            if mine:
                r = ref.by_unit[ref.driver][0]
                q = min(mine, key=lambda c: float(np.abs(c - r).mean()))
                return dtw.warping_path_fast(q, r, window=self.settings.window, use_pruning=False)
        return [(i, i) for i in range(n)]


def _side(key: str, curves: RepCurves) -> str | None:
    """The side a feature's body part is named after: in profile the near side (one arm, one
    leg, whichever side's curve matched best), else the side it was measured on."""
    side = key.split("@", 1)[1] if "@" in key else None
    if side and curves.view == "side" and curves.near_side:
        return curves.near_side
    return side


def _best_side(features: dict[str, float]) -> dict[str, float]:
    """In profile, keep each bilateral feature only on the side closer to the reference."""
    out: dict[str, float] = {}
    for key, d in features.items():
        base = _base(key)
        other = next((k for k in out if _base(k) == base), None)
        if other is None:
            out[key] = d
        elif d < out[other]:
            del out[other]
            out[key] = d
    return out


def _spoken(pdef: PartDef, side: str | None) -> str:
    from formcoach.core.skeleton import BODY_PARTS

    return BODY_PARTS[pdef.body_part(side)].spoken
