"""A decoded frame (:class:`Frame`) and what every source of them is (:class:`FrameSource`): a
video file, a camera, the browser's pushed frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = ["Frame", "FrameSource"]


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded frame.

    Attributes:
        image: (H, W, 3) uint8 BGR pixels.
        timestamp: seconds from the start of the source.
        index: position in the source (for a camera: frames grabbed so far, dropped ones too).
        rgb: the same pixels as RGB when the reader converted them already (on its own
            thread, off the model's critical path), else ``None``.
        lost: True for a stand-in a camera yields while it delivers nothing (unplugged,
            taken by another program); ``image`` is then the last real one.
    """

    image: np.ndarray
    timestamp: float
    index: int
    rgb: np.ndarray | None = None
    lost: bool = False


class FrameSource(Protocol):
    """Anything that yields :class:`Frame` objects in time order."""

    fps: float | None
    frame_size: tuple[int, int]
    frame_count: int | None
    live: bool

    def __iter__(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...
