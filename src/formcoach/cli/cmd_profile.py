"""``formcoach profile``: enrol people by face, list them, forget them."""

from __future__ import annotations

import contextlib
from collections import Counter
from pathlib import Path

import click

from formcoach.cli.common import echo_json
from formcoach.cli.dboption import db_option, open_store
from formcoach.core.errors import FormcoachError
from formcoach.core.words import counted
from formcoach.faces import LIVE, PHOTO, TOLERANCE, DlibFaces, Gallery, identify_all
from formcoach.faces.enrol import enrol, face_from_photo, faces_from_frames
from formcoach.faces.images import load_image
from formcoach.pose.video import Camera, VideoFile
from formcoach.store.forget import forget_person


@click.group("profile")
def command() -> None:
    """The people formcoach knows (faces, plans and history stay on this machine)."""


def _camera_frames(camera: int | None, video: Path | None, seconds: float):
    src = VideoFile(video) if video is not None else Camera(int(camera or 0), duration_s=seconds)
    try:
        for frame in src:
            yield frame.image
    finally:
        src.close()


@command.command("add")
@click.argument("name")
@click.option(
    "--photo",
    "photos",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A photo of this person alone (repeat for several).",
)
@click.option("--camera", type=click.IntRange(min=0), help="Enrol from this camera instead.")
@click.option(
    "--video",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Enrol from a video of this person.",
)
@click.option(
    "--frames",
    type=click.IntRange(1, 20),
    default=5,
    show_default=True,
    help="Camera or video: face captures to keep.",
)
@click.option(
    "--seconds",
    type=click.FloatRange(min=1),
    default=20,
    show_default=True,
    help="Camera: give up after this long.",
)
@click.option("--force", is_flag=True, help="Enrol even if the face looks like someone else.")
@db_option
def add(name, photos, camera, video, frames, seconds, force, db) -> None:
    """Enrol NAME from photos (--photo), a camera (--camera N) or a video (--video)."""
    if not photos and camera is None and video is None:
        raise click.UsageError("give at least one --photo, or --camera N, or --video FILE")
    if camera is not None and video is not None:
        raise click.UsageError("give --camera or --video, not both")
    found = []
    if photos:
        still = DlibFaces(PHOTO)
        found += [(face_from_photo(p, still), f"photo {p.name}") for p in photos]
    if camera is not None or video is not None:
        what = f"camera {camera}" if video is None else f"video {video.name}"
        if video is None:
            click.echo(f"Look at camera {camera}, alone, for a few seconds...")
        with contextlib.closing(_camera_frames(camera, video, seconds)) as images:
            faces = faces_from_frames(images, DlibFaces(LIVE), frames)
        found += [(f, what) for f in faces]
    with open_store(db) as store:
        result = enrol(store, name, found, force=force)
    verb = "Created" if result.created else "Updated"
    click.echo(
        f"{verb} profile {result.name!r}: {counted(result.added, 'face encoding')} added, "
        f"{result.total} in all."
    )


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@db_option
def list_(as_json, db) -> None:
    """List the profiles with their enrolled faces and sessions."""
    with open_store(db) as store:
        faces = Counter(n for n, _ in store.face_encodings())
        sessions = store.sessions()
        rows = []
        for p in store.profiles():
            mine = [s for s in sessions if s.profile == p.name]
            rows.append(
                {
                    "name": p.name,
                    "faces": faces.get(p.name, 0),
                    "sessions": len(mine),
                    "last_session": mine[-1].started_at if mine else None,
                    "created_at": p.created_at,
                }
            )
    if as_json:
        echo_json({"profiles": rows})
        return
    if not rows:
        click.echo("No profiles yet: add one with 'formcoach profile add NAME --photo PHOTO'.")
        return
    click.echo(f"{'name':20}  {'faces':>5}  {'sessions':>8}  last session")
    for r in rows:
        last = (r["last_session"] or "-")[:16].replace("T", " ")
        click.echo(f"{r['name']:20}  {r['faces']:>5}  {r['sessions']:>8}  {last}")


@command.command("forget")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def forget(name, yes, db) -> None:
    """Delete everything formcoach keeps of NAME: faces, plan, history, speech, reports,
    cached poses of their recordings and the exercises they taught."""
    with open_store(db) as store:
        fp = store.footprint(name)
        if not yes:
            click.confirm(
                f"Forget {fp.name!r}: delete {counted(fp.encodings, 'face encoding')}, their plan, "
                f"{counted(fp.sessions, 'session')} ({counted(fp.reps, 'rep')}), "
                f"{counted(len(fp.files), 'speech and report file')}, the cached poses of "
                f"{counted(len(fp.recordings), 'recording')} and "
                f"{counted(len(fp.exercises), 'taught exercise')}? This cannot be undone",
                abort=True,
            )
        report = forget_person(store, fp.name)
        backups = sorted(store.path.parent.glob(f"{store.path.name}.v*.bak"))
    _print_forgotten(report, backups)


def _print_forgotten(report, backups) -> None:
    click.echo(
        f"Forgot {report.name!r}: {counted(report.encodings, 'face encoding')}, "
        f"{counted(report.workout_items, 'plan item')}, {counted(report.sessions, 'session')}, "
        f"{counted(report.sets, 'set')} and {counted(report.reps, 'rep')} "
        "deleted from the database (overwritten, then compacted)."
    )
    if report.exercises:
        click.echo(f"Taught exercises deleted: {', '.join(report.exercises)}.")
    if report.files:
        click.echo(f"Files deleted ({len(report.files)}):")
        for f in report.files:
            click.echo(f"  {f}")
    if report.shared_plans:
        click.echo(
            f"note: the plans of {', '.join(report.shared_plans)} named an exercise "
            f"{report.name} taught; change them with 'formcoach workout set'."
        )
    if backups:
        click.echo(
            "Copies made before schema upgrades may still hold them; delete these if you "
            "no longer need them: " + ", ".join(str(b) for b in backups)
        )


@command.command("identify")
@click.argument("photo", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--tolerance",
    type=click.FloatRange(0.1, 1.0),
    default=None,
    help="Largest distance taken as the same person (default 0.55).",
)
@db_option
def identify_cmd(photo, as_json, tolerance, db) -> None:
    """Say who is in PHOTO (every face, largest first)."""
    with open_store(db) as store:
        gallery = Gallery.from_store(store)
    if not len(gallery):
        raise FormcoachError("nobody is enrolled yet", "add someone with 'formcoach profile add'")
    tol = TOLERANCE if tolerance is None else tolerance
    matches = identify_all(load_image(photo), DlibFaces(PHOTO), gallery, tol)
    out = [
        {
            "name": m.name,
            "distance": round(m.distance, 3),
            "box": [m.box.left, m.box.top, m.box.right, m.box.bottom] if m.box else None,
        }
        for m in matches
    ]
    if as_json:
        echo_json({"photo": str(photo), "tolerance": tol, "faces": out})
        return
    if not out:
        click.echo(f"No face found in {photo}.")
    for k, m in enumerate(out, 1):
        who = m["name"] or "unknown"
        click.echo(f"face {k}: {who} (distance {m['distance']:.2f}, tolerance {tol})")
