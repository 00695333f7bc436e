"""Poses of a person who is small or far away in the frame: find them, then follow a crop.

BlazePose finds a person with a detector that sees the whole frame shrunk to 224x224; a person
a sixth of the frame tall is then a few dozen pixels and is missed in every frame. When the
whole-frame model finds nobody, :class:`Zoom` searches for the person with the same detector
on overlapping square tiles of the frame (coarse to fine), then feeds the pose model a square
cut around the person, follows the person from frame to frame from the last landmarks, and
maps the landmarks back to frame pixels.

Frames::

    whole-frame model ──pose──▶ done (a person who fills the frame: exactly as before)
          │ nobody
          ▼  (at most once per ``search_interval_s``)
    tile search ──sighting──▶ crop model on the square around the person ──▶ pose
                                   ▲            │ landmarks
                                   └── next square (hips-centred, sized by the body)

The crop model is a second MediaPipe ``Pose`` in video mode with its own tracking state: it
looks for the person where its last landmarks were, as a share of its last image. That holds
while the crop moves a little per image; before the crop jumps to a new sighting, a model
still tracking someone is reset (one that lost them searches its whole image anyway). The
crop keeps following the person while the crop model sees them; after ``hold_s`` without them
it gives up and the whole-frame model takes over again.
While following, once per ``search_interval_s`` a person grown large enough for the
whole-frame detector is handed back to the whole-frame model.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from formcoach.pose.crop import Square, enlarge, expose, extent, tile_grid
from formcoach.pose.detector import PersonDetector, Sighting

__all__ = ["Zoom", "ZoomSettings", "crop_for_landmarks", "search_levels"]

#: Side of the pose landmark model's square input: smaller crops are enlarged to it.
LANDMARK_INPUT = 256

#: BlazePose-33 indices of the hips, whose midpoint centres the crop (as BlazePose's own ROI).
_HIPS = (23, 24)

#: A MediaPipe call: (H, W, 3) uint8 RGB -> landmarks as (33, 3) x, y (fractions of the
#: image's width and height) and visibility, or ``None`` when nobody is found.
Landmarker = Callable[[np.ndarray], "np.ndarray | None"]


@dataclass(frozen=True)
class ZoomSettings:
    """How a small person is searched for and followed.

    Attributes:
        min_person_share: the smallest person searched for: the body's extent (longer side
            of its bounding box) as a share of the frame's shorter side.
        tile_reach: a tile's side over the extent of the smallest person it must find. The
            detector finds a person whose extent is at least about a third of its input.
        level_ratio: tile sides grow by this factor from one search level to the next.
        tile_stride: tiles of a level start this share of their side apart (0.5: half
            overlap, so a person half a tile wide lies wholly inside some tile).
        margin: the crop's side over the person's extent (2: the person fills half of it).
        crop_step: from one image to the next the crop moves by at most this share of its
            side and grows or shrinks by at most this factor; the crop model tracks the
            person from its landmarks in the previous image, as a share of that image, so
            what it tolerates is a change per image, not per second.
        size_window_s: the crop's size is the median of the sizes the landmarks asked for
            over this many seconds: a person's size in the image changes slowly, while a
            poorly seen frame's landmarks can shrink or spread at once.
        search_interval_s: while nobody is followed, a tile search runs at most this often;
            while a person is followed, this often a grown person is handed back.
        hold_s: the crop is kept this long after the person was last seen in it.
    """

    min_person_share: float = 0.15
    tile_reach: float = 3.0
    level_ratio: float = 1.5
    tile_stride: float = 0.5
    margin: float = 2.0
    crop_step: float = 0.1
    size_window_s: float = 1.0
    search_interval_s: float = 1.0
    hold_s: float = 0.5

    def __post_init__(self) -> None:
        positive = (
            "min_person_share",
            "tile_reach",
            "tile_stride",
            "margin",
            "crop_step",
            "hold_s",
        )
        for name in positive:
            if getattr(self, name) <= 0:
                raise ValueError(f"ZoomSettings.{name}: expected > 0, got {getattr(self, name)}")
        if self.level_ratio <= 1:
            raise ValueError(f"ZoomSettings.level_ratio: expected > 1, got {self.level_ratio}")
        if self.search_interval_s < 0:
            raise ValueError(
                f"ZoomSettings.search_interval_s: expected >= 0, got {self.search_interval_s}"
            )


def search_levels(frame_size: tuple[int, int], settings: ZoomSettings) -> list[list[Square]]:
    """The tiles of each search level, coarse (squares as tall as the frame's shorter side)
    to fine (``tile_reach`` times the smallest person searched for)."""
    short = min(frame_size)
    smallest = max(1.0, settings.tile_reach * settings.min_person_share * short)
    sides = [short]
    while sides[-1] > round(smallest):
        sides.append(max(round(sides[-1] / settings.level_ratio), round(smallest)))
    return [tile_grid(frame_size, s, s * settings.tile_stride) for s in sides]


def _same_place(a: Square, b: Square) -> bool:
    """True for squares whose crops show the same thing at about the same scale."""
    (ax, ay), (bx, by) = a.center, b.center
    near = max(abs(ax - bx), abs(ay - by)) <= 0.25 * min(a.side, b.side)
    return near and max(a.side, b.side) <= 1.5 * min(a.side, b.side)


def crop_for_landmarks(xy: np.ndarray, margin: float) -> Square:
    """The square to look for a person in next, from (33, 2) BlazePose landmarks in frame
    pixels: centred on the hips' midpoint, wide enough to hold every landmark ``margin``
    times over (``margin`` times the extent for a body centred on its hips)."""
    hips = np.nanmean(xy[list(_HIPS)], axis=0)
    reach = float(np.nanmax(np.abs(xy - hips)))
    return Square.around((float(hips[0]), float(hips[1])), 2.0 * margin * max(reach, 1.0))


class Zoom:
    """Find and follow a person the whole-frame pose model misses.

    Args:
        settings: search and crop settings.
        crop_model: the crop's pose model (video mode) as a pair: a :data:`Landmarker`, and
            a callable that makes it forget the person it tracks.
        detector: the tile detector (default: BlazePose's own, made when first needed).
    """

    def __init__(
        self,
        settings: ZoomSettings,
        crop_model: tuple[Landmarker, Callable[[], None]],
        detector: PersonDetector | None = None,
    ) -> None:
        self.settings = settings
        self._crop_landmarks, self._crop_reset = crop_model
        self._detector = detector
        self._levels: dict[tuple[int, int], list[list[Square]]] = {}
        self.square: Square | None = None
        self._crop_tracking = False  # the crop model found someone in the last image it saw
        self._sizes: deque[tuple[float, float]] = deque()  # (timestamp, wanted crop side)
        self._last_seen = -np.inf
        self._last_search = -np.inf
        self._last_handback = -np.inf

    @property
    def following(self) -> bool:
        """True while a person is followed in a crop."""
        return self.square is not None

    def sightings(self, rgb: np.ndarray) -> Iterator[Sighting]:
        """Sightings tile by tile, coarse level to fine, best first within a tile.

        A sighting as large as a person the whole-frame model finds is left to that model.
        """
        if self._detector is None:
            self._detector = PersonDetector()
        size = (rgb.shape[1], rgb.shape[0])
        if size not in self._levels:
            self._levels[size] = search_levels(size, self.settings)
        for tiles in self._levels[size]:
            for tile in tiles:
                for s in self._detector.find(rgb, tile):
                    if not self._whole_frame_size(s.extent, size):
                        yield s

    def _in_crop(self, rgb: np.ndarray) -> np.ndarray | None:
        """(33, 3) frame-pixel x, y and visibility from the crop model, or ``None``.

        The crop is enlarged to the landmark model's input and exposed for itself
        (:func:`~formcoach.pose.crop.enlarge`, :func:`~formcoach.pose.crop.expose`); the
        landmarks, fractions of the crop's side, map back to the frame unchanged by either.
        """
        assert self.square is not None
        cut = expose(enlarge(self.square.cut(rgb), LANDMARK_INPUT))
        out = self._crop_landmarks(np.ascontiguousarray(cut))
        self._crop_tracking = out is not None
        if out is None:
            return None
        xy = self.square.to_frame(out[:, :2])
        return np.column_stack([xy, out[:, 2]])

    def start(self, rgb: np.ndarray, timestamp: float) -> np.ndarray | None:
        """Search the frame (if the interval allows) and follow the first sighting in whose
        square the crop model finds a person: (33, 3) landmarks in frame pixels, or ``None``.

        The detector's guess of a person's size is poor in a tile much larger than the
        person, so a sighting counts only once the crop model confirms it; the search goes
        on (to finer levels) until one is confirmed.
        """
        if timestamp - self._last_search < self.settings.search_interval_s:
            return None
        self._last_search = timestamp
        tried: list[Square] = []
        for sighting in self.sightings(rgb):
            square = Square.around(sighting.center, self.settings.margin * sighting.extent)
            if any(_same_place(square, other) for other in tried):
                continue
            tried.append(square)
            if self._crop_tracking:  # it would look where the person was in another crop
                self._crop_reset()
            self.square = square
            found = self._in_crop(rgb)
            if found is not None:
                self._last_seen = self._last_handback = timestamp
                self._sizes.clear()
                self._move_with(found, timestamp)
                return found
        self.square = None
        return None

    def follow(self, rgb: np.ndarray, timestamp: float) -> np.ndarray | None:
        """(33, 3) landmarks in frame pixels from the crop, moving the crop with the person."""
        found = self._in_crop(rgb)
        if found is None:
            if timestamp - self._last_seen > self.settings.hold_s:
                self.square = None
            return None
        self._last_seen = timestamp
        self._move_with(found, timestamp)
        return found

    def _move_with(self, landmarks: np.ndarray, timestamp: float) -> None:
        """Move the crop toward the square around the person (hips-centred, its size the
        median over ``size_window_s``), as far as the crop model follows in one image."""
        assert self.square is not None
        wanted = crop_for_landmarks(landmarks[:, :2], self.settings.margin)
        self._sizes.append((timestamp, wanted.side))
        while self._sizes[0][0] < timestamp - self.settings.size_window_s:
            self._sizes.popleft()
        side = float(np.median([size for _, size in self._sizes]))
        target = Square.around(wanted.center, side)
        self.square = self.square.toward(target, self.settings.crop_step)

    def may_hand_back(self, landmarks: np.ndarray, frame_size: tuple[int, int], t: float) -> bool:
        """True (once per search interval) when the followed person is large enough for the
        whole-frame detector: extent at least the frame's longer side over ``tile_reach``."""
        if t - self._last_handback < self.settings.search_interval_s:
            return False
        self._last_handback = t
        return self._whole_frame_size(extent(landmarks[:, :2]), frame_size)

    def _whole_frame_size(self, person_extent: float, frame_size: tuple[int, int]) -> bool:
        """True for a person the whole-frame detector can find: whose extent is at least
        the frame's longer side (its input is the frame letterboxed) over ``tile_reach``."""
        return person_extent * self.settings.tile_reach >= max(frame_size)

    def stop(self) -> None:
        """Stop following (the whole-frame model found the person)."""
        self.square = None

    def reset(self) -> None:
        """Start afresh, as for a new video (the loaded detector is kept)."""
        self.stop()
        self._crop_reset()
        self._crop_tracking = False
        self._sizes.clear()
        self._last_seen = self._last_search = self._last_handback = -np.inf

    def close(self) -> None:
        if self._detector is not None:
            self._detector.close()
