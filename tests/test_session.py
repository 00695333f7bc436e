"""The coached session's dialogue and timing, with stand-ins for the counter and judge (whose
exact order of verdicts these tests set) and the real store and dialogue code. The session
with its real counter, judge and exercises is tested in test_session_real.py."""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.core.errors import FormcoachError
from formcoach.faces import FixedFaces, face_at
from formcoach.session import Coach, SessionConfig
from formcoach.session.commands import ScriptedCommands
from formcoach.store.records import WorkoutItem
from formcoach.voice.listener import Heard, ScriptedListener
from formcoach.voice.speaker import RecordingSpeaker
from session_fakes import (
    FakeCounter,
    FakeExercise,
    FakeJudge,
    get_exercise,
    source,
    store_with,
)

CURLS = [WorkoutItem("curl", sets=2, reps=3, rest_s=30)]


def make_coach(
    store,
    answers=("yes",),
    judge=None,
    counter=None,
    src=None,
    config=None,
    faces=None,
    keyboard=None,
    commands=None,
    tmp_path=None,
):
    speaker = RecordingSpeaker()
    judge = judge or FakeJudge()
    coach = Coach(
        config or SessionConfig(profile="ana", day="monday", rest_scale=0.0),
        store,
        speaker,
        ScriptedListener(list(answers)),
        keyboard,
        open_source=lambda: src or source(),
        get_exercise=get_exercise,
        make_counter=lambda ex: counter or FakeCounter(),
        make_judge=lambda ex: judge,
        faces=faces,
        commands=commands,
        echo=None,
    )
    return coach, speaker, judge


def test_a_whole_session_counts_judges_speaks_and_stores():
    store = store_with(CURLS)
    coach, speaker, judge = make_coach(store, judge=FakeJudge([True, False, True, True, True]))
    result = coach.run()
    assert result.status == "finished" and result.profile == "ana"
    assert [s.count for s in result.sets] == [3, 3]
    assert all(s.ended_by == "target" for s in result.sets)
    said = speaker.said
    assert said[0].startswith("Hello Ana")
    assert "Are you ready to train?" in said
    assert any(line.startswith("Set one of two: three curls") for line in said)
    assert any(line.startswith("Rest for thirty seconds") for line in said)
    # the failed rep (the second) is followed at once by its correction...
    assert "Two. Keep your elbow by your side." in said
    # ...the next good one by encouragement, and good reps are not all praised
    assert "Three. That's better!" in said
    assert "One." in said
    assert said[-1].startswith("Workout done, Ana: two sets, six reps")
    assert "your left arm" in said[-1]
    # every rep was judged on its own frames and stored with its verdict
    assert judge.calls == 6 and set(judge.lengths) == {25}
    rows = store.reps_of("ana")
    assert len(rows) == 6
    assert [r["passed"] for r in rows[:3]] == [True, False, True]
    assert rows[1]["worst_part"] == "left_arm" and "elbow" in rows[1]["cue"]
    assert store.sessions("ana")[0].status == "finished"


def test_cue_latency_counts_the_counters_delay():
    store = store_with([WorkoutItem("curl", sets=1, reps=2)])
    coach, _, _ = make_coach(store, counter=FakeCounter(lag=6))
    result = coach.run()
    lat = result.cue_latencies()
    assert len(lat) == 2
    # 6 frames at 30 fps is 0.2 s; judging with the fakes adds very little
    assert all(0.2 <= x < 0.5 for x in lat)


def test_not_ready_ends_politely_and_stores_no_session():
    store = store_with(CURLS)
    coach, speaker, _ = make_coach(store, answers=("no",))
    result = coach.run()
    assert result.status == "declined" and not result.sets
    assert speaker.said[-1] == "No problem. See you next time!"
    assert store.sessions("ana") == []


def test_unclear_answers_are_asked_again_then_typed():
    store = store_with([WorkoutItem("curl", sets=1, reps=1)])
    keyboard = ScriptedListener([Heard.from_text("yes", "keyboard")])
    coach, speaker, _ = make_coach(
        store, answers=("unknown", "unknown", "unknown"), keyboard=keyboard
    )
    result = coach.run()
    assert result.status == "finished"
    asked = [line for line in speaker.said if "ready" in line or "please say yes or no" in line]
    assert len(asked) == 3  # asked, then asked again twice (heard, not understood)
    assert result.heard[0][1:] == ("yes", "typed")  # labelled by how it came


def test_commands_pause_resume_how_many_and_skip():
    store = store_with([WorkoutItem("curl", sets=2, reps=5)])
    commands = ScriptedCommands({75: "how_many", 80: "pause", 150: "yes", 200: "skip"})
    counter = FakeCounter()
    coach, speaker, _ = make_coach(store, counter=counter, commands=commands)
    result = coach.run()
    assert "Two so far." in speaker.said
    assert "Paused. Say yes when you're ready to go on." in speaker.said
    assert "Let's go on." in speaker.said
    # frames 81..150 were not counted while paused
    assert not any(81 <= i < 150 for i in counter.seen)
    assert result.sets[-1].ended_by == "skip" and len(result.sets) == 1


