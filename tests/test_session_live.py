"""A live session: nothing is counted before the person is in view and a countdown has run;
the coach's state tells a display what is happening; free training trains a given plan."""

from __future__ import annotations

import pytest

from formcoach.session import Coach, SessionConfig, set_control
from formcoach.session.commands import ScriptedCommands
from formcoach.session.state import CoachState, state_lines
from formcoach.store.records import WorkoutItem
from formcoach.voice.listener import ScriptedListener
from formcoach.voice.speaker import RecordingSpeaker
from session_fakes import FPS, FakeCounter, FakeJudge, get_exercise, source, store_with


def _live(n=400, absent=None):
    src = source(n, absent)
    src.live = True
    return src


def _coach(store, src, config, counter, commands=None):
    states: list[CoachState] = []
    speaker = RecordingSpeaker()
    coach = Coach(
        config,
        store,
        speaker,
        ScriptedListener(["yes"]),
        None,
        open_source=lambda: src,
        get_exercise=get_exercise,
        make_counter=lambda ex: counter,
        make_judge=lambda ex: FakeJudge([True, False]),
        on_state=states.append,
        commands=commands,
        echo=None,
    )
    return coach, speaker, states


def test_live_nothing_is_counted_before_the_person_is_in_view_and_the_countdown_ends():
    store = store_with([WorkoutItem("curl", sets=1, reps=3)])
    counter = FakeCounter()
    config = SessionConfig(profile="ana", day="monday")
    coach, speaker, states = _coach(store, _live(400, absent=(0, 30)), config, counter)
    result = coach.run()
    assert result.sets[0].count == 3
    said = speaker.said
    assert "Set one of one: three curls." in said  # live: "Go!" comes after the countdown
    assert said.index("Get in frame.") < said.index("Three, two, one. Go!")
    # frames 0..29 had nobody in them; the person came in at frame 30 and 3 s were counted
    # down: the counter saw nothing before frame 30 + 3 s * 30 fps
    assert min(counter.seen) >= 30 + 3 * FPS - 1
    phases = [s.phase for s in states]
    assert phases.index("get_in_frame") < phases.index("countdown") < phases.index("training")
    assert [s.countdown for s in states if s.phase == "countdown"][:3] == [3, 2, 1]
    counts = [s.count for s in states if s.phase == "training"]
    assert counts[-1] == 3 and sorted(counts) == counts
    assert states[-1].phase == "finished" and states[-1].session_id == result.session_id
    assert states[-1].last_rep is not None and states[-1].last_rep.passed is True


def test_a_video_is_counted_from_its_first_frame():
    store = store_with([WorkoutItem("curl", sets=1, reps=2)])
    counter = FakeCounter()
    config = SessionConfig(profile="ana", day="monday", rest_scale=0.0)
    coach, speaker, _ = _coach(store, source(200), config, counter)
    coach.run()
    assert min(counter.seen) == 0
    assert "Set one of one: two curls. Go!" in speaker.said
    assert "Get in frame." not in speaker.said


def test_free_training_trains_the_given_plan_not_the_days():
    store = store_with([WorkoutItem("curl", sets=3, reps=10)])
    plan = (WorkoutItem("curl", sets=1, reps=2),)
    config = SessionConfig(profile="ana", day="tuesday", plan=plan, rest_scale=0.0)
    coach, _, states = _coach(store, source(300), config, FakeCounter())
    result = coach.run()
    assert [(s.exercise, s.count, s.target_reps) for s in result.sets] == [("curl", 2, 2)]
    assert [s.set_number for s in states if s.set_number][-1] == 1


def test_the_state_reads_as_lines_for_a_window():
    state = CoachState(
        phase="training",
        exercise="Curl",
        set_number=2,
        sets=3,
        target_reps=10,
        count=4,
        said="Four.",
    )
    assert state_lines(state) == ["Curl: set 2/3, 4/10 reps", "Four."]
    assert state_lines(CoachState()) == []
    assert CoachState(phase="stopped").ended and not state.ended


