"""``formcoach eval counting``: count the reps of a labelled folder and score the counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from formcoach.cli.common import echo_json, no_cache_option
from formcoach.eval.counting import evaluate_counting

if TYPE_CHECKING:
    from formcoach.eval.counting import Which


@click.command("counting")
@no_cache_option
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--part",
    type=click.Choice(["tune", "validate", "all"]),
    default="all",
    show_default=True,
    help="Which part of the fixed split to count (formcoach.eval.splits).",
)
@click.option(
    "--known",
    is_flag=True,
    help="Count each RepCount clip as the built-in exercise its class names, as a session "
    "does (the workout names the exercise).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the scores.")
def command(folder: Path, part: str, known: bool, as_json: bool) -> None:
    """Score class-agnostic rep counting on FOLDER (with --known: as the session counts).

    FOLDER is laid out like ../shared/data/counting/repcount (labels.json and poses/*.npy) or
    like ../shared/data/videos (ground_truth.csv and the clips; rows without gt_count are
    skipped). Unless --known, the counter never sees a class label; the class (RepCount) or
    the source (videos) only places a clip in the tuning or validation part and groups the
    report.
    MAE is the mean of |predicted - true| / true, OBO the share of clips counted within one
    rep; under / over are the clips counted too low / too high.
    """

    def show(item) -> None:
        if not as_json:
            click.echo(f"{item.file}, {item.true}, {item.predicted}")

    if not as_json:
        click.echo("file, true, predicted")
    result = evaluate_counting(folder, on_item=show, part=cast("Which", part), known=known)
    if as_json:
        echo_json({"part": part, **result.as_dict()})
        return
    click.echo(_line(f"{part}:", result.scores()))
    strata = result.by_stratum()
    if len(strata) > 1:
        for name, sub in strata.items():
            click.echo(_line(f"  {name}:", sub.scores()))


def _line(label: str, s: dict[str, float | int]) -> str:
    return (
        f"{label} n={s['n']}  MAE={s['mae']:.3f}  OBO={s['obo']:.3f}  "
        f"under={s['under']}  over={s['over']}"
    )
