"""``formcoach pose``: poses from any source, saved, drawn or summarised."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.cli.common import (
    echo_json,
    fps_option,
    frame_size_option,
    source_argument,
    source_help,
)
from formcoach.core.errors import FormcoachError
from formcoach.pose.draw import OverlayWriter, blank_frame, draw_pose
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import open_source

SOURCE_HELP = source_help()


def run_pose_command(
    source: str,
    out: Path | None,
    overlay: Path | None,
    fps: float | None = None,
    frame_size: tuple[int, int] | None = None,
    max_frames: int | None = None,
    duration: float | None = None,
):
    """Run the pose pipeline on ``source``; save poses and overlay; return the run."""
    src = open_source(
        source, fps=fps, frame_size=frame_size, max_frames=max_frames, duration_s=duration
    )
    writer = OverlayWriter(overlay, src.fps) if overlay else None

    def draw(step) -> None:
        if writer is None:
            return
        image = (
            step.image.copy()
            if step.image is not None
            else blank_frame(src.frame_size, step.pose.xy)
        )
        writer.write(draw_pose(image, step.pose))

    try:
        run = run_poses(src, on_step=draw)
    finally:
        if writer is not None:
            writer.close()
    if run.frames == 0:
        raise FormcoachError(f"{source!r} gave no frames", "check the source")
    if run.frames_with_pose == 0:
        raise FormcoachError(
            f"nobody was detected in any of the {run.frames} frames of {source!r}",
            "make sure the whole body is in view and lit, then try again",
        )
    if out is not None:
        run.raw.save(out)
    return run


@click.command("pose", epilog=SOURCE_HELP)
@source_argument
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the poses as .npz (xy, visibility, timestamps, joints).",
)
@click.option(
    "--overlay",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the video with the skeleton drawn, as VP8 .webm.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the figures.")
@fps_option
@frame_size_option
@click.option("--max-frames", type=click.IntRange(min=1), help="Stop after this many frames.")
@click.option(
    "--duration", type=click.FloatRange(min=0.1), help="Camera: stop after this many seconds."
)
def command(source, out, overlay, as_json, fps, frame_size, max_frames, duration) -> None:
    """Find the pose in every frame of SOURCE."""
    run = run_pose_command(source, out, overlay, fps, frame_size, max_frames, duration)
    summary = run.summary()
    if as_json:
        echo_json(
            summary
            | {"out": str(out) if out else None, "overlay": str(overlay) if overlay else None}
        )
        return
    share = 100.0 * summary["frames_with_pose"] / summary["frames"]
    click.echo(
        f"{summary['frames']} frames ({summary['duration_s']:.1f} s), a pose in "
        f"{summary['frames_with_pose']} ({share:.0f}%), processed at "
        f"{summary['processing_fps']:.1f} frames/s"
    )
    if out:
        click.echo(f"poses saved to {out.with_suffix('.npz')}")
    if overlay:
        click.echo(f"overlay written to {overlay}")
