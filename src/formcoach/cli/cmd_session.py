"""``formcoach session``: the coached workout in front of a camera (or on a video)."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.cli.dboption import db_option, open_store
from formcoach.core.words import counted
from formcoach.render.session_report import write_report as write_session_report
from formcoach.session import SessionConfig
from formcoach.session.run import SessionOptions, answers_from, print_result, run_session
from formcoach.store.records import now_iso

WEEKDAY = click.Choice(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    case_sensitive=False,
)


@click.command("session")
@click.option(
    "--camera", type=click.IntRange(min=0), default=0, show_default=True, help="Camera index."
)
@click.option(
    "--video",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Train on a video file instead of the camera.",
)
@click.option("--profile", help="Train this profile without looking at faces.")
@click.option(
    "--face",
    "face_photo",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Recognise the person from this photo instead of the camera.",
)
@click.option(
    "--answers",
    multiple=True,
    metavar="WAV|TEXT",
    help="Answers to the coach's questions, in order: WAV files or typed words "
    "(repeat the option, or separate with commas). Default: microphone or keyboard.",
)
@db_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for speech WAVs and the report (default: the user's folder).",
)
@click.option("--day", type=WEEKDAY, help="Train this weekday's plan instead of today's.")
@click.option(
    "--voice",
    type=click.Choice(["espeak", "gtts", "text"]),
    default="espeak",
    show_default=True,
    help="espeak is offline; gtts needs a network.",
)
@click.option(
    "--speech-output",
    type=click.Choice(["auto", "device", "files"]),
    default="auto",
    show_default=True,
    help="Speaker, or numbered WAV files.",
)
@click.option(
    "--microphone",
    type=click.Choice(["auto", "on", "off"]),
    default="auto",
    show_default=True,
    help="off: answer on the keyboard.",
)
@click.option(
    "--recognizer",
    type=click.Choice(["pocketsphinx", "google"]),
    default="pocketsphinx",
    show_default=True,
    help="pocketsphinx is offline; google needs a network.",
)
@click.option(
    "--window/--no-window",
    default=None,
    help="Show the camera window (default: when a display is attached).",
)
@click.option(
    "--rest-scale",
    type=click.FloatRange(min=0),
    default=None,
    help="Multiply rest times (0 skips waiting; default 1 live, 0 on a video).",
)
def command(
    camera,
    video,
    profile,
    face_photo,
    answers,
    db,
    out_dir,
    day,
    voice,
    speech_output,
    microphone,
    recognizer,
    window,
    rest_scale,
) -> None:
    """Train: formcoach recognises you, asks if you're ready, and coaches today's workout.

    It counts and judges every rep, says right after a rep what to fix, rests you between
    sets, stores everything and writes an HTML report. Say stop, pause, skip, repeat or
    "how many" at any time (with a microphone); Ctrl-C ends the session, keeping every
    finished rep.
    """

    config = SessionConfig(profile=profile, face_photo=face_photo, day=day)
    opts = SessionOptions(
        camera=camera,
        video=video,
        db=db,
        out_dir=out_dir,
        answers=answers_from(answers),
        voice=voice,
        speech_output=speech_output,
        microphone=microphone,
        recognizer=recognizer,
        window=window,
        rest_scale=rest_scale,
        config=config,
    )
    began = now_iso()
    try:
        result = run_session(opts, echo=click.echo, write_report=write_session_report)
    except KeyboardInterrupt:
        click.echo(f"\n{kept_after_ctrl_c(db, began)}")
        raise SystemExit(130) from None
    print_result(result)


def kept_after_ctrl_c(db: Path | None, began: str) -> str:
    """What the store kept of a session cut by Ctrl-C (started at or after ``began``)."""
    with open_store(db) as store:
        cut = [s for s in store.sessions() if s.started_at >= began]
    if not cut:
        return "Stopped (Ctrl-C) before any set began: nothing was stored."
    s = cut[-1]
    return (
        f"session {s.id} for {s.profile}: interrupted (Ctrl-C); kept "
        f"{counted(s.sets, 'set')}, {counted(s.reps, 'rep')} (see 'formcoach history "
        f"{s.profile}'). A session later today continues where this one stopped."
    )
