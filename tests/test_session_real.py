"""The coached session with its real parts: RepCounter, FormJudge, the built-in exercises and
the SQLite store. Only the devices are stand-ins: the camera replays poses (of a synthetic
person, or MediaPipe's poses of a real clip), the speaker records, the answers are scripted.

``test_session.py`` keeps the fakes where a test is about dialogue timing.
"""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest

from formcoach.core.pose import PoseSequence
from formcoach.counting import RepCounter
from formcoach.form.exercises import get_exercise
from formcoach.form.judge import FormJudge
from formcoach.pose.cache import cached_poses
from formcoach.pose.sources import SequencePoseSource
from formcoach.session import Coach, SessionConfig, TrainingSettings
from formcoach.session.results import SessionResult
from formcoach.store import Store
from formcoach.store.records import WorkoutItem
from formcoach.testing.movements import curl_set, plank_hold, squat_set
from formcoach.testing.person import Camera
from formcoach.voice.listener import ScriptedListener
from formcoach.voice.speaker import RecordingSpeaker
from test_words import disagreements

PORTRAIT_PROFILE = Camera(yaw_deg=90.0, frame_size=(1080, 1920), fill=0.8)


def coach_on(poses: PoseSequence, plan: list[WorkoutItem]) -> tuple[SessionResult, Store]:
    """Run a whole session with the real counter, judge and exercises on ``poses``."""
    store = Store(":memory:", validate_exercise=get_exercise)
    store.add_profile("ana", plan={"monday": plan})
    coach = Coach(
        SessionConfig(profile="ana", day="monday", rest_scale=0.0),
        store,
        RecordingSpeaker(echo=None),
        ScriptedListener(["yes"]),
        None,
        open_source=lambda: SequencePoseSource(poses, "replayed poses"),
        get_exercise=get_exercise,
        make_counter=lambda ex: RepCounter(exercise=ex),
        make_judge=lambda ex: FormJudge(ex),
        echo=None,
    )
    return coach.run(), store


def rep_lines(result: SessionResult) -> list[str]:
    return [r.said for s in result.sets for r in s.reps]


def assert_consistent(result: SessionResult, store: Store) -> None:
    """What must hold for any session, whatever was trained and however well."""
    stored = [r for r in store.reps_of("ana") if r["number"] is not None]
    assert len(stored) == sum(s.count for s in result.sets)
    for s in result.sets:
        if s.target_reps is None:
            continue  # a hold: judged stretches, corrected now and then
        assert s.count <= s.target_reps
        for number, r in enumerate(s.reps, 1):
            # every rep is counted aloud at once, and a failed one corrected in that line
            assert r.said.lower().startswith(f"{_WORDS[number]}."), r.said
            if r.verdict is not None and not r.verdict.passed:
                assert r.verdict.cue in r.said
    for line in result.said:
        assert disagreements(line) == [], line


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def test_good_curls_are_counted_and_never_corrected():
    take = curl_set(7, seed=0)  # two sets of three, and one more rep than planned
    result, store = coach_on(take.poses, [WorkoutItem("bicep_curl", sets=2, reps=3, rest_s=60)])
    assert_consistent(result, store)
    assert [s.count for s in result.sets] == [3, 3]
    assert all(s.ended_by == "target" for s in result.sets)
    assert all(r.verdict is not None and r.verdict.passed for s in result.sets for r in s.reps)
    assert "Rest for one minute" not in result.said  # said in seconds
    assert "Rest for sixty seconds." in result.said
    assert result.said[-1].startswith("Workout done, Ana: two sets, six reps.")
    assert "pay attention" not in result.said[-1]
    assert store.sessions("ana")[0].status == "finished"


def test_a_swinging_curl_is_corrected_right_after_each_rep():
    take = curl_set(3, fault="swing", size=25.0, seed=1)
    result, store = coach_on(take.poses, [WorkoutItem("bicep_curl", sets=1, reps=3)])
    assert_consistent(result, store)
    assert result.sets[0].count == 3
    lines = rep_lines(result)
    assert all("swing" in line for line in lines), lines
    assert "Next time, pay attention to your back" in result.said[-1]
    rows = store.reps_of("ana")
    assert [r["passed"] for r in rows] == [False, False, False]
    assert all("swing" in r["cue"] for r in rows)


def test_one_set_of_one_rep_is_summed_up_in_the_singular():
    take = curl_set(1, seed=2)
    result, store = coach_on(take.poses, [WorkoutItem("bicep_curl", sets=1, reps=1)])
    assert_consistent(result, store)
    assert "Set one of one: one bicep curl. Go!" in result.said
    assert any(line.startswith("Set done: one rep.") for line in result.said)
    assert result.said[-1].startswith("Workout done, Ana: one set, one rep.")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_full_slow_squats_in_profile_are_not_told_to_stand_up(seed):
    """The user's session: good, full, slow squats filmed in profile on an upright phone
    were counted, then told after every rep to "Stand all the way up at the top"."""
    take = squat_set(3, camera=PORTRAIT_PROFILE, seed=seed)
    result, store = coach_on(take.poses, [WorkoutItem("squat", sets=1, reps=3)])
    assert_consistent(result, store)
    assert result.sets[0].count == 3
    lines = rep_lines(result)
    assert not any(re.search(r"stand all the way up|finish tall", x, re.I) for x in lines), lines
    assert all(r.verdict.passed for r in result.sets[0].reps), lines
    assert result.sets[0].score >= 65  # "Good form" or better, never "needs some work"


