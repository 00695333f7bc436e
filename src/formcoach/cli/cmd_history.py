"""``formcoach history``: a person's sessions, volume and form over time."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.cli.common import echo_json
from formcoach.cli.dboption import db_option, open_store
from formcoach.core.private import write_private
from formcoach.render.progress import progress_plot
from formcoach.store.history import format_history, history


@click.command("history")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the progress plot to this .png or .svg file.",
)
@db_option
def command(name, as_json, plot, db) -> None:
    """Sessions, volume, form score per exercise over time, and the body part to work on."""
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("the plot file must end in .png or .svg", param_hint="--plot")
    with open_store(db) as store:
        h = history(store, name)
    if plot is not None:
        write_private(plot, progress_plot(h, plot.suffix.lower().lstrip(".")))  # type: ignore[arg-type]
    if as_json:
        echo_json(h.to_dict() | {"plot": str(plot) if plot else None})
        return
    click.echo(format_history(h))
    if plot is not None:
        click.echo(f"\nProgress plot: {plot}")
