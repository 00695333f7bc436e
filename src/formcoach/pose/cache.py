"""A cache of pose runs over video files, so evaluations and tests run the model once per clip.

Entries are keyed by the file's size, a hash of its first and last megabyte, and the pose
settings; stored as formcoach ``.npz`` under ``$FORMCOACH_CACHE`` or ``~/.cache/formcoach``.
A corrupt or unreadable entry is recomputed, never trusted.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.pose.estimator import PoseEstimator
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import open_source

__all__ = ["cache_dir", "cached_poses", "has_cached_poses"]

#: Bump when the estimator's settings or the adapter change, to invalidate old entries.
POSE_CACHE_VERSION = "blazepose-full-v1"


def cache_dir() -> Path:
    """``$FORMCOACH_CACHE``, else ``$XDG_CACHE_HOME/formcoach``, else ``~/.cache/formcoach``."""
    if env := os.environ.get("FORMCOACH_CACHE"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "formcoach"


def _key(path: Path) -> str:
    size = path.stat().st_size
    h = hashlib.sha1(f"{POSE_CACHE_VERSION}:{size}".encode())
    with path.open("rb") as f:
        h.update(f.read(1 << 20))
        if size > 1 << 20:
            f.seek(max(size - (1 << 20), 1 << 20))
            h.update(f.read(1 << 20))
    return h.hexdigest()[:20]


def _entry(path: Path) -> Path:
    return cache_dir() / "poses" / f"{path.stem[:40]}-{_key(path)}.npz"


def has_cached_poses(video: str | Path) -> bool:
    """True when the poses of ``video`` are in the cache (reading them is then cheap)."""
    path = Path(video)
    return path.is_file() and _entry(path).exists()


def cached_poses(
    video: str | Path, progress: bool | None = None, estimator: PoseEstimator | None = None
) -> PoseSequence:
    """The raw MediaPipe poses of every frame of ``video``, computed once and then reused.

    Args:
        video: a video file.
        progress: show a progress bar while computing (default: when stderr is a terminal).
        estimator: the pose model to run on a miss (default: a new BlazePose); it is closed
            at the end of the video, as :func:`~formcoach.pose.sources.open_source` does.

    Returns:
        The raw (uncleaned) sequence, exactly as :func:`formcoach.pose.pipeline.run_poses` gives it.
    """

    path = Path(video)
    if not path.is_file():
        raise FormcoachError(f"no such video: {str(path)!r}", "check the path")
    entry = _entry(path)
    if entry.exists():
        try:
            return PoseSequence.load(entry)
        except FormcoachError:
            entry.unlink(missing_ok=True)
    seq = run_poses(open_source(path, estimator=estimator), progress=progress).raw
    tmp = entry.with_suffix(f".{os.getpid()}.tmp.npz")
    seq.save(tmp)
    os.replace(tmp, entry)
    return seq
