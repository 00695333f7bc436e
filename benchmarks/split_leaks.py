"""Recordings on both sides of a form dev set's split: the same take, or look-alike takes.

A validation figure measures new material only if its recordings are not the tuning part's.
For every pair of files of one exercise in a labelled set (Pose Trainer, mp17, pushfit), the
two pose streams are slid against each other (up to ``--shift-s``, over at least half of the
shorter) and their distance read at the best shift: the median over the overlapping frames of
the median joint distance, in torso lengths (:func:`formcoach.core.body.body_unit`). 0 is the
same recording filed twice (:mod:`formcoach.eval.recordings` keeps those in one part); a few
hundredths is a look-alike take: the same person, camera and movement, a few pixels apart.

Found in round 18 (split by file within exercise and label): Pose Trainer's and mp17's files are
a few people each — pairs within 0.05 torso lengths: Pose Trainer 65 (40 across the split),
mp17 81 (45 across); pushfit (one clip a person, by its README) 11 (8 across: correct55-58,
wrong52 / wrong54, correct82 / 84, correct93-95). So only pushfit's validation part is mostly
new people. 1 min 50 s on this machine.

Usage::

    python benchmarks/split_leaks.py [--data ../shared/data] [--within 0.05] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import warnings
from pathlib import Path

import numpy as np

from formcoach.core.body import body_unit
from formcoach.eval.form_data import read_labels

#: The labelled sets and the frame size behind their normalised keypoints.
SETS = {"posetrainer": None, "mp17": (1280, 720), "pushfit": None}


def distance(a: np.ndarray, b: np.ndarray, max_shift: int) -> tuple[float, int]:
    """(torso lengths, shift in frames) of two (T, J, 2) COMMON streams at their best shift."""
    unit = float(min(np.nanmedian(body_unit(a)), np.nanmedian(body_unit(b))))
    best = (float("inf"), 0)
    for s in range(-max_shift, max_shift + 1):
        x, y = a[max(0, s) :], b[max(0, -s) :]
        n = min(len(x), len(y))
        if n < max(5, min(len(a), len(b)) // 2):
            continue
        d = np.linalg.norm(x[:n] - y[:n], axis=-1)
        per_frame = np.nanmedian(np.where(np.isfinite(d), d, np.nan), axis=1)
        per_frame = per_frame[np.isfinite(per_frame)]
        if per_frame.size >= 5 and np.median(per_frame) / unit < best[0]:
            best = (float(np.median(per_frame)) / unit, s)
    return best


def pairs(folder: Path, size, within: float, shift_s: float) -> list[dict[str, object]]:
    """Every pair of one exercise's files within ``within`` torso lengths, nearest first."""
    files = read_labels(folder, frame_size=size)
    streams = [(f, f.seq.to_common().xy.astype(np.float64)) for f in files]
    out = []
    for (fa, a), (fb, b) in itertools.combinations(streams, 2):
        if fa.exercise != fb.exercise or not (len(a) and len(b)):
            continue
        rate = fa.seq.frame_rate() if len(fa.seq) > 1 else 30.0
        with np.errstate(all="ignore"), warnings.catch_warnings():  # unseen frames: NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            d, s = distance(a, b, round(shift_s * rate))
        if d <= within:
            parts = f"{fa.part}/{fb.part}"
            out.append(
                {"a": fa.file, "b": fb.file, "torsos": round(d, 4), "shift": s, "parts": parts}
            )
    return sorted(out, key=lambda p: p["torsos"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--within", type=float, default=0.05, help="torso lengths (default 0.05)")
    ap.add_argument("--shift-s", type=float, default=1.0, help="largest shift tried (seconds)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    result = {}
    for name, size in SETS.items():
        found = pairs(args.data / "form" / name, size, args.within, args.shift_s)
        across = [p for p in found if p["parts"] in ("tune/validate", "validate/tune")]
        result[name] = {"pairs": len(found), "across": len(across), "nearest": found[:10]}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    for name, r in result.items():
        print(
            f"{name}: {r['pairs']} pairs within {args.within} torso lengths, {r['across']} across"
        )
        for p in r["nearest"]:
            print(f"  {p['torsos']:.4f}  {p['a']}  {p['b']}  shift {p['shift']}  {p['parts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
