"""How soon reps are emitted, and what counting costs per frame next to the pose model.

Streams every RepCount dev sequence (``counting/repcount``) frame by frame through a
:class:`~formcoach.counting.RepCounter` (after the pipeline's cleaning) and matches each
emitted rep to the labelled rep it overlaps most. For every matched rep it reports how long
after the labelled end the rep was emitted (median and 95th percentile, in frames and in
seconds at the clip's frame rate; negative means before the labelled end).

Cost: the median per-frame time of ``RepCounter.update`` over all sequences (``--known``: each
clip counted as its class's built-in exercise, as a session counts), and of the
pipeline's cleaning (with, separately, its check for skeletons no body can take), against
the median per-frame time of the bare pose model (BlazePose) on the frames of one real clip,
all measured in this run; each is the median of ``--repeats`` runs.

Usage::

    python benchmarks/count_latency.py [--data ../shared/data] [--video CLIP] [--known] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def match(reps, starts, ends) -> list[tuple[int, int]]:
    """Pairs (emitted rep index, labelled rep index) of greatest overlap, one to one."""
    pairs = []
    for i, r in enumerate(reps):
        for j, (a, b) in enumerate(zip(starts, ends, strict=True)):
            ov = min(r.end_frame, b) - max(r.start_frame, a)
            if ov > 0:
                union = max(r.end_frame, b) - min(r.start_frame, a)
                pairs.append((ov / union, i, j))
    used_i, used_j, out = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return out


def latency(root: Path, repeats: int, known: bool = False) -> dict:
    """Emission delay and per-frame counting cost; ``known``: each clip counted as its class's
    built-in exercise, as a session counts."""
    from formcoach.counting import RepCounter
    from formcoach.eval.counting import find_clips, load_clip
    from formcoach.form.exercises import get_exercise
    from formcoach.pose.cleaning import clean

    clips = find_clips(root)
    lat_frames, lat_s, update_s = [], [], []
    matched = labelled = 0
    prepared = []
    for clip in clips:
        seq = load_clip(clip)
        exercise = get_exercise(clip.stratum) if known else None
        prepared.append((clip, clean(seq), seq.frame_rate(), exercise))
    for run in range(repeats):
        times = []
        for clip, cleaned, fps, exercise in prepared:
            counter = RepCounter(exercise, fps=fps)
            poses = list(cleaned)
            reps = []
            t0 = time.perf_counter()
            for p in poses:
                reps.extend(counter.update(p))
            reps.extend(counter.finish())
            times.append((time.perf_counter() - t0, len(poses)))
            if run:
                continue
            raw = json.loads((root / "labels.json").read_text())
            row = next(r for r in raw if r["file"] == clip.file)
            b = [int(x) for x in row["boundaries"]]
            starts, ends = b[0::2], b[1::2]
            labelled += len(ends)
            for i, j in match(reps, starts, ends):
                matched += 1
                lf = reps[i].emitted_frame - ends[j]
                lat_frames.append(lf)
                lat_s.append(lf / fps)
        update_s.append(sum(t for t, _ in times) / sum(n for _, n in times))
    lf, ls = np.array(lat_frames), np.array(lat_s)
    return {
        "sequences": len(clips),
        "labelled_reps": labelled,
        "matched_reps": matched,
        "latency_frames_median": float(np.median(lf)),
        "latency_frames_p95": float(np.percentile(lf, 95)),
        "latency_s_median": round(float(np.median(ls)), 3),
        "latency_s_p95": round(float(np.percentile(ls, 95)), 3),
        "update_ms_per_frame": round(1e3 * float(np.median(update_s)), 4),
    }


def cleaning_cost(root: Path, repeats: int) -> dict:
    """Per-frame time of the pipeline's cleaning over every sequence, and of its check for
    skeletons no body can take (:mod:`formcoach.pose.plausible`: cleaning with it minus
    cleaning without it)."""
    from formcoach.eval.counting import find_clips, load_clip
    from formcoach.pose.cleaning import CleanSettings, clean

    seqs = [load_clip(clip) for clip in find_clips(root)]
    frames = sum(len(s) for s in seqs)
    out = {}
    for name, settings in (("clean", CleanSettings()), ("bare", CleanSettings(plausible=None))):
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            for seq in seqs:
                clean(seq, settings)
            runs.append((time.perf_counter() - t0) / frames)
        out[name] = float(np.median(runs))
    return {
        "clean_ms_per_frame": round(1e3 * out["clean"], 4),
        "plausible_ms_per_frame": round(1e3 * (out["clean"] - out["bare"]), 4),
    }


def pose_model_cost(video: Path, repeats: int, max_frames: int) -> dict:
    import cv2

    from formcoach.pose.estimator import BlazePose

    cap = cv2.VideoCapture(str(video))
    frames = []
    while len(frames) < max_frames:
        ok, img = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    cap.release()
    if not frames:
        sys.exit(f"cannot read frames from {video}")
    runs = []
    for _ in range(repeats):
        with BlazePose() as model:
            model.process_rgb(frames[0])  # warm up
            t0 = time.perf_counter()
            for f in frames:
                model.process_rgb(f)
            runs.append((time.perf_counter() - t0) / len(frames))
    h, w = frames[0].shape[:2]
    return {
        "pose_video": video.name,
        "pose_frame_size": f"{w}x{h}",
        "pose_frames": len(frames),
        "pose_ms_per_frame": round(1e3 * float(np.median(runs)), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--video", type=Path, default=None, help="clip timed through BlazePose")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pose-frames", type=int, default=150)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--known", action="store_true", help="count each clip as its class's exercise")
    args = ap.parse_args()
    root = args.data / "counting" / "repcount"
    if not root.is_dir():
        sys.exit(f"no RepCount folder at {root}: pass --data ../shared/data")
    video = args.video or args.data / "videos" / "posetrainer__sample_bicep_curl.mp4"
    out = latency(root, args.repeats, args.known)
    out |= cleaning_cost(root, args.repeats)
    out |= pose_model_cost(video, args.repeats, args.pose_frames)
    for what in ("update", "clean", "plausible"):
        out[f"{what}_share_of_pose_model"] = round(
            out[f"{what}_ms_per_frame"] / out["pose_ms_per_frame"], 4
        )
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:32s} {v}")


if __name__ == "__main__":
    main()
