"""Where a batch's work runs: one small interface, an engine per way of running it.

- ``serial``: in this process, one call at a time (the reference the others are measured by);
- ``local``: a pool of worker processes on this machine (the default);
- ``ray``: tasks on a Ray cluster (:mod:`formcoach.batch.engines.ray_cluster`, the optional extra).

An engine only runs picklable calls ``fn(arg)``; the scheduler (:mod:`formcoach.batch.runner`)
decides what to run, keeps a bounded number in flight, and writes the results. Each worker
process loads the pose model once, on its first recording that needs it
(:func:`formcoach.batch.job.worker_model`).
"""

from __future__ import annotations

from formcoach.batch.engines.base import Engine, WorkerLost, default_workers
from formcoach.batch.engines.local import LocalEngine, SerialEngine
from formcoach.batch.engines.ray_cluster import RayEngine
from formcoach.core.errors import FormcoachError

__all__ = [
    "ENGINES",
    "Engine",
    "LocalEngine",
    "RayEngine",
    "SerialEngine",
    "WorkerLost",
    "default_workers",
    "make_engine",
]

#: The engines ``formcoach batch --engine`` offers.
ENGINES = ("local", "ray")


def make_engine(name: str, workers: int | None = None, address: str | None = None) -> Engine:
    """An engine by name: ``local`` (``workers=1`` runs in this process), ``serial`` or
    ``ray`` (connects to ``address``, else starts Ray on this machine).

    Raises:
        FormcoachError: an unknown name, or Ray is not installed.
    """
    if name == "serial" or (name == "local" and workers == 1):
        return SerialEngine()
    if name == "local":
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(workers, address)
    raise FormcoachError(
        f"unknown engine {name!r}", f"choose one of: {', '.join(ENGINES)} (or serial)"
    )
