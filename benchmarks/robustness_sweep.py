"""Does the product crash, or say nonsense, on recordings it has never met?

Every keypoint file of the shared material is run through what ``formcoach analyze`` runs
(:func:`formcoach.analysis.analyze_sequence`: clean, count, judge every rep with the built-in
exercise, then the ``--json`` summary) as given and varied as a user's recording varies:

- ``12.5fps`` / ``15fps`` / ``24fps`` / ``60fps``: re-sampled (:func:`formcoach.testing.resample.
  resample`); ``shift``: the same rate half a frame later; ``mirror``: left for right;
- ``gaps``: 3 % of the frames missing in runs of 1-3 frames (``gap_robustness.missing_runs``);
- ``flip``: the skeleton flipped head-to-feet (y reflected about the body's own middle) in three
  runs of 2-4 frames, as a pose model that loses the body's orientation does;
- ``swap``: left and right joints swapped in three runs of 2-4 frames; ``uneven``: a variable
  frame rate (each frame 0.6-1.4 periods after the last);
- ``cut_head`` / ``cut_tail``: the first / last 0.3 s cut (the file re-timed from 0);
- ``dropped``: 3 % of the frames dropped from the file in runs of 1-3 (times jump);
  ``walked_out``: nobody in view for the middle 1.5 s;
- ``one`` / ``two``: the middle frame / two frames only; ``nobody``: every frame without a
  person (this one must be refused with a :class:`~formcoach.core.errors.FormcoachError`).

Material: ``form/{posetrainer,mp17,pushfit}`` (each file with its ``labels.csv`` exercise), the
runs of ``form/framelevel`` (one labelled run of frames each, with its file's exercise),
``counting/repcount`` (each clip with its class's exercise) and the ``videos`` whose poses the
pose cache holds (the pose model never runs). ``--sample repcount=12`` takes 12 RepCount
files (``--sample 8``: 8 of every set), drawn with ``--seed``. Once per file (as given) the live
path runs too: the session's :class:`~formcoach.session.training.Trainer` over the file
replayed as a video, with the real counter and judge, and every line it says is checked.

Checked per run: an exception other than a FormcoachError (type, message, where), reps whose
end precedes their start, that overlap or lie outside the recording, a rep of one frame, a rep
whose farthest point lies inside the previous rep (that one swallowed it), a negative hold, a
NaN / inf score, distance or aggregate, a summary that is not valid JSON (NaN), a failed rep
without a cue, a cue, refusal or spoken line containing "None", "nan" or "{".

Usage: python benchmarks/robustness_sweep.py [--data ../shared/data] [--sample repcount=12]
[--seed 0] [--variants given,mirror] [--sets pushfit] [--no-live] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcoach.analysis import analyze_sequence
from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.counting import CountWarning
from formcoach.eval.counting import find_clips, load_clip
from formcoach.eval.form import DEV_SETS
from formcoach.eval.form_data import FRAME_LABELS, is_frame_level, read_frame_level, read_labels
from formcoach.eval.form_research import library_exercise
from formcoach.form.exercises import Exercise, get_exercise, match_exercise
from formcoach.pose.cache import cached_poses, has_cached_poses
from formcoach.testing.resample import mirror, resample, side_swap
from gap_robustness import missing_runs, with_missing

Variant = Callable[[PoseSequence, np.random.Generator], PoseSequence]
#: One file to run: (data set, file, exercise, raw poses).
Item = tuple[str, str, Exercise, PoseSequence]

#: Words a user must never hear: a missing value or an unformatted template.
#: A Python value leaking into words ("None" as a value, not a sentence's "None of the parts ...").
NONSENSE = re.compile(r"\bNone\b(?! of\b)|\b(nan|NaN|inf)\b|[{}]")


def retimed(seq: PoseSequence) -> PoseSequence:
    """``seq`` with its first frame at 0 s (a trimmed file starts at 0)."""
    if len(seq) == 0:
        return seq
    return seq.replace(timestamps=seq.timestamps - seq.timestamps[0])


def flipped(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    """Three runs of 2-4 frames with the skeleton upside down (y reflected about its middle)."""
    xy = seq.xy.astype(np.float64)
    n = len(seq)
    for _ in range(3):
        length = int(rng.integers(2, 5))
        start = int(rng.integers(0, max(n - length, 1)))
        for i in range(start, min(start + length, n)):
            y = xy[i, :, 1]
            if np.isfinite(y).any():
                xy[i, :, 1] = np.nanmin(y) + np.nanmax(y) - y
    return seq.replace(xy=xy)


def swapped(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    """Three runs of 2-4 frames with left and right joints swapped (the pose model taking one
    side for the other; x not reflected)."""
    xy, vis = seq.xy.copy(), seq.visibility.copy()
    twin = side_swap(seq.skeleton)
    n = len(seq)
    for _ in range(3):
        length = int(rng.integers(2, 5))
        start = int(rng.integers(0, max(n - length, 1)))
        xy[start : start + length] = xy[start : start + length][:, twin]
        vis[start : start + length] = vis[start : start + length][:, twin]
    return seq.replace(xy=xy, visibility=vis)


def uneven(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    """A variable-rate recording: each frame 0.6-1.4 of a period after the last, the nominal
    rate kept."""
    dt = rng.uniform(0.6, 1.4, len(seq)) / seq.frame_rate()
    t = seq.timestamps[0] + np.concatenate([[0.0], np.cumsum(dt[1:])]) if len(seq) else dt
    return seq.replace(timestamps=t)


def gaps(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    """3 % of the frames missing, in runs of 1-3 frames."""
    gone = missing_runs(len(seq), 0.03, rng)
    return PoseSequence.from_poses(with_missing(seq, gone), seq.skeleton, seq.frame_size, seq.fps)


def cut(seq: PoseSequence, head: bool) -> PoseSequence:
    k = round(0.3 * seq.frame_rate())
    return retimed(seq[k:]) if head else seq[: max(len(seq) - k, 0)]


def dropped(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    """3 % of the frames dropped from the file in runs of 1-3 (the times jump over them)."""
    keep = ~missing_runs(len(seq), 0.03, rng)
    return seq.replace(
        xy=seq.xy[keep], visibility=seq.visibility[keep], timestamps=seq.timestamps[keep]
    )


def walked_out(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    """Nobody in view for 1.5 s in the middle (the person walked out and back)."""
    k, n = round(0.75 * seq.frame_rate()), len(seq)
    vis = seq.visibility.copy()
    vis[max(n // 2 - k, 0) : n // 2 + k] = 0
    return seq.replace(visibility=vis)


def nobody(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    return seq.replace(visibility=np.zeros_like(seq.visibility))


VARIANTS: dict[str, Variant] = {
    "given": lambda s, r: s,
    "12.5fps": lambda s, r: resample(s, 12.5),
    "15fps": lambda s, r: resample(s, 15.0),
    "24fps": lambda s, r: resample(s, 24.0),
    "60fps": lambda s, r: resample(s, 60.0),
    "shift": lambda s, r: resample(s, s.frame_rate(), 0.5 / s.frame_rate()),
    "mirror": lambda s, r: mirror(s),
    "gaps": gaps,
    "flip": flipped,
    "swap": swapped,
    "uneven": uneven,
    "cut_head": lambda s, r: cut(s, True),
    "cut_tail": lambda s, r: cut(s, False),
    "dropped": dropped,
    "walked_out": walked_out,
    "one": lambda s, r: retimed(s[len(s) // 2 : len(s) // 2 + 1]),
    "two": lambda s, r: retimed(s[len(s) // 2 - 1 : len(s) // 2 + 1]),
    "nobody": nobody,
}


def load_items(data: Path) -> list[Item]:
    """Every keypoint file of the material with the built-in exercise it shows."""
    items: list[Item] = []
    for name in ("posetrainer", "mp17", "pushfit"):
        sub, size = DEV_SETS[name]
        if (data / sub / "labels.csv").is_file():
            for lf in read_labels(data / sub, size):
                ex = library_exercise(lf.exercise)
                if ex is not None:
                    items.append((name, lf.file, ex, lf.seq))
    for path in sorted((data / "form" / "framelevel").glob("*.csv")):
        if is_frame_level(path) and path.stem in FRAME_LABELS:
            for run in read_frame_level(path):
                items.append(("framelevel", f"{run.file}@{run.start}", run.exercise, run.seq))
    root = data / "counting" / "repcount"
    if root.is_dir():
        for clip in find_clips(root):
            items.append(("repcount", clip.file, get_exercise(clip.stratum), load_clip(clip)))
    table = data / "videos" / "ground_truth.csv"
    if table.is_file():
        with table.open(newline="") as fh:
            for row in csv.DictReader(fh):
                ex, path = match_exercise(row["exercise"]), data / "videos" / row["file"]
                if ex is not None and has_cached_poses(path):
                    items.append(("videos", row["file"], ex, cached_poses(path, progress=False)))
    return items


def sample(items: list[Item], n: dict[str, int], seed: int) -> list[Item]:
    """``n[set]`` files of each data set named in ``n``, drawn with ``seed`` (``n["all"]``:
    of every set not named; a set not named, with no ``"all"``: every file)."""
    rng = np.random.default_rng(seed)
    out = []
    for ds in dict.fromkeys(i[0] for i in items):
        mine = [i for i in items if i[0] == ds]
        k = n.get(ds, n.get("all", len(mine)))
        pick = sorted(rng.choice(len(mine), min(k, len(mine)), replace=False))
        out += [mine[j] for j in pick]
    return out


def _sizes(text: str) -> dict[str, int]:
    """``"repcount=12,videos=8"`` (or ``"8"`` for every set) -> {set: files}."""
    out = {}
    for part in filter(None, text.split(",")):
        name, _, k = part.rpartition("=")
        out[name or "all"] = int(k)
    return out


def _where(e: BaseException) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    own = [f for f in tb if "formcoach" in f.filename] or tb
    f = own[-1]
    return f"{Path(f.filename).name}:{f.lineno} {f.name}"


def _bad(x: object) -> bool:
    return isinstance(x, float) and not math.isfinite(x)


def check_analysis(analysis, n_frames: int) -> list[str]:
    """The problems of one analysis (empty: none)."""
    out: list[str] = []
    last_end = -1
    for r in analysis.results:
        rep = r.rep
        if rep.end_frame < rep.start_frame or rep.end_s < rep.start_s:
            out.append(f"rep_order {rep.start_frame}..{rep.end_frame}")
        # reps tile the stream: one may start on the frame where the last one ended
        if rep.start_frame < last_end and not analysis.exercise.static:
            out.append(f"rep_overlap {last_end}>{rep.start_frame}")
        if rep.end_frame == rep.start_frame and not analysis.exercise.static:
            out.append(f"rep_one_frame {rep.start_frame}")
        far = rep.features.get("far_frame")
        if far is not None and far <= last_end and not analysis.exercise.static:
            out.append(f"rep_swallowed far {far:g} inside the last rep (to {last_end})")
        if rep.start_frame < 0 or rep.end_frame >= n_frames:
            out.append(f"rep_outside {rep.start_frame}..{rep.end_frame} of {n_frames}")
        last_end = max(last_end, rep.end_frame)
        v = r.verdict
        if v is None:
            if r.error is not None and NONSENSE.search(r.error):
                out.append(f"error_text {r.error!r}")
            continue
        numbers = [float(v.score), v.aggregate, v.median, *v.distances.values()]
        if any(_bad(x) for x in numbers):
            out.append(f"not_finite score={v.score} aggregate={v.aggregate} {v.distances}")
        if not v.passed and not v.cue.strip():
            out.append("failed_without_cue")
        for text in (v.cue, *v.hidden.values()):
            if NONSENSE.search(text):
                out.append(f"cue_text {text!r}")
    if analysis.held_s < 0:
        out.append(f"negative_hold {analysis.held_s}")
    try:
        json.dumps(analysis.summary(), allow_nan=False)
    except ValueError as e:
        out.append(f"summary_json {e}")
    return out


def run_analysis(item: Item, seq: PoseSequence, variant: str) -> list[str]:
    """Analyze one varied file; its problems (an expected refusal is none)."""
    _ds, file, ex, _raw = item
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountWarning)
            analysis = analyze_sequence(seq, ex, file)
    except FormcoachError as e:
        if NONSENSE.search(str(e)):
            return [f"refusal_text {e}"]
        return []
    except Exception as e:
        return [f"exception {type(e).__name__}: {e} at {_where(e)}"]
    if variant == "nobody":
        return ["nobody_not_refused"]
    return check_analysis(analysis, len(seq))


def run_live(item: Item) -> list[str]:
    """The session's trainer over one file replayed as a video; its problems."""
    from formcoach.counting import RepCounter
    from formcoach.form.judge import FormJudge
    from formcoach.pose.sources import SequencePoseSource
    from formcoach.session.commands import NoCommands
    from formcoach.session.feed import Feed, PoseBuffer
    from formcoach.session.training import Trainer, TrainingSettings

    _ds, file, ex, seq = item
    said: list[str] = []
    settings = TrainingSettings()
    source = SequencePoseSource(seq, file)
    feed = Feed(source, PoseBuffer(settings.buffer_s, source.fps or 30.0))
    trainer = Trainer(
        feed,
        NoCommands(),
        ex,
        RepCounter(exercise=ex),
        FormJudge(ex),
        lambda t, **k: said.append(t),
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountWarning)
            if ex.static:
                result = trainer.run_hold(1, 1, 1e6)
            else:
                result = trainer.run_set(1, 1, 10_000)
    except Exception as e:
        return [f"exception {type(e).__name__}: {e} at {_where(e)}"]
    out = [f"line_text {t!r}" for t in said if NONSENSE.search(t)]
    for o in result.reps:
        if o.verdict is not None and any(_bad(float(x)) for x in (o.verdict.score,)):
            out.append(f"not_finite score={o.verdict.score}")
    return out


