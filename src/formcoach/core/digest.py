"""Content fingerprints: what identifies a recording whatever its name or place."""

from __future__ import annotations

import hashlib
from pathlib import Path

from formcoach.core.errors import FormcoachError

__all__ = ["file_digest"]

_CHUNK = 1 << 20


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file's whole content (hex), read in 1 MiB chunks.

    Raises:
        FormcoachError: the file cannot be read.
    """
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                h.update(chunk)
    except OSError as e:
        raise FormcoachError(f"cannot read {str(path)!r}: {e.strerror}", "check the path") from None
    return h.hexdigest()
