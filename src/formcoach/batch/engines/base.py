"""The interface every engine implements, and what they share."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol

__all__ = ["Engine", "WorkerLost", "default_workers"]


class WorkerLost(Exception):
    """The process running a call died (killed, out of memory, a crash in native code)."""


class Engine(Protocol):
    """Runs ``fn(arg)`` calls on workers.

    Attributes:
        name: ``"serial"``, ``"local"`` or ``"ray"``.
        workers: how many calls run at once.
    """

    name: str
    workers: int

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        """Start ``fn(arg)``; returns a ticket for :meth:`wait` and :meth:`result`."""
        ...

    def wait(self, tickets: Sequence[Any]) -> list[Any]:
        """Block until at least one of ``tickets`` is done; returns the done ones."""
        ...

    def result(self, ticket: Any) -> Any:
        """The value of a done call. Raises :class:`WorkerLost` if its worker died."""
        ...

    def close(self) -> None:
        """Stop the workers (calls still running are abandoned)."""
        ...


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
