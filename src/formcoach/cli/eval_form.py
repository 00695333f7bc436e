"""``formcoach eval form``: form judging on a labelled folder, as a user gets it."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from formcoach.analysis import FRAME_SIZE_ADVICE
from formcoach.cli.common import echo_json, fps_option, frame_size_option, no_cache_option
from formcoach.core.progress import progress_bar
from formcoach.core.words import counted
from formcoach.eval.form import evaluate_folder


@click.command("form")
@no_cache_option
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--protocol",
    "protocols",
    type=click.Choice(["builtin", "loo", "one-class"]),
    multiple=True,
    help="builtin (default): every labelled rep judged by the built-in exercise, exactly as "
    "'formcoach analyze' and a session judge it. Research protocols that learn from labelled "
    "examples (the product never has any): loo, leave-one-out with both labels known; "
    "one-class, only the other correct files known. Repeat to run several.",
)
@click.option(
    "--part",
    type=click.Choice(["tune", "validate", "all"]),
    default="all",
    show_default=True,
    help="Which part of the fixed tuning / validation split to judge.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@fps_option
@frame_size_option
def command(folder, protocols, part, as_json, fps, frame_size) -> None:
    """Evaluate form judging on a labelled FOLDER: recordings listed in labels.csv, clips
    with a ground_truth.csv, or frame-level CSV files (such as ../shared/data/form/posetrainer)."""
    protocols = tuple(protocols) or ("builtin",)
    with progress_bar(None, f"evaluating {folder}", None if not as_json else False) as adv:
        result = evaluate_folder(
            folder, protocols, frame_size=frame_size, fps=fps, progress=adv, part=part
        )
    if as_json:
        echo_json(result)
        return
    _print_tables(folder, part, result)


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def _print_tables(folder: Path, part: str, result: dict) -> None:
    console = Console()
    if result.get("unknown_frame_files"):
        n = result["unknown_frame_files"]
        console.print(
            f"[yellow]note:[/yellow] {counted(n, 'file')} hold keypoints in fractions of a frame "
            "whose size was not given, so angles were read as if it were square: "
            + FRAME_SIZE_ADVICE
        )
    if "exercises" in result:
        table = Table(title=f"Built-in verdicts on {folder} ({part})", title_justify="left")
        cols = ["exercise", "correct reps", "correct pass", "faulty reps", "faults caught"]
        for c in [*cols, "balanced accuracy", "unjudged files"]:
            table.add_column(c)
        for name, v in result["exercises"].items():
            table.add_row(
                name,
                _fmt(v["correct_reps"]),
                _fmt(v["correct_pass_rate"]),
                _fmt(v["faulty_reps"]),
                _fmt(v["fault_catch_rate"]),
                _fmt(v["balanced_accuracy"]),
                _fmt(v["unjudged_files"]),
            )
        console.print(table)
        for name, v in result["exercises"].items():
            for cue, n in v["cues"].items():
                console.print(f"  {name}: {n}x {cue!r}", highlight=False)
    if "research" in result:
        table = Table(title=f"Research protocols on {folder} ({part})", title_justify="left")
        for c in ("exercise", "files", "reps", "LOO accuracy", "one-class AUC", "accuracy"):
            table.add_column(c)
        for name, v in result["research"].items():
            table.add_row(
                name,
                _fmt(v.get("n")),
                _fmt(v.get("reps")),
                _fmt(v.get("loo_accuracy")),
                _fmt(v.get("one_class_auc")),
                _fmt(v.get("one_class_accuracy")),
            )
        console.print(table)
