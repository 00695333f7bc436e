"""Throughput of the pose pipeline against the bare pose model, on the same frames, same run.

    python benchmarks/pose_throughput.py VIDEO [--runs 5] [--json]

1. Decodes the video's frames once into memory.
2. Times the bare MediaPipe ``process()`` over them (RGB, converted beforehand).
3. Times the whole formcoach pipeline from the file to features: decoding (on its thread),
   colour conversion, the model, the adapter, cleaning, and the features of the cleaned
   sequence.
Steps 2 and 3 alternate for ``--runs`` rounds; the medians give ``bare_fps``,
``pipeline_fps`` and ``ratio = pipeline_fps / bare_fps``. A per-stage breakdown (ms per
frame, measured on the in-memory frames) says where the time beyond the model goes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path


def _decode(path: Path):
    from formcoach.pose.video import VideoFile

    return [f for f in VideoFile(path, prefetch=0)]


def bare_run(rgb_frames) -> float:
    """Seconds for a fresh model to process every frame (model construction excluded)."""
    from formcoach.pose.estimator import BlazePose

    with BlazePose() as model:
        t0 = time.perf_counter()
        for rgb in rgb_frames:
            model.process_rgb(rgb)
        return time.perf_counter() - t0


def pipeline_run(path: Path) -> tuple[float, int]:
    """Seconds from opening the file to having features of the cleaned sequence."""
    from formcoach.core.features import compute_features
    from formcoach.pose.estimator import BlazePose
    from formcoach.pose.pipeline import run_poses
    from formcoach.pose.sources import ModelPoseSource
    from formcoach.pose.video import VideoFile

    model = BlazePose()
    t0 = time.perf_counter()
    source = ModelPoseSource(VideoFile(path), model, str(path))
    run = run_poses(source, progress=False)
    compute_features(run.clean)
    return time.perf_counter() - t0, run.frames


def breakdown(path: Path, frames) -> dict[str, float]:
    """Milliseconds per frame of each stage beyond the model, measured in isolation."""
    import cv2

    from formcoach.core.features import compute_features
    from formcoach.core.pose import PoseSequence
    from formcoach.pose.cleaning import StreamCleaner
    from formcoach.pose.estimator import BlazePose, from_mediapipe

    n = len(frames)
    t0 = time.perf_counter()
    _decode(path)
    decode = time.perf_counter() - t0
    t0 = time.perf_counter()
    rgbs = [cv2.cvtColor(f.image, cv2.COLOR_BGR2RGB) for f in frames]
    convert = time.perf_counter() - t0
    with BlazePose() as model:
        landmarks = [model.process_rgb(r) for r in rgbs]
    size = (frames[0].image.shape[1], frames[0].image.shape[0])
    t0 = time.perf_counter()
    poses = [
        from_mediapipe(lm, size, f.timestamp, f.index)
        for lm, f in zip(landmarks, frames, strict=True)
    ]
    adapter = time.perf_counter() - t0
    cleaner = StreamCleaner(poses[0].skeleton)
    t0 = time.perf_counter()
    cleaned = [cleaner(p) for p in poses]
    cleaning = time.perf_counter() - t0
    t0 = time.perf_counter()
    compute_features(PoseSequence.from_poses(cleaned))
    feats = time.perf_counter() - t0
    ms = 1000.0 / n
    return {
        "decode": round(decode * ms, 3),
        "convert": round(convert * ms, 3),
        "adapter": round(adapter * ms, 3),
        "clean": round(cleaning * ms, 3),
        "features": round(feats * ms, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.video.is_file():
        print(f"no such video: {args.video}", file=sys.stderr)
        return 2
    import cv2

    frames = _decode(args.video)
    rgb = [cv2.cvtColor(f.image, cv2.COLOR_BGR2RGB) for f in frames]
    n = len(frames)
    bare, pipe = [], []
    for _ in range(args.runs):
        bare.append(n / bare_run(rgb))
        seconds, count = pipeline_run(args.video)
        pipe.append(count / seconds)
    bare_ms = 1000.0 / statistics.median(bare)
    result = {
        "video": str(args.video),
        "frames": n,
        "frame_size": [frames[0].image.shape[1], frames[0].image.shape[0]],
        "runs": args.runs,
        "bare_fps": round(statistics.median(bare), 2),
        "pipeline_fps": round(statistics.median(pipe), 2),
        "ratio": round(statistics.median(p / b for p, b in zip(pipe, bare, strict=True)), 3),
        "bare_ms_per_frame": round(bare_ms, 3),
        "stage_ms_per_frame": breakdown(args.video, frames),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>20}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
