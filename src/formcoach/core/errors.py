"""The one exception type users see: what went wrong and what to do about it."""

from __future__ import annotations

__all__ = ["FormcoachError"]


class FormcoachError(Exception):
    """A user-facing error.

    Args:
        message: what went wrong, e.g. ``"cannot open video 'x.mp4'"``.
        hint: what to do about it, e.g. ``"check the path"``.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        # a hint that is a sentence of its own ("Make sure ...") follows a full stop
        sep = ". " if self.hint[:1].isupper() else ": "
        return f"{self.message}{sep}{self.hint}"
