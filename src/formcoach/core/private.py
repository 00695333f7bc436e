"""Private files: everything formcoach writes is readable by its owner only.

Faces, voices and workout histories are personal, so every folder formcoach creates is mode
0700 and every file 0600, whatever the process umask (which is never changed: it is the host
process's global state). The modes are set on the file descriptor at creation, so there is no
moment when another local user could open the file.

:func:`tighten` brings a folder written by an older formcoach (0644 files, 0755 folders) to the
same modes, once: a second call finds nothing left to change.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from formcoach.core.errors import FormcoachError

__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "create_private_file",
    "open_private",
    "private_dir",
    "tighten",
    "tighten_file",
    "write_private",
]

#: Mode of every folder formcoach creates: owner only.
DIR_MODE = 0o700
#: Mode of every file formcoach creates: owner read and write only.
FILE_MODE = 0o600


def _fail(path: Path, e: OSError, what: str) -> FormcoachError:
    return FormcoachError(
        f"cannot {what} {str(path)!r} ({e.strerror or e})",
        "check that the folder exists, is yours and is writable, and that the disk has space",
    )


def private_dir(path: str | Path) -> Path:
    """Create ``path`` and its missing parents as 0700 folders; return it.

    Folders that already exist keep their mode (a user's own output folder is theirs to set);
    :func:`tighten` handles formcoach's own folders.

    Raises:
        FormcoachError: a folder cannot be created (permissions, a file in the way).
    """
    path = Path(path)
    missing: list[Path] = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, DIR_MODE)
        except FileExistsError:
            continue  # made by another process meanwhile
        except OSError as e:
            raise _fail(d, e, "create the folder") from None
        with _where_allowed():
            os.chmod(d, DIR_MODE)  # the umask may have taken bits off; this never adds any
    if not path.is_dir():
        raise FormcoachError(f"{str(path)!r} is not a folder", "remove the file or choose another")
    return path


def _where_allowed():
    """Mode changes the file system or ownership refuse are skipped (a FAT stick; a file of
    another user that we may write to: its mode is not ours to set)."""
    return suppress(OSError)


def _opener(path: str, flags: int) -> int:
    fd = os.open(path, flags, FILE_MODE)
    with _where_allowed():
        os.fchmod(fd, FILE_MODE)  # an existing file too, before a byte is written
    return fd


@contextmanager
def open_private(path: str | Path, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """``open(path, mode)`` for writing, the file created (or truncated) with mode 0600 and
    its missing folders 0700.

    Raises:
        FormcoachError: the file cannot be created.
    """
    path = Path(path)
    private_dir(path.parent)
    try:
        f = open(path, mode, opener=_opener, **kwargs)  # noqa: SIM115 - closed below
    except OSError as e:
        raise _fail(path, e, "write") from None
    with f:
        yield f


def create_private_file(path: str | Path) -> Path:
    """Create ``path`` empty with mode 0600 if it does not exist (so a library that opens it
    afterwards, SQLite or OpenCV, keeps the mode); an existing file is tightened, not emptied."""
    path = Path(path)
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    except OSError as e:
        raise _fail(path, e, "create") from None
    with _where_allowed():
        os.fchmod(fd, FILE_MODE)
    os.close(fd)
    return path


def write_private(path: str | Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically (a 0600 temporary file beside it, then a rename),
    so a crash or a full disk never leaves half a file; return the path.

    Raises:
        FormcoachError: the file cannot be written (the old content, if any, stays).
    """
    path = Path(path)
    blob = data.encode(encoding) if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open_private(tmp, "wb") as f:
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise _fail(path, e, "write") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def tighten_file(path: str | Path) -> bool:
    """Make one existing file of this user (not a link) 0600 or less; True when it changed."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or not st.st_mode & 0o077 or st.st_uid != os.getuid():
        return False
    try:
        os.chmod(path, stat.S_IMODE(st.st_mode) & FILE_MODE)
    except OSError:  # a read-only file system: nothing we can do, nothing to report
        return False
    return True


def tighten(root: str | Path) -> list[Path]:
    """Make ``root`` and everything under it owner-only (folders 0700, files 0600).

    Only what is too open changes; symbolic links are neither followed nor changed, and
    files of other owners are left alone. Returns what changed (empty when all was private,
    so calling it on every start reports a change once).
    """
    root = Path(root)
    changed: list[Path] = []
    if not root.is_dir() or root.is_symlink():
        return changed
    uid = os.getuid()
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        try:
            st = os.lstat(here)
        except OSError:  # removed meanwhile
            continue
        if st.st_uid == uid and st.st_mode & 0o077:
            try:
                os.chmod(here, stat.S_IMODE(st.st_mode) & DIR_MODE)
                changed.append(here)
            except OSError:
                pass  # a read-only file system
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for name in files:
            p = here / name
            if tighten_file(p):
                changed.append(p)
    return changed
