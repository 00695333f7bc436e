"""Evaluating form judging as a user gets it: every labelled rep judged by the built-in exercise.

The default protocol (``builtin``, :mod:`formcoach.eval.form_builtin`) runs each labelled
recording through exactly what ``formcoach analyze`` runs and reports, per exercise, the share
of correct reps that pass, the share of faulty reps that fail, their mean (balanced accuracy),
the cues of the caught faults and the recordings left without a verdict.

Frame-level files (runs of frames labelled with one fault each) are judged as
:func:`~formcoach.eval.form_builtin.judge_frame_runs` describes.

The research protocols ``loo`` and ``one-class`` (:mod:`formcoach.eval.form_research`) learn
from labelled examples, which the product never has.

Every item of every data set sits in a fixed tuning or validation part
(:mod:`formcoach.eval.form_data`); :func:`generalisation` reports both, and chooses the one
global judging constant (``JudgeSettings.limit``) for each exercise on the *other* exercises'
tuning parts (leave one exercise out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.eval.form_builtin import (
    JudgedRep,
    Unjudged,
    judge_frame_runs,
    judge_labelled,
    rejudge,
    summarise,
)
from formcoach.eval.form_data import (
    LabelledFile,
    is_frame_level,
    read_clips,
    read_frame_level,
    read_labels,
)
from formcoach.eval.form_research import RESEARCH_PROTOCOLS, evaluate_exercise
from formcoach.form.judge_settings import JudgeSettings
from formcoach.form.posture import one_unit

__all__ = [
    "PARTS",
    "PROTOCOLS",
    "JudgedRep",
    "LabelledFile",
    "evaluate_folder",
    "generalisation",
    "judge_frame_runs",
    "judge_labelled",
    "read_labels",
    "summarise",
]

PROTOCOLS = ("builtin", *RESEARCH_PROTOCOLS)
PARTS = ("tune", "validate", "all")


def _in_part(items, part: str):
    if part not in PARTS:
        raise FormcoachError(f"unknown part {part!r}", f"use one of: {', '.join(PARTS)}")
    return [x for x in items if part == "all" or x.part == part]


def evaluate_folder(
    folder: str | Path,
    protocols: tuple[str, ...] = ("builtin",),
    frame_size: tuple[int, int] | None = None,
    fps: float | None = None,
    settings: JudgeSettings = JudgeSettings(),
    progress: Callable[[int], None] | None = None,
    part: str = "all",
) -> dict[str, object]:
    """Evaluate every exercise of a labelled folder.

    Args:
        folder: ``labels.csv`` files, ``ground_truth.csv`` clips or frame-level CSV files.
        protocols: ``builtin`` (what a user gets; the default) and/or the research protocols
            ``loo`` and ``one-class`` (labelled files only).
        frame_size: the frame size behind normalised keypoints (``clips.csv`` wins).
        fps: the keypoint files' frame rate (``clips.csv`` wins).
        settings: how to judge.
        progress: called with 1 per file done (research protocols).
        part: ``tune``, ``validate`` or ``all`` items of the fixed split.

    Returns:
        ``{"protocols", "part", "exercises": {NAME: {...}}, "research": {NAME: {...}}}``, and
        for labelled files ``"unknown_frame_files"``, how many hold fractions of a frame of
        unknown size (:func:`formcoach.form.posture.one_unit`: angles read as if square); for
        ``builtin`` the figures of :func:`summarise` by built-in exercise, for the research
        protocols those of :func:`formcoach.eval.form_research.evaluate_exercise` by the data
        set's exercise name.
    """
    for p in protocols:
        if p not in PROTOCOLS:
            raise FormcoachError(f"unknown protocol {p!r}", f"use one of: {', '.join(PROTOCOLS)}")
    folder = Path(folder)
    out: dict[str, object] = {"protocols": list(protocols), "part": part}
    if (folder / "labels.csv").is_file() or not _other_layout(folder):
        files = _in_part(read_labels(folder, frame_size, fps), part)
        seen = [f for f in files if np.isfinite(f.seq.xy).any()]  # someone in it
        out["unknown_frame_files"] = sum(not one_unit(f.seq) for f in seen)
        if "builtin" in protocols:
            out["exercises"] = summarise(*judge_labelled(files, settings))
        research = tuple(p for p in protocols if p in RESEARCH_PROTOCOLS)
        if research:
            out["research"] = _research(files, research, settings, progress)
        return out
    if set(protocols) != {"builtin"}:
        raise FormcoachError(
            f"{folder} has no per-file labels.csv: only the builtin protocol applies",
            "run it without --protocol, or pass a folder with labels.csv",
        )
    out["exercises"] = summarise(*_judge_other(folder, part, settings))
    return out


def _other_layout(folder: Path) -> bool:
    return (folder / "ground_truth.csv").is_file() or any(
        is_frame_level(p) for p in folder.glob("*.csv")
    )


def _judge_other(
    folder: Path, part: str, settings: JudgeSettings
) -> tuple[list[JudgedRep], list[Unjudged]]:
    """Clips (``ground_truth.csv``) or frame-level files, judged."""
    if (folder / "ground_truth.csv").is_file():
        return judge_labelled(_in_part(read_clips(folder), part), settings)
    runs = [
        r for p in sorted(folder.glob("*.csv")) if is_frame_level(p) for r in read_frame_level(p)
    ]
    return judge_frame_runs(_in_part(runs, part), settings)


def _research(
    files: list[LabelledFile],
    protocols: tuple[str, ...],
    settings: JudgeSettings,
    progress: Callable[[int], None] | None,
) -> dict[str, object]:
    """The research protocols' figures, per exercise of the data set."""
    groups: dict[str, list[LabelledFile]] = {}
    for f in files:
        groups.setdefault(f.exercise, []).append(f)
    out: dict[str, object] = {}
    for name, group in groups.items():
        if all(f.correct for f in group) or not any(f.correct for f in group):
            out[name] = {"n": len(group), "error": "needs both correct and incorrect files"}
            continue
        res = evaluate_exercise(group, protocols, settings, progress=progress)
        res.pop("one_class_scores", None)
        out[name] = res
    return out


