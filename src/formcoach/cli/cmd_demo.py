"""``formcoach demo``: the whole coached session, scripted and headless, on real material."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import click

from formcoach.core.errors import FormcoachError
from formcoach.core.paths import shared_data_dir
from formcoach.core.private import private_dir
from formcoach.faces import PHOTO, DlibFaces
from formcoach.faces.enrol import enrol as enrol_faces
from formcoach.faces.enrol import face_from_photo
from formcoach.form.exercises import get_exercise
from formcoach.render.session_report import write_report as write_session_report
from formcoach.session import SessionConfig
from formcoach.session.run import SessionOptions, print_result, run_session
from formcoach.store import Store
from formcoach.store.records import WorkoutItem

#: The real material the demo uses, relative to the shared data folder.
ENROL_PHOTO = "faces/obama.jpg"
LOGIN_PHOTO = "faces/obama2.jpg"
READY_ANSWER = "speech/yes/439c84f4_nohash_1.wav"
WORKOUT_VIDEO = "videos/chauhan08_fitness__barbell-curl.mp4"
PROFILE = "obama"


def _material(data: Path | None, **given: Path | None) -> dict[str, Path]:
    root = data if data is not None else shared_data_dir()
    default = {
        "enrol": ENROL_PHOTO,
        "login": LOGIN_PHOTO,
        "answer": READY_ANSWER,
        "video": WORKOUT_VIDEO,
    }
    out, missing = {}, []
    for key, rel in default.items():
        path = given.get(key) or (root / rel if root else None)
        if path is None or not Path(path).is_file():
            missing.append(f"--{key} ({rel})")
        else:
            out[key] = Path(path)
    if missing:
        where = str(data) if data else "../shared/data"
        raise FormcoachError(
            f"the demo's material is not in {where}",
            f"pass --data DIR (the shared material folder) or the files themselves: "
            f"{', '.join(missing)}",
        )
    return out


@click.command("demo")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The shared material folder (default: ../shared/data).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/demo"),
    show_default=True,
    help="Where the database, the speech WAVs and the report go.",
)
@click.option(
    "--enrol",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Photo to enrol the trainee from (default: {ENROL_PHOTO}).",
)
@click.option(
    "--login",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Photo the trainee is recognised from (default: {LOGIN_PHOTO}).",
)
@click.option(
    "--answer",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Recorded answer to 'are you ready?' (default: {READY_ANSWER}).",
)
@click.option(
    "--video",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The workout video (default: {WORKOUT_VIDEO}).",
)
def command(data, out, enrol, login, answer, video) -> None:
    """Run the coached session on real material, headless.

    Enrols a face from one photo, recognises the person from another, asks "are you
    ready?" and hears a real recorded "yes", then coaches three sets of bicep curls on a real
    video: every rep counted and judged, corrections spoken right after the rep. Prints what
    the trainer said and heard; the speech (WAV files), the database and the HTML report are
    written under --out.
    """

    t0 = time.perf_counter()
    files = _material(data, enrol=enrol, login=login, answer=answer, video=video)
    private_dir(out)
    db = out / "demo.db"
    click.echo(f"formcoach demo: database {db}")
    with Store(db, validate_exercise=get_exercise) as store:
        if store.find_profile(PROFILE) is None or not store.face_encodings(PROFILE):
            face = face_from_photo(files["enrol"], DlibFaces(PHOTO))
            enrol_faces(store, PROFILE, [(face, files["enrol"].name)])
            click.echo(f"enrolled {PROFILE!r} from {files['enrol']}")
        else:
            click.echo(f"{PROFILE!r} is already enrolled (from an earlier demo)")
        plan = [WorkoutItem("bicep_curl", sets=3, reps=3, rest_s=30)]
        store.set_workout(PROFILE, date.today(), plan)
        click.echo(f"today's workout for {PROFILE}: " + "; ".join(i.describe() for i in plan))
    click.echo(f"recognising the trainee from {files['login']}; answers: {files['answer'].name}")
    opts = SessionOptions(
        video=files["video"],
        db=db,
        out_dir=out,
        answers=(str(files["answer"]),),
        speech_output="files",
        microphone="off",
        window=False,
        rest_scale=0.0,
        config=SessionConfig(face_photo=files["login"], report_dir=out),
    )
    result = run_session(opts, echo=click.echo, write_report=write_session_report)
    print_result(result)
    click.echo(f"  database: {db}")
    click.echo(f"demo finished in {time.perf_counter() - t0:.1f} s")
