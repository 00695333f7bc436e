"""A browser camera reaches the server at whatever rate the server keeps up with (one frame in
flight): the count must not depend on it. The real curl clip's poses, streamed through the
live cleaner and counter at 30 down to 7.5 frames a second, with irregular gaps."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from formcoach.counting import RepCounter
from formcoach.form.exercises import get_exercise
from formcoach.pose.cache import cached_poses
from formcoach.pose.cleaning import StreamCleaner

CLIP = "chauhan08_fitness__barbell-curl.mp4"


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize("every", [1, 2, 3, 4])
def test_the_curl_clip_counts_the_same_at_the_rates_a_busy_server_takes(shared_data, every):
    poses = cached_poses(shared_data / "videos" / CLIP)
    rng = np.random.default_rng(every)
    kept, i = [], 0
    while i < len(poses):  # on average one frame in ``every``, gaps of 1 to 2*every-1
        kept.append(i)
        i += int(rng.integers(1, 2 * every)) if every > 1 else 1
    cleaner, counter = StreamCleaner(poses.skeleton), RepCounter(exercise=get_exercise("curl"))
    reps = [r for i in kept for r in counter.update(cleaner(poses[i]))] + counter.finish()
    with open(shared_data / "videos" / "ground_truth.csv", newline="") as f:
        true_count = int(next(r for r in csv.DictReader(f) if r["file"] == CLIP)["gt_count"])
    assert len(reps) == true_count
