"""Options and helpers shared by several commands."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

__all__ = ["echo_json", "fps_option", "frame_size_option", "parse_frame_size", "source_argument"]


def parse_frame_size(ctx: click.Context, param: click.Parameter, value: str | None):
    """Click callback: ``"1280x720"`` -> (1280, 720)."""
    if value is None:
        return None
    try:
        w, h = (int(v) for v in value.lower().split("x"))
        if w <= 0 or h <= 0:
            raise ValueError
    except ValueError:
        raise click.BadParameter(f"expected WIDTHxHEIGHT such as 1280x720, got {value!r}") from None
    return (w, h)


source_argument = click.argument("source", metavar="SOURCE")
fps_option = click.option(
    "--fps",
    type=click.FloatRange(min=1, max=1000),
    default=None,
    help="Frame rate of a keypoint file (they store none; default 30).",
)
frame_size_option = click.option(
    "--frame-size",
    callback=parse_frame_size,
    default=None,
    metavar="WxH",
    help="Frame size behind normalised keypoints (e.g. 1280x720), to measure true angles.",
)


def echo_json(obj: Any) -> None:
    """Print one JSON object on stdout."""
    sys.stdout.write(json.dumps(obj, indent=None, default=float) + "\n")
    sys.stdout.flush()
