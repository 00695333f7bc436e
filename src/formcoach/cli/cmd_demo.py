"""``formcoach demo``: the main job on real material, headless."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.errors import FormcoachError
from formcoach.paths import shared_data_dir

DEMO_CLIP = "videos/chauhan08_fitness__barbell-curl.mp4"


@click.command("demo")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=None,
    help="The shared test material folder (default: ../shared/data).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/demo"),
    show_default=True,
    help="Where to write the demo's files.",
)
def command(data: Path | None, out: Path) -> None:
    """Run formcoach on a real barbell-curl clip and write the overlay video."""
    from formcoach.cli.cmd_pose import run_pose_command

    root = data if data is not None and data.is_dir() else shared_data_dir()
    clip = root / DEMO_CLIP if root else None
    if clip is None or not clip.exists():
        raise FormcoachError(
            f"the demo clip {DEMO_CLIP} is not here (looked in {data or '../shared/data'})",
            "pass --data DIR for the shared material, or run 'formcoach pose YOUR_VIDEO "
            "--overlay out.webm' on a clip of your own",
        )
    overlay = out / "barbell-curl.overlay.webm"
    click.echo(f"formcoach demo: finding the pose in every frame of {clip}")
    run = run_pose_command(str(clip), out / "barbell-curl.npz", overlay)
    s = run.summary()
    click.echo(
        f"{s['frames']} frames ({s['duration_s']:.1f} s), a pose in {s['frames_with_pose']}, "
        f"{s['processing_fps']:.1f} frames/s"
    )
    click.echo(f"poses:   {out / 'barbell-curl.npz'}")
    click.echo(f"overlay: {overlay} (open it in a browser)")
