"""Which judged part's limit was fitted to few people: one part of a form dev set split in two.

A labelled form set whose files are one person each (pushfit) is judged as ``formcoach eval
form`` judges it; its correct files are split into two halves by a fixed seed, and for every
judged body part and view the correct reps' loads (the part's deviation over the judging
limit: 1 is the limit) are summarised per half, next to the faulty reps'. A part whose correct
reps reach near the limit in one half only sits where a few people already reach: new people
will cross it. Every rep is also judged with every seen arm judged (no arm taken for resting,
:data:`formcoach.form.parts.RESTING_SHARE` 0): a correct rep that passes only because the arm
judged was another than the one seen best is listed (``luck``). Run it on the tuning part.

Usage::

    python benchmarks/form_halves.py DIR [--part tune] [--seed 15] [--frame-size WxH] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np


def _loads(judge, poses, rep, view) -> dict[str, float]:
    """Each judged part's load in the kindest reading (as the judge keeps it) of one rep."""
    from formcoach.core.errors import FormcoachError

    c = judge.measure(poses, rep, view, view.near_side)
    best: dict[str, float] | None = None
    for reading in (replace(c, readings=()), *c.readings):
        try:
            v = judge.judge_curves(reading, rep)
        except FormcoachError:
            continue
        load = {k.replace("left_", "").replace("right_", ""): 0.0 for k in v.distances}
        for k, x in v.distances.items():
            p = k.replace("left_", "").replace("right_", "")
            load[p] = max(load[p], x / judge.settings.limit)
        if best is None or max(load.values()) < max(best.values()):
            best = load
    return best or {}


def judged_reps(folder: Path, part: str, frame_size: tuple[int, int] | None = None) -> list[dict]:
    """Every counted rep of the part: file, exercise, label, view, part loads as judged and
    with every arm judged (``frame_size``: of normalised keypoints, as ``read_labels``)."""
    from formcoach.analysis import analyze_sequence
    from formcoach.core.errors import FormcoachError
    from formcoach.eval.form_data import read_labels
    from formcoach.eval.form_research import library_exercise
    from formcoach.form import parts
    from formcoach.form.judge import JudgeSettings

    out = []
    for f in read_labels(folder, frame_size):
        ex = library_exercise(f.exercise)
        if f.part != part or f.correct is None or ex is None:
            continue
        try:
            a = analyze_sequence(f.seq, ex, "", JudgeSettings())
        except FormcoachError:
            continue
        for r in a.judged:
            if r.verdict is None:
                continue
            row = {"file": f.file, "exercise": ex.name, "rep": r.rep.number, "correct": f.correct}
            row |= {"view": a.view.facing, "loads": _loads(a.judge, a.poses, r.rep, a.view)}
            share, parts.RESTING_SHARE = parts.RESTING_SHARE, 0.0
            try:
                row["every_arm"] = _loads(a.judge, a.poses, r.rep, a.view)
            finally:
                parts.RESTING_SHARE = share
            out.append(row)
    return out


def halves(reps: list[dict], seed: int) -> dict[str, str]:
    """Correct file -> ``"A"`` or ``"B"``: the correct files shuffled by ``seed``, alternately."""
    files = sorted({r["file"] for r in reps if r["correct"]})
    random.Random(seed).shuffle(files)
    return {f: "AB"[i % 2] for i, f in enumerate(files)}


def summarise(reps: list[dict], half: dict[str, str]) -> dict:
    """Per ``exercise: part/view/group`` (group: half A, half B of the correct files, or
    faulty): the number of reps, median, 90th percentile and largest load, and how many
    reach 0.8 and 1; and the correct reps passing only with their best-seen arm unjudged."""
    groups: dict[str, list[float]] = defaultdict(list)
    for r in reps:
        group = half[r["file"]] if r["correct"] else "faulty"
        for p, x in r["loads"].items():
            groups[f"{r['exercise']}: {p}/{r['view']}/{group}"].append(x)
    table = {}
    for key in sorted(groups):
        x = np.array(groups[key])
        table[key] = {
            "n": len(x),
            "median": round(float(np.median(x)), 3),
            "p90": round(float(np.quantile(x, 0.9)), 3),
            "max": round(float(x.max()), 3),
            "near": int((x >= 0.8).sum()),
            "over": int((x > 1).sum()),
        }
    luck = [
        {"file": r["file"], "rep": r["rep"], "half": half[r["file"]], "every_arm": r["every_arm"]}
        for r in reps
        if r["correct"] and max(r["loads"].values()) <= 1 < max(r["every_arm"].values())
    ]
    return {"parts": table, "luck": luck}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--part", default="tune", choices=("tune", "validate"))
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument(
        "--frame-size", default=None, help="WxH of normalised keypoints (mp17: 1280x720)"
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    size = tuple(int(v) for v in args.frame_size.split("x")) if args.frame_size else None
    if not (args.folder / "labels.csv").is_file():
        print(f"no labels.csv in {args.folder}: pass a labelled form set", file=sys.stderr)
        return 2
    reps = judged_reps(args.folder, args.part, size)  # type: ignore[arg-type]
    half = halves(reps, args.seed)
    result = summarise(reps, half)
    if args.json:
        print(json.dumps(result | {"halves": half}, indent=1))
        return 0
    for key, s in result["parts"].items():
        print(f"{key:<32} " + "  ".join(f"{k} {v}" for k, v in s.items()))
    for r in result["luck"]:
        loads = ", ".join(f"{k} {v:.2f}" for k, v in r["every_arm"].items())
        print(f"luck: {r['file']} rep {r['rep']} (half {r['half']}), every arm judged: {loads}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
