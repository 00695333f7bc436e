"""A face encoder that sees what it is told to: for tests and for runs without dlib."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from formcoach.faces.types import Face, FaceBox

__all__ = ["FixedFaces", "face_at"]


def face_at(encoding: Sequence[float] | np.ndarray, size: int = 100, x: int = 0) -> Face:
    """A face with this encoding in a ``size``-pixel box at ``x`` (for building test answers)."""
    return Face(FaceBox(x, 0, x + size, size, 1.0), np.asarray(encoding, dtype=np.float64))


class FixedFaces:
    """A :class:`~formcoach.faces.types.FaceEncoder` with answers decided in advance.

    Args:
        answer: the faces every image contains, or a function from a (H, W, 3) image to
            its faces. The default, no faces, is the do-nothing encoder.

    Attributes:
        calls: how many images it was asked about.
    """

    def __init__(
        self, answer: Sequence[Face] | Callable[[np.ndarray], Sequence[Face]] = ()
    ) -> None:
        self._answer = answer
        self.calls = 0

    def faces(self, image: np.ndarray, *, jitters: int = 1, limit: int | None = None) -> list[Face]:
        self.calls += 1
        found = self._answer(image) if callable(self._answer) else self._answer
        return sorted(found, key=lambda f: -f.box.area)[:limit]
