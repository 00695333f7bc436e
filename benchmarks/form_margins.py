"""How far each labelled tuning rep's verdict is from flipping under what varies between people.

Every rep of every form dev set's part (``--part tune`` by default) is judged as ``formcoach
analyze`` judges it, as given and under variations that must not change a verdict:

- ``mirror``: filmed from the other side (left/right keypoints swapped, ``x -> W - x``);
- ``tempo0.7`` / ``tempo1.4``: done slower / faster (re-sampled in time, same frame rate; a rep
  of 2 s takes 2.86 s / 1.43 s);
- ``scale0.6`` / ``scale1.3``: the person smaller / larger in the frame (every keypoint scaled
  about the median hip centre, clipped to the frame);
- ``roll-5`` / ``roll+5``: the camera rolled by 5 degrees (rotation about the frame centre, in
  pixels, clipped to the frame);
- ``start-0.3`` / ``start+0.3`` / ``end-0.3`` / ``end+0.3``: the counted rep cut 0.3 s earlier
  or later at one end (the same poses, judged with the moved cut, emitted as long after its
  end as the counter emitted the rep as given; not for frame-level runs, judged whole).

A varied recording is counted again, and each of its reps is matched with the rep as given that
it overlaps most in time. Per data set and exercise: the correct pass and fault catch rates per
variation. Per correct rep: its worst part's deviation over the judging limit (``load``: 1 is
the limit, a rep passes at or below it) as given and its largest over the variations, with the
variation, part and fault behind it; a rep whose worst load reaches ``--near`` (0.8) is listed.

Usage::

    python benchmarks/form_margins.py [--data ../shared/data] [--part tune] [--only SET] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Standard frame sizes, smallest first: the frame of pixel keypoints of unknown frame size is
#: the smallest one holding every keypoint of its data set.
FRAMES = ((320, 240), (640, 480), (854, 480), (960, 540), (1280, 720), (1920, 1080))

SHIFT_S = 0.3


@dataclass(frozen=True)
class Judged:
    """One rep's verdict: where it is (frames of the recording as given), pass, load, why."""

    start: float
    end: float
    passed: bool
    load: float
    part: str
    fault: str


# ---------------------------------------------------------------- variations of the poses
def _mirror(seq, frame):
    """Mirrored in ``frame`` (x -> width - x, sides swapped); the frame size stays as given."""
    from formcoach.testing.resample import mirror

    return mirror(seq.replace(frame_size=tuple(frame))).replace(frame_size=seq.frame_size)


def _tempo(k: float):
    """Done ``k`` times as fast (:func:`formcoach.testing.resample.tempo`)."""
    from formcoach.testing.resample import tempo

    return lambda seq, frame: tempo(seq, k)


def _clipped(seq, xy, frame):
    """The poses ``xy`` clipped to the frame, which the judge is told."""
    xy[..., 0] = np.clip(xy[..., 0], 0, frame[0])
    xy[..., 1] = np.clip(xy[..., 1], 0, frame[1])
    return seq.replace(xy=xy, frame_size=tuple(frame))


def _scale(k: float):
    def vary(seq, frame):
        names = seq.skeleton.joints
        hips = seq.xy[:, [names.index("left_hip"), names.index("right_hip")]].mean(axis=1)
        centre = np.nanmedian(hips, axis=0)
        return _clipped(seq, centre + k * (seq.xy - centre), frame)

    return vary


def _roll(degrees: float):
    def vary(seq, frame):
        a = math.radians(degrees)
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        centre = np.array(frame, float) / 2
        return _clipped(seq, (seq.xy - centre) @ rot.T + centre, frame)

    return vary


#: name -> (vary(seq, frame) -> seq, time factor: a varied frame f is the original's f * factor)
VARIATIONS: dict[str, tuple[Callable, float]] = {
    "mirror": (_mirror, 1.0),
    "tempo0.7": (_tempo(0.7), 0.7),
    "tempo1.4": (_tempo(1.4), 1.4),
    "scale0.6": (_scale(0.6), 1.0),
    "scale1.3": (_scale(1.3), 1.0),
    "roll-5": (_roll(-5.0), 1.0),
    "roll+5": (_roll(5.0), 1.0),
}
SHIFTS = {"start-0.3": (-1, 0), "start+0.3": (1, 0), "end-0.3": (0, -1), "end+0.3": (0, 1)}


# ---------------------------------------------------------------- judging
def _judged(v, start: float, end: float, limit: float) -> Judged:
    worst = max(v.distances, key=v.distances.__getitem__)
    fault = v.deviation.text if v.deviation else ""
    return Judged(start, end, v.passed, round(v.aggregate / limit, 3), worst, fault)


