"""Build the real session (camera or video, models, voice, database) and run it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.core.paths import user_data_dir
from formcoach.counting import RepCounter
from formcoach.faces import LIVE, PHOTO, DlibFaces
from formcoach.form.exercises import get_exercise
from formcoach.form.judge import FormJudge
from formcoach.form.posture import CheckedJudge
from formcoach.pose.sources import open_source
from formcoach.session.coach import Coach, ReportWriter, SessionConfig
from formcoach.session.commands import CommandSource, ListenerCommands, NoCommands
from formcoach.session.display import LiveWindow, can_show_window
from formcoach.session.results import SessionResult
from formcoach.session.state import state_lines
from formcoach.store import Store
from formcoach.voice.listener import AudioListener, Listener, TextListener, make_listener
from formcoach.voice.speaker import Speaker, make_speaker

__all__ = ["SessionOptions", "run_session"]


@dataclass(frozen=True)
class SessionOptions:
    """Everything ``formcoach session`` can be told.

    Attributes:
        camera: camera index (used when ``video`` is not given).
        video: a video file to train on instead of a camera.
        db: database file (``None``: the user's default).
        out_dir: where speech WAVs and the report go (``None``: the user's folder).
        answers: WAV files or typed words answering the questions, in order.
        voice: ``"espeak"``, ``"gtts"`` or ``"text"``.
        speech_output: ``"auto"``, ``"device"`` or ``"files"``.
        microphone: ``"auto"``, ``"on"`` or ``"off"``.
        recognizer: ``"pocketsphinx"`` or ``"google"``.
        window: show the camera window (``None``: when a display is attached).
        rest_scale: real rest = planned rest × this (``None``: 1 live, 0 on a video, which
            waits unread during rests).
        config: what the coach does (profile, face photo, day, report...).
    """

    camera: int = 0
    video: Path | None = None
    db: Path | None = None
    out_dir: Path | None = None
    answers: tuple[str, ...] | None = None
    voice: str = "espeak"
    speech_output: str = "auto"
    microphone: str = "auto"
    recognizer: str = "pocketsphinx"
    window: bool | None = None
    rest_scale: float | None = None
    config: SessionConfig = field(default_factory=SessionConfig)


def default_parts():
    """The real counter and judge factories, imported when a session starts."""
    return (lambda ex: RepCounter(exercise=ex)), (lambda ex: CheckedJudge(FormJudge(ex)))


def _faces(photo: bool):
    try:
        return DlibFaces(PHOTO if photo else LIVE)
    except FormcoachError:
        return None


def _config(opts: SessionOptions, out_dir: Path) -> SessionConfig:
    """The coach's settings: the report goes to ``out_dir``; rests wait live, not on a video."""
    config = opts.config
    if config.report_dir is None:
        config = replace(config, report_dir=out_dir)
    scale = opts.rest_scale if opts.rest_scale is not None else (0.0 if opts.video else 1.0)
    return replace(config, rest_scale=scale)


def _speaker(opts: SessionOptions, folder: Path, echo) -> Speaker:
    """The voice: WAV files in ``folder`` when asked for (``--out``, ``--speech-output
    files``); else the sound card when there is one (``auto``), and WAV files in ``folder``,
    said once, when there is none."""
    if opts.speech_output != "auto" or opts.voice == "text" or opts.out_dir:
        wanted = folder if opts.out_dir or opts.speech_output == "files" else None
        return make_speaker(opts.voice, out_dir=wanted, output=opts.speech_output)
    try:
        return make_speaker(opts.voice, out_dir=folder, output="device")
    except FormcoachError as e:
        echo(f"formcoach: {e.message}, so speech goes to WAV files in {folder}")
        return make_speaker(opts.voice, out_dir=folder, output="files")


def _listener(opts: SessionOptions, echo) -> Listener:
    """The microphone when there is one (``auto``); else the keyboard, said once."""
    listener = make_listener(opts.answers, opts.recognizer, opts.microphone)
    if opts.answers is None and opts.microphone == "auto" and isinstance(listener, TextListener):
        echo("formcoach: no microphone (no input device found), so answer on the keyboard")
    return listener


def run_session(
    opts: SessionOptions, echo=print, write_report: ReportWriter | None = None
) -> SessionResult:
    """Run a session with the real parts; see :class:`SessionOptions`.

    ``write_report`` writes the HTML report into ``opts.out_dir`` at the end (``None``: none).

    Raises:
        FormcoachError: a missing video or camera, an unknown profile, a database that is
            locked or damaged, a workout naming an unknown exercise...
    """
    if opts.video is not None and not Path(opts.video).is_file():
        raise FormcoachError(f"no such video: {str(opts.video)!r}", "check the path")
    out_dir = Path(opts.out_dir) if opts.out_dir else user_data_dir() / "sessions"
    make_counter, make_judge = default_parts()
    config = _config(opts, out_dir)
    # the answers are checked before the database is opened: a bad one changes nothing
    listener = _listener(opts, echo)
    store = Store(opts.db, validate_exercise=get_exercise)
    if note := store.upgrade_note():
        echo(note)
    try:
        store.require_writable()
        speaker = _speaker(opts, out_dir / "speech", echo)
    except BaseException:
        store.close()
        raise
    keyboard = TextListener()
    commands: CommandSource = NoCommands()
    if opts.answers is None and opts.microphone != "off" and isinstance(listener, AudioListener):
        commands = ListenerCommands(listener)
    show = can_show_window() if opts.window is None else opts.window
    window = LiveWindow() if show else None
    spec = str(opts.video) if opts.video is not None else opts.camera
    coach = Coach(
        config,
        store,
        speaker,
        listener,
        keyboard,
        open_source=lambda: open_source(spec),
        get_exercise=get_exercise,
        make_counter=make_counter,
        make_judge=make_judge,
        faces=None if config.profile else _faces(config.face_photo is not None),
        commands=commands,
        on_step=window,
        echo=echo,
        write_report=write_report,
    )
    if window is not None:
        window.status_source = lambda: state_lines(coach.state)
    try:
        return coach.run()
    finally:
        speaker.close()
        store.close()
        if window is not None:
            window.close()


def answers_from(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """``--answers`` values: each a WAV file or typed words; commas separate several."""
    if not values:
        return None
    out: list[str] = []
    for v in values:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(out)


def print_result(result: SessionResult, out=None) -> None:
    """The end-of-session summary on the console (``out``: the current ``sys.stdout``)."""
    w = (out or sys.stdout).write
    w(f"\nsession {result.session_id or '-'} for {result.profile or 'nobody'}: {result.status}\n")
    for s in result.sets:
        done = f"{s.count}/{s.target_reps} reps" if s.target_hold_s is None else f"{s.hold_s} s"
        score = "" if s.score is None else f", form {s.score:.0f}/100"
        w(f"  {s.exercise} set {s.number}: {done}{score} ({s.ended_words})\n")
    lat = result.cue_latencies()
    if lat:
        lat = sorted(lat)
        w(f"  cue latency: median {lat[len(lat) // 2]:.2f} s, max {lat[-1]:.2f} s\n")
    if result.report:
        w(f"  report: {result.report}\n")
    if result.speech_dir:
        w(f"  speech: {result.speech_dir}\n")
