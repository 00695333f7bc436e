"""How much a few missing frames move the class-agnostic count.

A gap much shorter than a movement's cycle carries no information about how many reps were
done, so losing a few frames (the pose model missing a person in bad light, a hand passing the
camera, :mod:`formcoach.pose.plausible` dropping a skeleton no body can take) should change
no count. For every clip of the chosen part of RepCount-A (``counting/repcount``) and of the
real clips (``videos``), this counts the reps with 0 %, 1 % and 3 % of the frames missing, in
short runs of 1 to 3 frames placed at random (seeded, several seeds), and reports the mean
absolute change of the count against the count with every frame, and the MAE against the
labels.

Where the frames go missing (``--where``):

- ``counter`` (default): in the cleaned stream the counter reads, as the plausibility check
  makes them (the counter sees a missing frame);
- ``raw``: in the pose model's output, before the pipeline's cleaning (which holds a joint's
  last position over a short gap).

Usage::

    python benchmarks/gap_robustness.py [--data ../shared/data] [--part tune]
        [--rates 0.01,0.03] [--seeds 3] [--where counter] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np

from formcoach.core.pose import Pose, PoseSequence
from formcoach.counting import CountWarning, stream_reps
from formcoach.eval.counting import find_clips, load_clip, parts
from formcoach.pose.cleaning import clean

DATASETS = (("repcount", "counting/repcount"), ("clips", "videos"))
#: The shortest and longest run of missing frames.
RUN_FRAMES = (1, 3)


def missing_runs(n: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """(n,) bool: about ``share`` of ``n`` frames missing, in runs of 1 to 3 frames that
    neither touch nor overlap (so each run stays as short as drawn)."""
    out = np.zeros(n, bool)
    want = round(share * n)
    tries = 0
    while out.sum() < want and tries < 100 * max(want, 1):
        tries += 1
        length = int(rng.integers(RUN_FRAMES[0], RUN_FRAMES[1] + 1))
        start = int(rng.integers(0, max(n - length, 1)))
        lo, hi = max(start - 1, 0), min(start + length + 1, n)
        if not out[lo:hi].any():
            out[start : start + length] = True
    return out


def with_missing(seq: PoseSequence, gone: np.ndarray) -> list[Pose]:
    """The poses of ``seq`` with the frames where ``gone`` is true replaced by missing ones."""
    return [
        Pose.missing(p.skeleton, p.timestamp, p.index) if gone[i] else p for i, p in enumerate(seq)
    ]


def count(seq: PoseSequence, gone: np.ndarray, where: str) -> int:
    """Reps counted class-agnostically with the frames ``gone`` missing."""
    fps = seq.frame_rate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountWarning)
        if where == "raw":
            poses = with_missing(seq, gone)
            raw = PoseSequence.from_poses(poses, seq.skeleton, seq.frame_size, seq.fps)
            return len(stream_reps(clean(raw), None, fps))
        return len(stream_reps(with_missing(clean(seq), gone), None, fps))


def measure(data: Path, part: str, rates: list[float], seeds: int, where: str) -> dict:
    """Per dataset: n, and per rate the mean |change| of the count, the share of clips
    whose count changed, and the MAE against the labels (rate 0: the MAE only)."""
    out: dict[str, dict] = {}
    for name, folder in DATASETS:
        clips = find_clips(data / folder)
        where_part = parts(clips)
        clips = [c for c in clips if part == "all" or where_part[c.file] == part]
        rows = {r: {"change": [], "error": [], "moved": []} for r in rates}
        base_err = []
        for k, clip in enumerate(clips):
            seq = load_clip(clip)
            full = count(seq, np.zeros(len(seq), bool), where)
            base_err.append(abs(full - clip.count) / max(clip.count, 1))
            for r in rates:
                for s in range(seeds):
                    rng = np.random.default_rng(1000 * s + k)
                    got = count(seq, missing_runs(len(seq), r, rng), where)
                    rows[r]["change"].append(abs(got - full))
                    rows[r]["moved"].append(got != full)
                    rows[r]["error"].append(abs(got - clip.count) / max(clip.count, 1))
            print(f"{name} {clip.file}: {full} of {clip.count}", file=sys.stderr)
        out[name] = {"n": len(clips), "mae_full": round(float(np.mean(base_err)), 3)}
        for r, v in rows.items():
            out[name][f"{100 * r:g}%"] = {
                "mean_abs_change": round(float(np.mean(v["change"])), 3),
                "moved_share": round(float(np.mean(v["moved"])), 3),
                "mae": round(float(np.mean(v["error"])), 3),
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", default="tune", choices=("tune", "validate", "all"))
    ap.add_argument("--rates", default="0.01,0.03", help="shares of frames missing")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--where", default="counter", choices=("counter", "raw"))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if not (args.data / "counting" / "repcount").is_dir():
        sys.exit(f"no RepCount folder under {args.data}: pass --data ../shared/data")
    rates = [float(x) for x in args.rates.split(",")]
    out = {"part": args.part, "where": args.where, "seeds": args.seeds}
    out |= measure(args.data, args.part, rates, args.seeds, args.where)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:10s} {v}")


if __name__ == "__main__":
    main()
