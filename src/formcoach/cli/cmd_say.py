"""``formcoach say TEXT``: hear (or write to WAV) what the trainer's voice sounds like."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.voice.speaker import make_speaker


@click.command("say")
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write numbered WAV files here instead of playing (default: play if a speaker "
    "exists, else write to the user data folder).",
)
@click.option(
    "--voice",
    "backend",
    type=click.Choice(["espeak", "gtts"]),
    default="espeak",
    show_default=True,
    help="Offline espeak-ng, or gTTS (online, needs formcoach[online]).",
)
@click.option("--espeak-voice", default="en-us", show_default=True, help="e.g. en, en-us+f3.")
@click.option("--rate", type=click.IntRange(80, 450), default=165, show_default=True)
def command(text: tuple[str, ...], out: Path | None, backend: str, espeak_voice: str, rate: int):
    """Say TEXT (each argument is one line) and report the time to the first sound."""
    speaker = make_speaker(backend, out_dir=out, voice=espeak_voice, rate=rate)
    for line in text:
        speaker.say(line)
    speaker.close()
    for line in getattr(speaker, "lines", []):
        if line.error:
            click.echo(f"could not say {line.text!r}: {line.error}", err=True)
        elif line.latency_s is not None:
            click.echo(f"line {line.index}: first audio {line.latency_s * 1000:.1f} ms after say()")
