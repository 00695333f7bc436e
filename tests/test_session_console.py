"""What a coached session prints and reports about whom it saw and what it heard (round 20's
week20 ran ``formcoach session`` as a user and read these lines)."""

from __future__ import annotations

import numpy as np

from formcoach.faces import FixedFaces, face_at
from formcoach.render.session_report import render_report
from formcoach.session import Coach, SessionConfig
from formcoach.session.console import heard_line
from formcoach.store.records import WorkoutItem
from formcoach.voice.heard import how_it_came
from formcoach.voice.listener import Heard, ScriptedListener, ScriptListener, TextListener
from formcoach.voice.speaker import RecordingSpeaker
from session_fakes import FakeCounter, FakeJudge, get_exercise, source, store_with

CURLS = [WorkoutItem("curl", sets=1, reps=2, rest_s=30)]


class LoggingSpeaker(RecordingSpeaker):
    """Logs each line and each wait into a shared list of events."""

    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def say(self, text: str, interrupt: bool = False) -> None:
        super().say(text, interrupt)
        self.events.append(f"say: {text}")

    def wait(self, timeout: float | None = None) -> bool:
        self.events.append("wait")
        return True


class LoggingKeyboard(ScriptedListener):
    def __init__(self, answers, events: list[str]) -> None:
        super().__init__(answers)
        self.events = events

    def listen(self, timeout: float | None = None) -> Heard:
        self.events.append("keyboard")
        return super().listen(timeout)


def run_coach(store, listener, keyboard=None, config=None, faces=None, events=None):
    """Run a session with the fakes; returns ``(result, echoed lines)``."""
    echoed: list[str] = []
    coach = Coach(
        config or SessionConfig(profile="ana", day="monday", rest_scale=0.0),
        store,
        LoggingSpeaker(events if events is not None else []),
        listener,
        keyboard,
        open_source=source,
        get_exercise=get_exercise,
        make_counter=lambda ex: FakeCounter(),
        make_judge=lambda ex: FakeJudge(),
        faces=faces,
        echo=echoed.append,
    )
    return coach.run(), echoed


def _stranger_session(tmp_path, events):
    import cv2

    store = store_with(CURLS)  # nobody has a face yet
    photo = tmp_path / "me.jpg"
    cv2.imwrite(str(photo), np.zeros((20, 20, 3), np.uint8))
    config = SessionConfig(face_photo=photo, day="monday", rest_scale=0.0)
    keyboard = LoggingKeyboard([Heard.from_text("Bo", "keyboard")], events)
    return run_coach(
        store,
        ScriptListener(["yes", "no"]),
        keyboard,
        config,
        FixedFaces([face_at(np.full(128, 0.1))]),
        events,
    )


def test_a_stranger_with_nobody_enrolled_is_not_at_an_infinite_distance(tmp_path):
    """It printed 'formcoach saw: an unknown face (face distance inf)'."""
    result, echoed = _stranger_session(tmp_path, [])
    saw = [line for line in echoed if line.startswith("formcoach saw:")]
    assert saw == ["formcoach saw: an unknown face (nobody enrolled yet)"]
    assert result.profile == "Bo"


def test_the_name_line_is_said_before_the_keyboard_prompt(tmp_path):
    """The '> ' prompt came before 'Please type your name.' was printed (not waited for)."""
    events: list[str] = []
    _stranger_session(tmp_path, events)
    asked = events.index("say: Please type your name.")
    assert events[asked + 1 : asked + 3] == ["wait", "keyboard"]


def test_scripted_answers_that_run_out_are_said_to_run_out():
    """It printed 'heard: "" -> unknown (script)' before asking on the keyboard."""
    keyboard = ScriptedListener([Heard.from_text("yes", "keyboard")])
    result, echoed = run_coach(store_with(CURLS), ScriptListener([]), keyboard)
    assert result.status == "finished"
    assert not any('heard: ""' in line for line in echoed)
    ran_out = echoed.index(
        "formcoach: the scripted answers (--answers) ran out; asking on the keyboard instead"
    )
    assert echoed[ran_out + 1] == 'formcoach heard: "yes" -> yes (typed)'


def test_the_report_labels_answers_by_how_they_came():
    """A typed '--answers yes' was labelled '(voice)' in the report."""
    store = store_with(CURLS)
    result, _ = run_coach(store, ScriptListener(["yes"]))
    assert result.heard[0][1:] == ("yes", "scripted words")
    html = render_report(result, store)
    assert "<b>yes</b> (scripted words)" in html and "(voice)" not in html
    keyboard = ScriptedListener([Heard.from_text("yes", "keyboard")])
    result, _ = run_coach(store_with(CURLS), ScriptListener([]), keyboard)
    assert result.heard[0][1:] == ("yes", "typed")


def test_every_source_has_words():
    assert [how_it_came(s) for s in ("speech", "keyboard", "script", "file:yes_1.wav")] == [
        "microphone",
        "typed",
        "scripted words",
        "WAV yes_1.wav",
    ]
    assert how_it_came("", "voice") == "voice"


def test_a_prompt_left_at_end_of_input_ends_its_line():
    """At end of input the '> ' prompt stayed open and the next line was printed after it."""
    import io

    out = io.StringIO()
    h = TextListener(io.StringIO(""), out=out).listen()
    assert h.reason == "eof" and out.getvalue() == "> \n"


def test_typed_answers_that_end_do_not_send_the_trainee_to_the_keyboard():
    """With --microphone off the answers are already typed: no 'asking on the keyboard'."""
    end = Heard("unknown", "", 0.0, "eof", "keyboard")
    assert heard_line(end, "the keyboard") == "formcoach: no more typed input"
    assert heard_line(Heard("unknown", "", 0.0, "eof", "script"), None) == (
        "formcoach: the scripted answers (--answers) ran out"
    )
