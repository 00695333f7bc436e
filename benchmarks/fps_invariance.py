"""Does counting or judging depend on the frame rate, or on which side faces the camera?

The same movement is given to the counter and the judge as recorded, re-sampled in time
(:func:`formcoach.testing.resample.resample`: linear interpolation between recorded frames, a
missing pose stays missing, the new rate passed on) and mirrored
(:func:`formcoach.testing.resample.mirror`: left and right swapped, x reflected).

- counting: RepCount-A poses (``counting/repcount``) and the raw clips' cached poses
  (``videos``), class-agnostic as ``formcoach eval counting`` counts them, as given and at 15,
  24 and 60 fps and mirrored: MAE / OBO per variant and the clips whose count changes against
  the count as given. ``shift`` is the control: the same rate, sampled half a frame later
  (interpolated), so the changes it shows are the counter's sensitivity to the instants
  sampled, not to the rate;
- judging: the form sets' reps (Pose Trainer, mp17, pushfit, frame-level runs) judged as
  ``formcoach eval form`` judges them, as given, at half and at double their frame rate and
  mirrored: balanced accuracy per variant and how many verdicts flip.

The pose model never runs: the clips' poses come from the pose cache.

Usage: python benchmarks/fps_invariance.py [--data ../shared/data] [--part tune|validate]
[--only counting|form] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from formcoach.core.paths import shared_data_dir
from formcoach.core.pose import PoseSequence
from formcoach.counting import CountWarning, count_reps
from formcoach.eval.counting import CountEval, CountItem, find_clips, load_clip, parts
from formcoach.testing.resample import mirror, resample

Variant = Callable[[PoseSequence], PoseSequence]

#: Counting variants: name -> how the poses are changed (None: as given).
COUNT_VARIANTS: dict[str, Variant | None] = {
    "given": None,
    "shift": lambda s: resample(s, s.frame_rate(), 0.5 / s.frame_rate()),
    "15fps": lambda s: resample(s, 15.0),
    "24fps": lambda s: resample(s, 24.0),
    "60fps": lambda s: resample(s, 60.0),
    "mirror": mirror,
}
#: Judging variants.
FORM_VARIANTS: dict[str, Variant | None] = {
    "given": None,
    "half": lambda s: resample(s, 0.5 * s.frame_rate()),
    "double": lambda s: resample(s, 2.0 * s.frame_rate()),
    "mirror": mirror,
}


def count_set(root: Path, part: str) -> dict[str, object]:
    """Every clip of one part counted in every variant: scores and the changed counts."""
    found = find_clips(root)
    where = parts(found)
    clips = [c for c in found if where[c.file] == part]
    items: dict[str, list[CountItem]] = {v: [] for v in COUNT_VARIANTS}
    for clip in clips:
        seq = load_clip(clip)
        for name, change in COUNT_VARIANTS.items():
            s = seq if change is None else change(seq)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CountWarning)
                n = len(count_reps(s))
            items[name].append(CountItem(clip.file, clip.count, n, (), clip.stratum))
    given = {i.file: i.predicted for i in items["given"]}
    out: dict[str, object] = {}
    for name, got in items.items():
        changed = {
            i.file: [given[i.file], i.predicted] for i in got if i.predicted != given[i.file]
        }
        out[name] = {**CountEval(tuple(got)).scores(), "changed": changed}
    return out


_FIGURES = ("correct_pass_rate", "fault_catch_rate", "balanced_accuracy")


def _form_items(data: Path, part: str) -> list[tuple[str, object]]:
    """(data set, LabelledFile or FrameRun) of one part of every form set."""
    from formcoach.eval.form import DEV_SETS
    from formcoach.eval.form_data import is_frame_level, read_frame_level, read_labels

    out: list[tuple[str, object]] = []
    for name in ("posetrainer", "mp17", "pushfit", "framelevel"):
        sub, size = DEV_SETS[name]
        folder = data / sub
        if not folder.is_dir():
            continue
        if (folder / "labels.csv").is_file():
            out += [(name, f) for f in read_labels(folder, size) if f.part == part]
        else:
            for p in sorted(folder.glob("*.csv")):
                if is_frame_level(p):
                    out += [(name, r) for r in read_frame_level(p) if r.part == part]
    return out


def _source(item: object) -> str:
    """The ``source`` the judged reps of a labelled file or a frame run carry."""
    start = getattr(item, "start", None)
    return item.file if start is None else f"{item.file}@{start}"  # type: ignore[attr-defined]


def judge_sets(data: Path, part: str) -> dict[str, object]:
    """Every form item of one part judged in every variant: balanced accuracy per data set
    and exercise, and the verdicts that flip against the verdicts as given."""
    from formcoach.eval.form_builtin import judge_frame_runs, judge_labelled, summarise
    from formcoach.eval.form_data import FrameRun

    items = _form_items(data, part)
    verdicts: dict[str, dict[str, list[bool]]] = {}
    figures: dict[str, dict[str, object]] = {}
    for variant, change in FORM_VARIANTS.items():
        by_set: dict[str, list] = {}
        mine: dict[str, list[bool]] = {f"{ds}/{_source(i)}": [] for ds, i in items}
        for ds in dict.fromkeys(ds for ds, _i in items):
            moved = [
                i if change is None else replace(i, seq=change(i.seq)) for d, i in items if d == ds
            ]
            runs = isinstance(moved[0], FrameRun)
            reps, _u = judge_frame_runs(moved) if runs else judge_labelled(moved)
            by_set[ds] = reps
            for r in reps:
                if r.correct is not None:
                    mine[f"{ds}/{r.source}"].append(r.passed)
        verdicts[variant] = mine
        figures[variant] = {
            ds: {ex: {k: f[k] for k in _FIGURES} for ex, f in summarise(reps).items()}
            for ds, reps in by_set.items()
        }
    given = verdicts["given"]
    for variant, mine in verdicts.items():
        flips = {}
        reps_changed = {}
        for key, v in mine.items():
            g = given[key]
            if len(v) != len(g):
                reps_changed[key] = [len(g), len(v)]
            n = sum(a != b for a, b in zip(g, v, strict=False))
            if n:
                flips[key] = n
        figures[variant]["flips"] = sum(flips.values())
        figures[variant]["flipped"] = flips
        figures[variant]["judged_reps_changed"] = reps_changed
    figures["n_items"] = len(items)
    figures["n_reps"] = sum(len(v) for v in given.values())
    return figures


def _print_counting(name: str, res: dict) -> None:
    for variant, s in res.items():
        print(
            f"counting {name:<8} {variant:<6} n={s['n']} MAE={s['mae']:.3f} OBO={s['obo']:.3f} "
            f"under={s['under']} over={s['over']} changed={len(s['changed'])}"
        )
        for f, (a, b) in s["changed"].items():
            print(f"    {f}: {a} -> {b}")


def _print_form(res: dict) -> None:
    print(f"form: {res['n_items']} items, {res['n_reps']} labelled reps judged as given")
    for variant in FORM_VARIANTS:
        f = res[variant]
        print(
            f"form {variant:<6} flips={f['flips']}  judged reps changed in "
            f"{len(f['judged_reps_changed'])} items"
        )
        for ds in ("posetrainer", "mp17", "pushfit", "framelevel"):
            for ex, s in f.get(ds, {}).items():
                print(
                    f"    {ds}/{ex}: pass {s['correct_pass_rate']} caught "
                    f"{s['fault_catch_rate']} balanced {s['balanced_accuracy']}"
                )
        for key, n in f["flipped"].items():
            print(f"    flipped {key}: {n}")
        for key, (a, b) in f["judged_reps_changed"].items():
            print(f"    reps {key}: {a} -> {b}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="shared data (../shared/data)")
    ap.add_argument("--part", choices=("tune", "validate"), default="tune")
    ap.add_argument("--only", choices=("counting", "form"), default=None)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    data = args.data or shared_data_dir()
    if data is None or not Path(data).is_dir():
        print("no shared data: pass --data ../shared/data", file=sys.stderr)
        return 2
    data = Path(data)
    out: dict[str, object] = {"part": args.part}
    t0 = time.perf_counter()
    if args.only in (None, "counting"):
        for name, sub in (("repcount", "counting/repcount"), ("clips", "videos")):
            out[name] = count_set(data / sub, args.part)
            if not args.json:
                _print_counting(name, out[name])
    if args.only in (None, "form"):
        out["form"] = judge_sets(data, args.part)
        if not args.json:
            _print_form(out["form"])
    out["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        print(f"{out['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
