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
from formcoach.eval.counting import find_clips, load_clip, parts

#: An emitted rep matches a labelled one when at least this share of its frames lie in it.
MATCH_SHARE = 0.3


@dataclass(frozen=True)
class Alignment:
    """The emitted reps of one clip against its labelled ones.

    Attributes:
        labelled: (start, end, status) per labelled rep; status ``matched``, ``shifted``
            (matched by a rep whose far frame lies outside it: counted from the other end of
            the movement), ``merged`` (unmatched, but more than half of it lies in a rep
            matched to another) or ``missed``.
        emitted: (start, far, end, status, labelled index or -1) per emitted rep; status
            ``inside`` (matched), ``doubled`` (unmatched, mostly inside a labelled rep matched
            to another emitted one) or ``outside`` (unmatched, mostly outside every labelled
            rep: a lead-in, a rest between sets, the end).
    """

    labelled: tuple[tuple[int, int, str], ...]
    emitted: tuple[tuple[int, int, int, str, int], ...]

    def tally(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for *_, s in self.labelled:
            out[s] = out.get(s, 0) + 1
        for _, _, _, s, _ in self.emitted:
            out[s] = out.get(s, 0) + 1
        return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0) + 1)


def align(bounds: list[int], reps: list[Rep]) -> Alignment:
    """Match emitted ``reps`` one to one with labelled ``bounds`` ([s1, e1, s2, e2, ...]
    frames): greedily, the pairs sharing most frames first, each pair sharing at least
    ``MATCH_SHARE`` of the emitted rep's frames."""
    lab = [(int(bounds[i]), int(bounds[i + 1])) for i in range(0, len(bounds) - 1, 2)]
    lab = [(s, e) for s, e in lab if e > s]  # labels past the clip's end are degenerate
    pairs = []
    for k, r in enumerate(reps):
        n = r.end_frame - r.start_frame + 1
        for i, (s, e) in enumerate(lab):
            o = _overlap(s, e, r.start_frame, r.end_frame)
            if o >= MATCH_SHARE * n:
                pairs.append((o, i, k))
    of_lab: dict[int, int] = {}
    of_rep: dict[int, int] = {}
    for _, i, k in sorted(pairs, reverse=True):
        if i not in of_lab and k not in of_rep:
            of_lab[i], of_rep[k] = k, i
    emitted = []
    for k, r in enumerate(reps):
        far = int(r.features.get("far_frame", (r.start_frame + r.end_frame) // 2))
        n = r.end_frame - r.start_frame + 1
        if k in of_rep:
            emitted.append((r.start_frame, far, r.end_frame, "inside", of_rep[k]))
            continue
        best = max(
            range(len(lab)),
            key=lambda i: _overlap(*lab[i], r.start_frame, r.end_frame),
            default=-1,
        )
        o = _overlap(*lab[best], r.start_frame, r.end_frame) if best >= 0 else 0
        status = "doubled" if o >= 0.5 * n else "outside"
        emitted.append((r.start_frame, far, r.end_frame, status, best if o else -1))
    labelled = []
    for i, (s, e) in enumerate(lab):
        if i in of_lab:
            far = emitted[of_lab[i]][1]
            labelled.append((s, e, "matched" if s <= far <= e else "shifted"))
            continue
        cover = max(
            (_overlap(s, e, r.start_frame, r.end_frame) for k, r in enumerate(reps) if k in of_rep),
            default=0,
        )
        labelled.append((s, e, "merged" if cover > 0.5 * (e - s + 1) else "missed"))
    return Alignment(tuple(labelled), tuple(emitted))


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
