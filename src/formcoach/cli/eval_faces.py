"""``formcoach eval faces``: enrol, identify, reject and count faces on a labelled folder."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.cli.common import echo_json
from formcoach.eval.faces import evaluate_faces
from formcoach.faces import PHOTO, TOLERANCE, DlibFaces


@click.command("faces")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--tolerance",
    type=click.FloatRange(0.1, 1.0),
    default=None,
    help="Largest descriptor distance taken as the same person (default 0.55).",
)
@click.option("--details", is_flag=True, help="With --json: add one entry per photo.")
def command(folder, as_json, tolerance, details) -> None:
    """Score face recognition on FOLDER (labels.csv: file, people, role).

    Enrols the 'enroll' rows, then identifies the 'verify' rows, must reject the 'unknown'
    rows and find every face of the 'multi' rows. Nothing is written to the database.
    """

    tol = TOLERANCE if tolerance is None else tolerance
    ev = evaluate_faces(folder, DlibFaces(PHOTO), tol)
    summary = ev.summary() | {"tolerance": tol}
    if as_json:
        echo_json(summary | ({"photos": ev.rows} if details else {}))
        return
    for r in ev.rows:
        mark = "ok  " if r["ok"] else "MISS"
        if r["role"] == "enroll":
            click.echo(f"{mark} enroll   {r['file']}")
            continue
        got = (
            ", ".join(
                f"{g or 'unknown'} ({d:.2f})" for g, d in zip(r["got"], r["distances"], strict=True)
            )
            or "no face"
        )
        click.echo(
            f"{mark} {r['role']:8} {r['file']}: expected {';'.join(r['expected'])}, got {got}"
        )

    def pct(v):
        return "n/a" if v is None else f"{100 * v:.0f}%"

    click.echo(
        f"verify accuracy {pct(summary['verify_accuracy'])} ({ev.verify_correct}/"
        f"{ev.verify_total}), unknown rejection {pct(summary['unknown_rejection'])} "
        f"({ev.unknown_rejected}/{ev.unknown_total}), multi faces found "
        f"{ev.multi_found}/{ev.multi_expected}  [tolerance {tol}]"
    )
