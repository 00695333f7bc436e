"""``formcoach analyze``: count and judge every rep of a recording; table, report, overlay."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from formcoach.analysis import (
    analyze_sequence,
    assumed_fps,
    load_poses,
    nothing_counted,
)
from formcoach.cli.common import (
    echo_ignored,
    echo_json,
    fps_option,
    frame_size_option,
    no_cache_option,
    source_argument,
    source_help,
)
from formcoach.core.words import counted
from formcoach.form.exercises import get_exercise
from formcoach.render.analysis_report import write_report
from formcoach.render.overlay import write_overlay

SOURCE_HELP = source_help("Video poses are cached, so a second analysis of the same clip is fast.")


def _name(source: str) -> str:
    """The recording as the table names it: a file's name (its folder is long and known to
    whoever typed it), a camera index as it is."""
    return Path(source).name or source


def _summary_line(a, s: dict) -> str:
    """What was counted and how it went, e.g. ``3 reps, 2 good of 3 judged, mean score 71.3``."""
    if a.exercise.static:
        return f"held {a.held_s:.1f} s in view ({s['view']} view)"
    line = counted(s["reps"], "rep")
    if not s["reps"]:
        name = a.exercise.name
        return f"{line} of {name} found in {_name(a.source)}: {nothing_counted(name, ' (-e)')}"
    if not s["judged"]:
        return f"{line}, none judged ({s['view']} view)"
    return (
        f"{line}, {s['passed']} good of {s['judged']} judged, "
        f"mean score {s['mean_score']} of 100 ({s['view']} view)"
    )


def print_table(analysis) -> None:
    """The per-rep table on the terminal (no table when nothing was counted)."""
    a = analysis
    s = a.summary()
    console = Console()
    if a.results:
        table = Table(title=f"{a.exercise.title}: {_name(a.source)}", title_justify="left")
        for col in ("#", "time", "score", "verdict", "cue"):
            table.add_column(col, justify="right" if col in ("#", "time", "score") else "left")
        for r in a.results:
            t = f"{r.rep.start_s:.1f}–{r.rep.end_s:.1f} s"
            if r.verdict is None:
                table.add_row(str(r.rep.number), t, "–", "not judged", r.error or "")
                continue
            v = r.verdict
            verdict = "[green]good[/green]" if v.passed else "[red]fix[/red]"
            table.add_row(str(r.rep.number), t, str(v.score), verdict, v.cue)
        console.print(table)
    console.print(_summary_line(a, s))
    for note in a.notes():
        console.print(f"[yellow]note:[/yellow] {note}")


@click.command("analyze", epilog=SOURCE_HELP)
@no_cache_option
@source_argument
@click.option(
    "-e",
    "--exercise",
    "exercise_name",
    required=True,
    help="Exercise name or alias, e.g. push-up ('formcoach exercise list' shows them).",
)
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
    echo_ignored(source, fps, frame_size)
    raw = load_poses(source, fps=fps, frame_size=frame_size)
    analysis = analyze_sequence(raw, exercise, str(source), assumed_fps=assumed_fps(source, fps))
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
