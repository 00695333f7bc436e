"""``formcoach count``: count the repetitions in a video, camera or keypoint file."""

from __future__ import annotations

import warnings

import click

from formcoach.analysis import (
    UNKNOWN_RATE,
    a_picture,
    assumed_fps,
    nothing_counted,
)
from formcoach.cli.common import (
    echo_ignored,
    echo_json,
    fps_option,
    frame_size_option,
    source_argument,
    source_help,
)
from formcoach.core.errors import FormcoachError
from formcoach.core.progress import progress_bar
from formcoach.counting import CountWarning, RepCounter
from formcoach.form.exercises import get_exercise
from formcoach.pose.pipeline import track
from formcoach.pose.sources import open_source

SOURCE_HELP = source_help()


def resolve_exercise(name: str):
    """``auto`` -> ``None``; any other name -> the exercise library's exercise of that name."""
    if name.strip().lower() == "auto":
        return None
    return get_exercise(name)


def _check_someone(source: str, frames: int, seen: int) -> None:
    """Nothing to count is an error, not "0 reps": say what was wrong."""
    if frames == 0:
        raise FormcoachError(
            f"{source!r} gave no frames", "check that the file is a recording with frames"
        )
    if frames == 1:
        raise a_picture(repr(source))
    if seen == 0:
        raise FormcoachError(
            f"nobody was detected in any of the {frames} frames of {source!r}",
            "make sure the whole body is in view and lit, then try again",
        )


@click.command("count", epilog=SOURCE_HELP)
@source_argument
@click.option(
    "-e",
    "--exercise",
    default="auto",
    show_default=True,
    metavar="NAME|auto",
    help="The exercise, to count its movement; 'auto' finds the repeating movement by itself.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the reps.")
@fps_option
@frame_size_option
@click.option("--max-frames", type=click.IntRange(min=1), help="Stop after this many frames.")
@click.option(
    "--duration", type=click.FloatRange(min=0.1), help="Camera: stop after this many seconds."
)
def command(source, exercise, as_json, fps, frame_size, max_frames, duration) -> None:
    """Count the repetitions in SOURCE, each with its start and end time."""
    hint = resolve_exercise(exercise)
    echo_ignored(source, fps, frame_size)
    src = open_source(
        source, fps=fps, frame_size=frame_size, max_frames=max_frames, duration_s=duration
    )
    reps = []
    frames = seen = 0
    counter = RepCounter(hint, fps=src.fps)
    live_echo = not as_json and src.live
    what = "hold" if hint is not None and hint.static else "rep"  # a static exercise is held

    def take(new) -> None:
        reps.extend(new)
        if live_echo:
            for r in new:
                click.echo(f"{what} {r.number}: {r.start_s:.2f}-{r.end_s:.2f} s")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CountWarning)
        with (
            src,
            progress_bar(
                src.frame_count, f"counting reps in {src.description}", not src.live and None
            ) as advance,
        ):
            try:
                for step in track(src):
                    take(counter.update(step.pose))
                    frames += 1
                    seen += bool(step.raw.detected)
                    advance(1)
            except KeyboardInterrupt:
                if not src.live:
                    raise
        take(counter.finish())
    _check_someone(source, frames, seen)
    for w in caught:
        if issubclass(w.category, CountWarning):
            click.echo(f"warning: {w.message}", err=True)
    held = round(sum(r.duration_s for r in reps), 2)
    if as_json:
        out = {"count": len(reps), "reps": [r.as_dict() for r in reps]}
        echo_json(out | ({"held_s": held} if what == "hold" else {}))
        return
    click.echo(f"{len(reps)} {what}{'s' if len(reps) != 1 else ''}")
    if not reps and what == "rep":
        name = hint.name if hint is not None else None
        click.echo(f"no repeating movement found: {nothing_counted(name)}")
    if what == "hold":
        click.echo(f"held for {held:.1f} s")
    if not live_echo:
        for r in reps:
            click.echo(
                f"  {what} {r.number}: {r.start_s:.2f}-{r.end_s:.2f} s "
                f"(frames {r.start_frame}-{r.end_frame})"
            )
    if rate := assumed_fps(source, fps):
        click.echo(f"note: {UNKNOWN_RATE.format(fps=rate)}")
