"""Poses of a small, far-away person: the real clips shrunk into a larger canvas.

    python benchmarks/small_person.py [--data ../shared/data] [--share 0.15] [--dark]
        [--seconds 10] [--canvas WxH] [--nobody] [--part tune|validate|all]
        [--set margin=2.5 ...] [--json]

Each clip of ``videos/`` (its first ``--seconds``) is shrunk so that the person's extent is
``--share`` of the frame height and placed in a canvas of the clip's size or ``--canvas``
(``--dark``: at 30 % brightness with sensor noise). The same canvases go, frame by frame,
through the bare whole-frame model (``before``, as formcoach was) and through ``BlazePose``
with its zoom (``after``). Printed per clip and per part of the fixed split (tune /
validate): the share of frames with a pose before, after and in the full-size run; the
median landmark error after, in torso lengths, against the full-size run's landmarks mapped
into the canvas; ``fps_ratio_vs_bare`` = the bare model's time over the zoomed one's on the
same canvases (the bare model finds nobody there, which is cheap); and
``fps_ratio_vs_bare_full_size`` = the bare model's time on the full-size frames (where it
tracks the person) over the zoomed one's on the canvases. ``--nobody`` leaves the person out:
the time of searches that find nobody (at most one per ``search_interval_s``).
``--set NAME=VALUE`` changes one :class:`~formcoach.pose.zoom.ZoomSettings` field (for the
+-25 % checks).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import sys
from pathlib import Path

from formcoach.core.paths import shared_data_dir
from formcoach.eval.distant import Setup, as_rows, measure_clips, summarise
from formcoach.pose.zoom import ZoomSettings


def _settings(pairs: list[str]) -> ZoomSettings:
    changes = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        changes[name] = float(value)
    return dataclasses.replace(ZoomSettings(), **changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--share", type=float, default=0.15)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--canvas", default=None, metavar="WxH", help="default: the clip's size")
    parser.add_argument("--nobody", action="store_true", help="the canvas without the person")
    parser.add_argument("--part", choices=("tune", "validate", "all"), default="all")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    root = args.data or shared_data_dir()
    if root is None or not (root / "videos" / "ground_truth.csv").is_file():
        print("no real clips: pass --data DIR (a folder with videos/)", file=sys.stderr)
        return 2
    with open(root / "videos" / "ground_truth.csv", newline="") as f:
        videos = [root / "videos" / row["file"] for row in csv.DictReader(f)]
    parts = ("tune", "validate") if args.part == "all" else (args.part,)
    zoom = _settings(args.set)
    canvas = tuple(int(v) for v in args.canvas.lower().split("x")) if args.canvas else None
    setup = Setup(args.share, args.dark, args.seconds, canvas, args.nobody)
    figures = measure_clips(videos, setup, zoom, parts)
    result = {
        "setup": dataclasses.asdict(setup),
        "zoom": dataclasses.asdict(zoom),
        "summary": summarise(figures),
        "clips": as_rows(figures),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for row in result["clips"]:
            print(row)
        for part, figs in result["summary"].items():
            print(part, figs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