def judge_recording(seq, ex, settings, factor: float = 1.0, shifts: bool = False):
    """Every counted rep of a recording as :class:`Judged` (frames mapped back to the recording
    as given by ``factor``); with ``shifts``, also each rep cut differently (variation ->
    list, in rep order)."""
    from formcoach.analysis import analyze_sequence
    from formcoach.core.errors import FormcoachError
    from formcoach.core.rep import Rep

    try:
        a = analyze_sequence(seq, ex, "", settings)
    except FormcoachError:
        return [], {}
    out = [
        _judged(r.verdict, r.rep.start_frame * factor, r.rep.end_frame * factor, settings.limit)
        for r in a.judged
        if r.verdict is not None
    ]
    moved: dict[str, list[Judged | None]] = {}
    if not shifts:
        return out, moved
    fps = a.poses.frame_rate()
    d = round(SHIFT_S * fps)
    ts = a.poses.timestamps
    for name, (ds, de) in SHIFTS.items():
        moved[name] = []
        for r in a.judged:
            if r.verdict is None:
                continue
            s = int(np.clip(r.rep.start_frame + ds * d, 0, len(a.poses) - 1))
            e = int(np.clip(r.rep.end_frame + de * d, s, len(a.poses) - 1))
            # a counter cutting the end later or earlier emits as much later or earlier
            seen = int(np.clip(r.rep.emitted_frame + de * d, e, len(a.poses) - 1))
            rep = Rep(s, e, float(ts[s]), float(ts[e]), r.rep.number, seen)
            try:
                c = a.judge.measure(a.poses, rep, a.view, a.view.near_side)
                moved[name].append(_judged(a.judge.judge_curves(c, rep), s, e, settings.limit))
            except FormcoachError:
                moved[name].append(None)
    return out, moved


def judge_run(seq, ex, settings, factor: float = 1.0):
    """A frame-level run judged whole (as :func:`~formcoach.eval.form_builtin.
    judge_frame_runs` does)."""
    from formcoach.core.errors import FormcoachError
    from formcoach.form.judge import FormJudge

    judge = FormJudge(ex, settings)
    try:
        v = judge.judge_curves(judge.measure(seq))
    except FormcoachError:
        return [], {}
    return [_judged(v, 0, (len(seq) - 1) * factor, settings.limit)], {}


def _match(rep: Judged, varied: list[Judged]) -> Judged | None:
    """The varied rep overlapping ``rep`` most in time (None: none overlaps)."""
    best, most = None, 0.0
    for v in varied:
        overlap = min(rep.end, v.end) - max(rep.start, v.start)
        if overlap > most:
            best, most = v, overlap
    return best


# ---------------------------------------------------------------- data sets
def items(data: Path, part: str, only: list[str] | None):
    """(data set, name, exercise, correct, poses, frame (W, H), judge function, shifts?)."""
    from formcoach.eval.form import DEV_SETS
    from formcoach.eval.form_builtin import only_faults
    from formcoach.eval.form_data import (
        FRAME_LEVEL_ASPECT,
        is_frame_level,
        read_clips,
        read_frame_level,
        read_labels,
    )
    from formcoach.eval.form_research import library_exercise

    for name, (sub, size) in DEV_SETS.items():
        folder = data / sub
        if (only and name not in only) or not folder.is_dir():
            continue
        if (folder / "labels.csv").is_file() or (folder / "ground_truth.csv").is_file():
            files = read_labels(folder, size) if (folder / "labels.csv").is_file() else None
            files = files if files is not None else read_clips(folder)
            files = [f for f in files if f.part == part and f.correct is not None]
            frame = _frame_of([f.seq for f in files])
            for f in files:
                ex = library_exercise(f.exercise)
                if ex is not None:
                    yield name, f.file, ex, f.correct, f.seq, f.seq.frame_size or frame, True
            continue
        paths = [p for p in sorted(folder.glob("*.csv")) if is_frame_level(p)]
        runs = [r for p in paths for r in read_frame_level(p) if r.part == part]
        runs = [r for r in runs if r.cues is not None]
        faults: dict[str, set[str]] = {}
        for r in runs:
            faults.setdefault(r.file, set()).update(r.cues or ())
        for r in runs:
            ex = only_faults(r.exercise, faults[r.file])
            frame = (FRAME_LEVEL_ASPECT, 1.0)
            yield name, f"{r.file}@{r.start}", ex, not r.cues, r.seq, frame, False


def _frame_of(seqs) -> tuple[float, float]:
    """The smallest standard frame holding every keypoint of the sequences."""
    w = max((float(np.nanmax(s.xy[..., 0])) for s in seqs if np.isfinite(s.xy).any()), default=1)
    h = max((float(np.nanmax(s.xy[..., 1])) for s in seqs if np.isfinite(s.xy).any()), default=1)
    if w <= 1.5 and h <= 1.5:
        return (1.0, 1.0)
    return next(((fw, fh) for fw, fh in FRAMES if fw >= w and fh >= h), (w, h))


