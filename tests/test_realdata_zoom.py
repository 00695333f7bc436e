"""A small, far-away person on real clips (shrunk into a larger canvas), and the normal case."""

import numpy as np
import pytest

from formcoach.eval.distant import Setup, measure_clip
from formcoach.pose.estimator import BlazePose
from formcoach.pose.video import VideoFile

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

#: One standing and one lying person, from the two validation sources of the clip split.
CLIPS = ["chauhan08_fitness__barbell-curl.mp4", "quva__013_weights_floor.mp4"]
LYING = pytest.mark.xfail(
    strict=True,
    reason="pose: a person lying head towards the camera, shrunk to 15 % of a 640x360 frame "
    "(about 10 px of foreshortened torso), is found in 70 % of the frames (76 % full size) but "
    "the crop model's landmarks lie a median 3.7 torso lengths from the full-size run's",
)


@pytest.mark.parametrize(
    "clip", [CLIPS[0], pytest.param(CLIPS[1], marks=LYING)], ids=["standing", "lying"]
)
def test_a_person_15_percent_of_the_frame_gets_a_pose_in_most_frames(shared_data, clip):
    fig = measure_clip(shared_data / "videos" / clip, Setup(share=0.15, seconds=2.0))
    assert fig.share_before < 0.5, "the canvas must make the person too small for the bare model"
    assert fig.share_after >= 0.8 * fig.share_full_size
    assert fig.error_after <= 0.15, "landmarks within a sixth of a torso of the full-size run's"


def test_a_small_person_in_a_portrait_frame_gets_poses(shared_data):
    """The issue's 216x320 portrait case, made from a real clip."""
    clip = shared_data / "videos" / CLIPS[0]
    fig = measure_clip(clip, Setup(share=0.15, seconds=2.0, canvas_size=(216, 320)))
    assert fig.share_after >= 0.8 * fig.share_full_size
    assert fig.error_after <= 0.15


def _poses(path, estimator, frames):
    with estimator:
        return [estimator(f) for f in VideoFile(path, prefetch=0, max_frames=frames)]


def test_a_normal_clip_gets_the_same_poses_as_without_the_zoom(shared_data):
    """The first seconds of a clip in which the whole-frame model misses the (large) person
    in 15 of 90 frames: the search runs there, and no pose changes."""
    clip = shared_data / "videos" / "quva__013_weights_floor.mp4"
    plain = _poses(clip, BlazePose(zoom=None), 90)
    zoomed = _poses(clip, BlazePose(), 90)
    assert sum(not p.detected for p in plain) >= 5, "the stretch must contain misses"
    assert [p.detected for p in zoomed] == [p.detected for p in plain]
    for a, b in zip(zoomed, plain, strict=True):
        if b.detected:
            np.testing.assert_allclose(a.xy, b.xy, atol=1e-3)
            np.testing.assert_allclose(a.visibility, b.visibility, atol=1e-6)
