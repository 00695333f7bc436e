"""How much each counting setting moves the validation figures when changed by +-25 %.

A setting sits in a flat region when a 25 % change either way moves the validation MAE and
OBO by a few points at most; one that moves them more is not settled (find the principle that
fixes it). For each setting named, every clip of the chosen part of RepCount-A
(``counting/repcount``) and of the real clips (``videos``) is counted class-agnostically with
the setting at 75 %, 100 % and 125 % of its default, the others at theirs.

The clips' poses are loaded once (the videos' from the pose cache). Each line of progress goes
to stderr; with ``--json`` one object goes to stdout at the end::

    {"part": "validate", "base": {"repcount": S, "clips": S},
     "settings": {"min_move": {"low": {...}, "high": {...}, "value": 0.05}, ...}}

where ``S`` holds ``mae``, ``obo``, ``under`` and ``over``. ``--factors`` measures other
multiples than 0.75 and 1.25 (a curve: is the default a plateau or a spike?), each under the
key ``x<factor>`` (``low`` and ``high`` keep their names). ``--moved`` adds, for every moved
setting, ``"moved": {"x<factor>": {dataset: {file: [true, base, moved]}}}``: the clips whose
count changed, so the clips that make a setting sensitive can be looked at (tuning part only).

Usage::

    python benchmarks/count_sensitivity.py [--data ../shared/data] [--part validate]
        [--settings min_move,noise_z,...] [--factors 0.75,1.25] [--moved] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from dataclasses import fields, replace
from pathlib import Path

from formcoach.counting import CountSettings, CountWarning, count_reps
from formcoach.eval.counting import CountEval, CountItem, find_clips, load_clip, parts

#: The settings that decide what is counted (the hold settings only matter for static
#: exercises, and the whole-number ones are not moved by a share).
DEFAULT_SETTINGS = (
    "slowest_hz",
    "fastest_hz",
    "min_move",
    "noise_z",
    "glitch_s",
    "smooth_s",
    "turn_share",
    "return_share",
    "rest_tolerance",
    "similar_cos",
    "amp_ratio",
    "dur_ratio",
    "step_torsos",
    "lone_min_range",
)
DATASETS = (("repcount", "counting/repcount"), ("clips", "videos"))


def load(data: Path, part: str) -> dict[str, list]:
    """name -> [(clip, poses)] of the chosen part of each dataset."""
    out = {}
    for name, folder in DATASETS:
        clips = find_clips(data / folder)
        where = parts(clips)
        out[name] = [(c, load_clip(c)) for c in clips if part == "all" or where[c.file] == part]
    return out


def count(clips: dict[str, list], settings: CountSettings) -> dict[str, list[CountItem]]:
    """dataset -> the count of every clip with ``settings``."""
    out = {}
    for name, items in clips.items():
        counted = []
        for clip, seq in items:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CountWarning)
                got = len(count_reps(seq, None, settings))
            counted.append(CountItem(clip.file, clip.count, got, (), clip.stratum))
        out[name] = counted
    return out


def scores(counted: dict[str, list[CountItem]]) -> dict[str, dict]:
    """The scores of every dataset's counts."""
    out = {}
    for name, items in counted.items():
        s = CountEval(tuple(items)).scores()
        out[name] = {k: s[k] for k in ("mae", "obo", "under", "over")}
    return out


def score(clips: dict[str, list], settings: CountSettings) -> dict[str, dict]:
    """The scores of every dataset with ``settings``."""
    return scores(count(clips, settings))


def moved(base: dict[str, list[CountItem]], other: dict[str, list[CountItem]]) -> dict:
    """dataset -> {file: [true, base count, other count]} for the clips whose count moved."""
    out: dict = {}
    for name, items in base.items():
        was = {i.file: i for i in items}
        out[name] = {
            i.file: [i.true, was[i.file].predicted, i.predicted]
            for i in other[name]
            if i.predicted != was[i.file].predicted
        }
    return out


def label(factor: float) -> str:
    """The JSON key of a factor: ``low`` and ``high`` for 0.75 and 1.25, else ``x<f>``."""
    return {0.75: "low", 1.25: "high"}.get(factor, f"x{factor:g}")


def valid(base: CountSettings, name: str, value: float) -> CountSettings | None:
    """``base`` with ``name`` set to ``value``, or None when that is not a valid setting."""
    try:
        return replace(base, **{name: value})
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", choices=("tune", "validate", "all"), default="validate")
    ap.add_argument("--settings", default=",".join(DEFAULT_SETTINGS))
    ap.add_argument("--factors", default="0.75,1.25", help="multiples of each default")
    ap.add_argument("--moved", action="store_true", help="list the clips whose count moved")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    names = [n for n in args.settings.split(",") if n]
    known = {f.name for f in fields(CountSettings)}
    unknown = sorted(set(names) - known)
    if unknown:
        ap.error(f"unknown settings {unknown}; use some of {sorted(known)}")
    try:
        factors = [float(f) for f in args.factors.split(",") if f]
    except ValueError:
        ap.error(f"--factors must be numbers separated by commas, got {args.factors!r}")
    clips = load(args.data, args.part)
    base = CountSettings()
    base_counts = count(clips, base)
    result: dict = {"part": args.part, "base": scores(base_counts), "settings": {}}
    print(f"base {json.dumps(result['base'])}", file=sys.stderr, flush=True)
    for name in names:
        value = float(getattr(base, name))
        row: dict = {"value": value}
        changes: dict = {}
        for factor in factors:
            setting = valid(base, name, value * factor)
            if setting is None:
                row[label(factor)] = None
                continue
            counted = count(clips, setting)
            row[label(factor)] = scores(counted)
            changes[label(factor)] = moved(base_counts, counted)
        if args.moved:
            row["moved"] = changes
        result["settings"][name] = row
        print(f"{name} {json.dumps(row)}", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
