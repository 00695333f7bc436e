"""The verdicts a user gets, on every labelled form file of ../shared/data, at the issue's targets.

Every rep is judged by the built-in exercise exactly as ``formcoach analyze`` judges it
(:mod:`formcoach.eval.form_builtin`). Targets, on the validation part of the fixed split:
correct reps pass >= 0.95 and balanced accuracy >= 0.90. Where a target is not met yet, the test
is an expected failure (strict) saying why. The form-labelled clips all come from one source,
which the split (by source, as for counting) puts in the tuning part; nothing was tuned on them,
so they are tested whole.
"""

from __future__ import annotations

import pytest

from formcoach.eval.form import judge_dev_sets
from formcoach.eval.form_builtin import rejudge, summarise
from formcoach.form.judge import JudgeSettings

CORRECT_PASS = 0.95
BALANCED = 0.90


@pytest.fixture(scope="module")
def dev(shared_data):
    return judge_dev_sets(shared_data)


def _figures(dev, data_set: str, exercise: str, part: str = "validate") -> dict:
    reps, unjudged = dev[data_set]
    mine = [r for r in reps if part in (r.part, "all") and r.exercise == exercise]
    return summarise(mine, [u for u in unjudged if part in (u[2], "all")])[exercise]


def _xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


TARGETS = [
    ("posetrainer", "bicep curl", "validate"),
    pytest.param(
        "posetrainer",
        "shoulder press",
        "validate",
        marks=_xfail(
            "the back's sway on the hips-to-nose line catches most Pose Trainer 'bad' presses "
            "(0.67 caught, 0.83 balanced; 0.62 caught on the tuning part); the rest sway less "
            "than 5 degrees from their rest and press as high and straight as correct reps"
        ),
    ),
    ("mp17", "push-up", "validate"),
    pytest.param(
        "pushfit",
        "push-up",
        "validate",
        marks=_xfail(
            "pushfit's faults are not named and most are seen from the front, where only "
            "depth (on either arm) and lockout show; correct side views hold hips near 160 "
            "degrees like faulty ones and, turned towards the camera (shoulders 0.42-0.44 of "
            "the torso), read the elbow short of the depth: 0.88 correct pass, 0.57 caught"
        ),
    ),
    pytest.param(
        "mp17",
        "squat",
        "validate",
        marks=_xfail(
            "the one faulty squat of each part caves its knees in seen from the side (not a "
            "three-quarter view), where knees caving in cannot be seen"
        ),
    ),
    pytest.param(
        "clips",
        "squat",
        "all",
        marks=_xfail("the faulty squat clip is the mp17 one seen from the side (see above)"),
    ),
    ("clips", "push-up", "all"),
]


@pytest.mark.realdata
@pytest.mark.parametrize(("data_set", "exercise", "part"), TARGETS)
def test_builtin_verdicts_meet_the_targets_on_validation(dev, data_set, exercise, part):
    f = _figures(dev, data_set, exercise, part)
    assert f["correct_reps"] and f["faulty_reps"], f
    assert f["correct_pass_rate"] >= CORRECT_PASS, f
    assert f["balanced_accuracy"] >= BALANCED, f


STRICTER = [
    ("posetrainer", "bicep curl"),
    pytest.param(
        "posetrainer",
        "shoulder press",
        marks=_xfail(
            "the back's sway (hips-to-nose line, 5 degrees) is not flat on the validation "
            "part: at 3.75 degrees 3 correct presses of 10 sway beyond it (0.70); on the "
            "tuning part every correct press passes down to 3.75 degrees"
        ),
    ),
    pytest.param(
        "mp17",
        "push-up",
        marks=_xfail("one correct push-up of 15 holds its knee at 0.93 of the limit: 0.93"),
    ),
    ("mp17", "squat"),
    pytest.param(
        "pushfit",
        "push-up",
        marks=_xfail(
            "correct and faulty reps overlap near the limit (on the tuning part correct side "
            "views reach 0.70-0.98 of it: hips near 160 degrees, at rest too; the head, read "
            "at the shoulders and from the hips, at most 0.47), faults caught start at 1.18: 0.75"
        ),
    ),
]


@pytest.mark.realdata
@pytest.mark.parametrize(("data_set", "exercise"), STRICTER)
def test_correct_reps_still_pass_with_the_limit_a_quarter_lower(dev, data_set, exercise):
    """A coach that scolds good reps loses its user: the limit must sit in a flat region, so
    correct reps of the validation part still pass when it is 25 % stricter."""
    reps, _ = dev[data_set]
    mine = [r for r in reps if r.part == "validate" and r.exercise == exercise]
    stricter = rejudge(mine, JudgeSettings(limit=0.75 * JudgeSettings().limit))
    f = summarise(stricter)[exercise]
    assert f["correct_reps"], f
    assert f["correct_pass_rate"] >= CORRECT_PASS, f


FRAME_FAULTS = [
    ("bicep curl", "leaning back"),
    pytest.param(
        "lunge",
        "knee over toe",
        marks=_xfail(
            "one correct lunge of eight has its front shin 8 degrees from upright, the limit: "
            "correct pass 0.88"
        ),
    ),
    ("plank", "hips high or low"),
]


@pytest.mark.realdata
@pytest.mark.parametrize(("exercise", "fault"), FRAME_FAULTS)
def test_frame_level_faults_are_told_and_correct_runs_are_not(dev, exercise, fault):
    """Frame-level runs labelled correct must not show the fault, runs labelled with it must
    fail with its cue (framelevel/; the runs are stills or part-movements, judged whole)."""
    f = _figures(dev, "framelevel", exercise)
    assert f["correct_pass_rate"] >= CORRECT_PASS, (fault, f)
    assert f["balanced_accuracy"] >= BALANCED, (fault, f)
    assert f["right_cue_rate"] >= BALANCED, (fault, f)


@pytest.mark.realdata
def test_squats_of_the_stage_file_pass(dev):
    """squat_stage_test.csv: the data set's demonstration squats from the front, labelled by
    stage only; counted and judged as a stream, none is told its knees cave in."""
    reps, _ = dev["framelevel"]
    squats = [r for r in reps if r.exercise == "squat"]
    assert len(squats) >= 3  # of its five squats the counter finds three today
    assert sum(r.passed for r in squats) / len(squats) >= CORRECT_PASS, [r.cue for r in squats]


@pytest.mark.realdata
def test_correct_squats_are_never_told_to_stand_up(dev):
    """The user case: good squats told "Stand all the way up at the top". Every correct squat
    of the dev material (both parts), whatever the camera and however the clip was cut."""
    told = [
        (r.source, r.cue)
        for name in ("mp17", "clips")
        for r in dev[name][0]
        if r.exercise == "squat" and r.correct
    ]
    assert told
    assert not [t for t in told if "Stand all the way up" in t[1]], told


@pytest.mark.realdata
def test_every_labelled_form_file_is_judged(dev):
    """Every data set is read, and at least four recordings in five get a verdict (in the rest
    the counter found no rep: 14 of pushfit's 101 clips, most of them from the front)."""
    assert set(dev) == {"posetrainer", "mp17", "pushfit", "framelevel", "clips"}
    for name, (reps, unjudged) in dev.items():
        judged = {r.source for r in reps}
        assert judged, name
        assert len(unjudged) <= 0.2 * (len(judged) + len(unjudged)), (name, unjudged)
