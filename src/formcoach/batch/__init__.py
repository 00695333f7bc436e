"""Batch analysis: many recordings, one command, on this machine's cores or a Ray cluster.

Each recording runs ``formcoach analyze``'s path on one worker (:mod:`.job`); long ones are
split into chunks of pose work and stitched (:mod:`.chunks`). Engines share one small
interface (:mod:`.engines`); results are written per recording as they finish, so nothing
finished is lost and nothing is done twice (:mod:`.results`); ``summary.html`` shows the batch
at a glance (:mod:`.summary`). Inputs are files, folders, globs or a CSV manifest
(:mod:`.manifest`).
"""

from formcoach.batch.chunks import ChunkSettings
from formcoach.batch.engines import ENGINES, Engine, make_engine
from formcoach.batch.job import BatchSettings
from formcoach.batch.manifest import Recording, collect
from formcoach.batch.results import ResultStore
from formcoach.batch.runner import BatchOutcome, run_batch
from formcoach.batch.summary import write_summary

__all__ = [
    "ENGINES",
    "BatchOutcome",
    "BatchSettings",
    "ChunkSettings",
    "Engine",
    "Recording",
    "ResultStore",
    "collect",
    "make_engine",
    "run_batch",
    "write_summary",
]
