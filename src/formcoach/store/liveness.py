"""Is the process that recorded a session still running it? (To spot crashed sessions.)"""

from __future__ import annotations

import os
import socket
from datetime import datetime

__all__ = ["hostname", "process_alive"]


def hostname() -> str:
    return socket.gethostname()


def _boot_time() -> float | None:
    try:
        with open("/proc/stat") as f:
            for line in f:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def _proc_stat(pid: int) -> tuple[str | None, float | None]:
    """(state letter, start time in epoch seconds) of ``pid`` where /proc tells."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        fields = stat[stat.rindex(")") + 2 :].split()  # fields 3.. (the name may hold spaces)
        state, ticks = fields[0], int(fields[19])  # field 3: state, field 22: starttime
        boot = _boot_time()
        start = None if boot is None else boot + ticks / os.sysconf("SC_CLK_TCK")
        return state, start
    except (OSError, ValueError, IndexError):
        return None, None


def process_alive(pid: int | None, since: str | None = None) -> bool:
    """True when process ``pid`` exists and (where knowable) was already running at ``since``.

    A pid reused by a process that started after the session did cannot be its recorder.
    """
    if pid is None or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        pass
    except OSError:
        return False
    state, started = _proc_stat(pid)
    if state in ("Z", "X"):  # killed, not yet reaped
        return False
    if since is not None:
        try:
            t0 = datetime.fromisoformat(since).timestamp()
        except ValueError:
            return True
        if started is not None and started > t0 + 2.0:
            return False
    return True
