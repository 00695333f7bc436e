"""Which labelled reps the built-in verdicts get wrong on one part of a form dev set, and why.

For every correct rep that fails and every faulty rep that passes (as ``formcoach eval form``
judges them), one line: the file and rep, the worst body part, its fault and cue, its size
against the judging limit, the camera view as the judge took it (side, three-quarter: a
side view judged from the front too, :attr:`~formcoach.form.curves.RepCurves.oblique`, or
front), the shoulder width over the torso, and the rep's median segment lengths in pixels
(torso, upper arm, forearm, thigh, shin, nose to the shoulders' midpoint), so whether a part
was judged where the view shows it small can be read off. Run it on the tuning part.

Usage::

    python benchmarks/form_failures.py DIR [--part tune] [--frame-size 1280x720] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

#: The segments reported, as (name, joint, joint) on the near side (or ``mid_`` joints).
SEGMENTS_PX = (
    ("torso", "mid_shoulder", "mid_hip"),
    ("upper_arm", "{s}_shoulder", "{s}_elbow"),
    ("forearm", "{s}_elbow", "{s}_wrist"),
    ("thigh", "{s}_hip", "{s}_knee"),
    ("shin", "{s}_knee", "{s}_ankle"),
    ("head", "mid_shoulder", "nose"),
)


def segment_px(xy: np.ndarray, side: str) -> dict[str, float]:
    """Median length in pixels of each of :data:`SEGMENTS_PX` over (T, J, 2) COMMON poses."""
    from formcoach.core.features import joint_xy

    out = {}
    for name, a, b in SEGMENTS_PX:
        d = joint_xy(xy, a.format(s=side)) - joint_xy(xy, b.format(s=side))
        length = np.sqrt((d * d).sum(axis=-1))
        out[name] = round(float(np.nanmedian(length)), 1) if np.isfinite(length).any() else None
    return out


def wrong_reps(folder: Path, part: str, frame_size: tuple[int, int] | None) -> list[dict]:
    """Every misjudged rep of ``part``: one dict each (see the module docstring)."""
    from formcoach.analysis import analyze_sequence
    from formcoach.core.errors import FormcoachError
    from formcoach.eval.form_data import read_labels
    from formcoach.eval.form_research import library_exercise
    from formcoach.form.judge import JudgeSettings

    settings = JudgeSettings()
    out = []
    for lf in read_labels(folder, frame_size):
        ex = library_exercise(lf.exercise)
        if lf.part != part or ex is None:
            continue
        try:
            analysis = analyze_sequence(lf.seq, ex, lf.file, settings)
        except FormcoachError:
            continue
        view = analysis.view
        xy = analysis.poses.to_common().xy
        for r in analysis.judged:
            v = r.verdict
            if v is None or v.passed == lf.correct:
                continue
            worst = max(v.distances, key=v.distances.__getitem__)
            turned = r.curves is not None and r.curves.oblique  # as the judge saw it
            side = view.near_side or "left"
            out.append(
                {
                    "file": lf.file,
                    "rep": r.rep.number,
                    "label": "correct" if lf.correct else "faulty",
                    "exercise": ex.name,
                    "worst": worst,
                    "size": round(v.distances[worst], 2),
                    "limit": settings.limit,
                    "fault": v.deviation.text if v.deviation else "",
                    "cue": v.cue,
                    "view": "three-quarter" if turned else view.facing,
                    "near_side": view.near_side,
                    "shoulder_ratio": round(view.shoulder_ratio, 2),
                    "px": segment_px(xy[r.rep.start_frame : r.rep.end_frame + 1], side),
                }
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--part", default="tune", choices=("tune", "validate"))
    ap.add_argument("--frame-size", default=None, help="WxH of normalised keypoints")
    ap.add_argument("--json", action="store_true", help="print one JSON list")
    args = ap.parse_args()
    if not (args.folder / "labels.csv").is_file():
        sys.exit(f"{args.folder} has no labels.csv: pass a folder of ../shared/data/form")
    size = tuple(int(x) for x in args.frame_size.split("x")) if args.frame_size else None
    rows = wrong_reps(args.folder, args.part, size)  # type: ignore[arg-type]
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    for w in rows:
        px = " ".join(f"{k}={v}" for k, v in w["px"].items())
        print(
            f"{w['label']:7s} {w['file']} rep {w['rep']}: {w['worst']} {w['size']:.2f} "
            f"(limit {w['limit']}) {w['fault']!r} -> {w['cue']!r}; {w['view']} view "
            f"(shoulders {w['shoulder_ratio']} torso, near {w['near_side']}); px {px}"
        )
    print(f"{len(rows)} misjudged reps on the {args.part} part of {args.folder}")


if __name__ == "__main__":
    main()
