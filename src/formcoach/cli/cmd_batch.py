"""``formcoach batch``: analyse many recordings into Parquet tables and a summary page."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.batch import (
    ENGINES,
    BatchSettings,
    ResultStore,
    collect,
    make_engine,
    run_batch,
    write_summary,
)
from formcoach.batch.engines import default_workers
from formcoach.batch.summary import guessed_rate_note
from formcoach.cli.common import fps_option
from formcoach.form.exercises import get_exercise

EPILOG = (
    "INPUTS are video files, folders (searched recursively for videos), globs such as "
    "'clips/**/*.mp4' or 'poses/*.npy', keypoint files, or CSV manifests with the columns "
    "path,exercise,person. "
    "The --out folder gets videos.parquet (one row per recording), reps.parquet (one row per "
    "rep) and summary.html. A rerun into the same folder skips every recording already done "
    "with the same content and settings; Ctrl-C keeps everything finished."
)


def _summary_line(outcome) -> str:
    failed = outcome.failed
    n = len(outcome.rows) + len(outcome.pending)
    line = (
        f"{n} recording{'s' if n != 1 else ''}: {outcome.ok} ok "
        f"({outcome.analysed} analysed now, {outcome.skipped} already done), {len(failed)} failed"
    )
    if outcome.pending:
        line += f", {len(outcome.pending)} not finished (interrupted: run again to finish)"
    if failed:
        line += ": " + "; ".join(f"{Path(p).name} ({e})" for p, e in failed)
    return line


@click.command("batch", epilog=EPILOG)
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-e", "--exercise", default="auto", show_default=True, metavar="NAME|auto",
    help="Exercise of every recording a manifest does not name; 'auto' counts without judging.",
)  # fmt: skip
@click.option(
    "-o", "--out", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the tables, the summary and the per-recording parts.",
)  # fmt: skip
@click.option(
    "-w", "--workers", type=click.IntRange(min=1), default=None,
    help=f"Recordings analysed at once (default: the CPU count, {default_workers()} here).",
)  # fmt: skip
@click.option(
    "--engine", type=click.Choice(ENGINES), default="local", show_default=True,
    help="local: this machine's cores; ray: a Ray cluster (pip install 'formcoach[ray]').",
)  # fmt: skip
@click.option("--ray-address", default=None, help="Ray cluster to use (default: start Ray here).")
@click.option("--csv", is_flag=True, help="Also write videos.csv and reps.csv.")
@click.option("--overlays", is_flag=True, help="Write each recording's overlay clip (VP8 .webm).")
@fps_option
def command(inputs, exercise, outdir, workers, engine, ray_address, csv, overlays, fps) -> None:
    """Count and judge every rep of many recordings, on this machine or a Ray cluster."""
    if exercise.strip().lower() != "auto":
        get_exercise(exercise)  # an unknown name fails before any work
    recordings = collect(inputs, exercise)
    store = ResultStore(outdir)
    overlay_dir = str(outdir / "overlays") if overlays else None
    settings = BatchSettings(overlay_dir=overlay_dir, fps=fps)
    runner = make_engine(engine, workers, ray_address)
    try:
        outcome = run_batch(recordings, runner, store, settings, csv=csv)
    finally:
        runner.close()
    summary = write_summary(outcome, f"{runner.name} x{runner.workers}", outdir)
    click.echo(_summary_line(outcome))
    if note := guessed_rate_note(outcome):
        click.echo(f"note: {note}")
    click.echo(f"results in {outdir}/videos.parquet, reps.parquet; summary {summary}")
    if outcome.interrupted:
        raise SystemExit(130)
    if outcome.ok == 0:
        raise SystemExit(1)
