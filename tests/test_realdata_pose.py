"""The pose pipeline on real clips (../shared/data/videos), through the pose cache."""

import csv

import numpy as np
import pytest

from formcoach.core.features import compute_features, estimate_view
from formcoach.pose.cache import cached_poses
from formcoach.pose.cleaning import clean

pytestmark = [pytest.mark.realdata, pytest.mark.slow]


def test_sample_bicep_curl_is_one_clear_elbow_flexion(shared_data):
    raw = cached_poses(shared_data / "videos" / "posetrainer__sample_bicep_curl.mp4")
    assert raw.detected.mean() >= 0.95
    seq = clean(raw)
    view = estimate_view(seq)
    assert view.facing == "side"
    arm = f"{view.near_side}_elbow"  # the other arm is hidden behind the body
    elbow = compute_features(seq, [arm])[arm]
    k = int(np.nanargmin(elbow))
    assert elbow[k] < 40, "the curl reaches full flexion"
    assert np.nanmax(elbow[: max(k, 1)]) > 155, "it starts from a nearly straight arm"
    assert np.nanmax(elbow[k:]) > 155, "and ends straight again"
    # one flexion: the angle does not straighten (>120) anywhere between two bends (<60)
    bent = np.flatnonzero(elbow < 60)
    assert not (elbow[bent.min() : bent.max() + 1] > 120).any()


def _dev_clips(root):
    with open(root / "videos" / "ground_truth.csv", newline="") as f:
        return [row["file"] for row in csv.DictReader(f)]


def test_every_dev_clip_yields_a_pose_in_most_frames(shared_data):
    clips = _dev_clips(shared_data)
    assert len(clips) >= 19
    shares = {c: cached_poses(shared_data / "videos" / c).detected.mean() for c in clips}
    poor = {c: round(float(s), 2) for c, s in shares.items() if s < 0.9}
    assert not poor, f"clips with a pose in under 90% of frames: {poor}"
