"""``formcoach eval speech DIR``: how well spoken yes / no / anything else are told apart."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.cli.common import echo_json
from formcoach.eval.speech import evaluate_speech, summarise
from formcoach.voice.listener import make_recognizer


@click.command("speech")
@click.argument("folder", type=click.Path(path_type=Path), metavar="DIR")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object only.")
@click.option(
    "--recognizer",
    type=click.Choice(["pocketsphinx", "google"]),
    default="pocketsphinx",
    show_default=True,
    help="Offline pocketsphinx, or Google (online, needs formcoach[online]).",
)
@click.option(
    "--part",
    type=click.Choice(["tune", "validate", "all"]),
    default="all",
    show_default=True,
    help="The speakers of the fixed tuning or validation part (formcoach.eval.splits), or all.",
)
def command(folder: Path, as_json: bool, recognizer: str, part: str) -> None:
    """Recognise DIR/yes, DIR/no and DIR/other WAV files and score the answers.

    A yes must be heard as yes, a no as no; a file in other/ (other words, noise, silence)
    is right when it is heard as neither. Prints the recall of each class.
    """

    rec = make_recognizer(recognizer)

    def show(r) -> None:
        h = r.heard
        mark = "ok   " if r.correct else "WRONG"
        why = f" ({h.reason})" if h.reason and h.reason != "unclear" else ""
        click.echo(
            f"{mark} {r.label:5s} {r.path.name:32s} -> {h.intent:8s} "
            f'"{h.text}"{why} conf {h.confidence:.2f}'
        )

    results = evaluate_speech(folder, rec, on_result=None if as_json else show, part=part)
    summary = {**summarise(results), "part": part}
    if as_json:
        echo_json(summary)
        return
    click.echo("")
    for c, s in summary["per_class"].items():
        heard = ", ".join(f"{k} {v}" for k, v in s["heard_as"].items())
        click.echo(
            f"{c:5s} recall {s['correct']}/{s['n']} = {s['accuracy']:.3f}   (heard as: {heard})"
        )
    click.echo(
        f"{part}: accuracy {summary['accuracy']:.3f} on {summary['n']} files; "
        f"{summary['false_yes']} heard as a yes that was not one; "
        f"{summary['mean_seconds'] * 1000:.0f} ms per file"
    )
