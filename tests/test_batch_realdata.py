"""Batches of real clips: every engine gives the same rows, a worker loads the pose model once,
and a clip analysed in chunks gives the reps of the whole clip.

The Ray test starts a real local Ray (on 127.0.0.1, two CPUs): 10-30 s here. CI runs it.
"""

import numpy as np
import pytest

from formcoach.batch import BatchSettings, ChunkSettings, ResultStore, collect, run_batch
from formcoach.batch import job as batch_job
from formcoach.batch.engines import LocalEngine, RayEngine, SerialEngine
from formcoach.batch.manifest import Recording
from formcoach.pose.cache import cached_poses
from formcoach.pose.estimator import BlazePose
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import open_source

pytestmark = pytest.mark.realdata

#: A few short clips of different exercises (their poses are in the shared pose cache).
CLIPS = {
    "kaiakol_form__squat__correct__squat_correct_003.mp4": "squat",
    "kaiakol_form__videos__pushup_incorrect_001.mp4": "push-up",
    "posetrainer__sample_bicep_curl.mp4": "bicep curl",
    "workouttracker__pull-ups__pull-up_10.mp4": "pull-up",
    "quva__023_fitness.mp4": "auto",
}


def _recordings(shared_data, tmp_path):
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(b"\x00" * 4096)
    recs = [Recording(shared_data / "videos" / f, e) for f, e in CLIPS.items()]
    return [*recs, Recording(corrupt, "squat")]


def _figures(outcome):
    return [
        (r.video["path"], r.video["status"], r.video["reps"], r.video["mean_score"],
         [(x["start_frame"], x["end_frame"], x["score"], x["cue"]) for x in r.reps])
        for r in outcome.rows
    ]  # fmt: skip


@pytest.fixture(scope="module")
def serial_reference(shared_data, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serial")
    for f in CLIPS:  # fill the pose cache first, so every engine reads the same poses
        cached_poses(shared_data / "videos" / f, progress=False)
    recs = _recordings(shared_data, tmp)
    return recs, run_batch(recs, SerialEngine(), ResultStore(tmp / "out"))


def test_serial_reference_is_sane(serial_reference):
    _, ref = serial_reference
    assert ref.ok == len(CLIPS) and len(ref.failed) == 1
    assert "corrupt.mp4" in ref.failed[0][0] and "cannot read" in ref.failed[0][1]
    assert all(r.video["reps"] > 0 for r in ref.rows if r.ok)
    judged = [r for r in ref.rows if r.ok and r.video["exercise"] != "auto"]
    assert all(r.video["mean_score"] is not None for r in judged)


def test_local_pool_equals_serial(serial_reference, tmp_path):
    recs, ref = serial_reference
    engine = LocalEngine(2)
    try:
        out = run_batch(recs, engine, ResultStore(tmp_path / "out"))
    finally:
        engine.close()
    assert _figures(out) == _figures(ref)


@pytest.mark.slow
def test_ray_equals_local_and_keeps_the_error_row(serial_reference, tmp_path):
    pytest.importorskip("ray", reason="the ray extra is not installed")
    recs, ref = serial_reference
    engine = RayEngine(2)
    try:
        out = run_batch(recs, engine, ResultStore(tmp_path / "out"))
    finally:
        engine.close()
    assert _figures(out) == _figures(ref)
    assert [r.ok for r in out.rows] == [True] * len(CLIPS) + [False]


@pytest.mark.slow
def test_a_worker_loads_the_model_once_and_resets_it_between_recordings(
    shared_data, tmp_path, monkeypatch
):
    monkeypatch.setenv("FORMCOACH_CACHE", str(tmp_path / "cache"))  # nothing cached: model runs
    loads = []

    class Counted(BlazePose):
        def __init__(self, *a, **k):
            loads.append(1)
            super().__init__(*a, **k)

    monkeypatch.setattr(batch_job, "BlazePose", Counted)
    monkeypatch.setattr(batch_job, "_MODEL", None)
    names = [
        "posetrainer__sample_bicep_curl.mp4",
        "kaiakol_form__squat__correct__squat_correct_003.mp4",
    ]
    recs = collect([str(shared_data / "videos" / n) for n in names], "auto")
    out = run_batch(recs, SerialEngine(), ResultStore(tmp_path / "out"))
    assert out.ok == 2 and len(loads) == 1
    # the second clip, read by the reused (reset) model, is exactly what a fresh model sees
    fresh = run_poses(open_source(shared_data / "videos" / names[1]), progress=False).raw
    reused = cached_poses(shared_data / "videos" / names[1])
    np.testing.assert_array_equal(reused.xy, fresh.xy)


@pytest.mark.slow
def test_a_clip_in_chunks_gives_the_reps_of_the_whole_clip(shared_data, tmp_path, monkeypatch):
    clip = shared_data / "videos" / "chauhan08_fitness__barbell-curl.mp4"  # 21.5 s, 9 curls
    recs = collect([str(clip)], "bicep curl")
    whole = run_batch(recs, SerialEngine(), ResultStore(tmp_path / "whole")).rows[0]
    assert whole.video["chunks"] == 1
    monkeypatch.setenv("FORMCOACH_CACHE", str(tmp_path / "cache"))  # not cached: it is split
    settings = BatchSettings(chunks=ChunkSettings(chunk_s=5.0, warmup_s=1.0))
    cut = run_batch(recs, SerialEngine(), ResultStore(tmp_path / "cut"), settings).rows[0]
    assert cut.video["chunks"] == 4 and cut.video["frames"] == whole.video["frames"]
    assert cut.video["reps"] == whole.video["reps"] >= 8
    seams = [5.4, 10.75, 16.1]  # about where the 4 chunks meet
    assert any(x["start_s"] < s < x["end_s"] for x in whole.reps for s in seams)
    for w, c in zip(whole.reps, cut.reps, strict=True):
        assert abs(w["start_s"] - c["start_s"]) < 0.25 and abs(w["end_s"] - c["end_s"]) < 0.25
    scores_w = np.array([x["score"] for x in whole.reps], float)
    scores_c = np.array([x["score"] for x in cut.reps], float)
    assert np.mean(np.abs(scores_w - scores_c)) < 10
