"""Which front-view readings a coach uses tell faulty from correct push-ups seen from the front.

Every rep of a push-up dev set's part (``--part tune`` by default) that the built-in judge
takes from the front is read, as ``formcoach analyze`` counts and views it, on what a coach
sees head-on: the elbows flaring (upper arm from the shoulder line, elbows' and hands' width
over the shoulders'), one side lower than the other (the shoulder, elbow and hip lines' tilt),
the head dropping (the nose below the shoulders), and depth (the shoulders' drop). Lengths are
in shoulder widths (``/sw``) or in the body unit (``/bu``, a torso length,
:func:`formcoach.core.body.body_unit`), angles in degrees; never pixels. Each reading is taken
at the bottom (``@b``: the fifth of the rep's frames where the shoulders are lowest in the
image), at rest (``@t``: its first and last fifth) and as the change between them (``@d``).

Per reading: the correct reps' range, the faulty reps that pass (the judge misses them) and
how many of those lie beyond every correct rep (a limit there would catch them and fail no
correct rep), and the area under the curve of faulty over correct reps (0.5: no signal).

Round 18 on pushfit's tuning part (20 correct, 29 faulty front-view reps; 5 faulty pass:
wrong56 rep 1, wrong66 reps 1-2, wrong81 reps 1-2): no reading puts more than 2 of the 5
beyond every correct rep, and each such pair is one file's two reps (depth: wrong66, hands'
width at rest over the torso: wrong81), so no limit there is a principle. The correct reps
span the whole range of each coach's reading (elbows from the shoulder line 80-173 degrees
at the bottom, hands 1.35-2.46 shoulder widths apart at rest, the nose 0.15-1.64 shoulder
widths below the shoulders at the bottom). These "front" views are filmed from the head end
and to one side: the shoulders of 7 of the 13 correct files (and of all 3 missed ones) read
1.0-1.5 torso lengths (square-on adults 0.6-0.9: the torso is foreshortened), and at 320x240
the pose model bends an elbow to 0-27 degrees at some frame of 7 correct files and reads one
side of a torso twice the other (correct97: 50 and 95 px). The nose's drop as the judge reads
it (``height(mid_shoulder, nose)``, ``compare: change``) was tried as a front-view head fault
(commit 80595e7, reverted): correct reps reach 0.92 torso lengths, the missed ones 0.78-1.04,
so a limit of 1.0 catches 3 of the 5 but fails 2 correct reps at x0.75 and none at x1.25.

Usage::

    python benchmarks/front_readings.py DIR [--part tune] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

Reading = Callable[[dict[str, np.ndarray], np.ndarray, np.ndarray], np.ndarray]


def _angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(T,) angle in degrees between (T, 2) vectors."""
    cos = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def _width(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(T,) distance between (T, 2) points."""
    return np.linalg.norm(a - b, axis=-1)


def _line_tilt(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(T,) how far the line ``b -> a`` dips from level in the image, degrees (+: ``a`` lower)."""
    d = a - b
    return np.degrees(np.arctan2(d[:, 1], np.abs(d[:, 0])))


#: name -> f(joints, shoulder width (T,), body unit (T,)) -> (T,); joints are (T, 2) arrays.
READINGS: dict[str, Reading] = {
    "elbow_width/sw": lambda j, sw, bu: _width(j["left_elbow"], j["right_elbow"]) / sw,
    "hand_width/sw": lambda j, sw, bu: _width(j["left_wrist"], j["right_wrist"]) / sw,
    "elbow_width/bu": lambda j, sw, bu: _width(j["left_elbow"], j["right_elbow"]) / bu,
    "hand_width/bu": lambda j, sw, bu: _width(j["left_wrist"], j["right_wrist"]) / bu,
    "shoulder_width/bu": lambda j, sw, bu: sw / bu,
    "flare_from_shoulders": lambda j, sw, bu: (
        0.5
        * (
            _angle(j["left_elbow"] - j["left_shoulder"], j["right_shoulder"] - j["left_shoulder"])
            + _angle(
                j["right_elbow"] - j["right_shoulder"], j["left_shoulder"] - j["right_shoulder"]
            )
        )
    ),
    "flare_from_trunk": lambda j, sw, bu: (
        0.5
        * (
            _angle(j["left_elbow"] - j["left_shoulder"], j["mid_hip"] - j["mid_shoulder"])
            + _angle(j["right_elbow"] - j["right_shoulder"], j["mid_hip"] - j["mid_shoulder"])
        )
    ),
    "shoulder_tilt": lambda j, sw, bu: _line_tilt(j["left_shoulder"], j["right_shoulder"]),
    "elbow_tilt": lambda j, sw, bu: _line_tilt(j["left_elbow"], j["right_elbow"]),
    "hip_tilt": lambda j, sw, bu: _line_tilt(j["left_hip"], j["right_hip"]),
    "elbow_asymmetry": lambda j, sw, bu: np.abs(
        _angle(j["left_shoulder"] - j["left_elbow"], j["left_wrist"] - j["left_elbow"])
        - _angle(j["right_shoulder"] - j["right_elbow"], j["right_wrist"] - j["right_elbow"])
    ),
    "nose_drop/sw": lambda j, sw, bu: (j["nose"][:, 1] - j["mid_shoulder"][:, 1]) / sw,
    "nose_drop/bu": lambda j, sw, bu: (j["nose"][:, 1] - j["mid_shoulder"][:, 1]) / bu,
    "nose_aside/sw": lambda j, sw, bu: np.abs(j["nose"][:, 0] - j["mid_shoulder"][:, 0]) / sw,
    "trunk/bu": lambda j, sw, bu: _width(j["mid_shoulder"], j["mid_hip"]) / bu,
}
JOINTS = (
    *(f"{s}_{j}" for s in ("left", "right") for j in ("shoulder", "elbow", "wrist", "hip")),
    *("nose", "mid_shoulder", "mid_hip"),
)


def rep_readings(xy: np.ndarray) -> dict[str, float]:
    """Every reading of one rep's (T, J, 2) COMMON poses at the bottom, at rest and the change."""
    from formcoach.core.body import body_unit
    from formcoach.core.features import joint_xy

    j = {n: joint_xy(xy, n).astype(np.float64) for n in JOINTS}
    sw = _width(j["left_shoulder"], j["right_shoulder"])
    bu = body_unit(xy)
    low = j["mid_shoulder"][:, 1]
    n = len(xy)
    k = max(1, n // 5)
    bottom = np.argsort(np.where(np.isfinite(low), -low, np.inf))[:k]
    rest = np.r_[0:k, n - k : n]
    out: dict[str, float] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, read in READINGS.items():
            v = read(j, sw, bu)
            at_b, at_t = (
                float(np.nanmedian(v[i])) if np.isfinite(v[i]).any() else float("nan")
                for i in (bottom, rest)
            )
            out[f"{name}@b"], out[f"{name}@t"], out[f"{name}@d"] = at_b, at_t, at_b - at_t
        # depth: how far the shoulders drop from rest to the bottom (image y grows downwards)
        drop = (np.nanmedian(low[bottom]) - np.nanmedian(low[rest])) / np.nanmedian(bu)
        out["depth/bu"] = float(drop)
    return out


def front_reps(folder: Path, part: str) -> list[dict]:
    """One dict per rep of ``part`` judged from the front: file, rep, label, passed, readings."""
    from formcoach.analysis import analyze_sequence
    from formcoach.core.errors import FormcoachError
    from formcoach.eval.form_data import read_labels
    from formcoach.eval.form_research import library_exercise

    out = []
    for lf in read_labels(folder, None):
        ex = library_exercise(lf.exercise)
        if lf.part != part or ex is None or ex.name != "push-up":
            continue
        try:
            analysis = analyze_sequence(lf.seq, ex, lf.file)
        except FormcoachError:
            continue
        xy = analysis.poses.to_common().xy
        for r in analysis.judged:
            oblique = r.curves is not None and r.curves.oblique
            if r.verdict is None or analysis.view.facing != "front" or oblique:
                continue
            rows = xy[r.rep.start_frame : r.rep.end_frame + 1]
            out.append(
                {
                    "file": lf.file,
                    "rep": r.rep.number,
                    "label": "correct" if lf.correct else "faulty",
                    "passed": bool(r.verdict.passed),
                    "shoulder_ratio": round(analysis.view.shoulder_ratio, 2),
                    "readings": {k: round(v, 3) for k, v in rep_readings(rows).items()},
                }
            )
    return out


def separation(reps: list[dict]) -> list[dict]:
    """Per reading: the correct range, the passing faulty reps' values, how many of them lie
    beyond every correct rep (above or below), and AUC of faulty over correct reps."""
    out = []
    for name in reps[0]["readings"] if reps else ():

        def values(keep: Callable[[dict], bool], name: str = name) -> np.ndarray:
            v = np.array([r["readings"][name] for r in reps if keep(r)], np.float64)
            return v[np.isfinite(v)]

        ok = values(lambda r: r["label"] == "correct")
        bad = values(lambda r: r["label"] == "faulty")
        missed = values(lambda r: r["label"] == "faulty" and r["passed"])
        if not (ok.size and bad.size):
            continue
        auc = float(((bad[:, None] > ok[None]) + 0.5 * (bad[:, None] == ok[None])).mean())
        out.append(
            {
                "reading": name,
                "correct_min": round(float(ok.min()), 2),
                "correct_median": round(float(np.median(ok)), 2),
                "correct_max": round(float(ok.max()), 2),
                "missed": [round(float(x), 2) for x in missed],
                "missed_above": int((missed > ok.max()).sum()),
                "missed_below": int((missed < ok.min()).sum()),
                "auc": round(auc, 2),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--part", default="tune", choices=("tune", "validate"))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not (args.folder / "labels.csv").is_file():
        sys.exit(f"{args.folder} has no labels.csv: pass a push-up folder of ../shared/data/form")
    reps = front_reps(args.folder, args.part)
    table = separation(reps)
    if args.json:
        print(json.dumps({"part": args.part, "reps": reps, "separation": table}, indent=1))
        return 0
    n = {k: sum(r["label"] == k for r in reps) for k in ("correct", "faulty")}
    missed = sum(r["label"] == "faulty" and r["passed"] for r in reps)
    print(f"front-view reps: {n['correct']} correct, {n['faulty']} faulty ({missed} pass)")
    for t in table:
        print(
            f"{t['reading']:26s} correct [{t['correct_min']:8.2f} {t['correct_median']:8.2f} "
            f"{t['correct_max']:8.2f}]  missed {t['missed']}  beyond: "
            f"{t['missed_above']} above, {t['missed_below']} below  AUC {t['auc']:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
