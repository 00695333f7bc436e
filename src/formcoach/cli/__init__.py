"""The ``formcoach`` command line: a thin layer over the library.

Each command lives in its own module here, named ``cmd_<name>.py`` and exposing ``command``;
``formcoach eval`` subcommands live in ``eval_<name>.py``. They are found by name, so adding a
command touches no other file. Library errors (:class:`~formcoach.core.errors.FormcoachError`)
become one-line messages with a non-zero exit status, never tracebacks.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from formcoach import __version__
from formcoach.core.errors import FormcoachError
from formcoach.core.paths import user_cache_dir, user_data_dir
from formcoach.core.private import tighten

__all__ = ["FormcoachGroup", "main"]


class FormcoachGroup(click.Group):
    """A click group that turns :class:`FormcoachError` into a clean CLI error."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FormcoachError as e:
            raise click.ClickException(str(e)) from None


def _discover(group: click.Group, prefix: str) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith(prefix):
            module = importlib.import_module(f"{__name__}.{info.name}")
            group.add_command(module.command)


@click.group(cls=FormcoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formcoach")
def main() -> None:
    """formcoach: an offline AI personal trainer.

    It watches you through a camera (or a video or keypoint file), counts your reps and
    tells you how to fix your form. Nothing leaves your machine.
    """
    _make_private()


def _make_private() -> None:
    """Tighten files an older formcoach left readable by others, and say so (once: the
    next start finds nothing to change)."""
    roots = [user_data_dir(), user_cache_dir()]
    changed = {root: tighten(root) for root in roots}
    if any(changed.values()):
        where = ", ".join(f"{len(v)} in {k}" for k, v in changed.items() if v)
        click.echo(
            f"formcoach: made existing files and folders private (owner only: files 0600, "
            f"folders 0700): {where}",
            err=True,
        )


@main.group("eval", cls=FormcoachGroup)
def eval_group() -> None:
    """Measure formcoach on a labelled folder (counting, form, faces, speech)."""


_discover(main, "cmd_")
_discover(eval_group, "eval_")
