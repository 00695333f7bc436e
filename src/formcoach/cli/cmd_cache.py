"""``formcoach cache``: where the pose cache is, how big, and emptying it."""

from __future__ import annotations

import click

from formcoach.cli.common import echo_json
from formcoach.core.words import counted
from formcoach.pose.cache import cache_info, clear_cache


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


@click.group("cache")
def command() -> None:
    """The pose cache: each recording's poses, kept so a second analysis is fast.

    Entries are keyed by the recording's whole content and the pose settings, so an edited
    recording is analysed again. FORMCOACH_CACHE=off (or --no-cache) turns it off;
    FORMCOACH_CACHE=DIR moves it.
    """


@command.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def info_command(as_json: bool) -> None:
    """Show the cache's folder, its entries and their size."""
    info = cache_info()
    if as_json:
        echo_json(info.as_dict())
        return
    state = "on" if info.enabled else "off (FORMCOACH_CACHE=off)"
    click.echo(f"pose cache: {info.folder} ({state})")
    click.echo(f"{counted(info.entries, 'recording')}, {_mb(info.size_bytes)}")


@command.command("clear")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def clear_command(as_json: bool) -> None:
    """Delete every cached pose run (they are recomputed when needed)."""
    files, freed = clear_cache()
    if as_json:
        echo_json({"deleted": files, "freed_bytes": freed, "folder": str(cache_info().folder)})
        return
    click.echo(f"deleted {counted(files, 'cached pose file')}, {_mb(freed)} freed")