def test_stop_ends_the_session_keeping_finished_reps():
    store = store_with(CURLS)
    coach, speaker, _ = make_coach(store, commands=ScriptedCommands({75: "stop"}))
    result = coach.run()
    assert result.status == "stopped" and result.sets[0].ended_by == "stop"
    assert "Stopping here." in speaker.said
    assert speaker.said[-1].startswith("We stopped early, Ana: one set, two reps.")
    assert len(store.reps_of("ana")) == 2
    assert store.sessions("ana")[0].status == "finished"


def test_a_hold_is_timed_and_corrected():
    store = store_with([WorkoutItem("plank", sets=1, hold_s=4)])
    judge = FakeJudge([True, False, True, True])
    coach, speaker, _ = make_coach(store, judge=judge)
    result = coach.run()
    s = result.sets[0]
    assert s.ended_by == "target" and s.hold_s >= 4
    assert "Time! Well held." in speaker.said
    assert "Keep your elbow by your side." in speaker.said


def test_an_unknown_exercise_in_the_plan_is_a_clear_error():
    store = store_with(CURLS)
    store.validate_exercise = None
    store.set_workout("ana", "monday", [WorkoutItem("handstand", sets=1, reps=3)])
    store.validate_exercise = get_exercise
    coach, _, _ = make_coach(store)
    with pytest.raises(FormcoachError, match="handstand"):
        coach.run()


def test_a_rest_day():
    store = store_with(CURLS)
    config = SessionConfig(profile="ana", day="tuesday", rest_scale=0.0)
    coach, speaker, _ = make_coach(store, config=config)
    assert coach.run().status == "finished"
    assert "rest day" in speaker.said[-1]


def test_face_from_a_photo_opens_the_profile(tmp_path):
    import cv2

    store = store_with(CURLS)
    store.add_face("ana", np.full(128, 0.1))
    photo = tmp_path / "me.jpg"
    cv2.imwrite(str(photo), np.zeros((20, 20, 3), np.uint8))
    faces = FixedFaces([face_at(np.full(128, 0.1) + 0.01)])
    config = SessionConfig(face_photo=photo, day="monday", rest_scale=0.0)
    coach, speaker, _ = make_coach(store, faces=faces, config=config)
    assert coach.run().profile == "ana"
    assert speaker.said[0].startswith("Hello Ana")


def test_a_stranger_is_offered_enrolment_and_types_a_name():
    store = store_with(CURLS)
    store.add_face("ana", np.full(128, 0.1))
    stranger = face_at(np.full(128, -0.1))
    keyboard = ScriptedListener([Heard("unknown", "Bo", 1.0)])
    config = SessionConfig(day="monday", rest_scale=0.0, identify_timeout_s=5)
    coach, speaker, _ = make_coach(
        store,
        answers=("yes", "yes"),
        faces=FixedFaces(lambda image: [stranger]),
        keyboard=keyboard,
        config=config,
        src=_video_like(400),
    )
    result = coach.run()
    assert result.profile == "Bo"
    assert any("I don't know you yet" in line for line in speaker.said)
    assert "Nice to meet you, Bo." in speaker.said
    assert store.find_profile("Bo") is not None and store.face_encodings("Bo")


def test_a_stranger_who_declines_is_not_stored():
    store = store_with(CURLS)
    store.add_face("ana", np.full(128, 0.1))
    config = SessionConfig(day="monday", rest_scale=0.0, identify_timeout_s=5)
    coach, _, _ = make_coach(
        store,
        answers=("no",),
        faces=FixedFaces([face_at(np.full(128, -0.1))]),
        config=config,
        src=_video_like(200),
    )
    assert coach.run().status == "declined"
    assert [p.name for p in store.profiles()] == ["ana"]


def test_nobody_in_view_is_a_clear_error():
    store = store_with(CURLS)
    config = SessionConfig(day="monday", identify_timeout_s=5)
    coach, speaker, _ = make_coach(
        store, faces=FixedFaces(), config=config, src=_video_like(200, absent=(0, 200))
    )
    with pytest.raises(FormcoachError, match="no face was seen"):
        coach.run()
    assert "Please step in front of the camera." in speaker.said


def _video_like(n, absent=None):
    """A pose source that also yields images, as a camera does."""
    from formcoach.pose.sources import SequencePoseSource, TrackedFrame

    class WithImages(SequencePoseSource):
        def __iter__(self):
            for tf in super().__iter__():
                yield TrackedFrame(tf.pose, np.zeros((48, 64, 3), np.uint8))

    from session_fakes import poses

    return WithImages(poses(n, absent), "camera-like")


