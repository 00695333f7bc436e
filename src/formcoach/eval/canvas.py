"""Small, far-away people made from real clips: each frame shrunk into a larger canvas.

No footage is copied: a clip's frames are shrunk on the fly so that the person's extent is a
chosen share of the canvas height, placed in a canvas, and
optionally darkened with sensor noise (a dark gym). The person's true landmarks in the canvas
are the full-size run's landmarks mapped by the same shrink and shift
(:meth:`DistantScene.map_points`). The canvas is the clip's frame size or any other (a
216x320 portrait, say); the person is placed wholly inside it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.pose.crop import extent
from formcoach.pose.video import VideoFile

__all__ = ["DistantScene", "distant_frames", "person_box"]


def person_box(seq: PoseSequence) -> tuple[tuple[float, float], float]:
    """The person's place in the clip: the median centre (x, y) of the landmarks' bounding
    box and the median of its longer side, over the frames with a pose."""
    frames = np.flatnonzero(seq.detected)
    if frames.size == 0:
        raise FormcoachError("no frame of the sequence has a pose", "pick a clip with a person")
    xy = seq.xy[frames].astype(np.float64)
    centers = (np.nanmin(xy, axis=1) + np.nanmax(xy, axis=1)) / 2
    cx, cy = np.median(centers, axis=0)
    return (float(cx), float(cy)), float(np.median([extent(p) for p in xy]))


@dataclass(frozen=True)
class DistantScene:
    """How a clip's frames are shrunk into a canvas.

    Attributes:
        canvas_size: (width, height) of the canvas.
        scale: the shrink factor (0 < scale <= 1).
        offset: (x, y) canvas pixels of the shrunk frame's top-left corner (may be negative:
            what falls outside the canvas is cut off).
        brightness: pixel values are multiplied by this (1 = unchanged, 0.3 = a dark gym).
        noise: standard deviation of the added sensor noise, in 8-bit levels.
        with_person: False leaves the shrunk frame out: the empty scene (to time a search
            that finds nobody).
    """

    canvas_size: tuple[int, int]
    scale: float
    offset: tuple[int, int]
    brightness: float = 1.0
    noise: float = 0.0
    with_person: bool = True

    @classmethod
    def for_clip(
        cls,
        name: str,
        seq: PoseSequence,
        share: float,
        dark: bool = False,
        canvas_size: tuple[int, int] | None = None,
    ) -> DistantScene:
        """The scene in which the person's extent is ``share`` of the canvas height.

        Args:
            name: the clip's name; the person's place in the canvas is drawn from it.
            seq: the clip's poses at full size (the frame size and where the person is).
            share: the person's extent over the canvas height.
            dark: 30 % brightness and sensor noise.
            canvas_size: (width, height); default the clip's own frame size.
        """
        w, h = canvas_size or seq.frame_size
        (cx, cy), size = person_box(seq)
        scale = min(1.0, share * h / size)
        room = scale * size  # keep the whole person inside the canvas
        u = hashlib.sha1(name.encode()).digest()
        px = room + u[0] / 255.0 * max(0.0, w - 2 * room)
        py = room + u[1] / 255.0 * max(0.0, h - 2 * room)
        offset = (round(px - cx * scale), round(py - cy * scale))
        return cls((w, h), scale, offset, 0.3 if dark else 1.0, 4.0 if dark else 0.0)

    def map_points(self, xy: np.ndarray) -> np.ndarray:
        """(..., 2) canvas pixels of (..., 2) points of the full-size frame."""
        return np.asarray(xy, np.float64) * self.scale + self.offset

    def render(self, image: np.ndarray, seed: int = 0) -> np.ndarray:
        """The (H, W, 3) uint8 canvas for one (h, w, 3) uint8 frame of the clip.

        The background is the frame's coarse colour layout (a 3x3 average, smoothly
        enlarged): the scene's colours without any shape a detector could take for a person.
        """
        import cv2  # deferred: OpenCV comes with mediapipe, imported once it is needed

        w, h = self.canvas_size
        fh, fw = image.shape[:2]
        small = cv2.resize(
            image, (round(fw * self.scale), round(fh * self.scale)), interpolation=cv2.INTER_AREA
        )
        coarse = cv2.resize(image, (3, 3), interpolation=cv2.INTER_AREA)
        canvas = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_LINEAR)
        ox, oy = self.offset
        ax, ay = max(ox, 0), max(oy, 0)
        bx, by = min(ox + small.shape[1], w), min(oy + small.shape[0], h)
        if self.with_person:
            canvas[ay:by, ax:bx] = small[ay - oy : by - oy, ax - ox : bx - ox]
        if self.brightness == 1.0 and self.noise == 0.0:
            return canvas
        out = canvas.astype(np.float32) * self.brightness
        if self.noise:
            out += np.random.default_rng(seed).normal(0.0, self.noise, out.shape)
        return np.clip(out, 0, 255).astype(np.uint8)


def distant_frames(
    video: str | Path, scene: DistantScene, max_frames: int | None = None
) -> Iterator[tuple[np.ndarray, float, int]]:
    """(canvas BGR image, timestamp, index) for each frame of ``video`` under ``scene``."""
    for frame in VideoFile(video, prefetch=0, max_frames=max_frames):
        yield scene.render(frame.image, seed=frame.index), frame.timestamp, frame.index
