"""Speed of judging one rep against 10 reference reps, against bare dtaidistance.

Builds a taught exercise with 10 recorded references (synthetic curls with known angles, so the
benchmark runs anywhere), then times, over many runs:

- ``judge``: ``FormJudge.judge(seq)`` on one rep: measuring its features from the poses,
  DTW against every reference, the cue (the full work done after each rep in a session);
- ``bare_dtw``: only ``dtaidistance.dtw.distance_fast`` on the same curve pairs (the DTW a
  judge cannot avoid).

Prints one JSON object: medians in milliseconds, the ratio judge/bare, and the target (5 ms).

    .venv/bin/python benchmarks/judge_speed.py [--runs 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
from dtaidistance import dtw

from formcoach.exercises import get_exercise
from formcoach.judge import FormJudge, JudgeSettings
from formcoach.repcurves import rep_curves
from formcoach.synthetic import keyframes, stick_figure
from formcoach.teach import teach_from_curves

TARGET_MS = 5.0


def curl(seed: int, depth: float = 45.0, frames: int = 75):
    """A side-view curl with a little variation and pose noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames) / 30.0
    top = depth + rng.normal(0, 4)
    elbow = keyframes([0, 1.0, 1.5, 2.5], [168, top, top, 168], t)
    shoulder = keyframes([0, 1.2, 2.5], [2, 6 + rng.normal(0, 2), 2], t)
    return stick_figure(
        {"left_elbow": elbow, "right_elbow": elbow, "left_shoulder": shoulder},
        noise_px=1.0,
        seed=seed,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    settings = JudgeSettings()
    base = get_exercise("bicep curl")
    examples = [
        rep_curves(curl(s), base, settings.samples, "side", "left", settings.max_missing)
        for s in range(10)
    ]
    taught = teach_from_curves("bench curl", examples, base, settings=settings)
    judge = FormJudge(taught, settings)
    assert judge.references == 10
    query = curl(99, depth=70.0)
    judge.judge(query, view="side", near_side="left")  # warm-up (parsing caches)

    q = rep_curves(query, base, settings.samples, "side", "left", settings.max_missing)
    pairs = [
        (np.ascontiguousarray(c), np.ascontiguousarray(r.curves[k]))
        for k, c in q.curves.items()
        for r in examples
        if k in r.curves
    ]

    def bare() -> None:
        for a, b in pairs:
            dtw.distance_fast(a, b, window=settings.window, use_pruning=False)

    judge_ms, bare_ms = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        judge.judge(query, view="side", near_side="left")
        judge_ms.append(1000 * (time.perf_counter() - t0))
        t0 = time.perf_counter()
        bare()
        bare_ms.append(1000 * (time.perf_counter() - t0))
    j, b = statistics.median(judge_ms), statistics.median(bare_ms)
    print(
        json.dumps(
            {
                "references": judge.references,
                "dtw_pairs": len(pairs),
                "samples": settings.samples,
                "rep_frames": len(query),
                "judge_median_ms": round(j, 3),
                "bare_dtw_median_ms": round(b, 3),
                "ratio_judge_to_bare_dtw": round(j / b, 2),
                "target_ms": TARGET_MS,
                "meets_target": j <= TARGET_MS,
            }
        )
    )


if __name__ == "__main__":
    main()
