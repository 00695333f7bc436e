"""Does a set's own period tell a missed rep from a slow one? The gaps between counted reps.

For each clip the counter's reps (class-agnostic, as ``formcoach eval counting`` counts) are
taken in order; the set's period at a rep is the median interval between the far frames of
the ``--kept`` + 1 reps before it (a gap of more than ``--rest`` periods starts a new set). Every
gap of at least ``--least`` periods between two consecutive far frames is listed with the
number of labelled rep ends inside it (``labels.json`` boundaries): one when no rep was lost
there (a slow rep, a pause), two or more when the counter missed a rep inside the set. The
summary bins the gaps by ``round(gap / period)``: if the period told a missed rep from a slow
one, the gaps of two periods would hold two labelled ends.

Found on the RepCount tuning part (main at f6eb0ff, round 16; ``--least 1.3``): of the 11 gaps
of about two periods (1.5-2.5), 3 held a missed rep (stu2_39 1.71, stu6_15 1.63, stu2_37 1.79)
and 8 did not (stu3_53 1.74, stu10_5 1.80, stu8_45 1.59 and 1.57, stu10_19 1.69, stu3_18 1.59,
stu10_24 2.24, stu8_49 2.08); of about three, 1 (stu6_3 3.42) against 1 (stu10_43 2.74); of
1.3-1.5, 1 (stu4_19 1.38) against 9. Slow reps and short pauses are more common than lost reps
at the same ratio, so counting ``k - 1`` reps into a gap of ``k`` periods costs more than it
gains (the round-16 attempt, commit 9167162: given MAE 0.182 -> 0.199 with any movement in the
gap, 0.186 when the posture had to visit the far pose in it). Nor does the posture in the gap
tell them apart: the lost cycles mostly do not come back to rest (stu6_15's two lost jumping
jacks dip 0.14 of the range between them), and the distance of the posture to itself half the
gap later, small for two cycles, is 0.62-1.35 of the set's range at the reps
``rep_alignment.py`` finds lost inside a set (stu10_5 L08, stu6_15 L04-L05, stu2_55 L18) and
0.27-1.13 at the other gaps of 1.3-3.5 periods.

Usage::

    python benchmarks/set_gaps.py [--data ../shared/data] [--part tune] [--least 1.3]
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

from formcoach.counting import count_reps
from formcoach.eval.counting import find_clips, load_clip, parts


def gaps(fars: list[float], kept: int, rest: float) -> list[tuple[int, float]]:
    """(index of the rep closing the gap, gap in periods) for every gap once a period is known.

    ``fars``: far frames of the counted reps, in order.
    """
    out, since = [], 0
    for i in range(1, len(fars)):
        prev = np.diff(np.asarray(fars[since:i]))[-kept:]
        if len(prev) < kept:
            continue
        ratio = (fars[i] - fars[i - 1]) / float(np.median(prev))
        if ratio > rest:
            since = i
        out.append((i, ratio))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--part", choices=("tune", "validate", "all"), default="tune")
    ap.add_argument("--least", type=float, default=1.3, help="list gaps of this many periods")
    ap.add_argument("--kept", type=int, default=2, help="intervals that make the period")
    ap.add_argument("--rest", type=float, default=3.5, help="a longer gap starts a new set")
    a = ap.parse_args()
    root = Path(a.data) / "counting" / "repcount"
    labels = {
        r["file"]: r["boundaries"][1::2] for r in json.loads((root / "labels.json").read_text())
    }
    clips = find_clips(root)
    which = parts(clips)
    bins: Counter[tuple[int, bool]] = Counter()
    for clip in clips:
        if a.part != "all" and which[clip.file] != a.part:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reps = count_reps(load_clip(clip))
        fars = [r.features["far_frame"] for r in reps if "cut" not in r.features]
        for i, ratio in gaps(fars, a.kept, a.rest):
            if ratio < a.least or ratio > a.rest:
                continue
            ends = sum(fars[i - 1] < e <= fars[i] for e in labels[clip.file])
            bins[(round(ratio), ends > 1)] += 1
            print(f"{clip.path.stem:<12} gap {ratio:5.2f} periods  labelled ends inside {ends}")
    for k in sorted({k for k, _ in bins}):
        print(f"{k} periods: {bins[(k, True)]} with a missed rep, {bins[(k, False)]} without")


if __name__ == "__main__":
    main()
