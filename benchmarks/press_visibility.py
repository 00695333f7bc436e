"""Is the labelled movement in the poses at all? RepCount clips, before any counting.

For each clip, over the labelled reps' span (first start to last end of ``boundaries``):

- ``pose``: share of frames with a pose;
- ``periodic``: the highest autocorrelation, at the labelled period (the median labelled rep,
  within 15 %), of any raw landmark coordinate (x, y or z; 5-frame median, missing frames
  held) - a movement that repeats at the labelled tempo shows in at least one coordinate;
  ``std`` is that coordinate's standard deviation (per-frame box units: 0.03 is jitter, 0.4 a
  skeleton jumping across its box);
- ``reversed``: share of frames whose shoulders-to-hips axis points against the clip's median
  axis (the pose model returning the skeleton head to feet).

Round 14's finding (tuning part): bench presses the counter misses are mostly not in the
poses. ``stu7_4`` (8 reps, counted 4): no coordinate repeats at the labelled period above 0.40
(std 0.03); ``stu4_5`` (51 reps of 0.7 s, counted 2): a pose in 33 % of frames;
``stu10_5`` (16, counted 11): its most periodic coordinates (0.85) are the head's and knees' x
with std 0.33, the skeleton reversed in 45 % of its frames; a clip counted right (``stu6_3``)
repeats at 0.64. Other classes' clips reach 0.40-0.99 (median 0.83).

Usage::

    python benchmarks/press_visibility.py [--data ../shared/data] [--part tune]
        [--classes bench_pressing]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from formcoach.eval.counting import find_clips, parts

_SHOULDERS, _HIPS = (11, 12), (23, 24)  # BlazePose-33 indices


def _held(x: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """(T, C) rows with the missing frames holding the last seen row, then a 5-frame median."""
    x = np.where(seen[:, None], x, np.nan)
    for i in range(1, len(x)):
        gap = np.isnan(x[i])
        x[i, gap] = x[i - 1, gap]
    x = np.nan_to_num(x)
    padded = np.pad(x, ((2, 2), (0, 0)), mode="edge")
    return np.median(sliding_window_view(padded, 5, axis=0), axis=-1)


def periodic(x: np.ndarray, period: int) -> tuple[float, float]:
    """(best autocorrelation at ``period`` +-15 % over the columns of (T, C) ``x``, that
    column's standard deviation)."""
    best = np.full(x.shape[1], -1.0)
    for lag in range(max(2, int(0.85 * period)), int(1.15 * period) + 1):
        if lag >= len(x) - 5:
            break
        a, b = x[:-lag] - x[:-lag].mean(0), x[lag:] - x[lag:].mean(0)
        ac = (a * b).sum(0) / np.sqrt((a * a).sum(0) * (b * b).sum(0) + 1e-12)
        best = np.maximum(best, ac)
    k = int(np.argmax(best))
    return float(best[k]), float(x[:, k].std())


def reversed_share(rows: np.ndarray, seen: np.ndarray) -> float:
    """Share of the seen frames whose shoulders-to-hips axis points against the median axis."""
    lm = rows[:, :99].reshape(len(rows), 33, 3)[seen, :, :2]
    if not len(lm):
        return float("nan")
    axis = lm[:, list(_HIPS)].mean(1) - lm[:, list(_SHOULDERS)].mean(1)
    return float(((axis @ np.median(axis, 0)) < 0).mean())


def clip_row(path: Path, label: dict) -> dict:
    """The figures of one clip (see the module's docstring)."""
    b = label["boundaries"]
    rows = np.load(path)[b[0] : b[-1] + 1]
    seen = ~(rows == 0).all(axis=1)
    period = int(np.median(np.asarray(b[1::2]) - np.asarray(b[0::2]) + 1))
    best, std = periodic(_held(rows[:, :99].astype(np.float64), seen), period)
    return {
        "clip": path.stem,
        "cls": label["cls"],
        "count": label["count"],
        "period": period,
        "pose": round(float(seen.mean()), 2),
        "periodic": round(best, 2),
        "std": round(std, 3),
        "reversed": round(reversed_share(rows, seen), 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--part", choices=("tune", "validate", "all"), default="tune")
    ap.add_argument("--classes", default="bench_pressing", help="comma-separated, or 'all'")
    args = ap.parse_args(argv)
    root = args.data / "counting" / "repcount"
    if not (root / "labels.json").is_file():
        print(f"no RepCount labels under {root}: pass --data (the shared data folder)")
        return 2
    labels = {d["file"]: d for d in json.loads((root / "labels.json").read_text())}
    clips = find_clips(root)
    which = parts(clips)
    classes = None if args.classes == "all" else set(args.classes.split(","))
    for c in clips:
        lab = labels[c.file]
        if (args.part != "all" and which[c.file] != args.part) or (
            classes is not None and lab["cls"] not in classes
        ):
            continue
        print(" ".join(f"{k}={v}" for k, v in clip_row(Path(c.path), lab).items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
