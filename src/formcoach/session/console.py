"""What the session prints on the console about whom it saw and what it heard, said plainly:
no infinite distances, no empty "heard" lines when scripted answers run out, and every answer
labelled by how it came (typed, scripted words, a WAV, the microphone)."""

from __future__ import annotations

import math
from collections.abc import Callable

from formcoach.core.errors import FormcoachError
from formcoach.session.identify import Identity
from formcoach.voice.dialogue import Answer
from formcoach.voice.heard import Heard, how_it_came
from formcoach.voice.listener import Listener

__all__ = ["EchoingListener", "answer_how", "heard_line", "saw_line"]


def saw_line(who: Identity) -> str:
    """``"formcoach saw: ana (face distance 0.31)"``; a stranger with nobody to compare with
    (the distance is infinite) is said so, without a number."""
    if math.isinf(who.distance):
        return "formcoach saw: an unknown face (nobody enrolled yet)"
    return f"formcoach saw: {who.name or 'an unknown face'} (face distance {who.distance:.2f})"


def heard_line(h: Heard, then: str | None = None) -> str:
    """One heard answer as a console line.

    Args:
        h: what the listener returned.
        then: what is asked next when this one is the end of its answers (``"the keyboard"``),
            or ``None`` when nothing is.
    """
    if h.reason == "eof":
        ran_out = {
            "script": "the scripted answers (--answers) ran out",
            "keyboard": "no more typed input",
        }.get(h.source, f"no more answers ({how_it_came(h.source, 'none')})")
        instead = then and h.source != "keyboard"  # typing again is no "instead"
        return f"formcoach: {ran_out}" + (f"; asking on {then} instead" if instead else "")
    return f'formcoach heard: "{h.text}" -> {h.intent} ({how_it_came(h.source, "voice")})'


def answer_how(answer: Answer) -> str:
    """How the accepted answer came (the last one heard), for the report; ``"no answer"``."""
    if answer.via == "none" or not answer.heard:
        return "no answer"
    return how_it_came(answer.heard[-1].source, answer.via)


class EchoingListener:
    """A :class:`~formcoach.voice.listener.Listener` that prints each answer as it is heard,
    so the console reads in the order things happened.

    Args:
        listener: the real listener.
        echo: prints a line.
        then: what is asked when this listener's answers run out (``"the keyboard"``), or None.
    """

    def __init__(self, listener: Listener, echo: Callable[[str], None], then: str | None = None):
        self.listener = listener
        self.echo = echo
        self.then = then

    def listen(self, timeout: float | None = None) -> Heard:
        try:
            h = self.listener.listen(timeout)
        except FormcoachError as e:
            self.echo(f"formcoach: could not listen: {e}")
            raise
        self.echo(heard_line(h, self.then))
        return h