def test_the_pose_buffer_keeps_seconds_not_frames_when_the_camera_is_slow():
    from formcoach.session.feed import PoseBuffer

    seq = source(200).seq
    buffer = PoseBuffer(seconds=2.0, fps=30.0)  # room for 90 frames at the nominal rate
    for k, pose in enumerate(seq[::3]):  # 10 frames a second
        buffer.add(pose, float(k))
    t_last = seq[::3][-1].timestamp
    assert len(buffer) <= 21
    assert buffer.recent(10.0).timestamps[0] >= t_last - 2.0 - 1e-6


def test_the_judge_gets_the_stream_before_a_rep_and_nothing_after_the_frame_that_emitted_it():
    """Live, a rep is judged as soon as the counter emits it: the judge is handed the frames
    before the rep (where the person rested, if the counter cut inside it) and those up to
    the emitting one, never later ones; the rep's frames are numbered into what it gets."""
    handed: list[tuple] = []

    class Recording(FakeJudge):
        def judge(self, seq, rep=None, view=None, near_side=None):
            handed.append((seq, rep))
            return super().judge(seq, rep, view, near_side)

    store = store_with([WorkoutItem("curl", sets=1, reps=3)])
    counter = FakeCounter()  # reps of 24 frames, emitted 3 frames after their end
    config = SessionConfig(profile="ana", day="monday", rest_scale=0.0)
    coach, _, _ = _coach(store, source(400), config, counter)
    coach.make_judge = lambda ex: Recording()
    coach.run()
    assert len(handed) == 3
    for seq, rep in handed:
        assert rep is not None and rep.start_frame >= 10  # a third of a second before it
        assert rep.end_frame - rep.start_frame == counter.length
        assert rep.emitted_frame == len(seq) - 1 == rep.end_frame + counter.lag
        assert seq.timestamps[rep.start_frame] == pytest.approx(rep.start_s)
        assert seq.timestamps[rep.end_frame] == pytest.approx(rep.end_s)


def test_live_pause_holds_the_countdown_until_yes():
    """A pause said during the countdown holds it; "yes" counts down afresh (it had gone on)."""
    store = store_with([WorkoutItem("curl", sets=1, reps=2)])
    counter = FakeCounter()
    commands = ScriptedCommands({30: "pause", 200: "yes"})
    config = SessionConfig(profile="ana", day="monday")
    coach, speaker, _ = _coach(store, _live(600), config, counter, commands)
    coach.run()
    assert "Paused. Say yes when you're ready to go on." in speaker.said
    assert "Let's go on." in speaker.said
    # the countdown of 3 s (90 frames) began again at frame 200, not at frame 0
    assert min(counter.seen) >= 200 + 3 * FPS - 1


def test_live_pause_during_a_rest_holds_the_rest_until_yes(monkeypatch):
    """A rest ends at its time unless paused: then it waits for "yes" (it had run out)."""
    clock = iter(i / FPS for i in range(10**6))  # the wall clock advances a frame per look
    monkeypatch.setattr(set_control.time, "monotonic", lambda: next(clock))
    store = store_with([WorkoutItem("curl", sets=2, reps=2, rest_s=4)])
    counter = FakeCounter()
    commands = ScriptedCommands({140: "pause", 500: "yes"})  # set one ends at frame 127
    config = SessionConfig(profile="ana", day="monday", rest_scale=1.0)
    coach, speaker, _ = _coach(store, _live(900), config, counter, commands)
    result = coach.run()
    assert len(result.sets) == 2 and "Paused. Say yes when you're ready to go on." in speaker.said
    second = [i for i in counter.seen if i > 300]
    # resumed at frame 500, then the next set's 3 s countdown (90 frames) before counting
    assert second and min(second) >= 500 + 3 * FPS - 1
