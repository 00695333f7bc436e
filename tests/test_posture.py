"""The posture check: a rep done lying, standing or hanging where the exercise named is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.form.exercises import get_exercise
from formcoach.form.judge import FormJudge
from formcoach.form.posture import NEAR_DEG, CheckedJudge, NotInPosture, read_posture
from formcoach.testing.figure import keyframes, stick_figure

_T = np.arange(0.0, 3.5, 1 / 30)
_K = [0.0, 0.5, 1.6, 1.9, 3.0]


def _whole(seq: PoseSequence) -> Rep:
    return Rep(0, len(seq) - 1, 0.0, float(seq.timestamps[-1]), 1)


def _squat(shoulder: float = 0.0) -> PoseSequence:
    """A drawn squat from the side, both arms raised ``shoulder`` degrees forward."""
    bend = {"left_knee": (175, 85), "right_knee": (175, 85), "left_hip": (2, 65)}
    bend |= {"right_hip": (2, 65), "trunk_lean": (2, 40)}
    angles = {n: keyframes(_K, [a, a, b, b, a], _T) for n, (a, b) in bend.items()}
    angles |= {"left_shoulder": shoulder, "right_shoulder": shoulder}
    return stick_figure(angles, view="side", anchor="ankle", noise_px=0.8)


def _lying_push_up() -> PoseSequence:
    """A drawn push-up seen from the side: a straight body, arms to the floor, elbows bending
    (a figure standing with its arms forward, turned 90 degrees about its hips)."""
    elbow = keyframes(_K, [175, 175, 80, 80, 175], _T)
    shoulder = keyframes(_K, [90, 90, 40, 40, 90], _T)
    upright = stick_figure(
        {
            "left_shoulder": shoulder,
            "right_shoulder": shoulder,
            "left_elbow": elbow,
            "right_elbow": elbow,
        },
        view="side",
        noise_px=0.8,
    )
    hip = np.array([320.0, 260.0])
    d = upright.xy - hip
    xy = hip + np.stack([-d[..., 1], d[..., 0]], axis=-1)  # head forward, arms down
    return PoseSequence(
        xy,
        upright.visibility,
        upright.timestamps,
        upright.skeleton,
        upright.frame_size,
        upright.fps,
    )


def test_a_drawn_lying_push_up_named_a_squat_is_refused_and_is_a_push_up():
    seq = _lying_push_up()
    seen = read_posture(get_exercise("squat"), seq, _whole(seq))
    assert seen.trunk_deg > 90 - NEAR_DEG and not seen.fits and "lying" in seen.seen
    assert read_posture(get_exercise("push-up"), seq, _whole(seq)).fits
    with pytest.raises(NotInPosture) as e:
        CheckedJudge(FormJudge("squat")).judge(seq, _whole(seq))
    assert "did not look like a squat: your body was lying" in e.value.said


def test_a_drawn_squat_with_arms_raised_forward_is_still_judged_as_a_squat():
    seq = _squat(shoulder=90.0)
    seen = read_posture(get_exercise("squat"), seq, _whole(seq))
    assert seen.fits and seen.trunk_deg < NEAR_DEG
    assert CheckedJudge(FormJudge("squat")).judge(seq, None).exercise == "squat"
    # named a push-up, the same upright body is refused
    assert not read_posture(get_exercise("push-up"), seq, _whole(seq)).fits


def test_poses_normalised_per_axis_read_no_trunk_and_refuse_nothing_for_it():
    seq = _lying_push_up()
    lo = np.nanmin(seq.xy, axis=1, keepdims=True)
    hi = np.nanmax(seq.xy, axis=1, keepdims=True)
    flat = PoseSequence(
        (seq.xy - lo) / (hi - lo), seq.visibility, seq.timestamps, seq.skeleton, None, seq.fps
    )  # RepCount-A: no unit, no frame size
    seen = read_posture(get_exercise("squat"), flat, _whole(flat))
    assert np.isnan(seen.trunk_deg) and seen.fits


# ---------------------------------------------------------------- real material (tune parts)
@pytest.mark.realdata
def test_the_pull_up_clip_named_squats_is_refused_once(shared_data):
    from formcoach.analysis import analyze_sequence, load_poses

    clip = shared_data / "videos/workouttracker__pull-ups__pull-up_10.mp4"
    a = analyze_sequence(load_poses(str(clip)), get_exercise("squats"), str(clip))
    assert a.results and not a.judged  # counted, but nothing judged
    s = a.summary()
    assert s["mean_score"] is None and s["not_exercise"] == len(a.results)
    notes = a.notes()
    assert sum("did not look like a squat" in n for n in notes) == 1
    assert "your hands stayed above your head" in notes[0]


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("folder", "file", "name"),
    [
        ("form/mp17", "squat/correct/squat_correct_003.npy", "squat"),
        ("form/mp17", "pushup/correct/pushup_correct_001.npy", "push-up"),
        ("form/posetrainer", "bicep/bicep_good_2.npy", "bicep curl"),
    ],
)
def test_a_tuning_rep_of_the_exercise_named_is_still_judged(shared_data, folder, file, name):
    from formcoach.analysis import analyze_sequence
    from formcoach.eval.form import DEV_SETS
    from formcoach.eval.form_data import read_labels

    size = DEV_SETS[Path(folder).name][1]
    lf = next(f for f in read_labels(shared_data / folder, size) if f.file == file)
    assert lf.part == "tune" and lf.correct
    a = analyze_sequence(lf.seq, get_exercise(name), file)
    assert a.judged and not any(r.not_exercise for r in a.results)


def test_a_session_says_once_that_the_reps_are_not_in_posture_and_judges_none():
    from formcoach.store.records import WorkoutItem
    from session_fakes import FakeJudge, store_with
    from test_session import make_coach

    class Refusing(FakeJudge):
        def judge(self, seq, rep=None, view=None, near_side=None):
            self.calls += 1
            raise NotInPosture("That did not look like a curl: your hands stayed above your head.")

    store = store_with([WorkoutItem("curl", sets=1, reps=3)])
    coach, speaker, judge = make_coach(store, judge=Refusing())
    result = coach.run()
    said = [line for line in speaker.said if "did not look like a curl" in line]
    assert said == ["One. That did not look like a curl: your hands stayed above your head."]
    assert judge.calls == 3 and all(r.verdict is None for r in result.sets[0].reps)
