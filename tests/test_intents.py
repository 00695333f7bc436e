import pytest

from formcoach.voice.intents import INTENTS, PHRASES, find_intent, normalise_text


@pytest.mark.parametrize(
    "text,intent",
    [
        ("yes", "yes"),
        ("Yeah!", "yes"),
        ("oh yes", "yes"),
        ("let us go", "yes"),
        ("Let’s go", "yes"),
        ("I am ready", "yes"),
        ("no", "no"),
        ("no i", "no"),
        ("not today", "no"),
        ("not now thanks", "no"),
        ("later", "no"),
        ("stop", "stop"),
        ("hold on", "pause"),
        ("skip", "skip"),
        ("next exercise", "skip"),
        ("say that again", "repeat"),
        ("how many left?", "how_many"),
        ("", "unknown"),
        ("the", "unknown"),
        ("i know", "unknown"),  # "know" is not "no"
        ("now", "unknown"),
        ("go", "unknown"),  # only "let's go" is a yes
        ("notice", "unknown"),  # whole words only
        ("yesterday", "unknown"),
        ("yes no", "unknown"),  # contradictory
    ],
)
def test_find_intent(text, intent):
    assert find_intent(text)[0] == intent


def test_stop_wins_and_first_phrase_wins():
    assert find_intent("yes stop")[0] == "stop"
    assert find_intent("no wait")[0] == "no"
    assert find_intent("wait no")[0] == "pause"


def test_longer_phrase_hides_the_shorter_one():
    assert find_intent("not now") == ("no", "not now")
    assert find_intent("how many left") == ("how_many", "how many left")


def test_one_letter_keys_only_when_typed():
    assert find_intent("y") == ("yes", "y")
    assert find_intent("n", typed=True)[0] == "no"
    assert find_intent("y", typed=False)[0] == "unknown"
    assert find_intent("a", typed=True)[0] == "unknown"


def test_normalise_strips_pocketsphinx_variants_and_punctuation():
    assert normalise_text("Are(2) YOU, ready?") == "are you ready"
    assert normalise_text("I M ready") == "i'm ready"


def test_every_phrase_maps_to_a_known_intent_and_to_itself():
    for phrase, intent in PHRASES.items():
        assert intent in INTENTS and intent != "unknown"
        assert find_intent(phrase)[0] == intent, phrase
