"""``formcoach listen [WAV...]``: what formcoach understands from a recording or the mic."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from formcoach.cli.common import echo_json
from formcoach.voice.listener import make_listener


@click.command("listen")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--recognizer",
    type=click.Choice(["pocketsphinx", "google"]),
    default="pocketsphinx",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per answer.")
def command(files: tuple[Path, ...], recognizer: str, as_json: bool) -> None:
    """Recognise each WAV file (or, with none, one answer from the microphone or keyboard)."""
    listener = make_listener([str(f) for f in files] if files else None, recognizer)
    for _ in range(max(1, len(files))):
        h = listener.listen()
        if as_json:
            echo_json(asdict(h))
        else:
            click.echo(f'{h.source}: {h.intent} "{h.text}" conf {h.confidence:.2f} {h.reason}')
