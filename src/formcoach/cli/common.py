"""Options and helpers shared by several commands."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from formcoach.analysis import ignored_options
from formcoach.pose.cache import cache_disabled

__all__ = [
    "echo_ignored",
    "echo_json",
    "fps_option",
    "frame_size_option",
    "no_cache_option",
    "parse_frame_size",
    "source_argument",
    "source_help",
]


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


def source_help(extra: str = "") -> str:
    """The epilog that says what SOURCE may be (the keypoint layouts by name: a user has no
    ``../shared/data`` to compare with), then ``extra``."""
    text = (
        "SOURCE is a video file, a camera index (0, 1, ...), a folder of OpenPose JSON files, "
        "or a keypoint file: .npy with OpenPose (COCO-18, BODY_25), MediaPipe (17 or 33 "
        "landmarks) or RepCount rows, or a formcoach .npz."
    )
    return f"{text} {extra}" if extra else text


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


def echo_ignored(source: str, fps: float | None, frame_size: tuple[int, int] | None) -> None:
    """Say once on stderr each of --fps / --frame-size that ``source`` (a video or camera)
    does not use (:func:`formcoach.analysis.ignored_options`)."""
    for note in ignored_options(source, fps, frame_size):
        click.echo(f"note: {note}", err=True)


def echo_json(obj: Any) -> None:
    """Print one JSON object on stdout."""
    sys.stdout.write(json.dumps(obj, indent=None, default=float) + "\n")
    sys.stdout.flush()


def no_cache_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--no-cache``: the command computes every recording's poses afresh and neither
    reads nor writes the pose cache (as ``FORMCOACH_CACHE=off`` does for every command)."""

    @functools.wraps(command)
    def run(*args: Any, no_cache: bool = False, **kwargs: Any) -> Any:
        with cache_disabled(no_cache):
            return command(*args, **kwargs)

    return click.option(
        "--no-cache",
        is_flag=True,
        help="Do not read or write the pose cache (also: FORMCOACH_CACHE=off).",
    )(run)
