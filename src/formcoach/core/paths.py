"""Where formcoach keeps and finds files: the user's data folder and the shared test material."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_OFF", "cache_enabled", "shared_data_dir", "user_cache_dir", "user_data_dir"]

#: Values of ``$FORMCOACH_CACHE`` that turn the pose cache off.
CACHE_OFF = ("off", "0", "no", "false", "none")


def user_data_dir() -> Path:
    """The user's formcoach folder (database, taught exercises, session output).

    ``$FORMCOACH_HOME`` if set, else ``$XDG_DATA_HOME/formcoach``, else
    ``~/.local/share/formcoach``. Not created here.
    """
    if env := os.environ.get("FORMCOACH_HOME"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "formcoach"


def cache_enabled() -> bool:
    """False when ``$FORMCOACH_CACHE`` is ``off`` (or 0, no, false, none)."""
    return os.environ.get("FORMCOACH_CACHE", "").strip().lower() not in CACHE_OFF


def user_cache_dir() -> Path:
    """formcoach's cache folder (pose runs of recordings; safe to delete). Not created here.

    ``$FORMCOACH_CACHE`` if set to a folder, else ``$XDG_CACHE_HOME/formcoach``, else
    ``~/.cache/formcoach``.
    """
    env = os.environ.get("FORMCOACH_CACHE", "").strip()
    if env and env.lower() not in CACHE_OFF:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "formcoach"


def shared_data_dir() -> Path | None:
    """The real test material (``../shared/data`` beside the project), or ``None``.

    ``$FORMCOACH_DATA`` wins; otherwise ``../shared/data`` relative to the source checkout and
    to the working directory are tried.
    """
    if env := os.environ.get("FORMCOACH_DATA"):
        p = Path(env).expanduser()
        return p if p.is_dir() else None
    here = Path(__file__).resolve()
    candidates = [here.parents[4] / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for p in candidates:
        if p.is_dir():
            return p
    return None