def sweep(
    items: list[Item], seed: int, live: bool, variants: list[str] | None = None
) -> dict[str, object]:
    """Every item in every variant; the problems found, by kind and in full."""
    problems: list[dict[str, str]] = []
    runs = 0
    for k, item in enumerate(items):
        ds, file, ex, seq = item
        t0 = time.perf_counter()
        for variant in variants or list(VARIANTS):
            change = VARIANTS[variant]
            rng = np.random.default_rng(1000 * seed + k)
            runs += 1
            try:
                varied = change(seq, rng)
            except Exception as e:
                problems.append(
                    {"file": f"{ds}/{file}", "variant": variant, "what": f"variant {e}"}
                )
                continue
            for what in run_analysis(item, varied, variant):
                problems.append({"file": f"{ds}/{file}", "variant": variant, "what": what})
        if live:
            runs += 1
            for what in run_live(item):
                problems.append({"file": f"{ds}/{file}", "variant": "live", "what": what})
        took = time.perf_counter() - t0
        print(f"{ds}/{file} ({ex.name}, {len(seq)} frames) {took:.1f} s", file=sys.stderr)
    kinds = Counter(p["what"].split(" ")[0] for p in problems)
    return {
        "runs": runs,
        "files": len(items),
        "problems": len(problems),
        "kinds": dict(kinds),
        "details": problems,
    }


def main(argv: list[str] | None = None) -> int:
    from formcoach.core.paths import shared_data_dir

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="shared data (../shared/data)")
    ap.add_argument(
        "--sample", type=_sizes, default={}, help="files per set: 'repcount=12' or '8' (all)"
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--variants", default=None, help="comma-separated (default: all)")
    ap.add_argument("--sets", default=None, help="comma-separated data sets (default: all)")
    ap.add_argument("--no-live", action="store_true", help="skip the session's live path")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    data = args.data or shared_data_dir()
    if data is None or not Path(data).is_dir():
        print("no shared data: pass --data ../shared/data", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    items = sample(load_items(Path(data)), args.sample, args.seed)
    if args.sets:
        items = [i for i in items if i[0] in args.sets.split(",")]
    chosen = args.variants.split(",") if args.variants else None
    out = sweep(items, args.seed, not args.no_live, chosen)
    out["sets"] = dict(Counter(i[0] for i in items))
    out["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        for p in out.pop("details", []):
            print(f"{p['file']} [{p['variant']}]: {p['what']}")
        print({k: v for k, v in out.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
