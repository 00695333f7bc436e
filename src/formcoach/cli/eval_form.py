"""``formcoach eval form``: form judging on a labelled folder (``labels.csv``)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from formcoach.cli.common import echo_json, fps_option, frame_size_option, no_cache_option
from formcoach.core.progress import progress_bar
from formcoach.eval.form import evaluate_folder


@click.command("form")
@no_cache_option
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--protocol",
    "protocols",
    type=click.Choice(["loo", "one-class", "generic"]),
    multiple=True,
    help="loo: leave-one-out with both labels known; one-class: only the other correct "
    "files known (AUC and accuracy); generic: against the built-in reference. "
    "Repeat to run several (default: loo and one-class).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@fps_option
@frame_size_option
def command(folder, protocols, as_json, fps, frame_size) -> None:
    """Evaluate form judging on FOLDER (e.g. ../shared/data/form/posetrainer)."""
    protocols = tuple(protocols) or ("loo", "one-class")
    with progress_bar(None, f"evaluating {folder}", None if not as_json else False) as adv:
        result = evaluate_folder(folder, protocols, frame_size=frame_size, fps=fps, progress=adv)
    for v in result["exercises"].values():
        v.pop("one_class_scores", None)
    if as_json:
        echo_json(result)
        return

    table = Table(title=f"Form judging on {folder}", title_justify="left")
    cols = ["exercise", "files", "correct", "incorrect", "reps"]
    if "loo" in protocols:
        cols.append("LOO accuracy")
    if "one-class" in protocols:
        cols += ["one-class AUC", "one-class accuracy"]
    if "generic" in protocols:
        cols += ["generic pass: correct", "generic pass: incorrect"]
    for c in cols:
        table.add_column(c)

    def fmt(x) -> str:
        return "-" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)

    for name, v in result["exercises"].items():
        if "error" in v:
            table.add_row(name, str(v["n"]), "-", "-", "-", *["-"] * (len(cols) - 5))
            continue
        row = [name, str(v["n"]), str(v["correct"]), str(v["incorrect"]), fmt(v.get("reps"))]
        if "loo" in protocols:
            row.append(fmt(v.get("loo_accuracy")))
        if "one-class" in protocols:
            row += [fmt(v.get("one_class_auc")), fmt(v.get("one_class_accuracy"))]
        if "generic" in protocols:
            g = v.get("generic", {})
            row += [fmt(g.get("correct_pass_rate")), fmt(g.get("incorrect_pass_rate"))]
        table.add_row(*row)
    Console().print(table)
