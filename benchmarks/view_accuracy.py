"""How often a rep is judged from the view its camera really had, against views labelled by eye.

Every recording of ``benchmarks/view_labels.csv`` in the chosen part of the fixed split (its
header says how the views were labelled) is judged as ``formcoach analyze`` judges it
(:func:`formcoach.analysis.analyze_sequence`, the built-in exercise), and each judged rep's view
is read from its curves: ``front`` (judged square-on), ``three-quarter`` (judged as a side view
turned towards the camera: the parts judged in profile and from the front), ``side``.

Reported, per rep:

- ``confusion``: label -> judged view -> reps (recordings labelled ``unclear`` left out);
- ``exact``: the share judged from the view labelled;
- ``side_parts_right``: the share where the parts judged only in profile are judged exactly
  when the camera is not square-on (what decides which parts a user hears about);
- ``turn_sideways_said_to_side`` / ``..._to_three_quarter``: reps told "Turn sideways ..."
  although the camera already sees them in profile / three-quarter;
- ``side_parts_on_front``: reps of a square-on camera judged as if in profile;
- ``misread``: the recordings with a rep judged from another view than labelled, with the
  set's estimate (facing, shoulder ratio, the segments' foreshortening range).

Usage::

    python benchmarks/view_accuracy.py [--data ../shared/data] [--part tune] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

LABELS = Path(__file__).with_name("view_labels.csv")
VIEWS = ("front", "three-quarter", "side")


def read_view_labels(path: Path = LABELS) -> dict[tuple[str, str], tuple[str, str]]:
    """(set, file) -> (view, camera) from the labels file (``#`` lines are its comment)."""
    with path.open(newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {(r["set"], r["file"]): (r["view"], r["camera"]) for r in rows}


def _recordings(data: Path, part: str) -> list[tuple[str, object]]:
    from formcoach.eval.form_data import read_clips, read_labels

    out: list[tuple[str, object]] = []
    for name in ("pushfit", "mp17", "posetrainer"):
        out += [(name, lf) for lf in read_labels(data / "form" / name) if lf.part == part]
    out += [("videos", lf) for lf in read_clips(data / "videos") if lf.part == part]
    return out


def judged_category(curves) -> str:
    """The view a rep was judged from, in the labels' words."""
    if curves.view == "front":
        return "front"
    return "three-quarter" if curves.oblique else "side"


def measure(data: Path, part: str, labels: dict) -> dict:
    """Judge every labelled recording of ``part``; the figures of the module's docstring."""
    from formcoach.analysis import analyze_sequence
    from formcoach.core.errors import FormcoachError
    from formcoach.eval.form_research import library_exercise

    confusion: dict[str, Counter] = defaultdict(Counter)
    told: Counter = Counter()
    misread = []
    missing = []
    for name, lf in _recordings(data, part):
        label = labels.get((name, lf.file))
        ex = library_exercise(lf.exercise)
        if label is None:
            missing.append(f"{name}/{lf.file}")
            continue
        if ex is None or label[0] == "unclear":
            continue
        try:
            analysis = analyze_sequence(lf.seq, ex, lf.file)
        except FormcoachError:
            continue
        seen = []
        for r in analysis.judged:
            got = judged_category(r.curves)
            seen.append(got)
            confusion[label[0]][got] += 1
            sideways = any("Turn sideways" in s for s in r.verdict.hidden.values())
            told[(label[0], sideways)] += 1
        if any(g != label[0] for g in seen):
            v = analysis.view
            misread.append(
                {
                    "recording": f"{name}/{lf.file}",
                    "label": "/".join(label),
                    "judged": dict(Counter(seen)),
                    "estimate": v.facing,
                    "shoulder_ratio": round(v.shoulder_ratio, 3),
                    "forward": [round(f, 3) for f in v.forward],
                }
            )
    if missing:
        sys.exit(f"no view label for {len(missing)} recording(s), e.g. {missing[0]}: label them")
    total = sum(sum(c.values()) for c in confusion.values())
    exact = sum(confusion[v][v] for v in VIEWS)
    right = sum(
        n
        for lab, c in confusion.items()
        for got, n in c.items()
        if (lab == "front") == (got == "front")
    )
    return {
        "part": part,
        "reps": total,
        "confusion": {lab: dict(confusion[lab]) for lab in VIEWS if lab in confusion},
        "exact": round(exact / total, 3) if total else None,
        "side_parts_right": round(right / total, 3) if total else None,
        "turn_sideways_said_to_side": told[("side", True)],
        "turn_sideways_said_to_three_quarter": told[("three-quarter", True)],
        "side_parts_on_front": sum(n for g, n in confusion["front"].items() if g != "front"),
        "misread": misread,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", choices=("tune", "validate"), default="tune")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not (args.data / "form").is_dir():
        sys.exit(f"no form data in {args.data}: pass --data path/to/shared/data")
    out = measure(args.data, args.part, read_view_labels())
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"view of {out['reps']} {args.part} reps (rows: labelled; columns: judged)")
    print(f"{'':>14}" + "".join(f"{v:>15}" for v in VIEWS))
    for lab, c in out["confusion"].items():
        print(f"{lab:>14}" + "".join(f"{c.get(v, 0):>15}" for v in VIEWS))
    for k in ("exact", "side_parts_right", "turn_sideways_said_to_side"):
        print(f"{k}: {out[k]}")
    print(f"turn_sideways_said_to_three_quarter: {out['turn_sideways_said_to_three_quarter']}")
    print(f"side_parts_on_front: {out['side_parts_on_front']}")
    for m in out["misread"]:
        print(
            f"  {m['recording']} ({m['label']}): judged {m['judged']}, estimate "
            f"{m['estimate']} shoulders {m['shoulder_ratio']} forward {m['forward']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