def test_with_two_people_in_view_the_nearest_face_decides(tmp_path):
    import cv2

    store = store_with(CURLS)
    store.add_face("ana", np.full(128, 0.1))
    photo = tmp_path / "two.jpg"
    cv2.imwrite(str(photo), np.zeros((20, 20, 3), np.uint8))
    near_ana = face_at(np.full(128, 0.1), size=120)
    far_stranger = face_at(np.full(128, -0.1), size=60, x=200)
    config = SessionConfig(face_photo=photo, day="monday", rest_scale=0.0)
    coach, _, _ = make_coach(store, faces=FixedFaces([far_stranger, near_ana]), config=config)
    assert coach.run().profile == "ana"


def test_an_unreadable_source_fails_before_any_greeting():
    store = store_with(CURLS)

    def broken():
        raise FormcoachError("cannot open camera 7", "check the camera")

    speaker = RecordingSpeaker()
    coach = Coach(
        SessionConfig(profile="ana", day="monday"),
        store,
        speaker,
        ScriptedListener(["yes"]),
        None,
        open_source=broken,
        get_exercise=get_exercise,
        make_counter=lambda ex: FakeCounter(),
        make_judge=lambda ex: FakeJudge(),
        echo=None,
    )
    with pytest.raises(FormcoachError, match="camera 7"):
        coach.run()
    assert speaker.said == []


def test_spoken_commands_are_heard_on_a_background_thread():
    import time

    from formcoach.session.commands import ListenerCommands

    heard = ListenerCommands(ScriptedListener(["pause", "unknown", "how_many"]), timeout=0.01)
    got = []
    deadline = time.monotonic() + 2
    while len(got) < 2 and time.monotonic() < deadline:
        cmd = heard.poll(0)
        if cmd:
            got.append(cmd)
        time.sleep(0.005)
    heard.close()
    assert got == ["pause", "how_many"]  # an unclear answer is not a command


def test_the_window_shows_the_skeleton_and_the_last_line(monkeypatch):
    import cv2

    from formcoach.pose.pipeline import Step
    from formcoach.session.display import LiveWindow
    from formcoach.testing.figure import stick_figure

    shown = []
    monkeypatch.setattr(cv2, "imshow", lambda title, image: shown.append(image))
    monkeypatch.setattr(cv2, "waitKey", lambda ms: ord("q") if len(shown) > 1 else -1)
    monkeypatch.setattr(cv2, "destroyWindow", lambda title: None)
    window = LiveWindow()
    window.status_source = lambda: ["Two. Keep your elbow by your side."]
    pose = stick_figure({}, n_frames=1)[0]
    blank = np.zeros((480, 640, 3), np.uint8)
    window(Step(pose, pose, blank))
    assert shown and shown[0].any() and not blank.any()  # drawn on a copy
    corner = shown[0][:60, :300]
    assert corner.any()  # the status line
    window(Step(pose, pose, blank))
    assert not window.open  # q closes the window; training goes on
    window(Step(pose, pose, blank))
    assert len(shown) == 2


class _StopAt(FakeCounter):
    """Ctrl-C (KeyboardInterrupt) just before the counter's rep ``at``."""

    def __init__(self, at: int):
        super().__init__()
        self.at = at

    def update(self, pose):
        reps = super().update(pose)
        if reps and reps[-1].number >= self.at:
            raise KeyboardInterrupt
        return reps


def test_after_ctrl_c_the_next_session_resumes_a_plan_that_names_the_exercise_by_alias():
    """The plan says ``bicep_curl`` (as the default plan and ``workout set`` write it), the
    sets are stored under the exercise's name ``bicep curl``: resuming must match them."""
    curl = FakeExercise("bicep curl", "Bicep curl")

    def lookup(name):
        return curl if name in ("bicep_curl", "bicep curl") else get_exercise(name)

    store = store_with([WorkoutItem("bicep_curl", sets=2, reps=3, rest_s=0)])

    def coach(counter):
        speaker = RecordingSpeaker()
        c = Coach(
            SessionConfig(profile="ana", day="monday", rest_scale=0.0),
            store,
            speaker,
            ScriptedListener(["yes"]),
            None,
            open_source=source,
            get_exercise=lookup,
            make_counter=lambda ex: counter,
            make_judge=lambda ex: FakeJudge(),
            echo=None,
        )
        return c, speaker

    first, _ = coach(_StopAt(5))  # set 1 done (3 reps), set 2 cut after its first rep
    with pytest.raises(KeyboardInterrupt):
        first.run()
    second, speaker = coach(FakeCounter())
    result = second.run()
    assert "Welcome back! Let's continue where we stopped: set two of two of bicep curls." in (
        speaker.said
    )
    assert [(s.number, s.target_reps) for s in result.sets] == [(2, 2)]  # only what is owed
    assert [s.status for s in store.sessions("ana")] == ["interrupted", "finished"]
