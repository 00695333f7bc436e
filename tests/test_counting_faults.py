"""A known exercise done badly is still counted, so that its faults can be corrected.

Synthetic people (:mod:`formcoach.testing.movements`) with a named fault, counted with the
exercise known, as ``formcoach analyze`` and a session count them. The exercise's reference
says which way a rep goes; a faulty rep may not go all of its way (squats that never stand
up start nearer the bottom than the top) nor exactly its way (from the front, knees that
cave in open the hips' angle in the image while the knees close): repeated, such a movement
is still a rep, and the judge tells what is wrong with it.
"""

from __future__ import annotations

import pytest

from formcoach.counting import count_reps
from formcoach.form.exercises import get_exercise
from formcoach.testing.movements import squat_set
from formcoach.testing.person import Camera, Noise


@pytest.mark.parametrize("seed", range(4))
def test_squats_whose_knees_cave_filmed_from_the_front_are_counted(seed):
    take = squat_set(
        3,
        fault="knees_cave",
        size=20.0,
        camera=Camera(yaw_deg=0.0),
        noise=Noise(jitter_px=1.0, seed=seed),
        seed=seed,
    )
    assert len(count_reps(take.poses, get_exercise("squat"))) == take.reps


@pytest.mark.parametrize("seed", range(4))
def test_squats_that_never_stand_up_are_counted(seed):
    """Knees bent 45 degrees between reps: every rep starts nearer the squat's bottom than
    its top."""
    take = squat_set(
        3,
        fault="not_standing",
        size=45.0,
        camera=Camera(yaw_deg=-80.0),
        noise=Noise(jitter_px=1.0, seed=seed),
        seed=seed,
    )
    assert len(count_reps(take.poses, get_exercise("squat"))) == take.reps
