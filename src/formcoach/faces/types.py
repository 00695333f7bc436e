"""The plain objects the face code passes around: a box, a face, a match, and the encoder hook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["ENCODING_SIZE", "Face", "FaceBox", "FaceEncoder", "Match"]

#: Length of a dlib face descriptor.
ENCODING_SIZE = 128


@dataclass(frozen=True)
class FaceBox:
    """Where a face is in an image, in pixels of that image (right and bottom exclusive).

    Attributes:
        score: the detector's confidence (dlib HOG: the SVM margin; 0 is its default cut).
    """

    left: int
    top: int
    right: int
    bottom: int
    score: float = 0.0

    def __post_init__(self) -> None:
        if self.right <= self.left or self.bottom <= self.top:
            raise ValueError(
                f"a face box needs right > left and bottom > top, got "
                f"({self.left}, {self.top}, {self.right}, {self.bottom})"
            )

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def area(self) -> int:
        return self.width * self.height

    def scaled(self, factor: float) -> FaceBox:
        """The same box in an image resized by ``factor``."""
        return FaceBox(
            round(self.left * factor),
            round(self.top * factor),
            max(round(self.right * factor), round(self.left * factor) + 1),
            max(round(self.bottom * factor), round(self.top * factor) + 1),
            self.score,
        )


@dataclass(frozen=True, eq=False)
class Face:
    """A detected face and its descriptor.

    Attributes:
        box: where it is.
        encoding: (128,) float64 descriptor; faces of one person are near each other
            (Euclidean distance).
    """

    box: FaceBox
    encoding: np.ndarray

    def __post_init__(self) -> None:
        enc = np.asarray(self.encoding, dtype=np.float64).reshape(-1)
        if enc.shape != (ENCODING_SIZE,) or not np.isfinite(enc).all():
            raise ValueError(
                f"a face encoding must be {ENCODING_SIZE} finite numbers, got shape "
                f"{np.shape(self.encoding)}"
            )
        enc.setflags(write=False)
        object.__setattr__(self, "encoding", enc)


@dataclass(frozen=True)
class Match:
    """Who a face is, as far as the enrolled faces tell.

    Attributes:
        name: the profile's name, or ``None`` for an unknown face (or no face at all).
        distance: distance to the nearest enrolled face (``inf`` when nobody is enrolled
            or no face was found).
        box: the face that was matched, ``None`` when no face was found.
        runner_up: for a known face the nearest *other* profile, for an unknown face the
            nearest profile, with its distance (for messages and diagnostics).
    """

    name: str | None
    distance: float
    box: FaceBox | None = None
    runner_up: tuple[str, float] | None = None

    @property
    def known(self) -> bool:
        return self.name is not None

    @property
    def face_found(self) -> bool:
        return self.box is not None


@runtime_checkable
class FaceEncoder(Protocol):
    """Finds faces in a (H, W, 3) uint8 BGR image and describes each one.

    ``faces`` returns every face found (or the ``limit`` largest), largest first; an image
    without a face gives ``[]``. ``jitters`` > 1 averages the descriptor over that many
    jittered crops (steadier, slower).
    """

    def faces(
        self, image: np.ndarray, *, jitters: int = 1, limit: int | None = None
    ) -> list[Face]: ...
