"""Asking the trainee something by voice, with a keyboard fallback.

:func:`ask` says the question, listens, and on silence, noise or an answer it cannot use asks
again (at most ``retries`` times, twice by default); then it asks on the keyboard. All I/O is
injected, so the logic is tested with a :class:`~formcoach.voice.speaker.RecordingSpeaker` and
:class:`~formcoach.voice.listener.ScriptedListener`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from formcoach.core.errors import FormcoachError
from formcoach.voice.listener import Heard, Listener
from formcoach.voice.speaker import Speaker

__all__ = ["Answer", "ask"]


@dataclass(frozen=True)
class Answer:
    """The outcome of :func:`ask`.

    Attributes:
        intent: the accepted intent, or ``"unknown"`` when nobody answered usably.
        heard: every :class:`Heard`, in order (voice attempts, then keyboard attempts).
        via: ``"voice"``, ``"keyboard"`` or ``"none"``.
    """

    intent: str
    heard: tuple[Heard, ...]
    via: str

    @property
    def attempts(self) -> int:
        return len(self.heard)


def _reprompt(heard: Heard, question: str, choices: str) -> str:
    """What to say after an unusable answer: true silence, an answer that does not fit, or
    speech heard but not understood (then say so, and what to say: ``choices``)."""
    if heard.reason == "silence":
        return f"I didn't hear anything. {question}"
    if heard.understood:
        return f"Sorry, I need a different answer. {question}"
    return f"I heard you but didn't catch {choices} — please say {choices}."


def ask(
    question: str,
    speaker: Speaker,
    listener: Listener,
    keyboard: Listener | None = None,
    expect: Collection[str] = ("yes", "no"),
    retries: int = 2,
    keyboard_tries: int = 3,
    timeout: float | None = None,
    keyboard_hint: str = "Please type your answer",
) -> Answer:
    """Ask ``question`` by voice; re-ask on an unusable answer; then use the keyboard.

    Args:
        question: the spoken question.
        speaker: says the question and the re-prompts (waited for before listening, so the
            microphone does not hear the trainer).
        listener: the voice answers.
        keyboard: typed answers after the voice attempts (None: no fallback).
        expect: intents that answer the question (others count as unclear).
        retries: voice re-asks after the first attempt (at most 2, as specified).
        keyboard_tries: typed attempts before giving up.
        timeout: seconds to wait for each voice answer (None: the listener's bound).
        keyboard_hint: said and shown when switching to the keyboard.

    Returns:
        The :class:`Answer`; ``intent == "unknown"`` with ``via == "none"`` if nothing usable
        came (e.g. the keyboard reached end of input).
    """
    if not 0 <= retries <= 2:
        raise ValueError(f"retries must be 0..2, got {retries}")
    choices = " or ".join(dict.fromkeys(expect))  # in the caller's order: "yes or no"
    expect = set(expect)
    if not expect or "unknown" in expect:
        raise ValueError(f"expect must name known intents, got {sorted(expect)}")
    heard: list[Heard] = []
    intent = _ask_by_voice(question, choices, speaker, listener, expect, retries, timeout, heard)
    if intent is not None:
        return Answer(intent, tuple(heard), "voice")
    if keyboard is not None:
        speaker.say(f"{keyboard_hint}: {' or '.join(sorted(expect))}.")
        speaker.wait()
        intent = _ask_by_keyboard(keyboard, expect, keyboard_tries, heard)
        if intent is not None:
            return Answer(intent, tuple(heard), "keyboard")
    return Answer("unknown", tuple(heard), "none")


def _ask_by_voice(
    question: str,
    choices: str,
    speaker: Speaker,
    listener: Listener,
    expect: set[str],
    retries: int,
    timeout: float | None,
    heard: list[Heard],
) -> str | None:
    """Ask and re-ask by voice; append every :class:`Heard` to ``heard``; the accepted
    intent, or None."""
    prompt = question
    for _ in range(1 + retries):
        speaker.say(prompt)
        speaker.wait()
        try:
            h = listener.listen(timeout)
        except FormcoachError as e:  # microphone gone, online recogniser offline...
            heard.append(Heard("unknown", "", 0.0, "error", f"error: {e}"))
            return None
        heard.append(h)
        if h.intent in expect:
            return h.intent
        if h.reason == "eof":  # scripted answers ran out: no point asking again
            return None
        prompt = _reprompt(h, question, choices)
    return None


def _ask_by_keyboard(
    keyboard: Listener, expect: set[str], tries: int, heard: list[Heard]
) -> str | None:
    """Typed attempts; append each to ``heard``; the accepted intent, or None."""
    for _ in range(tries):
        h = keyboard.listen(None)
        heard.append(h)
        if h.intent in expect:
            return h.intent
        if h.reason == "eof":
            return None
    return None
