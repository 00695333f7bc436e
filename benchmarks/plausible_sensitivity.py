"""How the figures move when each setting of the plausibility check changes by +-25 %.

Counts RepCount-A and the real clips (class-agnostic, tuning and validation parts) and judges
pushfit with the built-in push-up, with the pipeline's cleaning given each variant of
:class:`~formcoach.pose.plausible.PlausibleSettings` (and without the check), one line each.
Slow: about three minutes a variant here.

Usage::

    python benchmarks/plausible_sensitivity.py [--data ../shared/data] [--only default,max_speed]
        [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import warnings
from pathlib import Path


def figures(data: Path, plausible) -> dict[str, str]:
    """RepCount and clips MAE/OBO and pushfit pass/caught/BA, per part, for one setting."""
    from formcoach.eval.counting import evaluate_counting
    from formcoach.eval.form_builtin import judge_labelled, summarise
    from formcoach.eval.form_data import read_labels
    from formcoach.form.judge import JudgeSettings
    from formcoach.pose.cleaning import CleanSettings

    cleaning = CleanSettings(plausible=plausible)
    out = {}
    for name, sub in (("repcount", "counting/repcount"), ("clips", "videos")):
        for part in ("tune", "validate"):
            ev = evaluate_counting(data / sub, part=part, progress=False, clean_settings=cleaning)
            s = ev.scores()
            out[f"{name}-{part}"] = f"{s['mae']:.3f}/{s['obo']:.2f}"
    labelled = read_labels(data / "form/pushfit", None)
    reps, unjudged = judge_labelled(labelled, JudgeSettings(), cleaning)
    for part in ("tune", "validate"):
        mine = [r for r in reps if r.part == part]
        s = summarise(mine, [u for u in unjudged if u[2] == part])["push-up"]
        out[f"pushfit-{part}"] = "/".join(
            f"{s[k]:.2f}" for k in ("correct_pass_rate", "fault_catch_rate", "balanced_accuracy")
        )
    return out


def main() -> None:
    from formcoach.pose.plausible import PlausibleSettings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated prefixes of the variants to run (e.g. default,max_speed); all "
        "when omitted",
    )
    args = ap.parse_args()
    base = PlausibleSettings()
    variants: dict[str, PlausibleSettings | None] = {"default": base, "off": None}
    for f in dataclasses.fields(base):
        for k in (0.75, 1.25):
            variants[f"{f.name} x{k}"] = dataclasses.replace(
                base, **{f.name: k * getattr(base, f.name)}
            )
    if args.only:
        wanted = tuple(w.strip() for w in args.only.split(",") if w.strip())
        variants = {k: v for k, v in variants.items() if k.startswith(wanted)}
        if not variants:
            ap.error(f"--only {args.only!r} names no variant; start with default, off or a field")
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, plausible in variants.items():
            out[name] = figures(args.data, plausible)
            if not args.json:
                print(f"{name:24s} " + " | ".join(f"{k} {v}" for k, v in out[name].items()))
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
