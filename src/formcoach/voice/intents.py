"""The closed set of things a trainee says, and how text maps onto it.

The same table serves typed answers and recognised speech: the offline recogniser transcribes
with a general English model and this module finds the answer in the transcript, so anything
that is not one of these phrases (other words, a cough turned into "the") is ``unknown``.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["COMMANDS", "INTENTS", "PHRASES", "Intent", "find_intent", "normalise_text"]

Intent = Literal["yes", "no", "stop", "pause", "skip", "repeat", "how_many", "unknown"]
INTENTS: tuple[str, ...] = ("yes", "no", "stop", "pause", "skip", "repeat", "how_many", "unknown")
COMMANDS: tuple[str, ...] = ("stop", "pause", "skip", "repeat", "how_many")

#: Phrase -> intent. Multi-word phrases are matched as whole word sequences.
PHRASES: dict[str, str] = {
    **dict.fromkeys(
        [
            "yes",
            "yeah",
            "yep",
            "yup",
            "ready",
            "i'm ready",
            "i am ready",
            "let's go",
            "let's do it",
            "go ahead",
            "sure",
            "okay",
            "ok",
            "of course",
            "y",
        ],
        "yes",
    ),
    **dict.fromkeys(
        [
            "no",
            "nope",
            "nah",
            "not today",
            "not now",
            "not yet",
            "not ready",
            "later",
            "maybe later",
            "no thanks",
            "n",
        ],
        "no",
    ),
    **dict.fromkeys(["stop", "quit", "finish", "end the workout", "q"], "stop"),
    **dict.fromkeys(["pause", "wait", "hold on", "take a break", "p"], "pause"),
    **dict.fromkeys(["skip", "next", "next exercise", "s"], "skip"),
    **dict.fromkeys(["repeat", "again", "say again", "say that again", "r"], "repeat"),
    **dict.fromkeys(["how many", "how many left", "count", "how many reps", "h"], "how_many"),
}
# One-letter keys are for typing only: a transcript never holds them, but "y"/"n" at a prompt do.

_CONTRACTIONS = {"let us": "let's", "i m": "i'm", "okey": "okay", "o k": "ok"}


def normalise_text(text: str) -> str:
    """Lower case, plain apostrophes, pocketsphinx's ``word(2)`` variants and punctuation gone."""
    t = text.lower().replace("\u2019", "'")
    t = re.sub(r"\(\d+\)", "", t)  # pocketsphinx alternative pronunciations: "are(2)"
    t = re.sub(r"[^a-z' ]+", " ", t)
    t = " ".join(w.strip("'") for w in t.split())
    for a, b in _CONTRACTIONS.items():
        t = re.sub(rf"\b{a}\b", b, t)
    return t


_PATTERNS = sorted(
    ((p, i, re.compile(r"(?<![\w'])" + re.escape(p) + r"(?![\w'])")) for p, i in PHRASES.items()),
    key=lambda t: -len(t[0]),  # longest first: "not today" before "no"... and "how many left"
)


def find_intent(text: str, typed: bool = True) -> tuple[str, str]:
    """The intent of a transcript or typed answer, and the phrase that decided it.

    Rules: phrases are whole words; a longer phrase hides the shorter ones inside it ("not
    now" is no, not "now"); "stop" wins over everything (a safety word); yes and no together
    are contradictory, hence ``unknown``; otherwise the first phrase said wins.

    Args:
        text: what was typed or transcribed.
        typed: also accept the one-letter keys ("y", "n", "q", ...) of a keyboard prompt.

    Returns:
        ``(intent, phrase)``; ``("unknown", "")`` when no phrase is found.
    """
    t = normalise_text(text)
    if not t:
        return "unknown", ""
    taken = [False] * len(t)
    found: list[tuple[int, str, str]] = []
    for phrase, intent, pat in _PATTERNS:
        if not typed and len(phrase) == 1:
            continue
        for m in pat.finditer(t):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append((m.start(), intent, phrase))
    if not found:
        return "unknown", ""
    found.sort()
    intents = {i for _, i, _ in found}
    if "stop" in intents:
        return "stop", next(p for _, i, p in found if i == "stop")
    if "yes" in intents and "no" in intents:
        return "unknown", ""
    return found[0][1], found[0][2]