# ---------------------------------------------------------------- the benchmark
def measure(data: Path, part: str = "tune", only: list[str] | None = None, near: float = 0.8):
    """Per rep as given: its verdict as given and under each variation; and the summary."""
    from formcoach.form.judge import JudgeSettings

    settings = JudgeSettings()
    reps: list[dict] = []
    for ds, file, ex, correct, seq, frame, counted in items(data, part, only):
        run = judge_recording if counted else judge_run
        given, moved = (
            judge_recording(seq, ex, settings, shifts=True) if counted else run(seq, ex, settings)
        )
        varied = {
            name: run(vary(seq, frame), ex, settings, factor)[0]
            for name, (vary, factor) in VARIATIONS.items()
        }
        for i, g in enumerate(given):
            row = {
                "set": ds,
                "exercise": ex.name,
                "file": file,
                "rep": i + 1,
                "correct": correct,
                "given": g.__dict__,
                "varied": {},
                "counted": {k: len(v) for k, v in varied.items()},
            }
            for name, vs in varied.items():
                m = _match(g, vs)
                row["varied"][name] = m.__dict__ if m else None
            for name, vs in moved.items():
                row["varied"][name] = vs[i].__dict__ if vs[i] else None
            reps.append(row)
    return {"part": part, "near": near, "reps": reps, "summary": summarise(reps, near)}


def summarise(reps: list[dict], near: float) -> dict:
    """Per (data set, exercise) and variation: correct pass and fault catch rates over the
    matched reps; the correct reps whose worst load over the variations reaches ``near``."""
    out: dict[str, dict] = {}
    names = ["given", *VARIATIONS, *SHIFTS]
    for key in sorted({(r["set"], r["exercise"]) for r in reps}):
        mine = [r for r in reps if (r["set"], r["exercise"]) == key]
        table = {}
        for name in names:
            got = [(r["correct"], _at(r, name)) for r in mine]
            good = [j["passed"] for c, j in got if c and j]
            bad = [not j["passed"] for c, j in got if not c and j]
            if not good and not bad:
                continue
            table[name] = {
                "pass": round(float(np.mean(good)), 3) if good else None,
                "caught": round(float(np.mean(bad)), 3) if bad else None,
                "unmatched": sum(1 for _c, j in got if j is None),
            }
        correct = [r for r in mine if r["correct"]]
        margins = []
        for r in correct:
            worst = max(((n, j) for n in names if (j := _at(r, n))), key=lambda nj: nj[1]["load"])
            margins.append(
                {
                    "file": r["file"],
                    "rep": r["rep"],
                    "load": r["given"]["load"],
                    "worst_load": worst[1]["load"],
                    "worst_variation": worst[0],
                    "part": worst[1]["part"],
                    "fault": worst[1]["fault"],
                    "flips": [n for n in names if (j := _at(r, n)) and not j["passed"]],
                }
            )
        out[f"{key[0]}/{key[1]}"] = {
            "variations": table,
            "correct_reps": len(correct),
            "near_or_over": sorted(
                (m for m in margins if m["worst_load"] >= near), key=lambda m: -m["worst_load"]
            ),
            "median_load": _median([m["load"] for m in margins]),
            "median_worst_load": _median([m["worst_load"] for m in margins]),
        }
    return out


def _at(row: dict, name: str) -> dict | None:
    return row["given"] if name == "given" else row["varied"].get(name)


def _median(x: list[float]) -> float | None:
    return round(float(np.median(x)), 3) if x else None


def _print(result: dict) -> None:
    for key, s in result["summary"].items():
        print(
            f"== {key}: {s['correct_reps']} correct reps; median load as given "
            f"{s['median_load']}, worst over variations {s['median_worst_load']}"
        )
        for name, t in s["variations"].items():
            cells = f"pass {t['pass']}  caught {t['caught']}  unmatched {t['unmatched']}"
            print(f"   {name:<10} {cells}")
        for m in s["near_or_over"]:
            print(
                f"   near/over: {m['file']} rep {m['rep']}: load {m['load']} -> "
                f"{m['worst_load']} ({m['worst_variation']}: {m['part']} {m['fault']!r}); "
                f"flips under {', '.join(m['flips']) or '-'}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", default="tune", choices=("tune", "validate"))
    ap.add_argument("--only", action="append", help="a data set (posetrainer, mp17, ...)")
    ap.add_argument("--near", type=float, default=0.8, help="list correct reps at this load")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data folder at {args.data}: pass --data ../shared/data", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    result = measure(args.data, args.part, args.only, args.near)
    print(f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        _print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
