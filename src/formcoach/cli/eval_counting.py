"""``formcoach eval counting``: count the reps of a labelled folder and score the counts."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.cli.common import echo_json, no_cache_option
from formcoach.eval.counting import evaluate_counting


@click.command("counting")
@no_cache_option
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the scores.")
def command(folder: Path, as_json: bool) -> None:
    """Score class-agnostic rep counting on FOLDER.

    FOLDER is laid out like ../shared/data/counting/repcount (labels.json and poses/*.npy) or
    like ../shared/data/videos (ground_truth.csv and the clips; rows without gt_count are
    skipped). The class labels are never read. MAE is the mean of |predicted - true| / true,
    OBO the share of clips counted within one rep.
    """

    def show(item) -> None:
        if not as_json:
            click.echo(f"{item.file}, {item.true}, {item.predicted}")

    if not as_json:
        click.echo("file, true, predicted")
    result = evaluate_counting(folder, on_item=show)
    if as_json:
        echo_json(result.as_dict())
        return
    click.echo(f"n={result.n}  MAE={result.mae:.3f}  OBO={result.obo:.3f}")
