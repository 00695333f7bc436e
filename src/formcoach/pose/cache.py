"""A cache of pose runs over video files, so a recording's pose model runs once.

An entry is keyed by the SHA-256 of the file's whole content (read in chunks, never whole
into memory) and by the pipeline's settings (the estimator's parameters, the MediaPipe
version, :data:`POSE_CACHE_VERSION`): a re-encoded or edited recording, or another model
setting, never gets stale poses. Entries are formcoach ``.npz`` files named
``<content sha256>-<settings>.npz`` in ``<cache>/poses`` (the folder is
:func:`formcoach.core.paths.user_cache_dir`), private to the user (0600 in a 0700
folder); nothing names the recording itself. A corrupt entry is recomputed, never trusted.

``FORMCOACH_CACHE=off`` (or ``use_cache=False``, the CLI's ``--no-cache``) turns it off:
poses are computed and nothing is read or written.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from formcoach.core.digest import file_digest
from formcoach.core.errors import FormcoachError
from formcoach.core.paths import cache_enabled, user_cache_dir
from formcoach.core.pose import PoseSequence
from formcoach.core.private import private_dir
from formcoach.pose.estimator import BlazePose, PoseEstimator
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import open_source

__all__ = [
    "POSE_CACHE_VERSION",
    "CacheInfo",
    "cache_dir",
    "cache_disabled",
    "cache_info",
    "cached_poses",
    "clear_cache",
    "entry_path",
    "has_cached_poses",
    "pipeline_settings",
    "remove_recordings",
]

#: Bump when the adapter from the model's output to a PoseSequence changes.
POSE_CACHE_VERSION = "blazepose-full-v2"


_USE_CACHE: ContextVar[bool] = ContextVar("formcoach_use_pose_cache", default=True)


@contextmanager
def cache_disabled(disabled: bool = True) -> Iterator[None]:
    """Inside ``with cache_disabled():`` :func:`cached_poses` neither reads nor writes the
    cache (the CLI's ``--no-cache``). Context-local: other threads and tasks are unaffected."""
    token = _USE_CACHE.set(not disabled and _USE_CACHE.get())
    try:
        yield
    finally:
        _USE_CACHE.reset(token)


def cache_dir() -> Path:
    """The cache folder (see :func:`formcoach.core.paths.user_cache_dir`)."""
    return user_cache_dir()


def _poses_dir() -> Path:
    return cache_dir() / "poses"


def pipeline_settings() -> dict[str, object]:
    """Everything that decides the poses of a recording besides its content.

    The estimator's constructor defaults are read from its signature, so a new setting
    there changes the key without anyone remembering to update this list.
    """
    params = inspect.signature(BlazePose.__init__).parameters
    defaults = {
        k: repr(p.default) for k, p in params.items() if p.default is not inspect.Parameter.empty
    }
    try:
        mp_version = metadata.version("mediapipe")
    except metadata.PackageNotFoundError:
        mp_version = "absent"
    return {"version": POSE_CACHE_VERSION, "mediapipe": mp_version, "estimator": defaults}


def _settings_key() -> str:
    text = json.dumps(pipeline_settings(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def entry_path(digest: str) -> Path:
    """The cache file for a recording whose content SHA-256 is ``digest``."""
    return _poses_dir() / f"{digest}-{_settings_key()}.npz"


def has_cached_poses(video: str | Path, digest: str | None = None) -> bool:
    """True when the poses of ``video`` are in the cache (reading them is then cheap)."""
    path = Path(video)
    if not (path.is_file() and _USE_CACHE.get() and cache_enabled()):
        return False
    return entry_path(digest or file_digest(path)).exists()


def cached_poses(
    video: str | Path,
    progress: bool | None = None,
    use_cache: bool = True,
    digest: str | None = None,
    estimator: PoseEstimator | None = None,
) -> PoseSequence:
    """The raw MediaPipe poses of every frame of ``video``, computed once and then reused.

    Args:
        video: a video file.
        progress: show a progress bar while computing (default: when stderr is a terminal).
        use_cache: False computes the poses and neither reads nor writes the cache (so do
            ``FORMCOACH_CACHE=off`` and :func:`cache_disabled`).
        digest: the file's content SHA-256 when the caller has it already.
        estimator: the pose model to run on a miss (default: a new BlazePose); it is closed
            at the end of the video, as :func:`~formcoach.pose.sources.open_source` does.

    Returns:
        The raw (uncleaned) sequence, exactly as :func:`formcoach.pose.pipeline.run_poses`
        gives it.

    Raises:
        FormcoachError: the file is missing or not a readable video.
    """
    path = Path(video)
    if not path.is_file():
        raise FormcoachError(f"no such video: {str(path)!r}", "check the path")
    if not (use_cache and _USE_CACHE.get() and cache_enabled()):
        return run_poses(open_source(path, estimator=estimator), progress=progress).raw
    entry = entry_path(digest or file_digest(path))
    if entry.exists():
        try:
            return PoseSequence.load(entry)
        except FormcoachError:
            entry.unlink(missing_ok=True)
    seq = run_poses(open_source(path, estimator=estimator), progress=progress).raw
    private_dir(entry.parent)
    seq.save(entry)  # atomic and 0600
    return seq


@dataclass(frozen=True)
class CacheInfo:
    """What the cache holds.

    Attributes:
        folder: where it is.
        enabled: False when ``FORMCOACH_CACHE=off``.
        entries: number of cached pose runs.
        size_bytes: their total size.
    """

    folder: Path
    enabled: bool
    entries: int
    size_bytes: int

    def as_dict(self) -> dict[str, object]:
        return {
            "folder": str(self.folder),
            "enabled": self.enabled,
            "entries": self.entries,
            "size_bytes": self.size_bytes,
        }


def _entries() -> list[Path]:
    folder = _poses_dir()
    return sorted(p for p in folder.glob("*.npz") if p.is_file()) if folder.is_dir() else []


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def cache_info() -> CacheInfo:
    """The cache's folder, whether it is on, and how many entries of what size it holds."""
    entries = _entries()
    return CacheInfo(cache_dir(), cache_enabled(), len(entries), sum(map(_size, entries)))


def _remove(paths: Iterable[Path]) -> list[Path]:
    gone = []
    for p in paths:
        try:
            p.unlink()
            gone.append(p)
        except FileNotFoundError:
            continue
        except OSError as e:
            raise FormcoachError(
                f"cannot delete the cache file {str(p)!r} ({e.strerror})",
                "check the cache folder's permissions and try again",
            ) from None
    return gone


def clear_cache() -> tuple[int, int]:
    """Delete every cache entry (and leftovers of interrupted writes); (files, bytes) freed."""
    folder = _poses_dir()
    leftovers = sorted(folder.glob(".*.tmp")) if folder.is_dir() else []
    paths = _entries() + leftovers
    freed = sum(map(_size, paths))
    return len(_remove(paths)), freed


def _legacy_stem(p: Path) -> str | None:
    """The recording's name stem in an entry of the first layout (``<stem[:40]>-<sha1[:20]>``)."""
    stem, _, key = p.stem.rpartition("-")
    return stem if len(key) == 20 and all(c in "0123456789abcdef" for c in key) else None


def remove_recordings(digests: Iterable[str], names: Iterable[str] = ()) -> list[Path]:
    """Delete the cached poses of the recordings with these content SHA-256s (any settings),
    and entries of the first cache layout named after these recordings' file names; the files
    deleted."""
    wanted = {d for d in digests if d}
    stems = {Path(n).stem[:40] for n in names if n}
    return _remove(
        p for p in _entries() if p.name.split("-", 1)[0] in wanted or _legacy_stem(p) in stems
    )
