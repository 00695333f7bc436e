"""Generic references against real reps: how often correct and incorrect reps pass.

Each rep the counter finds is judged against the built-in exercise's generic reference (no
example of the person's own): a generic reference is useful when correct reps pass it more
often than incorrect ones. Used by ``formcoach eval form --protocol generic`` on a labelled
folder, and on a folder of clips with ``ground_truth.csv`` (``../shared/data/videos``), where
clips without a form label count as ``unlabelled``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.features import estimate_view
from formcoach.core.pose import PoseSequence
from formcoach.counting import count_reps
from formcoach.eval.form import LabelledFile
from formcoach.form.exercises import Exercise
from formcoach.form.judge import FormJudge, JudgeSettings
from formcoach.pose.cleaning import clean
from formcoach.pose.glitches import repaired

__all__ = ["evaluate_videos", "generic_pass_rates", "read_videos"]


def generic_pass_rates(
    files: list[LabelledFile], lib: Exercise | None, settings: JudgeSettings = JudgeSettings()
) -> dict[str, object]:
    """Pass rates of correct and incorrect reps against the built-in generic reference."""
    if lib is None:
        return {"error": "no built-in exercise of that name"}
    judge = FormJudge(lib, settings)
    passed: dict[bool, list[bool]] = {True: [], False: []}
    scores: dict[bool, list[int]] = {True: [], False: []}
    cues: dict[str, int] = {}
    for lf in files:
        seq = repaired(lf.seq, settings.glitches)
        view = estimate_view(seq)
        for r in count_reps(seq, lib) if seq.detected.any() else []:
            try:
                v = judge.judge(seq, r, view=view.facing, near_side=view.near_side)
            except FormcoachError:
                continue
            passed[lf.correct].append(v.passed)
            scores[lf.correct].append(v.score)
            if not v.passed and not lf.correct:
                cues[v.cue] = cues.get(v.cue, 0) + 1

    def rate(v: list) -> float | None:
        return round(float(np.mean(v)), 4) if v else None

    return {
        "correct_reps": len(passed[True]),
        "correct_pass_rate": rate(passed[True]),
        "correct_mean_score": rate(scores[True]),
        "incorrect_reps": len(passed[False]),
        "incorrect_pass_rate": rate(passed[False]),
        "incorrect_mean_score": rate(scores[False]),
        "incorrect_cues": dict(sorted(cues.items(), key=lambda kv: -kv[1])),
    }


def read_videos(folder: str | Path) -> list[tuple[str, Exercise, bool | None, PoseSequence]]:
    """Clips listed in ``ground_truth.csv`` (``file, exercise, ..., form_label``) that name a
    built-in exercise: (file, exercise, True/False/None for correct/incorrect/unlabelled,
    poses from the pose cache)."""
    from formcoach.form.exercises import match_exercise
    from formcoach.pose.cache import cached_poses

    folder = Path(folder)
    out = []
    with (folder / "ground_truth.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            ex = match_exercise(row.get("exercise", ""))
            if ex is None:
                continue
            label = (row.get("form_label") or "").strip().lower()
            correct = {"correct": True, "incorrect": False}.get(label)
            out.append((row["file"], ex, correct, cached_poses(folder / row["file"])))
    return out


def evaluate_videos(folder: str | Path, settings: JudgeSettings = JudgeSettings()) -> dict:
    """Generic-reference pass rates on a folder of clips with ``ground_truth.csv``, per
    exercise and label (``correct``, ``incorrect``, ``unlabelled``)."""
    clips = read_videos(folder)
    if not clips:
        raise FormcoachError(
            f"no clip in {folder}/ground_truth.csv names a built-in exercise",
            "describe each clip's exercise in the 'exercise' column",
        )
    result: dict[str, dict[str, object]] = {}
    judges: dict[str, FormJudge] = {}
    for _file, ex, correct, seq in clips:
        judge = judges.setdefault(ex.name, FormJudge(ex, settings))
        poses = clean(repaired(seq, settings.glitches))
        view = estimate_view(poses)
        key = {True: "correct", False: "incorrect", None: "unlabelled"}[correct]
        entry = result.setdefault(ex.name, {})
        stats = entry.setdefault(key, {"clips": 0, "reps": 0, "passed": 0, "scores": []})
        stats["clips"] += 1
        for r in count_reps(poses, ex) if poses.detected.any() else []:
            try:
                v = judge.judge(poses, r, view=view.facing, near_side=view.near_side)
            except FormcoachError:
                continue
            stats["reps"] += 1
            stats["passed"] += int(v.passed)
            stats["scores"].append(v.score)
    for entry in result.values():
        for stats in entry.values():
            sc = stats.pop("scores")
            stats["pass_rate"] = (
                round(stats["passed"] / stats["reps"], 4) if stats["reps"] else None
            )
            stats["mean_score"] = round(float(np.mean(sc)), 1) if sc else None
    return {"exercises": result}
