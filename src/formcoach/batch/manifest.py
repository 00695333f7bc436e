"""What a batch is made of: recordings named by files, folders, globs or a CSV manifest.

A CSV manifest has a header with at least ``path`` and optionally ``exercise`` and ``person``;
relative paths are relative to the manifest's folder, and an empty exercise cell takes the
batch's default. Folders are searched recursively for video files; a glob (``clips/*.mp4``,
``**/*.webm``) is expanded; a file given by name is taken whatever its kind (a video or a
keypoint file, as ``formcoach analyze`` reads them).
"""

from __future__ import annotations

import csv
import glob
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from formcoach.core.errors import FormcoachError

__all__ = ["VIDEO_SUFFIXES", "Recording", "collect", "read_manifest"]

#: What a folder search picks up: the containers OpenCV's bundled FFmpeg reads.
VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Recording:
    """One recording to analyse.

    Attributes:
        path: the file (absolute).
        exercise: the exercise's name or alias, or ``"auto"`` to count without judging.
        person: who is in it (from a manifest), else ``""``.
    """

    path: Path
    exercise: str
    person: str = ""


def read_manifest(path: str | Path, default_exercise: str) -> list[Recording]:
    """The recordings a CSV manifest lists (columns ``path, exercise, person``).

    Raises:
        FormcoachError: the file cannot be read or has no ``path`` column.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = [h.strip().lower() for h in reader.fieldnames or []]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise FormcoachError(
            f"cannot read the manifest {str(path)!r}: {e}", "check the file"
        ) from None
    if "path" not in header:
        raise FormcoachError(
            f"the manifest {str(path)!r} has no 'path' column (columns: {', '.join(header)})",
            "give it a header line: path,exercise,person",
        )
    out = []
    for row in rows:
        cells = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not cells.get("path"):
            continue
        file = Path(cells["path"]).expanduser()
        file = file if file.is_absolute() else path.parent / file
        exercise = cells.get("exercise") or default_exercise
        out.append(Recording(file.resolve(), exercise, cells.get("person", "")))
    return out


def _videos_under(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES
    )


def _expand(spec: str) -> list[Path]:
    path = Path(spec).expanduser()
    if path.is_dir():
        return _videos_under(path)
    if path.exists():
        return [path]
    if _GLOB_CHARS & set(spec):
        found = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
        return [p for p in found if p.is_file()] + [
            v for p in found if p.is_dir() for v in _videos_under(p)
        ]
    raise FormcoachError(
        f"no such file or folder: {spec!r}",
        "pass video files, folders, globs such as 'clips/*.mp4', or a CSV manifest",
    )


def collect(inputs: Iterable[str], default_exercise: str) -> list[Recording]:
    """Every recording the inputs name, in the order given, each once.

    Args:
        inputs: files, folders (searched recursively), globs, or ``.csv`` manifests.
        default_exercise: the exercise of recordings whose manifest row gives none.

    Raises:
        FormcoachError: an input names nothing that exists, or nothing was found at all.
    """
    out: dict[Path, Recording] = {}
    for spec in inputs:
        if spec.lower().endswith(".csv") and Path(spec).is_file():
            found = read_manifest(spec, default_exercise)
        else:
            found = [Recording(p.resolve(), default_exercise) for p in _expand(spec)]
        for rec in found:
            out.setdefault(rec.path, rec)
    if not out:
        raise FormcoachError(
            "no recordings found in " + ", ".join(repr(s) for s in inputs),
            f"folders are searched for videos ({' '.join(VIDEO_SUFFIXES)}); name keypoint files "
            "directly or by a glob such as 'poses/*.npy'",
        )
    return list(out.values())
