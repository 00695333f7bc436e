"""``formcoach demo``: the main job on real material, headless."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.errors import FormcoachError
from formcoach.paths import shared_data_dir

DEMO_CLIP = "videos/chauhan08_fitness__barbell-curl.mp4"
DEMO_EXERCISE = "bicep curl"


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
    """Count and judge every rep of a real barbell-curl clip; write report and overlay."""
    from formcoach.analysis import analyze_sequence, load_poses
    from formcoach.annotate import write_overlay
    from formcoach.cli.cmd_analyze import print_table
    from formcoach.exercises import get_exercise
    from formcoach.report import write_report

    root = data if data is not None and data.is_dir() else shared_data_dir()
    clip = root / DEMO_CLIP if root else None
    if clip is None or not clip.exists():
        raise FormcoachError(
            f"the demo clip {DEMO_CLIP} is not here (looked in {data or '../shared/data'})",
            "pass --data DIR for the shared material, or run 'formcoach analyze YOUR_VIDEO "
            "--exercise NAME --report out.html' on a clip of your own",
        )
    click.echo(f"formcoach demo: finding the pose in every frame of {clip} (cached after once)")
    raw = load_poses(str(clip))
    poses = raw.to_common()
    raw.save(out / "barbell-curl.npz")
    analysis = analyze_sequence(raw, get_exercise(DEMO_EXERCISE), str(clip))
    report = write_report(analysis, out / "barbell-curl.report.html")
    overlay = write_overlay(analysis, str(clip), out / "barbell-curl.overlay.webm")
    print_table(analysis)
    click.echo(f"poses:   {out / 'barbell-curl.npz'} ({len(poses)} frames)")
    click.echo(f"report:  {report} (open it in a browser)")
    click.echo(f"overlay: {overlay} (open it in a browser)")
