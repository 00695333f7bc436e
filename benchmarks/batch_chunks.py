"""Chunked against whole: do long recordings split over workers give the same reps?

For every real clip long enough to make at least two chunks, the reps found on the whole pose
run (the pose cache) are compared with the reps found when the pose model runs on chunks
(a fresh model per chunk, warm-up dropped) stitched back together. Reported per part of the
fixed split (``formcoach.eval.splits``: tune = sources the constants were chosen on, validate
= the rest):

- clips whose rep count is the same;
- reps of the whole run matched by a chunked rep (overlap >= half their union), and the share
  of chunked reps that match one (no doubles at the seams);
- median shift of the matched reps' start and end, seconds;
- mean absolute score difference of matched judged reps.

Usage: ``python benchmarks/batch_chunks.py [--data DIR] [--chunk-s 5] [--warmup-s 1] [--json]``
(runs the pose model on every chunk: a few minutes on two cores).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from formcoach.batch import BatchSettings, ChunkSettings, ResultStore, run_batch
from formcoach.batch.engines import LocalEngine, SerialEngine
from formcoach.batch.manifest import Recording
from formcoach.core.paths import shared_data_dir
from formcoach.eval.splits import clip_source, split

#: The library exercise of each clip's movement (the batch's manifest); "auto" where the
#: library has none (the reps are then counted, not judged).
EXERCISE_OF = {
    "chauhan08_fitness__barbell-curl": "bicep curl",
    "chauhan08_fitness__shoulder-press": "shoulder press",
    "kaiakol_form__squat": "squat",
    "kaiakol_form__videos__pushup": "push-up",
    "posetrainer__sample_bicep_curl": "bicep curl",
    "quva__038_monkey_bars": "pull-up",
    "quva__093_core_strength": "sit-up",
    "workouttracker__pull-ups": "pull-up",
    "workouttracker__push-ups": "push-up",
}


def exercise_of(name: str) -> str:
    return next((e for k, e in EXERCISE_OF.items() if name.startswith(k)), "auto")


def _clips(data: Path, chunk_s: float) -> list[tuple[Recording, str]]:
    rows = list(csv.DictReader((data / "videos" / "ground_truth.csv").open()))
    parts = split((clip_source(r["file"]), "videos") for r in rows)
    out = []
    for r in rows:
        if round(int(r["frames"]) / float(r["fps"]) / chunk_s) >= 2:
            rec = Recording(data / "videos" / r["file"], exercise_of(r["file"]))
            out.append((rec, parts[clip_source(r["file"])]))
    return out


def _iou(a: dict, b: dict) -> float:
    inter = min(a["end_s"], b["end_s"]) - max(a["start_s"], b["start_s"])
    union = max(a["end_s"], b["end_s"]) - min(a["start_s"], b["start_s"])
    return max(inter, 0.0) / union if union > 0 else 0.0


def compare(whole: list[dict], chunked: list[dict]) -> dict[str, object]:
    """Match each whole rep to its best-overlapping chunked rep."""
    matched, shifts, dscores, used = 0, [], [], set()
    for w in whole:
        best = max(range(len(chunked)), key=lambda j: _iou(w, chunked[j]), default=None)
        if best is None or _iou(w, chunked[best]) < 0.5:
            continue
        c = chunked[best]
        matched += 1
        used.add(best)
        shifts += [abs(w["start_s"] - c["start_s"]), abs(w["end_s"] - c["end_s"])]
        if w["score"] is not None and c["score"] is not None:
            dscores.append(abs(w["score"] - c["score"]))
    return {"whole": len(whole), "chunked": len(chunked), "matched": matched,
            "chunked_matched": len(used), "shifts": shifts, "dscores": dscores}  # fmt: skip


def _summary(items: list[dict]) -> dict[str, object]:
    whole = sum(i["whole"] for i in items)
    chunked = sum(i["chunked"] for i in items)
    shifts = [s for i in items for s in i["shifts"]]
    dscores = [d for i in items for d in i["dscores"]]
    return {
        "clips": len(items),
        "same_count": sum(i["whole"] == i["chunked"] for i in items),
        "reps_whole": whole,
        "reps_chunked": chunked,
        "recall": round(sum(i["matched"] for i in items) / max(whole, 1), 3),
        "precision": round(sum(i["chunked_matched"] for i in items) / max(chunked, 1), 3),
        "median_shift_s": round(float(np.median(shifts)), 3) if shifts else None,
        "mean_abs_score_diff": round(float(np.mean(dscores)), 1) if dscores else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--chunk-s", type=float, default=5.0)
    ap.add_argument("--warmup-s", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    data = args.data or shared_data_dir()
    if data is None:
        sys.exit("real data absent: pass --data ../shared/data")
    clips = _clips(data, args.chunk_s)
    recs = [r for r, _ in clips]
    with tempfile.TemporaryDirectory() as tmp:
        whole = run_batch(recs, SerialEngine(), ResultStore(Path(tmp) / "whole"))
        os.environ["FORMCOACH_CACHE"] = str(Path(tmp) / "cache")  # no cached poses: chunks run
        chunks = ChunkSettings(chunk_s=args.chunk_s, warmup_s=args.warmup_s)
        engine = LocalEngine(args.workers)
        try:
            cut = run_batch(
                recs, engine, ResultStore(Path(tmp) / "cut"), BatchSettings(chunks=chunks)
            )
        finally:
            engine.close()
    per_part: dict[str, list[dict]] = {"tune": [], "validate": []}
    clips_out = []
    for (rec, part), w, c in zip(clips, whole.rows, cut.rows, strict=True):
        assert c.video["chunks"] and c.video["chunks"] >= 2, c.video
        item = compare(w.reps, c.reps)
        per_part[part].append(item)
        clips_out.append({"clip": rec.path.name, "part": part, "chunks": c.video["chunks"],
                          "whole": item["whole"], "chunked": item["chunked"]})  # fmt: skip
    result = {
        "chunk_s": args.chunk_s,
        "warmup_s": args.warmup_s,
        **{part: _summary(items) for part, items in per_part.items()},
        "clips": clips_out,
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
