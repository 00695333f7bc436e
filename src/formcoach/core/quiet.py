"""Silence chatter that native libraries print straight to file descriptor 2.

MediaPipe (absl/glog) and OpenCV's FFmpeg wrapper print start-up notes and harmless warnings
that would bury formcoach's own output. What they print inside :func:`quiet_stderr` is kept
and shown only if the block fails.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["quiet_stderr"]


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Hide native stderr output for the duration; replay it if an exception escapes."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (e.g. under a test runner)
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), fd)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, fd)
            os.close(saved)
            if failed:
                sink.seek(0)
                sys.stderr.write(sink.read().decode(errors="replace"))
