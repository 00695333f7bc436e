"""Simple rules on Pose Trainer's shoulder presses, as a baseline for the built-in verdicts.

Each labelled recording (one rep) is cleaned as ``formcoach analyze`` cleans it, and scored by:

- **trunk sway**: how far the trunk (hips to the shoulders' midpoint) swings forward and back
  over the recording, peak to peak in degrees, after a running median over
  :data:`SMOOTH_S` seconds (the pose model's jitter on a single frame is not a swing). The
  limit is chosen on the tuning part only (the best balanced accuracy, the middle of the gap
  that gives it) and shown 25 % lower and higher;
- **Pose Trainer's rules** (Chen & Yang 2020, the repository's ``evaluate.py``, thresholds as
  published; positions in torso lengths): the neck moves horizontally by more than 0.16 over
  the rep, an elbow passes more than 0.12 behind the neck, or the elbow never opens to 178
  degrees.

Figures are correct pass / faults caught / balanced accuracy (correct + faulty recordings).

Usage::

    python benchmarks/shoulder_press_rules.py [--data ../shared/data] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

#: The running median over the trunk's tilt (seconds).
SMOOTH_S = 0.2


def _signed_tilt(xy: np.ndarray) -> np.ndarray:
    """(T,) trunk tilt from vertical in degrees, > 0 leaning the way the nose points."""
    from formcoach.core.features import joint_xy

    trunk = joint_xy(xy, "mid_shoulder") - joint_xy(xy, "mid_hip")
    ahead = joint_xy(xy, "nose")[:, 0] - joint_xy(xy, "mid_shoulder")[:, 0]
    facing = np.sign(np.nanmedian(ahead)) or 1.0
    return np.degrees(np.arctan2(facing * trunk[:, 0], -trunk[:, 1]))


def _running_median(x: np.ndarray, n: int) -> np.ndarray:
    """(T,) median over ``n`` frames centred on each (ends padded with the nearest value)."""
    x = np.where(np.isfinite(x), x, np.nanmedian(x))
    pad = np.pad(x, (n // 2, n // 2), mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(pad, n), axis=-1)


def measures(seq) -> dict[str, float | bool]:
    """Trunk sway (degrees) and Pose Trainer's verdict for one recording."""
    from formcoach.core.body import body_unit
    from formcoach.core.features import estimate_view, feature, joint_xy
    from formcoach.pose.cleaning import clean

    poses = clean(seq)
    xy = poses.to_common().xy
    n = max(3, round(SMOOTH_S * poses.frame_rate()) // 2 * 2 + 1)
    sway = float(np.ptp(_running_median(_signed_tilt(xy), n)))
    side = estimate_view(poses).near_side or "left"
    torso = float(np.nanmedian(body_unit(xy)))
    neck, elbow = joint_xy(xy, "mid_shoulder"), joint_xy(xy, f"{side}_elbow")
    facing = np.sign(np.nanmedian(joint_xy(xy, "nose")[:, 0] - neck[:, 0])) or 1.0
    hip = joint_xy(xy, "mid_hip")
    back = float(np.ptp(np.nan_to_num((neck - hip)[:, 0] / torso)))
    behind = float(np.nanmin(facing * (elbow[:, 0] - neck[:, 0]) / torso))
    opened = float(np.nanmax(feature(f"{side}_elbow")(xy)))
    return {"sway": sway, "pose_trainer": back > 0.16 or behind < -0.12 or opened < 178}


def figures(rows: list[tuple[bool, bool]]) -> str:
    """``pass/caught/BA (n+m)`` of (correct, flagged) pairs."""
    good = [not f for c, f in rows if c]
    bad = [f for c, f in rows if not c]
    p, k = float(np.mean(good)), float(np.mean(bad))
    return f"{p:.2f}/{k:.2f}/{(p + k) / 2:.2f} ({len(good)}+{len(bad)})"


def best_limit(values: list[tuple[bool, float]]) -> float:
    """The sway limit with the best balanced accuracy on ``(correct, sway)`` pairs: the middle
    of the gap between neighbouring values that gives it (the lower one on ties)."""
    xs = sorted({v for _, v in values})
    cands = [(a + b) / 2 for a, b in pairwise(xs)]

    def ba(lim: float) -> float:
        good = [v <= lim for c, v in values if c]
        bad = [v > lim for c, v in values if not c]
        return (float(np.mean(good)) + float(np.mean(bad))) / 2

    return max(cands, key=lambda lim: (ba(lim), -lim))


def main() -> None:
    from formcoach.eval.form_data import read_labels

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    folder = args.data / "form" / "posetrainer"
    if not (folder / "labels.csv").is_file():
        sys.exit(f"{folder} has no labels.csv: pass --data pointing at ../shared/data")
    files = [lf for lf in read_labels(folder) if lf.exercise == "shoulderpress"]
    found = [(lf.part, bool(lf.correct), measures(lf.seq)) for lf in files]
    limit = best_limit([(c, float(m["sway"])) for p, c, m in found if p == "tune"])
    out: dict[str, object] = {"sway_limit_deg": round(limit, 2), "smooth_s": SMOOTH_S}
    for part in ("tune", "validate"):
        mine = [(c, m) for p, c, m in found if p == part]
        out[part] = {
            "pose_trainer": figures([(c, bool(m["pose_trainer"])) for c, m in mine]),
            **{
                f"sway x{k}": figures([(c, float(m["sway"]) > k * limit) for c, m in mine])
                for k in (0.75, 1.0, 1.25)
            },
            "sway_correct": sorted(round(float(m["sway"]), 1) for c, m in mine if c),
            "sway_faulty": sorted(round(float(m["sway"]), 1) for c, m in mine if not c),
        }
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"trunk sway limit {limit:.1f} degrees (chosen on the tuning part)")
    for part in ("tune", "validate"):
        for name, value in out[part].items():  # type: ignore[union-attr]
            print(f"{part:8s} {name:14s} {value}")


if __name__ == "__main__":
    main()
