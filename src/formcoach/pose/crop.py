"""Square regions of a frame: cut them out, map points found in them back to the frame.

A person far from the camera is a few dozen pixels tall, too small for the pose model, which
sees the whole frame shrunk to 224x224. Cutting a square around the person and giving the pose
model only that square makes the person fill the model's input. These are the geometric parts
of that: a :class:`Square` in frame pixels, cutting it out (zero-padded where it leaves the
frame), mapping landmarks found in the cut back to frame pixels, and the overlapping tiles
that a search for a person goes through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Square", "enlarge", "expose", "extent", "tile_grid"]

#: :func:`expose` brightens a region until this share of its values are full white...
BRIGHT_SHARE = 0.01
#: ...but by no more than this factor (beyond it, sensor noise is all that grows).
MAX_GAIN = 4.0


@dataclass(frozen=True)
class Square:
    """A square region of a frame, in whole pixels; it may reach beyond the frame's edges.

    Attributes:
        x0: column of the left edge (may be negative).
        y0: row of the top edge (may be negative).
        side: width and height in pixels (> 0).
    """

    x0: int
    y0: int
    side: int

    def __post_init__(self) -> None:
        if self.side <= 0:
            raise ValueError(f"Square.side: expected > 0, got {self.side}")

    @classmethod
    def around(cls, center: tuple[float, float], side: float) -> Square:
        """The square of ``side`` pixels (at least 1) centred on ``center`` (x, y)."""
        s = max(1, round(side))
        return cls(round(center[0] - s / 2), round(center[1] - s / 2), s)

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.side / 2, self.y0 + self.side / 2)

    def cut(self, image: np.ndarray) -> np.ndarray:
        """(side, side, C) pixels of ``image`` (H, W, C) inside the square, zero outside it.

        A square wholly inside the image is a view of it, not a copy.
        """
        h, w = image.shape[:2]
        x1, y1 = self.x0 + self.side, self.y0 + self.side
        if self.x0 >= 0 and self.y0 >= 0 and x1 <= w and y1 <= h:
            return image[self.y0 : y1, self.x0 : x1]
        out = np.zeros((self.side, self.side, *image.shape[2:]), image.dtype)
        ax, ay = max(self.x0, 0), max(self.y0, 0)
        bx, by = min(x1, w), min(y1, h)
        if ax < bx and ay < by:
            out[ay - self.y0 : by - self.y0, ax - self.x0 : bx - self.x0] = image[ay:by, ax:bx]
        return out

    def to_frame(self, xy: np.ndarray) -> np.ndarray:
        """(..., 2) frame pixels from (..., 2) points given as fractions of the square's side
        (MediaPipe's normalised landmarks of the cut)."""
        return np.asarray(xy, np.float64) * self.side + (self.x0, self.y0)

    def toward(self, target: Square, step: float) -> Square:
        """A square moved from this one toward ``target``: the centre by at most ``step``
        times the side along each axis, the side by at most a factor ``1 + step``."""
        (cx, cy), (tx, ty) = self.center, target.center
        reach = step * self.side
        nx = cx + float(np.clip(tx - cx, -reach, reach))
        ny = cy + float(np.clip(ty - cy, -reach, reach))
        side = float(np.clip(target.side, self.side / (1 + step), self.side * (1 + step)))
        return Square.around((nx, ny), side)

    def overlap(self, frame_size: tuple[int, int]) -> float:
        """Share of the square's area that lies inside a frame of (width, height)."""
        w, h = frame_size
        dx = max(0, min(self.x0 + self.side, w) - max(self.x0, 0))
        dy = max(0, min(self.y0 + self.side, h) - max(self.y0, 0))
        return dx * dy / float(self.side * self.side)


def enlarge(image: np.ndarray, side: int) -> np.ndarray:
    """(S, S, C) square ``image`` enlarged to (side, side, C) with bicubic interpolation when
    it is smaller (returned as it is otherwise).

    The pose model would enlarge a small region to its 256x256 input itself, bilinearly; a
    bicubic enlargement keeps more of a small person's edges (on the tuning clips shrunk to a
    person 15 % of the frame tall: frames with a pose 0.989 -> 0.996, median landmark error
    0.050 -> 0.044 torso lengths; bilinear gave 0.970 and 0.048).
    """
    import cv2  # deferred: OpenCV comes with mediapipe, imported once it is needed

    if image.shape[0] >= side:
        return image
    return cv2.resize(image, (side, side), interpolation=cv2.INTER_CUBIC)


def expose(image: np.ndarray) -> np.ndarray:
    """(H, W, C) uint8 ``image`` brightened as a camera's auto-exposure would for this region
    alone: scaled so that its brightest :data:`BRIGHT_SHARE` of values reach 255 (gain at most
    :data:`MAX_GAIN`); a well-exposed region barely changes.

    A person far away fills a small region that the camera exposed for the whole scene. On
    the tuning clips shrunk to a person 15 % of the frame tall, exposing each search tile and
    crop this way raised the frames with a pose from 0.910 to 0.992; darkened to 30 % with
    sensor noise it changed little (0.733 -> 0.723): there the noise, not the level, limits.
    """
    import cv2  # deferred: OpenCV comes with mediapipe, imported once it is needed

    sample = image[::4, ::4] if image.shape[0] >= 64 and image.shape[1] >= 64 else image
    bright = float(np.percentile(sample, 100.0 * (1.0 - BRIGHT_SHARE)))
    gain = min(MAX_GAIN, 255.0 / max(bright, 1.0))
    if gain <= 1.0 + 1e-3:
        return image
    return cv2.convertScaleAbs(image, alpha=gain)


def extent(xy: np.ndarray) -> float:
    """The longer side of the bounding box of the finite points of (N, 2) ``xy`` (0 if none)."""
    pts = np.asarray(xy, np.float64).reshape(-1, 2)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) == 0:
        return 0.0
    return float(np.max(pts.max(axis=0) - pts.min(axis=0)))


def _starts(length: int, side: int, stride: float) -> list[int]:
    """Evenly spread starts of windows of ``side`` covering ``[0, length)``, no further apart
    than ``stride``; a single window centred when it does not fit."""
    if side >= length:
        return [(length - side) // 2]
    n = math.ceil((length - side) / stride) + 1
    return [round(i * (length - side) / (n - 1)) for i in range(n)]


def tile_grid(frame_size: tuple[int, int], side: int, stride: float) -> list[Square]:
    """Squares of ``side`` pixels covering a frame of (width, height), their starts no more
    than ``stride`` pixels apart along each axis, row by row."""
    w, h = frame_size
    if side <= 0 or stride <= 0:
        raise ValueError(f"tile_grid: side and stride must be > 0, got {side}, {stride}")
    return [Square(x, y, side) for y in _starts(h, side, stride) for x in _starts(w, side, stride)]