#: The dev sets: name -> (folder under the data directory, the frame size behind normalised
#: keypoints). mp17 comes from 16:9 clips; pushfit's clips.csv gives its sizes and rates.
DEV_SETS: dict[str, tuple[str, tuple[int, int] | None]] = {
    "posetrainer": ("form/posetrainer", None),
    "mp17": ("form/mp17", (1280, 720)),
    "pushfit": ("form/pushfit", None),
    "framelevel": ("form/framelevel", None),
    "clips": ("videos", None),
}

#: The values of ``JudgeSettings.limit`` tried when it is chosen on the tuning parts.
LIMITS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)


def judge_dev_sets(
    data_dir: str | Path, settings: JudgeSettings = JudgeSettings()
) -> dict[str, tuple[list[JudgedRep], list[Unjudged]]]:
    """Every dev set present under ``data_dir``, judged (both parts)."""
    out = {}
    for name, (sub, size) in DEV_SETS.items():
        folder = Path(data_dir) / sub
        if not folder.is_dir():
            continue
        if (folder / "labels.csv").is_file():
            out[name] = judge_labelled(read_labels(folder, size), settings)
        else:
            out[name] = _judge_other(folder, "all", settings)
    return out


def _by_part(judged: dict[str, tuple[list[JudgedRep], list[Unjudged]]]) -> dict:
    """{data set: {exercise: {"tune": summary, "validate": summary}}}."""
    out: dict[str, dict[str, dict[str, object]]] = {}
    for ds, (reps, unjudged) in judged.items():
        for part in ("tune", "validate"):
            mine = [r for r in reps if r.part == part]
            summary = summarise(mine, [u for u in unjudged if u[2] == part])
            for ex, figures in summary.items():
                out.setdefault(ds, {}).setdefault(ex, {})[part] = figures
    return out


