"""Batch throughput on real clips: serial, the local pool and Ray, measured in one run.

Every engine analyses the same clips from an empty pose cache (so the pose model runs, as on
new recordings), after its start-up (workers spawned and the pose model loaded in each) has
been timed on its own. Printed: recordings per minute once started and including start-up,
each engine's ratio to serial, and what the cluster model of docs/scaling.md needs: the cost
per frame, the share of counting and judging (a rerun on cached poses), the driver's hashing
speed and each engine's own cost per task.

Usage: ``python benchmarks/batch_scaling.py [--data DIR] [--workers 2] [--limit N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from formcoach.batch import ResultStore, collect, run_batch
from formcoach.batch.engines import Engine, LocalEngine, RayEngine, SerialEngine
from formcoach.batch.job import worker_model
from formcoach.core.digest import file_digest
from formcoach.core.paths import shared_data_dir
from formcoach.pose.video import VideoFile


def _load_model(clip: str) -> int:
    """A worker's warm-up: import everything and load the pose model (by running it once)."""
    model = worker_model()
    with VideoFile(clip, prefetch=0) as video:
        for frame in video:
            model(frame)
    model.close()
    return os.getpid()


def _warm_clip(path: Path) -> str:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (64, 48))
    for _ in range(2):
        w.write(np.zeros((48, 64, 3), np.uint8))
    w.release()
    return str(path)


def _all(engine: Engine, fn, args) -> list:
    tickets = [engine.submit(fn, a) for a in args]
    pending, out = list(tickets), {}
    while pending:
        for t in engine.wait(pending):
            out[id(t)] = engine.result(t)
            pending.remove(t)
    return [out[id(t)] for t in tickets]


def _task_ms(engine: Engine, n: int = 200) -> float:
    """The engine's own cost of one trivial call, submitted n at a time."""
    t0 = time.perf_counter()
    _all(engine, abs, range(-n, 0))
    return (time.perf_counter() - t0) / n * 1000


def _run(name: str, make, workers: int, recs, tmp: Path) -> dict[str, float]:
    os.environ["FORMCOACH_CACHE"] = str(tmp / f"cache-{name}")  # empty: the model runs
    t0 = time.perf_counter()
    engine = make()
    _all(engine, _load_model, [_warm_clip(tmp / "warm.avi")] * (2 * workers))
    startup = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        out = run_batch(recs, engine, ResultStore(tmp / f"out-{name}"))
        wall = time.perf_counter() - t0
        task_ms = _task_ms(engine)
    finally:
        engine.close()
    assert out.ok == len(recs), out.failed
    return {
        "workers": workers,
        "startup_s": round(startup, 2),
        "wall_s": round(wall, 2),
        "per_min": round(len(recs) / wall * 60, 2),
        "per_min_with_startup": round(len(recs) / (wall + startup) * 60, 2),
        "rows": [(r.video["path"], r.video["reps"], r.video["mean_score"]) for r in out.rows],
        "seconds": sum(float(r.video["seconds"]) for r in out.rows),
        "ms_per_task": round(task_ms, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N clips")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = args.data or shared_data_dir()
    if data is None:
        sys.exit("real data absent: pass --data ../shared/data")
    recs = collect([str(data / "videos")], "auto")[: args.limit]
    frames = sum(VideoFile(r.path, prefetch=0).frame_count or 0 for r in recs)
    w = args.workers
    res: dict[str, object] = {"clips": len(recs), "frames": frames, "workers": w}
    with tempfile.TemporaryDirectory() as tmp:
        engines = {
            "serial": (SerialEngine, 1),
            "local": (lambda: LocalEngine(w), w),
            "ray": (lambda: RayEngine(w), w),
        }
        runs = {name: _run(name, make, n, recs, Path(tmp)) for name, (make, n) in engines.items()}
        t0 = time.perf_counter()  # serial again, on the poses cached by its first run
        os.environ["FORMCOACH_CACHE"] = str(Path(tmp) / "cache-serial")
        run_batch(recs, SerialEngine(), ResultStore(Path(tmp) / "out-cached"))
        analysis_s = time.perf_counter() - t0
    same = runs["local"]["rows"] == runs["serial"]["rows"] == runs["ray"]["rows"]
    base = runs["serial"]["per_min"]
    for name, r in runs.items():
        r.pop("rows")
        r["ratio_to_serial"] = round(r["per_min"] / base, 3)
        res[name] = r
    sizes = sum(r.path.stat().st_size for r in recs)
    t0 = time.perf_counter()
    for r in recs:
        file_digest(r.path)
    hash_s = time.perf_counter() - t0
    res["identical_results"] = same
    res["serial_ms_per_frame"] = round(runs["serial"]["wall_s"] / frames * 1000, 2)
    res["count_and_judge_share"] = round(analysis_s / runs["serial"]["wall_s"], 4)
    res["hash_MB_per_s"] = round(sizes / 1e6 / hash_s, 1)
    res["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(res) if args.json else json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
