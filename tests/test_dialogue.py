import io

import pytest

from formcoach.core.errors import FormcoachError
from formcoach.voice.dialogue import ask
from formcoach.voice.listener import Heard, ScriptedListener, TextListener
from formcoach.voice.speaker import RecordingSpeaker

SILENCE = Heard("unknown", "", 0.0, "silence")
MUMBLE = Heard("unknown", "the", 0.2, "unclear")


def keyboard(text):
    return TextListener(io.StringIO(text), prompt=None)


def test_a_clear_answer_is_taken_at_once():
    sp, voice = RecordingSpeaker(), ScriptedListener(["yes"])
    a = ask("Are you ready?", sp, voice, keyboard("no\n"))
    assert (a.intent, a.via, a.attempts) == ("yes", "voice", 1)
    assert sp.said == ["Are you ready?"] and voice.calls == 1


def test_unclear_answers_are_asked_again_at_most_twice():
    sp, voice = RecordingSpeaker(), ScriptedListener([SILENCE, MUMBLE, "no"])
    a = ask("Are you ready?", sp, voice, keyboard("yes\n"))
    assert (a.intent, a.via, a.attempts) == ("no", "voice", 3)
    assert sp.said[0] == "Are you ready?"
    assert sp.said[1].startswith("I didn't hear anything") and sp.said[1].endswith("ready?")
    assert sp.said[2] == "I heard you but didn't catch yes or no — please say yes or no."
    assert len(sp.said) == 3


def test_after_three_unclear_answers_the_keyboard_decides():
    sp = RecordingSpeaker()
    voice = ScriptedListener([SILENCE, MUMBLE, MUMBLE, "yes"])
    a = ask("Are you ready?", sp, voice, keyboard("what\ny\n"))
    assert (a.intent, a.via) == ("yes", "keyboard")
    assert voice.calls == 3  # the fourth voice answer was never asked for
    assert [h.source for h in a.heard[3:]] == ["keyboard", "keyboard"]
    assert "type" in sp.said[-1].lower()


def test_no_answer_anywhere_is_unknown():
    a = ask("Ready?", RecordingSpeaker(), ScriptedListener([]), keyboard(""))
    assert (a.intent, a.via) == ("unknown", "none")
    a = ask("Ready?", RecordingSpeaker(), ScriptedListener([MUMBLE] * 3), None)
    assert (a.intent, a.via, a.attempts) == ("unknown", "none", 3)


def test_keyboard_tries_are_bounded():
    a = ask("Ready?", RecordingSpeaker(), ScriptedListener([]), keyboard("a\nb\nc\nyes\n"))
    assert (a.intent, a.via) == ("unknown", "none")
    assert sum(h.source == "keyboard" for h in a.heard) == 3


def test_an_answer_outside_expect_counts_as_unclear_but_can_be_expected():
    sp = RecordingSpeaker()
    a = ask("Ready?", sp, ScriptedListener(["stop", "yes"]))
    assert a.intent == "yes" and "different answer" in sp.said[1]
    a = ask("Ready?", RecordingSpeaker(), ScriptedListener(["stop"]), expect=("yes", "no", "stop"))
    assert a.intent == "stop"


def test_a_broken_microphone_goes_straight_to_the_keyboard():
    class Broken:
        def listen(self, timeout=None):
            raise FormcoachError("cannot record from the microphone")

    a = ask("Ready?", RecordingSpeaker(), Broken(), keyboard("yes\n"))
    assert (a.intent, a.via) == ("yes", "keyboard")
    assert a.heard[0].reason == "error"


def test_the_speaker_is_waited_for_before_listening():
    events = []

    class Sp(RecordingSpeaker):
        def say(self, text, interrupt=False):
            events.append("say")

        def wait(self, timeout=None):
            events.append("wait")
            return True

    class L:
        def listen(self, timeout=None):
            events.append(("listen", timeout))
            return Heard("yes", "yes", 1.0)

    ask("Ready?", Sp(), L(), timeout=4.0)
    assert events == ["say", "wait", ("listen", 4.0)]


def test_arguments_are_checked():
    with pytest.raises(ValueError):
        ask("?", RecordingSpeaker(), ScriptedListener([]), retries=3)
    with pytest.raises(ValueError):
        ask("?", RecordingSpeaker(), ScriptedListener([]), expect=("unknown",))
