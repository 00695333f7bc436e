"""Counts in words: "one set", "two sets", "1 rep", "three shoulder presses".

Everything the coach says or writes about a number of things goes through :func:`counted`,
so a count and its noun always agree.
"""

from __future__ import annotations

__all__ = ["counted", "joined_asks", "plural", "sentence", "spoken_count"]

_NUMBERS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_IRREGULAR = {"person": "people"}


def spoken_count(n: int) -> str:
    """Numbers below a thousand as words (they sound better from a speech synthesiser)."""
    if not 0 <= n < 1000:
        return str(n)
    if n < 20:
        return _NUMBERS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_NUMBERS[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_NUMBERS[hundreds]} hundred" + (f" and {spoken_count(rest)}" if rest else "")


def plural(noun: str) -> str:
    """The plural of an English noun phrase (its last word): ``"bench press"`` ->
    ``"bench presses"``, ``"push-up"`` -> ``"push-ups"``, ``"reps"`` stays ``"reps"``."""
    head, _, last = noun.rpartition(" ")
    low = last.lower()
    if low in _IRREGULAR:
        last = _IRREGULAR[low]
    elif low.endswith(("ss", "sh", "ch", "x", "z")):
        last += "es"
    elif low.endswith("y") and low[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        last = last[:-1] + "ies"
    elif not low.endswith("s"):
        last += "s"
    return f"{head} {last}" if head else last


def counted(n: float, noun: str, *, spoken: bool = False) -> str:
    """``n`` and the noun, agreeing: ``counted(1, "set")`` -> ``"1 set"``, ``counted(2, "set",
    spoken=True)`` -> ``"two sets"``.

    Args:
        n: how many; a whole number, or seconds (rounded to whole ones when spoken).
        noun: the singular noun phrase (``"rep"``, ``"bicep curl"``, ``"face encoding"``).
        spoken: numbers in words, for the voice; digits otherwise, for the screen.
    """
    whole = round(n)
    if spoken or float(n) == whole:
        number = spoken_count(whole) if spoken else str(whole)
        return f"{number} {noun if whole == 1 else plural(noun)}"
    return f"{n:g} {plural(noun)}"


def sentence(text: str) -> str:
    """``text`` as a sentence of its own: a capital first letter and a closing full stop
    (``"none of the parts could be seen: turn sideways"`` -> ``"None of ... sideways."``).

    Errors are written to follow ``Error:``; where one stands alone (a table cell, a report
    row), it is shown through this.
    """
    text = text.strip()
    if not text:
        return text
    if not text.endswith((".", "!", "?")):
        text += "."
    return text[0].upper() + text[1:]


def joined_asks(asks: list[str], joint: str = " so I can see ") -> list[str]:
    """Asks that ask the same thing said once: ``"Turn sideways so I can see your head."``
    and ``"Turn sideways so I can see your legs."`` -> ``"Turn sideways so I can see your
    head and your legs."``; any other text unchanged; in order of each ask's first one."""
    groups: dict[str, list[str]] = {}
    for ask in asks:
        head, found, what = ask.partition(joint)
        if head and found and what.endswith("."):
            groups.setdefault(head, []).append(what[:-1])
        else:
            groups.setdefault(ask, [])
    out = []
    for head, whats in groups.items():
        whats = list(dict.fromkeys(whats))
        listed = ", ".join(whats[:-1]) + " and " * (len(whats) > 1) + "".join(whats[-1:])
        out.append(f"{head}{joint}{listed}." if whats else head)
    return out
