"""Who is training right now: a profile has one live session at a time."""

from __future__ import annotations

import threading

from formcoach.core.errors import FormcoachError

__all__ = ["LiveProfiles"]


class LiveProfiles:
    """The profiles with a live session (thread-safe)."""

    def __init__(self) -> None:
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def claim(self, name: str) -> None:
        """Mark ``name`` as training.

        Raises:
            FormcoachError: it already is, in another window or on another device.
        """
        with self._lock:
            if name.casefold() in self._names:
                raise FormcoachError(
                    f"{name} is already training in another window",
                    "finish or close that session first",
                )
            self._names.add(name.casefold())

    def release(self, name: str) -> None:
        with self._lock:
            self._names.discard(name.casefold())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.casefold() in self._names