def _score(reps: list[JudgedRep]) -> float:
    """Mean balanced accuracy over the (data set, exercise) pairs with both labels."""
    pairs: dict[tuple[str, str], list[JudgedRep]] = {}
    for r in reps:
        pairs.setdefault((r.source.split("/")[0], r.exercise), []).append(r)
    values = [
        f["balanced_accuracy"]
        for group in pairs.values()
        for f in summarise(group).values()
        if f["balanced_accuracy"] is not None
    ]
    return float(sum(values) / len(values)) if values else float("nan")


def _leave_one_exercise_out(
    judged: dict[str, tuple[list[JudgedRep], list[Unjudged]]], settings: JudgeSettings
) -> dict[str, object]:
    """For each exercise, ``limit`` chosen on the other exercises' tuning parts (the middle of
    the values with the best mean balanced accuracy), and its validation figures with it."""
    tagged = {
        ds: [replace(r, source=f"{ds}/{r.source}") for r in reps]
        for ds, (reps, _u) in judged.items()
    }
    tune = [r for reps in tagged.values() for r in reps if r.part == "tune"]
    rejudged = {lim: rejudge(tune, replace(settings, limit=lim)) for lim in LIMITS}
    out: dict[str, object] = {}
    for ex in sorted({r.exercise for r in tune if r.correct is False}):
        scores = {
            lim: _score([r for r in reps if r.exercise != ex]) for lim, reps in rejudged.items()
        }
        scores = {lim: sc for lim, sc in scores.items() if np.isfinite(sc)}
        best = max(scores.values(), default=float("nan"))
        plateau = [lim for lim, sc in scores.items() if sc >= best - 1e-9]
        # the middle of the best plateau; the default when no other exercise has faults
        limit = plateau[len(plateau) // 2] if plateau else settings.limit
        validate = {
            ds: summarise(
                rejudge(
                    [r for r in reps if r.exercise == ex and r.part == "validate"],
                    replace(settings, limit=limit),
                )
            ).get(ex)
            for ds, reps in tagged.items()
        }
        out[ex] = {
            "limit": limit,
            "scores": {str(k): round(v, 4) for k, v in scores.items()},
            "validate": {k: v for k, v in validate.items() if v},
        }
    return out


def _limit_sensitivity(
    judged: dict[str, tuple[list[JudgedRep], list[Unjudged]]], settings: JudgeSettings
) -> dict[str, object]:
    """Validation figures with ``limit`` 25 % lower and higher than ``settings.limit``."""
    out: dict[str, object] = {}
    for factor in (0.75, 1.25):
        s = replace(settings, limit=settings.limit * factor)
        out[f"limit x{factor}"] = {
            ds: summarise(rejudge([r for r in reps if r.part == "validate"], s))
            for ds, (reps, _u) in judged.items()
        }
    return out


def generalisation(data_dir: Path, settings: JudgeSettings = JudgeSettings()) -> dict:
    """The built-in verdicts on every dev set, tuning part beside validation part.

    Returns:
        JSON-able ``{data set: {exercise: {"tune": {...}, "validate": {...}}}}`` (the figures
        of :func:`summarise`; a part without reps of the exercise is left out), plus
        ``"leave_one_exercise_out": {exercise: {"limit", "scores", "validate": {data set:
        {...}}}}`` (``limit`` chosen on the other exercises' tuning parts), ``"sensitivity":
        {"limit x0.75" | "limit x1.25": {data set: {exercise: {...}}}}`` (validation parts)
        and ``"settings"``.
    """
    judged = judge_dev_sets(data_dir, settings)
    return {
        **_by_part(judged),
        "leave_one_exercise_out": _leave_one_exercise_out(judged, settings),
        "sensitivity": _limit_sensitivity(judged, settings),
        "settings": {"limit": settings.limit, "band": settings.band},
    }
