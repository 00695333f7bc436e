"""Three-quarter views: a camera 30-60 degrees from the person's profile shows both what is
judged in profile (depth, back, body line) and what is judged from the front (knees caving in).

The people are synthetic (:mod:`formcoach.testing.movements`), filmed by a camera at a known
angle, so what is true about each rep is known.

A view whose shoulders read at least ``FRONT_SHOULDER_RATIO`` of the torso is a front view,
but shoulders too narrow for anyone seen square-on (:data:`~formcoach.core.features.
SQUARE_ON_SHOULDERS`) place the camera within a range of angles from profile, and the body's
own segments (:func:`~formcoach.core.features.sagittal_foreshortening`) show how much of a
forward movement the camera sees. When neither allows a view square-on, the profile parts are
judged too, on the image widened to show the movement as in profile, at both ends of the range
both allow; the kinder reading stands. Judging views under :data:`THREE_QUARTER` from both
sides without widening was tried (branch view7): pushfit's validation part lost 2 of 60 correct
reps and the bound was flat only up to +10 %; the rule here changes no labelled rep.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from formcoach.analysis import analyze_sequence
from formcoach.core.errors import FormcoachError
from formcoach.core.features import View, sagittal_foreshortening
from formcoach.form.exercises import get_exercise
from formcoach.form.judge import FormJudge
from formcoach.testing.movements import PLANK_FAULTS, SQUAT_FAULTS, Take, plank_hold, squat_set
from formcoach.testing.person import Body, Camera, Noise

NOISE = Noise(jitter_px=1.0, seed=3)

#: Turned 60 degrees from profile, the narrowest shoulders (0.6 of the torso square-on) read
#: 0.6 * sin 60 = 0.52: a view reading less is at most 60 degrees from profile, where a movement
#: in the body's plane shows at least half its size.
THREE_QUARTER = 0.52


def _cues(take: Take, exercise: str) -> tuple[View, list[str | None]]:
    """The view analyze saw and, per judged rep, None when it passed, else what was said."""
    a = analyze_sequence(take.poses, get_exercise(exercise), "synthetic")
    judged = a.judged if get_exercise(exercise).static else a.results
    cues = [
        r.error if r.verdict is None else None if r.verdict.passed else r.verdict.cue
        for r in judged
    ]
    return a.view, cues


@pytest.mark.parametrize("yaw", [70.0, -70.0])
def test_a_sagging_plank_filmed_from_above_off_profile_is_told_to_lift_its_hips(yaw):
    """A phone on a shelf (20 degrees above) 20 degrees off profile: the lying torso is
    foreshortened, the shoulders read as a front view, and the plank has only side parts."""
    take = plank_hold(
        8.0, fault="sag", size=25.0, camera=Camera(yaw_deg=yaw, pitch_deg=20.0), noise=NOISE
    )
    view, cues = _cues(take, "plank")
    assert view.facing == "front" and view.shoulder_ratio < THREE_QUARTER, view
    assert cues, "the hold was never judged"
    words = PLANK_FAULTS["sag"].cue_words
    assert all(c and any(w in c.lower() for w in words) for c in cues), cues


@pytest.mark.parametrize(
    ("fault", "size"),
    [("shallow", 55.0), ("knees_cave", 20.0), (None, 0.0)],
)
def test_squats_at_three_quarter_are_judged_for_depth_and_knees(fault, size):
    """30 degrees from profile: a shallow squat is told to go lower, caving knees to push
    them out, and good squats pass."""
    take = squat_set(3, fault=fault, size=size, camera=Camera(yaw_deg=60.0), noise=NOISE)
    view, cues = _cues(take, "squat")
    assert view.facing == "front" and view.shoulder_ratio < THREE_QUARTER, view
    assert len(cues) == 3, cues
    if fault is None:
        assert cues == [None, None, None]
    else:
        words = SQUAT_FAULTS[fault].cue_words
        assert all(c and any(w in c.lower() for w in words) for c in cues), cues


def test_narrow_shoulders_seen_square_on_are_a_front_view():
    """The narrowest shoulders (0.6 of the torso seen square-on) are not taken for a
    three-quarter view: good squats filmed from the front are not judged for depth."""
    narrow = Body().scaled(shoulder_width=0.65)
    take = squat_set(3, body=narrow, camera=Camera(yaw_deg=0.0), noise=NOISE)
    view, cues = _cues(take, "squat")
    assert view.shoulder_ratio >= THREE_QUARTER, view
    assert cues == [None, None, None]


@pytest.mark.parametrize("yaw", [90.0, 75.0, 60.0, 45.0, -60.0])
def test_the_body_shows_how_much_of_a_forward_movement_the_camera_sees(yaw):
    """Squats filmed ``90 - |yaw|`` degrees from profile: the thighs, shins and trunk leaning
    forward show ``sin |yaw|`` of their forward reach across the image, within the range
    their segments give, whoever the person (shoulders of any width)."""
    for body in (Body(), Body().scaled(shoulder_width=0.65, thigh=1.05)):
        take = squat_set(3, body=body, camera=Camera(yaw_deg=yaw), noise=NOISE)
        fewest, most = sagittal_foreshortening(take.poses.to_common().xy)
        assert fewest <= abs(math.sin(math.radians(yaw))) <= most, (fewest, most)
        assert most - fewest < 0.4, (fewest, most)


def test_a_body_seen_square_on_may_show_nothing_forward():
    """From the front a squat's thighs point at the camera: some segment's forward reach
    shows not at all, so the profile parts stay hidden however narrow the shoulders."""
    take = squat_set(3, camera=Camera(yaw_deg=0.0), noise=NOISE)
    assert sagittal_foreshortening(take.poses.to_common().xy)[0] == 0.0


def _loads(take: Take, exercise: str) -> list[float]:
    a = analyze_sequence(take.poses, get_exercise(exercise), "synthetic")
    return [r.verdict.aggregate for r in a.judged if r.verdict is not None]


@pytest.mark.parametrize("yaw", [65.0, 60.0, -60.0])
def test_a_side_view_turned_off_profile_reads_a_bend_as_in_profile(yaw):
    """Up to 30 degrees off profile the shoulders still read as a side view (under
    ``FRONT_SHOULDER_RATIO``), but the body's length shows at ``cos a`` of its size, so a
    bend of the body line reads larger than it is: a high plank sagging 9 degrees (within
    the 10 allowed) read 0.85 of the limit 30 degrees off profile against 0.72 in profile.
    Read at the angles its shoulders allow, it reads as in profile; a real sag is still
    told."""
    ok = Noise(jitter_px=1.0, seed=3)
    profile = _loads(plank_hold(8.0, style="high", fault="sag", size=9.0, noise=ok), "plank")
    turned = plank_hold(
        8.0, style="high", fault="sag", size=9.0, camera=Camera(yaw_deg=yaw), noise=ok
    )
    view, _ = _cues(turned, "plank")
    assert view.facing == "side", view
    loads = _loads(turned, "plank")
    assert loads and profile
    assert max(abs(x - y) for x, y in zip(loads, profile, strict=False)) < 0.05, (loads, profile)
    sagging = plank_hold(
        8.0, style="high", fault="sag", size=20.0, camera=Camera(yaw_deg=yaw), noise=ok
    )
    _, cues = _cues(sagging, "plank")
    words = PLANK_FAULTS["sag"].cue_words
    assert cues and all(c and any(w in c.lower() for w in words) for c in cues), cues


def test_a_reading_that_shows_no_judged_part_does_not_make_the_rep_unjudgeable():
    """A rep read at several camera angles keeps the kindest reading that can be judged: one
    showing none of the judged parts (legs taken for folded on the widened image) is left out,
    not raised; only when no reading can be judged is the rep unjudgeable."""
    take = plank_hold(8.0, style="high", fault="sag", size=20.0, noise=NOISE)
    judge = FormJudge(get_exercise("plank"))
    curves = replace(judge.measure(take.poses), readings=())
    blind = replace(curves, curves={})
    alone = judge.judge_curves(curves)
    both = judge.judge_curves(replace(curves, readings=(blind,)))
    assert not both.passed and both.aggregate == alone.aggregate
    with pytest.raises(FormcoachError):
        judge.judge_curves(replace(blind, readings=(blind,)))
