"""The ``builtin`` protocol: every labelled rep judged by the built-in exercise, as a user gets it.

Each labelled recording goes through exactly what ``formcoach analyze`` runs
(:func:`formcoach.analysis.analyze_sequence`: cleaning, counting, judging each counted rep against
the built-in exercise's generic reference). :func:`summarise` reports, per exercise:

- ``correct_pass_rate``: the share of reps of correct recordings that pass;
- ``fault_catch_rate``: the share of reps of incorrect recordings that fail;
- ``balanced_accuracy``: the mean of the two;
- ``cues``: what the caught faults were told;
- ``unjudged_files``: recordings in which no rep was counted or judged (no verdict at all).

Frame-level files label one fault per run of frames (a still or part of a movement, not a
counted rep): each run is judged whole against the built-in exercise reduced to the cues of
the file's faults (:func:`only_faults`), so a correct run must not show them and a faulty one
must, and ``right_cue_rate`` is the share of faulty runs told their own fault's cue. A file
labelled by stage only (``squat_stage``) is judged as a stream, rep by rep, and reported as
unlabelled.

Measuring is the slow part; a judged rep keeps its curves, so :func:`rejudge` can judge it again
with other settings (another ``limit``) in a millisecond.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from formcoach.analysis import analyze_sequence
from formcoach.core.errors import FormcoachError
from formcoach.core.rep import Rep
from formcoach.eval.form_data import FrameRun, LabelledFile
from formcoach.eval.form_research import library_exercise
from formcoach.form.exercises import Exercise
from formcoach.form.judge import FormJudge, JudgeSettings
from formcoach.form.readings import RepCurves
from formcoach.pose.cleaning import CleanSettings

__all__ = [
    "JudgedRep",
    "judge_frame_runs",
    "judge_labelled",
    "only_faults",
    "rejudge",
    "summarise",
]


@dataclass(frozen=True, eq=False)
class JudgedRep:
    """One labelled rep (or frame run) as a user gets it.

    Attributes:
        source: the file (and run) it came from.
        exercise: the built-in exercise that judged it.
        correct: the label (None: no form label).
        part: ``"tune"`` or ``"validate"``.
        passed: the verdict.
        cue: what the user was told.
        fault_cues: for a frame-level run, the cues of its labelled fault (a caught fault must
            be told one of them); None when any correction counts.
        curves: the measured rep (to judge it again with other settings).
        rep: where it was counted, if it was.
        judge: the judge's exercise (a reduced one for frame-level files).
    """

    source: str
    exercise: str
    correct: bool | None
    part: str
    passed: bool
    cue: str
    fault_cues: tuple[str, ...] | None = None
    curves: RepCurves | None = field(default=None, repr=False)
    rep: Rep | None = None
    judge: Exercise | None = field(default=None, repr=False)


#: A recording (or run) in which nothing was judged: (exercise, source, part).
Unjudged = tuple[str, str, str]


def judge_labelled(
    files: Iterable[LabelledFile],
    settings: JudgeSettings = JudgeSettings(),
    clean_settings: CleanSettings | None = None,
) -> tuple[list[JudgedRep], list[Unjudged]]:
    """Every rep of every file, judged as ``formcoach analyze`` judges it (cleaned with
    ``clean_settings``, the pipeline's defaults when omitted).

    Returns:
        (the judged reps, the files where nothing was judged).
    """
    out: list[JudgedRep] = []
    unjudged: list[Unjudged] = []
    judges: dict[str, FormJudge] = {}
    for lf in files:
        ex = library_exercise(lf.exercise)
        if ex is None:
            unjudged.append((lf.exercise, lf.file, lf.part))
            continue
        judge = judges.setdefault(ex.name, FormJudge(ex, settings))
        try:
            analysis = analyze_sequence(lf.seq, ex, lf.file, settings, judge, clean_settings)
        except FormcoachError:
            analysis = None
        judged = analysis.judged if analysis is not None else []
        if not judged:
            unjudged.append((ex.name, lf.file, lf.part))
        for r in judged:
            v = r.verdict
            assert v is not None
            out.append(
                JudgedRep(
                    lf.file,
                    ex.name,
                    lf.correct,
                    lf.part,
                    v.passed,
                    v.cue,
                    None,
                    r.curves,
                    r.rep,
                    ex,
                )
            )
    return out, unjudged


def only_faults(exercise: Exercise, cues: Iterable[str]) -> Exercise:
    """The exercise judged on the named cues only: every feature kept (they time the rep and
    place its phases), every other cue dropped.

    Raises:
        FormcoachError: the exercise has none of the cues.
    """
    keep = set(cues)
    if not any(c.say in keep for f in exercise.feature_defs().values() for c in f.cues):
        raise FormcoachError(
            f"{exercise.name} has none of the cues {sorted(keep)}",
            "the frame-level labels must name cues of the built-in exercise",
        )
    parts = tuple(
        replace(
            p,
            features=tuple(
                replace(f, cues=tuple(c for c in f.cues if c.say in keep)) for f in p.features
            ),
        )
        for p in exercise.parts
    )
    return replace(exercise, parts=parts)


def judge_frame_runs(
    runs: Iterable[FrameRun], settings: JudgeSettings = JudgeSettings()
) -> tuple[list[JudgedRep], list[Unjudged]]:
    """Frame-level runs: a labelled one judged whole against the exercise reduced to its
    file's fault cues; a stage-only stretch judged rep by rep like a recording."""
    runs = list(runs)
    faults: dict[str, set[str]] = {}
    for run in runs:
        faults.setdefault(run.file, set()).update(run.cues or ())
    out: list[JudgedRep] = []
    unjudged: list[Unjudged] = []
    for run in runs:
        source = f"{run.file}@{run.start}"
        if run.cues is None:
            lf = LabelledFile(source, run.exercise.name, True, run.seq, run.part)
            judged, missing = judge_labelled([lf], settings)
            out += [replace(j, correct=None) for j in judged]
            unjudged += missing
            continue
        ex = only_faults(run.exercise, faults[run.file])
        judge = FormJudge(ex, settings)
        try:
            curves = judge.measure(run.seq)
            v = judge.judge_curves(curves)
        except FormcoachError:
            unjudged.append((run.exercise.name, source, run.part))
            continue
        correct = not run.cues
        out.append(
            JudgedRep(
                source,
                run.exercise.name,
                correct,
                run.part,
                v.passed,
                v.cue,
                run.cues,
                curves,
                None,
                ex,
            )
        )
    return out, unjudged


def _rate(values: list[bool]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None


def summarise(reps: list[JudgedRep], unjudged: Iterable[Unjudged] = ()) -> dict:
    """Per exercise: pass and catch rates, balanced accuracy and the cues of caught faults."""
    unjudged = list(unjudged)
    out: dict[str, dict[str, object]] = {}
    for name in sorted({r.exercise for r in reps} | {u[0] for u in unjudged}):
        mine = [r for r in reps if r.exercise == name]
        good = [r.passed for r in mine if r.correct is True]
        bad = [r for r in mine if r.correct is False]
        caught = [r for r in bad if not r.passed]
        entry: dict[str, object] = {
            "correct_reps": len(good),
            "correct_pass_rate": _rate(good),
            "faulty_reps": len(bad),
            "fault_catch_rate": _rate([not r.passed for r in bad]),
        }
        c, f = entry["correct_pass_rate"], entry["fault_catch_rate"]
        entry["balanced_accuracy"] = (
            round((c + f) / 2, 4) if isinstance(c, float) and isinstance(f, float) else None
        )
        if any(r.fault_cues for r in bad):
            right = [not r.passed and r.cue in (r.fault_cues or ()) for r in bad]
            entry["right_cue_rate"] = _rate(right)
        cues: dict[str, int] = {}
        for r in caught:
            cues[r.cue] = cues.get(r.cue, 0) + 1
        entry["cues"] = dict(sorted(cues.items(), key=lambda kv: -kv[1]))
        unlabelled = [r.passed for r in mine if r.correct is None]
        if unlabelled:
            entry["unlabelled_reps"] = len(unlabelled)
            entry["unlabelled_pass_rate"] = _rate(unlabelled)
        entry["unjudged_files"] = sum(1 for u in unjudged if u[0] == name)
        out[name] = entry
    return out


def rejudge(reps: list[JudgedRep], settings: JudgeSettings) -> list[JudgedRep]:
    """The same reps judged again from their measured curves with other settings (``limit``,
    ``band``...; measuring settings such as ``around_share`` need a new measurement)."""
    judges: dict[int, FormJudge] = {}
    out = []
    for r in reps:
        if r.curves is None or r.judge is None:
            out.append(r)
            continue
        judge = judges.setdefault(id(r.judge), FormJudge(r.judge, settings))
        v = judge.judge_curves(r.curves, r.rep)
        out.append(replace(r, passed=v.passed, cue=v.cue))
    return out
