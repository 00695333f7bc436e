"""``formcoach exercise``: the exercise library: list, show, teach by demonstration."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from formcoach.analysis import load_poses
from formcoach.cli.common import echo_json, fps_option, frame_size_option, no_cache_option
from formcoach.cli.dboption import db_option, open_store
from formcoach.core.digest import file_digest
from formcoach.core.errors import FormcoachError
from formcoach.core.private import write_private
from formcoach.core.words import counted
from formcoach.form.exercises import (
    dump_exercise,
    get_exercise,
    list_exercises,
    normalise_name,
    save_user_exercise,
    user_exercise_file,
    user_exercises,
)
from formcoach.form.teach import teach_exercise
from formcoach.pose.cleaning import clean


@click.group("exercise")
def command() -> None:
    """The exercise library: built-in exercises and the ones you taught."""


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_command(as_json: bool) -> None:
    """List every exercise formcoach can count and judge."""
    exercises = list_exercises()
    if as_json:
        echo_json({"exercises": [e.summary() for e in exercises]})
        return

    table = Table(title="Exercises", title_justify="left")
    for col in ("name", "kind", "view", "judged parts", "also called", "source"):
        table.add_column(col)
    for e in exercises:
        table.add_row(
            e.name,
            "hold" if e.static else "reps",
            e.view,
            ", ".join(p.name for p in e.parts),
            ", ".join(e.aliases[:4]),
            "taught" if e.source == "user" else "built-in",
        )
    Console().print(table)


@command.command("show")
@click.argument("name")
def show_command(name: str) -> None:
    """Print an exercise's definition (YAML)."""
    click.echo(dump_exercise(get_exercise(name)), nl=False)


def _save_taught(store, ex, taught_by: str | None, source: str):
    """Write the exercise's YAML file and record who taught it from which recording (by
    content, so forgetting them deletes its cached poses); a failure leaves neither."""
    src = Path(source)
    digest = file_digest(src) if src.is_file() else None
    path = user_exercise_file(ex.name)
    old = path.read_bytes() if path.is_file() else None
    save_user_exercise(ex, overwrite=True)
    try:
        store.save_exercise(ex.name, taught_by, True, str(source), digest)
    except BaseException:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            write_private(path, old)
        raise
    return path


def _check_name(name: str, force: bool):
    """The built-in exercise a taught ``name`` would take the place of (``None``: none).

    Raises:
        FormcoachError: no name; or, without ``force``, a name already taught or one that
            finds a built-in exercise (its name, an alias, a plural).
    """
    if not normalise_name(name):
        raise FormcoachError("the exercise needs a name", "e.g. formcoach exercise teach lunge ...")
    if not force and normalise_name(name) in {normalise_name(n) for n in user_exercises()}:
        raise FormcoachError(
            f"you already taught an exercise called {name!r}",
            "choose another name, or pass --force to replace it",
        )
    try:
        found = get_exercise(name)
    except FormcoachError:
        return None
    if found.source == "user":
        return None
    if not force:
        raise FormcoachError(
            f"{name!r} already finds the built-in exercise {found.name!r}: a taught one under "
            "that name would replace it in every plan, session and analysis",
            f"choose another name (e.g. 'my {normalise_name(name)}'), or pass --force to "
            "replace the built-in one with yours",
        )
    return found


@command.command("teach", epilog="SOURCE is a video, a camera index or a keypoint file.")
@no_cache_option
@click.argument("name")
@click.argument("source")
@click.option(
    "--from",
    "base_name",
    default=None,
    help="Start from a built-in exercise (its body parts, cues and counting).",
)
@click.option(
    "--reps",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="Keep at most this many reps (the most alike) as references.",
)
@click.option("--force", is_flag=True, help="Replace a taught (or built-in) exercise of that name.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--profile", "taught_by", help="Record in the database who taught it.")
@db_option
@fps_option
@frame_size_option
def teach_command(
    name, source, base_name, reps, force, as_json, taught_by, db, fps, frame_size
) -> None:
    """Teach exercise NAME from one to three good reps in SOURCE."""
    replaced = _check_name(name, force)
    base = get_exercise(base_name) if base_name else None
    with open_store(db) as store:  # a bad database or profile fails before any work
        if taught_by:
            store.profile(taught_by)
        poses = clean(load_poses(source, fps=fps, frame_size=frame_size))
        if len(poses) < 2:
            raise FormcoachError(
                f"{source} holds a single frame (a photo?): a movement cannot be learned from it",
                "teach from a video (or keypoint file) of one to three slow, complete reps",
            )
        ex, used = teach_exercise(
            name, poses, base, max_reps=reps, description=f"Taught from {source}."
        )
        path = _save_taught(store, ex, taught_by, source)
    info = {
        "name": ex.name,
        "file": str(path),
        "reps_used": [r.as_dict() for r in used],
        "view": ex.view,
        "parts": [p.name for p in ex.parts],
        "drive": list(ex.drive),
        "from": base.name if base else None,
    }
    if as_json:
        echo_json(info)
        return
    click.echo(
        f"taught {ex.name!r} from {counted(len(used), 'rep')} in {source} ({ex.view} view); "
        f"judged parts: {', '.join(info['parts'])}"
    )
    click.echo(f"saved to {path}")
    if replaced is not None:
        click.echo(
            f"{name!r} now finds your exercise instead of the built-in {replaced.name!r} in "
            f"every plan, session and analysis; delete {path} to go back"
        )
