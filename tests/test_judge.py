import dataclasses

import numpy as np
import pytest

from formcoach import FormcoachError
from formcoach.core.rep import Rep
from formcoach.counting import count_reps
from formcoach.form.curves import RepCurves
from formcoach.form.exercises import get_exercise
from formcoach.form.judge import FormJudge, JudgeSettings, RepVerdict, score_from_deviation
from formcoach.testing.reps import curl, squat, standing


@pytest.fixture(scope="module")
def squat_judge():
    return FormJudge("squat")


@pytest.fixture(scope="module")
def curl_judge():
    return FormJudge("bicep curl")


def test_a_textbook_squat_passes_with_a_high_score(squat_judge):
    v = squat_judge.judge(squat())
    assert isinstance(v, RepVerdict)
    assert v.passed and v.seed_passed
    assert v.score >= 80
    assert v.worst == () and v.deviation is None
    assert v.cue in get_exercise("squat").praise
    assert set(v.distances) == {"left_leg", "trunk"}  # profile: the near leg


def test_a_shallow_squat_fails_on_the_leg_with_a_depth_cue(squat_judge):
    v = squat_judge.judge(squat(knee=140, hip=25, lean=15))
    assert not v.passed
    assert v.worst[0] == "left_leg"
    assert v.deviation.too == "high" and v.deviation.when == "peak"
    assert v.cue in (
        "Go lower: sit your hips down to knee height.",
        "Sit your hips back as if onto a chair.",
    )
    assert not any(ch.isdigit() for ch in v.cue)


def test_knees_caving_in_from_the_front_fail_with_a_knee_cue(squat_judge):
    good = squat_judge.judge(squat(view="front"))
    bad = squat_judge.judge(squat(view="front", knees_out=-12))
    assert good.passed and not bad.passed
    assert bad.worst == ("knees",)
    assert bad.cue == "Push your knees out: keep them over your toes."
    # depth and back angle cannot be seen from the front: said, not guessed
    assert bad.hidden["trunk"] == "Turn sideways so I can see your back."
    assert "left_leg" in bad.hidden


@pytest.mark.parametrize(
    ("kw", "part", "cue"),
    [
        ({"top": 100}, "arm", "Curl the weight all the way up."),
        (
            {"swing": 30},
            "arm",
            "Keep your elbows pinned to your sides: don't let them drift forward.",
        ),
        ({"lean": 15}, "trunk", "Keep your body still: don't swing the weight up."),
    ],
)
def test_curl_faults_name_the_part_and_the_cue(curl_judge, kw, part, cue):
    assert curl_judge.judge(curl()).passed
    v = curl_judge.judge(curl(**kw))
    assert not v.passed
    assert part in v.worst[0]
    assert v.cue == cue
    assert v.score < score_from_deviation(1.0)


def test_the_reference_itself_scores_100():
    """A rep drawn exactly as the keyframes say is at distance 0 (no pruning trap: inf)."""
    ex = get_exercise("bicep curl")
    judge = FormJudge(ex)
    ref = judge.reference_curves("side")
    from formcoach.form.curves import RepCurves

    curves = RepCurves(
        "side",
        ("left",),
        {f"{k}@left" if k.startswith("arm") else k: v for k, v in ref.items()},
        {},
        40,
        "left",
    )
    v = judge.judge_curves(curves)
    assert v.aggregate == pytest.approx(0.0, abs=1e-9)
    assert v.score == 100
    assert all(np.isfinite(list(v.features.values())))


def test_judging_with_a_rep_slices_the_stream(curl_judge):
    seq = curl()
    reps = count_reps(seq, get_exercise("bicep curl"))
    assert len(reps) == 1
    whole = curl_judge.judge(seq, reps[0])
    assert whole.rep == reps[0]
    assert whole.as_dict()["start_frame"] == reps[0].start_frame


