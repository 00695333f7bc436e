"""Takes the property tests (:mod:`tests.test_properties`) once drew and the coach got wrong,
kept as plain cases.

Hypothesis mixes the literal constants of the loaded modules into its draws, so a new number
anywhere in ``src`` changes which takes are drawn; a take that once failed would be lost with
the next literal. Each is built here exactly as it was drawn.
"""

from __future__ import annotations

import pytest

from formcoach.analysis import analyze_sequence
from formcoach.counting import count_reps
from formcoach.form.exercises import get_exercise
from formcoach.testing.movements import PLANK_FAULTS, Take, curl_set, plank_hold, squat_set
from formcoach.testing.person import Body, Camera, Noise

#: three good squats (92.6 degrees deep, 2.9 s each) filmed straight from the front, as
#: test_good_squats_seen_from_the_front_pass drew them: the thighs come toward the camera, so
#: the knees and hips bend only 8-12 degrees in the image, under a tenth of the squat's range
FRONT_SQUATS = dict(
    body=Body(
        height_m=1.8638766230989368,
        upper_arm=0.17620635152228448,
        forearm=0.13987555488828743,
        thigh=0.245,
        shank=0.23288006850604417,
        trunk=0.28799712,
        neck_head=0.1,
        shoulder_width=0.25824533213695644,
        hip_width=0.19099809,
        foot=0.152,
        ankle_height=0.039,
    ),
    camera=Camera(
        yaw_deg=-1.2240193601436056e-264,
        pitch_deg=3.2817508367857045,
        distance_m=3.668364587730685,
        frame_size=(1080, 1920),
        fill=0.7096666523647844,
    ),
    noise=Noise(jitter_px=1.0),
    seed=297,
)


def test_squats_straight_from_the_front_are_counted_as_squats():
    """Counted as the session counts them (the exercise known), not only class-agnostically:
    the thighs' and shins' shortening in the image (their turn out of it) lowers the smallest
    movement the view lets the knees and hips show (:mod:`formcoach.counting.floor`)."""
    take = squat_set(3, **FRONT_SQUATS)
    assert len(count_reps(take.poses, get_exercise("squat"))) == take.reps


def _assert_counted_and_passing(take: Take, exercise: str) -> None:
    """``analyze`` counts every rep of a take of good reps, and every rep passes."""
    a = analyze_sequence(take.poses, get_exercise(exercise), "synthetic")
    assert len(a.results) == take.reps, f"counted {len(a.results)} of {take.reps}"
    failed = [r.verdict.cue for r in a.results if r.verdict is None or not r.verdict.passed]
    assert not failed, f"good reps were told: {failed}"


def test_good_squats_straight_from_the_front_are_counted_and_pass():
    _assert_counted_and_passing(squat_set(3, **FRONT_SQUATS), "squat")


#: three good left-arm curls filmed from the side (yaw -101 degrees), as
#: test_good_curls_seen_from_the_side_pass drew them: the pose model missed the left elbow in
#: the first frame (drop_rate 1.4 %), so the zigzag's first turning point lacked it
SIDE_CURLS = dict(
    body=Body(
        height_m=1.6944501887462506,
        upper_arm=0.192917916825164,
        forearm=0.149922743193638,
        thigh=0.2513853554746675,
        shank=0.23326587461020845,
        trunk=0.3021123448984255,
        neck_head=0.1,
        shoulder_width=0.27276513933696417,
        hip_width=0.18145,
        foot=0.152,
        ankle_height=0.039,
    ),
    camera=Camera(
        yaw_deg=-101.05585415756366,
        pitch_deg=-0.555887550545803,
        distance_m=2.5887764490288667,
        frame_size=(720, 1280),
        fill=0.5,
    ),
    noise=Noise(
        jitter_px=5e-324,
        drop_rate=0.014472062387245946,
        drop_frames=0.012495265557220721,
        seed=957,
    ),
    arm="left",
    seed=1,
)


