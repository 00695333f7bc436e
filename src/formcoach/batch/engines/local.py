"""Engines on this machine: in this process (``serial``) or a process pool (``local``)."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from formcoach.batch.engines.base import WorkerLost, default_workers
from formcoach.core.errors import FormcoachError

__all__ = ["LocalEngine", "SerialEngine"]


class SerialEngine:
    """Runs every call in this process, one at a time, when it is waited for."""

    name = "serial"
    workers = 1

    def __init__(self) -> None:
        self._queued: dict[int, tuple[Callable[[Any], Any], Any]] = {}
        self._done: dict[int, Any] = {}
        self._next = 0

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> int:
        self._next += 1
        self._queued[self._next] = (fn, arg)
        return self._next

    def wait(self, tickets: Sequence[int]) -> list[int]:
        done = [t for t in tickets if t in self._done]
        if done:
            return done
        ticket = next(t for t in tickets if t in self._queued)
        fn, arg = self._queued.pop(ticket)
        self._done[ticket] = fn(arg)
        return [ticket]

    def result(self, ticket: int) -> Any:
        return self._done.pop(ticket)

    def close(self) -> None:
        self._queued.clear()


def _quiet_worker() -> None:
    """Worker start-up: Ctrl-C is the driver's to handle (it stops the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalEngine:
    """A pool of ``workers`` processes on this machine.

    Processes are spawned, not forked (the driver may run threads, and the pose model's
    libraries do not survive a fork). A pool whose worker died is replaced by a new one.
    """

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        if self.workers < 1:
            raise FormcoachError(f"expected at least 1 worker, got {self.workers}", "pass -w 1+")
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_quiet_worker,
        )

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future:
        try:
            return self._pool.submit(fn, arg)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(fn, arg)

    def wait(self, tickets: Sequence[Future]) -> list[Future]:
        done, _ = wait(tickets, return_when=FIRST_COMPLETED)
        return list(done)

    def result(self, ticket: Future) -> Any:
        try:
            return ticket.result()
        except BrokenProcessPool as e:
            raise WorkerLost(str(e) or "a worker process died") from None

    def close(self) -> None:
        processes = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:  # abandon calls still running: their recordings are redone next time
            if p.is_alive():
                p.terminate()
        for p in processes:
            p.join(timeout=5)
