"""The ``ray`` engine: each call is one Ray task on a cluster (optional extra ``formcoach[ray]``).

Connects to ``address`` (``ray://...``, ``HOST:PORT`` or ``auto``), or starts Ray on this
machine bound to 127.0.0.1. Tasks take one CPU each; Ray keeps its worker processes between
tasks, so each worker loads the pose model once, as the local pool does. The scheduler bounds
how many tasks are in flight, so a batch of thousands of recordings never floods the cluster's
queue. ``ray.data.read_videos`` is not used: it gives one row per frame, which breaks the
ordered per-recording stream the counter needs.

Facts measured here: start-up 6-9 s and about 0.7 GB of memory; Ray's ``local_mode`` is gone,
so the no-Ray path is the local process pool.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

from formcoach.batch.engines.base import WorkerLost, default_workers
from formcoach.core.errors import FormcoachError

__all__ = ["INSTALL_HINT", "RayEngine"]

INSTALL_HINT = "install the optional extra: pip install 'formcoach[ray]' (or: make install)"


def _import_ray():
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # never phone home
    try:
        import ray  # deferred: Ray is an optional extra and takes a second to import
    except ImportError:
        raise FormcoachError(
            "the ray engine needs Ray, which is not installed", INSTALL_HINT
        ) from None
    return ray


def _apply(fn: Callable[[Any], Any], arg: Any) -> Any:
    return fn(arg)


class RayEngine:
    """Runs calls as Ray tasks.

    Args:
        workers: tasks running at once (default: the cluster's CPUs, or this machine's when
            Ray is started here).
        address: a running cluster to connect to; None starts Ray on 127.0.0.1.
    """

    name = "ray"

    def __init__(self, workers: int | None = None, address: str | None = None) -> None:
        ray = _import_ray()
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            common = {"log_to_driver": False, "logging_level": logging.ERROR}
            try:
                if address:
                    ray.init(address=address, **common)
                else:
                    ray.init(
                        num_cpus=workers or default_workers(),
                        include_dashboard=False,
                        _node_ip_address="127.0.0.1",
                        **common,
                    )
            except (ConnectionError, RuntimeError, ValueError) as e:
                raise FormcoachError(
                    f"cannot {'reach the Ray cluster at ' + address if address else 'start Ray'}"
                    f": {e}",
                    "check --ray-address (start one with: ray start --head "
                    "--node-ip-address 127.0.0.1), or leave it out to start Ray here",
                ) from None
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = workers or cpus
        self._task = ray.remote(num_cpus=1, max_retries=0)(_apply)
        self._outstanding: set[Any] = set()

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Any:
        ref = self._task.remote(fn, arg)
        self._outstanding.add(ref)
        return ref

    def wait(self, tickets: Sequence[Any]) -> list[Any]:
        done, _ = self._ray.wait(list(tickets), num_returns=1)
        return list(done)

    def result(self, ticket: Any) -> Any:
        self._outstanding.discard(ticket)
        errors = self._ray.exceptions
        try:
            return self._ray.get(ticket)
        except (errors.WorkerCrashedError, errors.NodeDiedError, errors.OutOfMemoryError) as e:
            raise WorkerLost(str(e).splitlines()[0]) from None

    def close(self) -> None:
        for ref in self._outstanding:
            self._ray.cancel(ref, force=True)
        self._outstanding.clear()
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
