"""How a user-facing error reads when printed: what went wrong, then what to do."""

from __future__ import annotations

from formcoach.core.errors import FormcoachError


def test_a_short_hint_follows_a_colon():
    assert str(FormcoachError("cannot open camera 7", "check the camera")) == (
        "cannot open camera 7: check the camera"
    )


def test_a_hint_that_is_a_sentence_follows_a_full_stop():
    err = FormcoachError(
        "none of the body parts judged for squat could be seen from this side view",
        "Make sure your whole body is in view.",
    )
    assert str(err) == (
        "none of the body parts judged for squat could be seen from this side view. "
        "Make sure your whole body is in view."
    )


def test_no_hint_is_the_message_alone():
    assert str(FormcoachError("no reps found")) == "no reps found"
