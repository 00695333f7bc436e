"""Speed of judging one rep against 10 reference reps, against bare dtaidistance.

Two cases, each a taught exercise with 10 recorded references (synthetic curls with known
angles, so the benchmark runs anywhere): ``builtin_parts`` (taught --from the built-in curl:
its 3 features) and ``generic_parts`` (taught without a base: every catalogue feature, both
sides from the front, the heaviest case). For each, over many runs:

- ``judge``: ``FormJudge.judge(seq)`` on one rep: measuring its features from the poses,
  DTW against every reference, the cue (the full work done after each rep in a session);
- ``bare_dtw``: only ``dtaidistance.dtw.distance_fast`` on the same curve pairs (the DTW a
  judge cannot avoid).

Prints one JSON object: medians in milliseconds, the ratio judge/bare, and the target (5 ms)
— for a rep that fails (the judge then also computes the cue and tries the rep half a cycle
late) and the time for a rep that passes.

    .venv/bin/python benchmarks/judge_speed.py [--runs 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
from dtaidistance import dtw

from formcoach.form.curves import rep_curves
from formcoach.form.exercises import get_exercise
from formcoach.form.judge import FormJudge, JudgeSettings
from formcoach.form.teach import generic_exercise, teach_from_curves
from formcoach.testing.figure import keyframes, stick_figure

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


def measure(base, view: str, runs: int) -> dict[str, object]:
    """Time judging against 10 references taught on ``base``, and bare DTW on the same pairs."""
    settings = JudgeSettings()
    near = "left" if view == "side" else None
    examples = [
        rep_curves(curl(s), base, settings.samples, view, near, settings.max_missing)
        for s in range(10)
    ]
    taught = teach_from_curves("bench curl", examples, base, settings=settings)
    judge = FormJudge(taught, settings)
    assert judge.references == 10
    bad, good = curl(99, depth=80.0), curl(98)
    q = rep_curves(bad, taught, settings.samples, view, near, settings.max_missing)
    pairs = [
        (np.ascontiguousarray(c), np.ascontiguousarray(r.curves[k]))
        for k, c in q.curves.items()
        for r in examples
        if k in r.curves
    ]

    def bare() -> None:
        for a, b in pairs:
            dtw.distance_fast(a, b, window=settings.window, use_pruning=False)

    def timed(fn) -> float:
        fn()  # warm-up (parsing caches)
        out = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            out.append(1000 * (time.perf_counter() - t0))
        return statistics.median(out)

    verdict = judge.judge(bad, view=view, near_side=near)
    assert not verdict.passed and judge.judge(good, view=view, near_side=near).passed
    j = timed(lambda: judge.judge(bad, view=view, near_side=near))
    j_ok = timed(lambda: judge.judge(good, view=view, near_side=near))
    b = timed(bare)
    return {
        "references": judge.references,
        "features": len(q.curves),
        "dtw_pairs": len(pairs),
        "judge_median_ms": round(j, 3),
        "judge_passing_rep_median_ms": round(j_ok, 3),
        "bare_dtw_median_ms": round(b, 3),
        "ratio_judge_to_bare_dtw": round(j / b, 2),
        "meets_target": j <= TARGET_MS,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    args = ap.parse_args()
    result = {
        "samples": JudgeSettings().samples,
        "target_ms": TARGET_MS,
        "builtin_parts": measure(get_exercise("bicep curl"), "side", args.runs),
        "generic_parts": measure(generic_exercise("curl"), "front", args.runs),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
