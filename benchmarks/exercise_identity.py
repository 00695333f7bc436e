"""How often a rep passes when the exercise named is not the one done, and the right one's.

Every labelled recording of a part (``--part tune`` by default) whose exercise has a built-in
one (RepCount-A by class, the clips of ``videos/``, Pose Trainer, mp17, pushfit) is analysed as
``formcoach analyze -e X`` analyses it (:func:`formcoach.analysis.analyze_sequence`), with X its
own exercise and every other built-in one, with the posture check off (round 16's benchmark;
round 17 reads posture). Per rep: judged, passed, and its posture
(:func:`formcoach.form.posture.read_posture`: trunk from vertical, wrists-above-head share), so
the check is applied afterwards at any setting without re-running.

Per named exercise: with the right recording, the share of reps judged and passed (must not
move) and any rep the posture check refuses (must be none); with a wrong one, the reps that
pass and those refused. ``--sweep`` adds the figures at x0.75 / x1.25 of NEAR_DEG and
ALL_THROUGH; ``--rows`` re-reads the rows of an earlier ``--json`` run.

Usage::

    python benchmarks/exercise_identity.py [--data ../shared/data] [--part tune] [--json]
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

import numpy as np

from formcoach.form.posture import ALL_THROUGH as THROUGH
from formcoach.form.posture import NEAR_DEG as NEAR

FORM_SETS = {"posetrainer": "form/posetrainer", "mp17": "form/mp17", "pushfit": "form/pushfit"}


def recordings(data: Path, part: str):
    """(data set, file, own exercise name, raw poses) of every recording of ``part``."""
    from formcoach.eval.counting import find_clips, load_clip, parts
    from formcoach.eval.form import DEV_SETS
    from formcoach.eval.form_data import read_clips, read_labels
    from formcoach.eval.form_research import library_exercise

    folder = data / "counting/repcount"
    if folder.is_dir():
        clips = find_clips(folder)
        where = parts(clips)
        for c in clips:
            ex = library_exercise(c.stratum)
            if where[c.file] == part and ex is not None:
                yield "repcount", c.file, ex.name, load_clip(c)
    if (data / "videos").is_dir():
        for f in read_clips(data / "videos"):
            if f.part == part:
                yield "clips", f.file, f.exercise, f.seq
    for name, sub in FORM_SETS.items():
        if (data / sub).is_dir():
            for f in read_labels(data / sub, DEV_SETS[name][1]):
                ex = library_exercise(f.exercise)
                if f.part == part and ex is not None:
                    yield name, f.file, ex.name, f.seq


def analysed(seq, ex) -> list[dict]:
    """Each rep of ``seq`` analysed as ``ex``: judged, passed, its trunk and wrists."""
    from formcoach.analysis import analyze_sequence
    from formcoach.core.errors import FormcoachError
    from formcoach.form.posture import read_posture

    try:
        a = analyze_sequence(seq, ex, check_posture=False)  # refusals are read below
    except FormcoachError:
        return []
    out = []
    for r in a.results:
        seen = read_posture(ex, a.poses, r.rep)
        out.append(
            {
                "judged": r.verdict is not None,
                "passed": bool(r.verdict is not None and r.verdict.passed),
                "trunk": None if np.isnan(seen.trunk_deg) else round(seen.trunk_deg, 1),
                "wrists_up": None if np.isnan(seen.wrists_up) else round(seen.wrists_up, 3),
            }
        )
    return out


def measure(data: Path, part: str) -> dict:
    from formcoach.form.exercises import builtin_exercises

    library = builtin_exercises()
    rows = []
    for ds, file, own, seq in recordings(data, part):
        for name, ex in library.items():
            for i, rep in enumerate(analysed(seq, ex)):
                rows.append(
                    {"set": ds, "file": file, "own": own, "named": name, "rep": i + 1, **rep}
                )
    return {"part": part, "reps": rows, "summary": summarise(rows)}


def summarise(rows: list[dict], near_deg: float = NEAR, all_through: float = THROUGH) -> dict:
    """Per named exercise: right (judged, passed, refused) and wrong (reps, passed, refused)
    figures, a rep refused when its posture contradicts the named one at these settings."""
    out = {}
    for name in sorted({r["named"] for r in rows}):
        right = [r for r in rows if r["named"] == name and r["own"] == name]
        wrong = [r for r in rows if r["named"] == name and r["own"] != name]
        out[name] = {
            "right_reps": len(right),
            "right_pass": _share(
                [
                    r["passed"] and not _refused(r, near_deg, all_through)
                    for r in right
                    if r["judged"]
                ]
            ),
            "right_refused": sum(_refused(r, near_deg, all_through) for r in right),
            "wrong_reps": len(wrong),
            "wrong_passed": sum(
                r["passed"] and not _refused(r, near_deg, all_through) for r in wrong
            ),
            "wrong_refused": sum(_refused(r, near_deg, all_through) for r in wrong),
        }
    return out


@functools.cache
def _posture(name: str) -> tuple[str, bool]:
    """The posture the exercise ``name`` says it is done in, and whether its arms go up."""
    from formcoach.form.exercises import get_exercise

    ex = get_exercise(name)
    return ex.posture, ex.arms_up


def _refused(r: dict, near_deg: float, all_through: float) -> bool:
    posture, arms_up = _posture(r["named"])
    trunk = np.nan if r["trunk"] is None else r["trunk"]
    wrists = np.nan if r["wrists_up"] is None else r["wrists_up"]
    if posture in ("standing", "hanging") and trunk >= 90.0 - near_deg:
        return True
    if posture == "lying" and trunk <= near_deg:
        return True
    return bool(posture and not arms_up and wrists >= all_through)


def _share(x: list[bool]) -> float | None:
    return round(float(np.mean(x)), 3) if x else None


def _print(summary: dict) -> None:
    print(
        f"{'named':<15} {'right reps':>10} {'pass':>6} {'refused':>7} "
        f"{'wrong reps':>10} {'passed':>6} {'refused':>7}"
    )
    for name, s in summary.items():
        print(
            f"{name:<15} {s['right_reps']:>10} {s['right_pass']!s:>6} {s['right_refused']:>7} "
            f"{s['wrong_reps']:>10} {s['wrong_passed']:>6} {s['wrong_refused']:>7}"
        )
    right = sum(s["right_reps"] for s in summary.values())
    refused = sum(s["right_refused"] for s in summary.values())
    wrong = sum(s["wrong_reps"] for s in summary.values())
    passed = sum(s["wrong_passed"] for s in summary.values())
    print(f"right reps refused {refused} of {right}; wrong reps passed {passed} of {wrong}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", default="tune", choices=("tune", "validate"))
    ap.add_argument("--sweep", action="store_true", help="also at x0.75 / x1.25 of each setting")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--rows", type=Path, help="re-read the rows of an earlier --json run")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data folder at {args.data}: pass --data ../shared/data", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    if args.rows:
        rows = json.loads(args.rows.read_text())["reps"]
        result = {"part": args.part, "reps": rows, "summary": summarise(rows)}
    else:
        result = measure(args.data, args.part)
    result["summary_off"] = summarise(result["reps"], -1e9, np.inf)
    if args.sweep:
        result["sweep"] = {
            f"{what} x{k}": summarise(result["reps"], *settings)
            for k in (0.75, 1.25)
            for what, settings in (
                ("NEAR_DEG", (k * NEAR, THROUGH)),
                ("ALL_THROUGH", (NEAR, min(k * THROUGH, 1.0))),
            )
        }
    print(f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print("-- no posture check")
    _print(result["summary_off"])
    print(f"-- NEAR_DEG {NEAR}, ALL_THROUGH {THROUGH}")
    _print(result["summary"])
    for k, s in result.get("sweep", {}).items():
        print(f"-- {k}")
        _print(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