def test_seed_verdict_is_the_median_against_its_threshold(curl_judge):
    v = curl_judge.judge(curl(swing=30))
    assert v.median == pytest.approx(float(np.median(list(v.distances.values()))))
    assert v.seed_passed == (v.median <= v.threshold)
    assert v.aggregate == max(v.distances.values())
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.score = 100  # type: ignore[misc]


def test_score_falls_with_the_deviation():
    scores = [score_from_deviation(d) for d in (0, 0.5, 1, 1.5, 2, 4)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 100 and score_from_deviation(1.0) == 61 and scores[-1] == 0
    assert score_from_deviation(float("inf")) == 0


def test_a_rep_too_short_to_judge_says_so(curl_judge):
    seq = curl()
    with pytest.raises(FormcoachError, match="too short"):
        curl_judge.judge(seq, Rep(10, 13, 10 / 30, 13 / 30))
    with pytest.raises(FormcoachError, match="outside"):
        curl_judge.judge(seq, Rep(0, len(seq) + 5, 0, 9))


def test_nothing_visible_is_an_error_with_what_to_do():
    judge = FormJudge("jumping jack")  # judged from the front only
    with pytest.raises(FormcoachError) as e:
        judge.judge(curl())  # a side view
    assert "Face the camera" in e.value.hint


def test_settings_are_validated():
    with pytest.raises(ValueError):
        JudgeSettings(samples=3)
    with pytest.raises(ValueError):
        JudgeSettings(profile="far")
    assert JudgeSettings(samples=40, band=0.25).window == 11  # |i-j| <= 10


def test_a_hold_is_judged_over_time():
    """A plank with hips level with the shoulders passes; sagging and piking fail on the hips,
    each with the cue for its direction."""
    from formcoach.testing.figure import stick_figure

    judge = FormJudge("plank")

    def plank(trunk: float, hip: float):
        return stick_figure({"trunk_lean": trunk, "left_hip": hip, "right_hip": hip}, n_frames=90)

    good = judge.judge(plank(90, -90))  # one straight horizontal line
    sag = judge.judge(plank(70, -100))  # hips dropped below the shoulders
    pike = judge.judge(plank(115, -70))  # hips pushed up
    assert good.passed and good.score >= 60
    for bad in (sag, pike):
        assert not bad.passed and bad.worst[0] == "hips"
    assert sag.cue == "Lift your hips: don't let them sag."
    assert pike.cue in (
        "Lower your hips: keep one straight line.",
        "Keep your hips in line with your shoulders and heels.",
    )


def test_standing_still_is_no_rep():
    assert count_reps(standing(), get_exercise("squat")) == []


def test_a_rep_cut_half_a_cycle_late_is_still_recognised(curl_judge):
    """A counter that cuts top-to-top instead of bottom-to-bottom must not fail a good rep, and
    a faulty one cut late is measured as if cut on time: the cut that lines up with the
    reference is chosen by the movement's timing, not by which cut looks less faulty."""
    from formcoach.form.curves import half_turn

    good = half_turn(curl_judge.measure(curl(seed=5)))
    assert curl_judge.judge_curves(good).passed
    on_time = curl_judge.measure(curl(swing=20, seed=5))
    late = half_turn(on_time)
    expected = curl_judge.judge_curves(on_time)
    v = curl_judge.judge_curves(late)
    assert not v.passed and v.cue == expected.cue
    assert v.aggregate == pytest.approx(expected.aggregate, abs=0.05)
    strict = FormJudge("bicep curl", JudgeSettings(phase_check=False))
    assert strict.judge_curves(late).aggregate < 0.8 * expected.aggregate


def _front_push_up(bottom_left: float, bottom_right: float) -> RepCurves:
    """A push-up's arm curves seen from the front: each elbow from 170 down to its bottom."""
    phase = np.sin(np.linspace(0.0, np.pi, 40))
    curves = {}
    for side, bottom in (("left", bottom_left), ("right", bottom_right)):
        elbow = 170.0 - (170.0 - bottom) * phase
        curves[f"arm.elbow@{side}"] = elbow
        curves[f"arm.depth@{side}"] = elbow
    return RepCurves("front", ("left", "right"), curves, frames=50)


def test_push_up_depth_from_the_front_is_judged_on_either_arm():
    """From the front a bent arm can look straight, so one arm seen bending deep shows the
    rep went down; both arms looking nearly straight at the bottom is a shallow rep."""
    judge = FormJudge("push-up")
    assert judge.judge_curves(_front_push_up(70, 115)).passed
    shallow = judge.judge_curves(_front_push_up(125, 130))
    assert not shallow.passed
    assert shallow.cue == "Go lower: bring your chest close to the floor."


def test_where_a_rep_got_to_is_its_own_extreme_not_its_alignment():
    """A rep that reached the depth reached it, whatever the alignment did with its bottom:
    alignment matches values, so a bottom can be mapped to the reference's way down (or
    timed by the other arm's curve), where the aligned values no longer show it."""
    from formcoach.form.cues import phase_masks, progress
    from formcoach.form.faults import fault_sizes

    f = get_exercise("push-up").feature_defs()["arm.elbow"]
    ref = 170.0 - 100.0 * np.sin(np.linspace(0.0, np.pi, 40))  # 170 -> 70 -> 170
    masks = phase_masks(progress({"arm.elbow": ref}, {"arm.elbow": f.tol}))
    own = 170.0 - 76.0 * np.sin(np.linspace(0.0, np.pi, 40))  # down to 94: deep enough
    misaligned = np.maximum(own, 104.0)  # its bottom aligned away from the turning point
    depth = {fs.cue.say: fs.size for fs in fault_sizes(f, misaligned, ref, masks, "side")}
    go_lower = "Go lower: bring your chest close to the floor."
    assert depth[go_lower] > 1.0  # the aligned values alone would call it shallow
    sizes = fault_sizes(f, misaligned, ref, masks, "side", own=own)
    reached = {fs.cue.say: fs.size for fs in sizes}[go_lower]
    assert reached == pytest.approx((94 - 70) / 30, abs=0.02)


def _side_push_up() -> RepCurves:
    """A good push-up in profile: the near arm bends to 75 degrees, the body stays straight."""
    elbow = 170.0 - 95.0 * np.sin(np.linspace(0.0, np.pi, 40))
    flat = np.full(40, 176.0)
    curves = {
        "arm.elbow@left": elbow,
        "hips.hip@left": flat,
        "leg.knee@left": flat,
        "leg.bend@left": np.zeros(40),
        "head.line": np.full(40, 145.0),
        "head.reach": np.full(40, 1.5),  # hips to nose, in torso lengths
    }
    return RepCurves("side", ("left", "right"), curves, frames=50, near_side="left")


def test_praise_names_only_what_was_seen():
    """From the front the body line is hidden: a good rep is never praised for it ("Nice and
    straight."), the hidden part is said plainly instead; in profile it may be."""
    judge = FormJudge("push-up")
    about_the_line = {"Nice and straight."}  # the push-up's praise of the body line
    unseen = {"hips.hip@left": "view", "hips.hip@right": "view", "head.line": "view"}
    good = dataclasses.replace(_front_push_up(70, 115), hidden=unseen)
    front = [judge.judge_curves(good, Rep(0, 49, 0, 1.6, n)) for n in range(6)]
    assert all(v.passed for v in front)
    assert not {v.cue for v in front} & about_the_line
    assert all("hips" in v.hidden and "straight" in v.hidden["hips"] for v in front)
    side = [judge.judge_curves(_side_push_up(), Rep(0, 49, 0, 1.6, n)) for n in range(6)]
    assert all(v.passed and not v.hidden for v in side)
    assert {v.cue for v in side} & about_the_line
