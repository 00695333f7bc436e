"""Counts and their nouns agree everywhere the coach speaks or writes ("one set", "two sets")."""

from __future__ import annotations

import re

import pytest

from formcoach.core.words import counted, joined_asks, plural, spoken_count
from formcoach.form.exercises import builtin_exercises
from formcoach.session import phrases

NOUNS = ("rep", "set", "second", "session", "failed rep", "face encoding")


def disagreements(text: str, nouns=NOUNS) -> list[str]:
    """Every "one reps" / "1 sets" / "two set" in ``text``."""
    found = []
    for noun in nouns:
        many = plural(noun)
        found += re.findall(rf"\b(?:one|1) {re.escape(many)}\b", text, flags=re.I)
        if many != noun:
            pattern = r"\b(?:zero|two|three|four|five|six|seven|eight|nine|ten|[02-9]|\d\d+) "
            found += re.findall(pattern + rf"{re.escape(noun)}\b(?!-)", text, flags=re.I)
    return found


def test_the_checker_finds_the_users_one_sets():
    found = disagreements("Workout done, Ana: one sets, one reps.")
    assert sorted(found) == ["one reps", "one sets"]
    assert sorted(disagreements("two set, 3 rep")) == ["3 rep", "two set"]
    assert disagreements("one set, two sets, 1 rep, 12 reps, one second") == []


@pytest.mark.parametrize(
    ("n", "noun", "spoken", "expected"),
    [
        (1, "set", True, "one set"),
        (2, "set", True, "two sets"),
        (0, "rep", True, "zero reps"),
        (1, "rep", False, "1 rep"),
        (21, "rep", False, "21 reps"),
        (1.0, "second", True, "one second"),
        (1.4, "second", True, "one second"),
        (2.5, "second", False, "2.5 seconds"),
        (3, "bench press", True, "three bench presses"),
        (2, "push-up", True, "two push-ups"),
        (2, "body", False, "2 bodies"),
        (2, "day", False, "2 days"),
        (2, "person", False, "2 people"),
        (4, "face encoding", False, "4 face encodings"),
    ],
)
def test_counted(n, noun, spoken, expected):
    assert counted(n, noun, spoken=spoken) == expected


def test_spoken_numbers():
    assert [spoken_count(n) for n in (0, 7, 13, 20, 42, 100, 215)] == [
        "zero",
        "seven",
        "thirteen",
        "twenty",
        "forty-two",
        "one hundred",
        "two hundred and fifteen",
    ]
    assert spoken_count(1000) == "1000"


@pytest.mark.parametrize("n", [0, 1, 2, 12])
def test_every_sentence_with_a_count_agrees(n):
    exercise_nouns = [phrases.exercise_words(e.title, False) for e in builtin_exercises().values()]
    lines = [
        phrases.workout_summary("ana", n, n, [90.0], "your knees"),
        phrases.set_summary(n, n, 90.0),
        phrases.set_summary(n, n + 1, 50.0),
        phrases.set_summary(n, None, None, hold_s=float(n)),
        *phrases.rest_lines(float(n)),
    ]
    for ex in builtin_exercises().values():
        reps, hold = (None, float(n)) if ex.static else (n, None)
        lines.append(phrases.announce_set(ex.title, 1, n or 1, reps, hold))
    for line in lines:
        assert disagreements(line, (*NOUNS, *exercise_nouns)) == [], line


def test_the_announced_exercise_is_pluralised_as_english():
    assert phrases.announce_set("Shoulder press", 1, 3, 10, None).startswith(
        "Set one of three: ten shoulder presses"
    )
    assert "one bicep curl." in phrases.announce_set("Bicep curl", 1, 1, 1, None)
    assert "plank, hold for thirty seconds" in phrases.announce_set("Plank", 1, 2, None, 30)
    assert phrases.exercise_words("Plank") == "plank"


def test_joined_asks_says_each_ask_once_and_keeps_other_notes():
    asks = [
        "Turn sideways so I can see whether your body stays straight.",
        "Face the camera so I can see your knees.",
        "Turn sideways so I can see your head.",
        "Other note.",
        "Turn sideways so I can see your legs.",
        "Turn sideways so I can see your legs.",
    ]
    assert joined_asks(asks) == [
        "Turn sideways so I can see whether your body stays straight, your head and your legs.",
        "Face the camera so I can see your knees.",
        "Other note.",
    ]
    assert joined_asks(["So I can see it (rep 2 of 3)."]) == ["So I can see it (rep 2 of 3)."]
    assert joined_asks([]) == []
