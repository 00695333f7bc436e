"""A cache of pose runs over video files, so evaluations and tests run the model once per clip.

Entries are keyed by the file's size, a hash of its first and last megabyte, and the pose
estimator's version and settings (:func:`estimator_key`: a change of either gives new
entries instead of stale poses); stored as formcoach ``.npz`` under ``$FORMCOACH_CACHE`` or
``~/.cache/formcoach``.
A corrupt or unreadable entry is recomputed, never trusted.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.pose.zoom import ZoomSettings

__all__ = ["cache_dir", "cached_poses", "estimator_key"]

#: Bump when the estimator or the adapter change in a way its settings do not show.
POSE_CACHE_VERSION = "blazepose-full-v2"


def estimator_key() -> str:
    """The version and settings of the estimator that :func:`cached_poses` runs."""
    return f"{POSE_CACHE_VERSION}:{ZoomSettings()!r}"


def cache_dir() -> Path:
    """``$FORMCOACH_CACHE``, else ``$XDG_CACHE_HOME/formcoach``, else ``~/.cache/formcoach``."""
    if env := os.environ.get("FORMCOACH_CACHE"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "formcoach"


def _key(path: Path) -> str:
    size = path.stat().st_size
    h = hashlib.sha1(f"{estimator_key()}:{size}".encode())
    with path.open("rb") as f:
        h.update(f.read(1 << 20))
        if size > 1 << 20:
            f.seek(max(size - (1 << 20), 1 << 20))
            h.update(f.read(1 << 20))
    return h.hexdigest()[:20]


def cached_poses(video: str | Path, progress: bool | None = None) -> PoseSequence:
    """The raw MediaPipe poses of every frame of ``video``, computed once and then reused.

    Args:
        video: a video file.
        progress: show a progress bar while computing (default: when stderr is a terminal).

    Returns:
        The raw (uncleaned) sequence, exactly as :func:`formcoach.pose.pipeline.run_poses` gives it.
    """
    from formcoach.pose.pipeline import run_poses
    from formcoach.pose.sources import open_source

    path = Path(video)
    if not path.is_file():
        raise FormcoachError(f"no such video: {str(path)!r}", "check the path")
    entry = cache_dir() / "poses" / f"{path.stem[:40]}-{_key(path)}.npz"
    if entry.exists():
        try:
            return PoseSequence.load(entry)
        except FormcoachError:
            entry.unlink(missing_ok=True)
    seq = run_poses(open_source(path), progress=progress).raw
    tmp = entry.with_suffix(f".{os.getpid()}.tmp.npz")
    seq.save(tmp)
    os.replace(tmp, entry)
    return seq
