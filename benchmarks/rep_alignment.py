"""Rep by rep: where the counter loses or adds a rep against RepCount's labelled boundaries.

For each clip, the counter's emitted reps (class-agnostic, as ``formcoach eval counting``
counts) are matched one to one with the labelled reps of ``labels.json`` (``boundaries``: a
start and an end frame per rep), by the frames they share (:func:`align`):

- a labelled rep is ``matched``, ``shifted`` (matched by a rep whose far frame lies outside
  it: the counter took the movement from its other end), ``merged`` (unmatched, but more
  than half of it lies in a rep matched to a neighbour) or ``missed``;
- an emitted rep is ``inside`` (matched), ``doubled`` (unmatched, mostly inside a labelled
  rep already matched) or ``outside`` (mostly outside every labelled rep: a lead-in,
  setting up, a rest between sets).

With ``--trace`` each missed or extra rep also gets the counter's state around it: the
period tracker's strength and period, the hysteresis of the turns (``delta``) and the floor
of the smallest movement (``noise_z`` times the posture's noise), and the share of frames
with a pose.

Usage::

    python benchmarks/rep_alignment.py [--data ../shared/data] [--part tune]
        [--classes bench_pressing,situp] [--clips stu7_4,...] [--trace] [--json]

Prints one line per clip (and per rep with ``--reps``); with ``--json`` one object per clip.
Tuning part only by default: the validation clips are not looked at one by one.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from formcoach.core.rep import Rep
from formcoach.counting import CountWarning, count_reps
from formcoach.counting.counter import RepCounter
from formcoach.eval.alignment import align
from formcoach.eval.counting import find_clips, load_clip, parts


@dataclass
class Trace:
    """The counter's state at every frame it judged: (index, strength, period, delta, floor)."""

    rows: list[tuple[int, float, float, float, float]] = field(default_factory=list)

    def around(self, a: int, b: int) -> dict[str, float]:
        """Medians and extremes over frames ``a..b``."""
        sel = [r for r in self.rows if a <= r[0] <= b]
        if not sel:
            return {}
        x = np.array(sel)
        finite = bool(np.isfinite(x[:, 2]).any())
        return {
            "strength_med": round(float(np.median(x[:, 1])), 2),
            "strength_max": round(float(x[:, 1].max()), 2),
            "period_s": round(float(np.nanmedian(x[:, 2])), 2) if finite else float("nan"),
            "delta_med": round(float(np.median(x[:, 3])), 3),
            "floor_med": round(float(np.median(x[:, 4])), 3),
        }


def traced_count(seq) -> tuple[list[Rep], Trace]:
    """Count ``seq`` as ``count_reps`` does, recording the counter's state per frame."""
    trace = Trace()
    original = RepCounter._step

    def step(self, now):
        out = original(self, now)
        p = self._period
        floor = self.settings.noise_z * self._subspace.noise
        delta = self._tracker.hysteresis(now.time, self._subspace)
        trace.rows.append((now.index, p.strength, p.period, delta, floor))
        return out

    RepCounter._step = step
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountWarning)
            reps = count_reps(seq)
    finally:
        RepCounter._step = original
    return reps, trace


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", choices=("tune", "validate", "all"), default="tune")
    ap.add_argument("--classes", default="bench_pressing,situp")
    ap.add_argument("--clips", default="", help="comma-separated clip stems (overrides classes)")
    ap.add_argument("--trace", action="store_true", help="the counter's state at each miss")
    ap.add_argument("--reps", action="store_true", help="one line per rep")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    root = args.data / "counting" / "repcount"
    labels = {r["file"]: r for r in json.loads((root / "labels.json").read_text())}
    clips = find_clips(root)
    where = parts(clips)
    stems = [s for s in args.clips.split(",") if s]
    classes = [c for c in args.classes.split(",") if c]
    chosen = [
        c
        for c in clips
        if (args.part == "all" or where[c.file] == args.part)
        and (Path(c.file).stem in stems if stems else c.stratum in classes)
    ]
    for clip in chosen:
        seq = load_clip(clip)
        reps, trace = traced_count(seq)
        a = align(labels[clip.file]["boundaries"], reps)

        seen = float(seq.detected.mean())
        head = {
            "file": clip.file,
            "cls": clip.stratum,
            "true": clip.count,
            "predicted": len(reps),
            "pose_share": round(seen, 2),
            **a.tally(),
        }
        if args.json:
            print(json.dumps({**head, "labelled": a.labelled, "emitted": a.emitted}))
            continue
        print(" ".join(f"{k}={v}" for k, v in head.items()))
        if not (args.reps or args.trace):
            continue
        for i, (s, e, st) in enumerate(a.labelled):
            info = trace.around(s, e) if args.trace and st in ("missed", "merged") else {}
            det = float(seq.detected[s : e + 1].mean()) if e >= s else 0.0
            print(f"   L{i:02d} {s:5d}-{e:5d} {st:8s} pose={det:.2f} {info if info else ''}")
        for k, (s, far, e, st, j) in enumerate(a.emitted):
            info = trace.around(s, e) if args.trace and st != "inside" else {}
            print(f"   E{k:02d} {s:5d}-{e:5d} far={far:5d} {st:7s} L{j:02d} {info if info else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
