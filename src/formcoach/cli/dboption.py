"""The ``--db PATH`` option of every command that reads or writes the database."""

from __future__ import annotations

from pathlib import Path

import click

from formcoach.form.exercises import get_exercise
from formcoach.store import Store

__all__ = ["db_option", "open_store"]

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    envvar="FORMCOACH_DB",
    help="The database file (default: formcoach.db in the user's formcoach folder).",
)


def open_store(db: Path | None):
    """The :class:`~formcoach.store.Store` at ``db`` (or the default file), checking exercise
    names against the exercise library; an upgrade of an older file is told on stderr."""

    store = Store(db, validate_exercise=get_exercise)
    if note := store.upgrade_note():
        click.echo(note, err=True)
    return store