def test_squats_that_never_stand_up_are_told_to():
    take = squat_set(3, fault="not_standing", size=38.0, camera=PORTRAIT_PROFILE, seed=4)
    result, store = coach_on(take.poses, [WorkoutItem("squat", sets=1, reps=3)])
    assert_consistent(result, store)
    failed = [r for r in result.sets[0].reps if not r.verdict.passed]
    assert failed and all(re.search(r"stand|tall", r.said, re.I) for r in failed)


def test_a_plank_is_timed_and_a_straight_one_is_not_corrected():
    take = plank_hold(10.0, seed=0)
    result, store = coach_on(take.poses, [WorkoutItem("plank", sets=1, hold_s=6)])
    assert_consistent(result, store)
    hold = result.sets[0]
    assert hold.ended_by == "target" and hold.hold_s >= 6
    assert "Time! Well held." in result.said
    assert not [r.said for r in hold.reps if r.said], "a straight plank was corrected"


def test_a_sagging_plank_is_timed_and_corrected():
    take = plank_hold(10.0, fault="sag", size=28.0, seed=0)
    result, store = coach_on(take.poses, [WorkoutItem("plank", sets=1, hold_s=6)])
    assert_consistent(result, store)
    hold = result.sets[0]
    assert hold.ended_by == "target" and hold.hold_s >= 6
    assert any("hips" in r.said for r in hold.reps)


def _away(seq: PoseSequence, at_s: float, gap_s: float) -> PoseSequence:
    """``seq`` with the person gone from view for ``gap_s`` seconds at ``at_s``."""
    k, n = round(at_s * seq.fps), round(gap_s * seq.fps)
    xy = np.concatenate([seq.xy[:k], np.full((n, *seq.xy.shape[1:]), np.nan), seq.xy[k:]])
    vis = np.concatenate([seq.visibility[:k], np.zeros((n, seq.xy.shape[1])), seq.visibility[k:]])
    ts = np.arange(len(xy)) / seq.fps
    return PoseSequence(xy, vis, ts, seq.skeleton, seq.frame_size, seq.fps)


# Moved here from test_session.py, where a fake counter and judge stood in.


def test_a_person_who_leaves_pauses_the_set_and_is_welcomed_back():
    take = curl_set(5, seed=5)
    poses = _away(take.poses, take.rep_times[2][1] + 0.1, 4.0)  # gone after the third curl
    result, store = coach_on(poses, [WorkoutItem("bicep_curl", sets=1, reps=5)])
    assert_consistent(result, store)
    said = list(result.said)

    def first(prefix: str) -> int:
        return next(i for i, line in enumerate(said) if line.startswith(prefix))

    gone = first("I can't see you. I'll wait until you're back.")
    back = first("Welcome back. Let's continue.")
    assert first("Three.") < gone < back < first("Four.")
    assert result.sets[0].count == 5 and result.sets[0].ended_by == "target"


def test_the_video_ending_mid_set_keeps_what_was_done():
    take = curl_set(3, seed=6)
    result, store = coach_on(take.poses, [WorkoutItem("bicep_curl", sets=3, reps=10)])
    assert_consistent(result, store)
    assert len(result.sets) == 1 and result.sets[0].ended_by == "end"
    assert result.sets[0].count == 3 and len(store.reps_of("ana")) == 3
    assert result.status == "stopped"


def test_a_set_without_reps_moves_on():
    standing = curl_set(1, seed=7, fault="half_rep", size=0.0)
    still = standing.poses.replace(xy=np.repeat(standing.poses.xy[:1], len(standing.poses), 0))
    settings = TrainingSettings(start_timeout_s=2.0)
    store = Store(":memory:", validate_exercise=get_exercise)
    store.add_profile("ana", plan={"monday": [WorkoutItem("bicep_curl", sets=1, reps=3)]})
    config = SessionConfig(profile="ana", day="monday", rest_scale=0.0, training=settings)
    coach = Coach(
        config,
        store,
        RecordingSpeaker(echo=None),
        ScriptedListener(["yes"]),
        None,
        open_source=lambda: SequencePoseSource(still, "someone standing"),
        get_exercise=get_exercise,
        make_counter=lambda ex: RepCounter(exercise=ex),
        make_judge=lambda ex: FormJudge(ex),
        echo=None,
    )
    result = coach.run()
    assert result.sets[0].count == 0 and result.sets[0].ended_by == "idle"
    assert "I didn't see any reps, so let's move on." in result.said


# --- real clips: MediaPipe's poses of ../shared/data/videos replayed as the camera ---------


def _clips(shared_data, label: str) -> list[dict[str, str]]:
    with (shared_data / "videos" / "ground_truth.csv").open() as f:
        return [r for r in csv.DictReader(f) if r["form_label"] == label]


@pytest.mark.realdata
@pytest.mark.slow
def test_a_session_on_every_real_clip_labelled_correct_holds_together(shared_data):
    """Every clip whose source calls its form correct, coached as one set of its reps: the
    session counts, speaks and stores consistently (the verdicts themselves are the
    regression set's business, in test_regressions.py)."""
    clips = _clips(shared_data, "correct")
    assert len(clips) >= 4
    for row in clips:
        exercise = _exercise_of(row["file"])
        poses = cached_poses(shared_data / "videos" / row["file"])
        reps = int(row["gt_count"])
        result, store = coach_on(poses, [WorkoutItem(exercise, sets=1, reps=reps)])
        assert_consistent(result, store)
        assert result.status == "finished", row["file"]
        assert result.sets[0].count >= 1, row["file"]
        assert result.cue_latencies(), row["file"]


def _exercise_of(file: str) -> str:
    for word, exercise in (("squat", "squat"), ("pushup", "push_up"), ("push-up", "push_up")):
        if word in file:
            return exercise
    if "curl" in file:
        return "bicep_curl"
    raise AssertionError(f"no exercise known for {file}")
