"""Does an exercise taught by demonstration pass its own person's good reps?

As the product is used (``formcoach exercise teach NAME SOURCE``, no built-in to start from): a
personal baseline taught from the first good reps of ONE person, judged on that person's other
reps, with ``formcoach analyze``'s path (:func:`formcoach.analysis.analyze_sequence`).

- ``videos/`` clips with several reps of one person (form label not "incorrect"): taught from
  the recording up to the end of its third counted rep (second for a clip of three reps); the
  demonstration's own reps and the rest of the clip are judged. The single-rep clips of one
  person (kaiakol squats) form one set: taught from the first correct clip, judged on the others.
- ``form/mp17`` (one person's takes, keypoints in fractions of 1280x720): per exercise, taught
  from the first correct files (until three reps, at most three files), judged on the other
  correct files and on the incorrect ones (a file is caught when one of its reps fails).
- ``form/posetrainer`` holds one rep per file of several people (not said which): taught from
  the first three correct files, it is a cross-person figure, printed apart.

Each set goes with its part (:mod:`formcoach.eval.splits`: clips by source, labelled files by
file). Printed per set: own (demonstration reps passed), other (remaining correct reps passed),
caught (faulty files with a failed rep; a file with no judged rep is not caught),
unjudged (correct files with no judged rep), mean score of the correct reps, and totals.

Usage: python benchmarks/teach_selfpass.py [--data ../shared/data] --part tune|validate [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Tally:
    """Counts of one set (reps for own/other, files for faults)."""

    name: str
    own: list[bool] = field(default_factory=list)
    other: list[bool] = field(default_factory=list)
    caught: list[bool] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    unjudged: int = 0
    note: str = ""

    def row(self) -> dict:
        def rate(v: list[bool]) -> str:
            return f"{sum(v)}/{len(v)}" if v else "-"

        mean = sum(self.scores) / len(self.scores) if self.scores else float("nan")
        return {
            "set": self.name,
            "own": rate(self.own),
            "other": rate(self.other),
            "caught": rate(self.caught),
            "score": round(mean, 1),
            "unjudged": self.unjudged,
            "note": self.note,
        }


def _judged(seq, ex):
    """(rep, verdict) of every judged rep of ``seq`` with ``ex``."""
    from formcoach.analysis import analyze_sequence

    a = analyze_sequence(seq, ex)
    return [(r.rep, r.verdict) for r in a.results if r.verdict is not None]


def _clip(path: Path, name: str) -> Tally:
    """Teach from the first reps of one clip and judge all of it."""
    from formcoach.counting import count_reps
    from formcoach.form.teach import generic_exercise, teach_exercise
    from formcoach.pose.cache import cached_poses
    from formcoach.pose.glitches import repaired

    t = Tally(name)
    seq = cached_poses(path)
    reps = count_reps(repaired(seq), generic_exercise(name))
    if len(reps) < 3:
        t.note = f"{len(reps)} reps counted"
        return t
    k = 3 if len(reps) > 3 else 2
    cut = reps[k - 1].end_frame + 1
    ex, _ = teach_exercise(name, seq[:cut])
    for rep, v in _judged(seq, ex):
        (t.own if rep.start_frame < cut - 1 else t.other).append(v.passed)
        t.scores.append(v.score)
    return t


def _takes(name: str, teach: list, correct: list, faulty: list) -> Tally:
    """Teach from ``teach`` takes, judge the ``correct`` and ``faulty`` ones."""
    from formcoach.form.teach import teach_from_takes

    t = Tally(name)
    ex, _ = teach_from_takes(name, teach)
    for seq in teach:
        t.own += [v.passed for _, v in _judged(seq, ex)]
    for seq in correct:
        judged = _judged(seq, ex)
        t.unjudged += not judged
        t.other += [v.passed for _, v in judged]
        t.scores += [v.score for _, v in judged]
    for seq in faulty:
        judged = _judged(seq, ex)
        t.caught.append(bool(judged) and not all(v.passed for _, v in judged))
    return t


def _first_takes(files: list, reps_wanted: int = 3, most: int = 3) -> int:
    """How many of the first correct files make a demonstration of ``reps_wanted`` reps."""
    from formcoach.counting import count_reps
    from formcoach.form.teach import generic_exercise

    got = 0
    for i, f in enumerate(files[:most]):
        got += len(count_reps(f.seq, generic_exercise("demo")))
        if got >= reps_wanted:
            return i + 1
    return min(most, len(files))


def _labelled(data: Path, sub: str, size, part: str, label: str) -> list[Tally]:
    from formcoach.eval.form_data import read_labels

    files = [f for f in read_labels(data / sub, size) if f.part == part]
    out = []
    for exname in sorted({f.exercise for f in files}):
        good = sorted((f for f in files if f.exercise == exname and f.correct), key=_order)
        bad = [f.seq for f in files if f.exercise == exname and not f.correct]
        if len(good) < 2:
            continue
        n = _first_takes(good) if label == "mp17" else min(3, len(good) - 1)
        t = _takes(f"{label} {exname}", [f.seq for f in good[:n]], [f.seq for f in good[n:]], bad)
        t.note = f"taught from {n} file(s)"
        out.append(t)
    return out


def _order(f) -> tuple:
    """Files in their recording order (``..._2`` before ``..._10``)."""
    stem = Path(f.file).stem
    digits = "".join(ch for ch in stem if ch.isdigit())
    return (stem.rstrip("0123456789_"), int(digits or 0))


def _clips(data: Path, part: str) -> list[Tally]:
    from formcoach.eval.splits import clip_source, split
    from formcoach.pose.cache import cached_poses

    folder = data / "videos"
    with (folder / "ground_truth.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    parts = split((clip_source(r["file"]), "clips") for r in rows)
    mine = [r for r in rows if parts[clip_source(r["file"])] == part]
    out = [
        _clip(folder / r["file"], Path(r["file"]).stem)
        for r in mine
        if int(r["gt_count"]) >= 3 and (r.get("form_label") or "") != "incorrect"
    ]
    squats = sorted(r["file"] for r in mine if "kaiakol_form__squat" in r["file"])
    good = [cached_poses(folder / f) for f in squats if "__correct__" in f]
    bad = [cached_poses(folder / f) for f in squats if "__incorrect__" in f]
    if len(good) >= 2:
        out.append(_takes("kaiakol squats (one woman)", good[:1], good[1:], bad))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", choices=("tune", "validate"), required=True)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data at {args.data}: pass --data", file=sys.stderr)
        return 2
    personal = _clips(args.data, args.part) + _labelled(
        args.data, "form/mp17", (1280, 720), args.part, "mp17"
    )
    cross = _labelled(args.data, "form/posetrainer", None, args.part, "posetrainer")
    rows = [t.row() for t in personal]
    total = Tally("TOTAL personal")
    for t in personal:
        total.own += t.own
        total.other += t.other
        total.caught += t.caught
        total.scores += t.scores
        total.unjudged += t.unjudged
    rows.append(total.row())
    rows += [{**t.row(), "note": "cross-person " + t.note} for t in cross]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"part={args.part}  own/other: correct reps passed; caught: faulty files caught")
    for r in rows:
        print(
            f"{r['set'][:44]:44s} own {r['own']:>6s} other {r['other']:>7s} "
            f"caught {r['caught']:>6s} score {r['score']:5.1f} "
            f"unjudged {r['unjudged']}  {r['note']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
