"""``formcoach analyze``: count and judge every rep of a recording; table, report, overlay."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from formcoach.analysis import analyze_sequence, load_poses
from formcoach.cli.common import (
    echo_json,
    fps_option,
    frame_size_option,
    no_cache_option,
    source_argument,
)
from formcoach.core.words import counted
from formcoach.form.exercises import get_exercise
from formcoach.render.analysis_report import write_report
from formcoach.render.overlay import write_overlay

SOURCE_HELP = (
    "SOURCE is a video file, a camera index (0, 1, ...), a folder of OpenPose JSON files, "
    "or a keypoint file (.npy in a layout of ../shared/data, or a formcoach .npz). "
    "Video poses are cached, so a second analysis of the same clip is fast."
)


def print_table(analysis) -> None:
    """The per-rep table on the terminal."""
    a = analysis
    s = a.summary()
    label = "stretch" if a.exercise.static else "rep"
    table = Table(title=f"{a.exercise.title}: {a.source}", title_justify="left")
    for col in ("#", "time", "score", "verdict", "cue"):
        table.add_column(col, justify="right" if col in ("#", "score") else "left")
    for r in a.results:
        t = f"{r.rep.start_s:5.1f}-{r.rep.end_s:5.1f} s"
        if r.verdict is None:
            table.add_row(str(r.rep.number), t, "-", "not judged", r.error or "")
            continue
        v = r.verdict
        verdict = "[green]good[/green]" if v.passed else "[red]fix[/red]"
        table.add_row(str(r.rep.number), t, str(v.score), verdict, v.cue)
    console = Console()
    console.print(table)
    if a.exercise.static:
        console.print(f"held {a.held_s:.1f} s in view ({s['view']} view)")
    else:
        console.print(
            f"{counted(s['reps'], label)}, {s['passed']} good of {s['judged']} judged, "
            f"mean score {s['mean_score'] if s['mean_score'] is not None else '-'} "
            f"({s['view']} view)"
        )
    for note in sorted(set(s["hidden"].values())):
        console.print(f"[yellow]note:[/yellow] {note}")


@click.command("analyze", epilog=SOURCE_HELP)
@no_cache_option
@source_argument
@click.option("-e", "--exercise", "exercise_name", required=True, help="Exercise name or alias.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report with plots.",
)
@click.option(
    "--overlay",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the video with each body part coloured by its verdict (VP8 .webm).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with every rep.")
@fps_option
@frame_size_option
def command(source, exercise_name, report, overlay, as_json, fps, frame_size) -> None:
    """Count and judge every rep of SOURCE against the exercise's reference."""
    exercise = get_exercise(exercise_name)  # unknown names fail before any pose work
    raw = load_poses(source, fps=fps, frame_size=frame_size)
    analysis = analyze_sequence(raw, exercise, str(source))
    if report is not None:
        write_report(analysis, report)
    if overlay is not None:
        write_overlay(analysis, str(source), overlay)
    if as_json:
        summary = analysis.summary()
        summary["report"] = str(report) if report else None
        summary["overlay"] = str(overlay) if overlay else None
        echo_json(summary)
        return
    print_table(analysis)
    if report:
        click.echo(f"report written to {report}")
    if overlay:
        click.echo(f"overlay written to {overlay}")
