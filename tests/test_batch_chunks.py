"""Long recordings in chunks: the plan tiles the frames, and stitched chunks equal the whole."""

import itertools

import cv2
import numpy as np
import pytest

from formcoach.batch.chunks import ChunkSettings, plan_chunks, read_chunk, stitch
from formcoach.core.errors import FormcoachError
from formcoach.pose.estimator import ReplayEstimator
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import open_source
from formcoach.testing.reps import FPS, concat, curl


@pytest.mark.parametrize(
    ("frames", "fps"), [(1, 30.0), (1799, 30.0), (5400, 29.97), (108000, 25.0)]
)
def test_plan_tiles_the_recording_exactly(frames, fps):
    settings = ChunkSettings(chunk_s=60.0, warmup_s=1.0)
    chunks = plan_chunks(frames, fps, settings)
    assert chunks[0].start == 0 and chunks[-1].stop == frames
    for a, b in itertools.pairwise(chunks):
        assert a.stop == b.start  # no gap, no overlap in what each chunk keeps
    assert len(chunks) == max(1, round(frames / fps / 60.0))
    for c in chunks:
        assert c.start - c.read_from == (0 if c.start == 0 else round(fps))
        assert abs((c.stop - c.start) / fps - 60.0) < 30.0 or len(chunks) == 1


def test_bad_settings_are_refused():
    with pytest.raises(FormcoachError):
        ChunkSettings(chunk_s=0)
    with pytest.raises(FormcoachError):
        plan_chunks(0, 30.0)


@pytest.fixture
def video_and_poses(tmp_path):
    """A real video file (noise frames) and the poses a stand-in model 'finds' in each."""
    seq = concat([curl(seed=i) for i in range(3)])  # 3 curls, 10.2 s
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (64, 48))
    rng = np.random.default_rng(0)
    for _ in range(len(seq)):
        writer.write(rng.integers(0, 255, (48, 64, 3), np.uint8))
    writer.release()
    return path, seq


def test_chunks_read_and_stitched_equal_the_whole_run(video_and_poses):
    path, seq = video_and_poses
    whole = run_poses(open_source(path, estimator=ReplayEstimator(seq)), progress=False).raw
    chunks = plan_chunks(len(seq), FPS, ChunkSettings(chunk_s=2.5, warmup_s=0.5))
    assert len(chunks) == 4
    parts = [read_chunk(str(path), c, ReplayEstimator(seq)) for c in chunks]
    assert [len(p) for p in parts] == [c.stop - c.start for c in chunks]
    stitched = stitch(parts)
    assert len(stitched) == len(whole) == len(seq)
    np.testing.assert_array_equal(stitched.xy, whole.xy)  # every frame from its own index
    np.testing.assert_array_equal(stitched.timestamps, whole.timestamps)
    assert stitched.fps == whole.fps and stitched.frame_size == whole.frame_size