@pytest.mark.parametrize("exercise", ["bicep_curl", None], ids=["known", "auto"])
def test_curls_after_a_joint_missed_in_the_first_frame_are_all_counted(exercise):
    """The first rep too: the arm unseen in the first frame still moves away from it."""
    take = curl_set(3, **SIDE_CURLS)
    hint = get_exercise(exercise) if exercise else None
    assert len(count_reps(take.poses, hint)) == take.reps


def test_good_curls_after_a_joint_missed_in_the_first_frame_are_counted_and_pass():
    _assert_counted_and_passing(curl_set(3, **SIDE_CURLS), "bicep_curl")


#: a forearm plank sagging 20 degrees (net 14.5 with its own 5.5 up), filmed from 3.6 degrees
#: behind the right profile and 13 degrees above, close (2.5 m), by a person with shoulders
#: wide for their hips: the shape of the take test_a_plank_fault_above_its_size_is_corrected
#: [sag] drew (0.85 of the limit)
SAGGING_PLANK = dict(
    style="forearm",
    fault="sag",
    size=20.0,
    body=Body(height_m=1.6).scaled(shoulder_width=1.08, hip_width=0.92, trunk=0.92),
    camera=Camera(yaw_deg=-93.6, pitch_deg=13.0, distance_m=2.5),
    noise=Noise(jitter_px=1.0, seed=1),
    seed=10,
)


def test_a_sagging_plank_filmed_close_from_above_is_told_to_lift_its_hips():
    take = plank_hold(8.0, **SAGGING_PLANK)
    a = analyze_sequence(take.poses, get_exercise("plank"), "synthetic")
    assert a.judged, "the hold was never judged"
    words = PLANK_FAULTS["sag"].cue_words
    for r in a.judged:
        assert r.verdict is not None and not r.verdict.passed, r.verdict
        assert any(w in r.verdict.cue.lower() for w in words), r.verdict.cue


#: a camera 20 degrees above, 2.5 m away, sees the lying shoulders 0.49-0.51 of the torso apart
#: (up the image, by sin(pitch) of their width) and takes the plank for a front view
READ_AS_FRONT = pytest.mark.xfail(
    strict=True,
    reason="view: from 20 degrees above and close, the shoulders of a lying body read apart "
    "up the image (by sin(pitch) of their width, 0.49-0.51 of the torso), so the plank is "
    "taken for a view 30-60 degrees from profile, read on an image widened up to 1.19 and "
    "the kinder reading kept: the 14.5 degree sag reads 10.7. Only shoulders apart across "
    "the image show a turn from profile",
)


@pytest.mark.parametrize(
    ("pitch", "distance"),
    [(13.0, 2.5), (13.0, 4.0), (20.0, 4.0), pytest.param(20.0, 2.5, marks=READ_AS_FRONT)],
)
@pytest.mark.parametrize("body", ["average", "wide shoulders"])
def test_a_camera_above_reads_a_plank_sag_at_its_size(body, pitch, distance):
    """A phone on a shelf or table looks down at a plank: each side reads the hips' bend off
    by the body's widths (up to 8 degrees here), the near and far side in opposite directions,
    so the judge reads the mean of both, within 3 degrees of the bend drawn (a 10 degree
    limit: 0.3 of it)."""
    take = plank_hold(
        8.0,
        **SAGGING_PLANK
        | dict(
            body=SAGGING_PLANK["body"] if body == "wide shoulders" else Body(),
            camera=Camera(yaw_deg=-93.6, pitch_deg=pitch, distance_m=distance),
        ),
    )
    sag = -take.style["hip_bend"]  # degrees below the shoulder-ankle line
    tol = get_exercise("plank").feature_defs()["hips.sag"].tol
    a = analyze_sequence(take.poses, get_exercise("plank"), "synthetic")
    assert a.judged, "the hold was never judged"
    read = [r.verdict.distances["hips"] * tol for r in a.judged if r.verdict is not None]
    assert read and all(abs(x - sag) <= 3.0 for x in read), (sag, read)
