"""The pose types: one instant (:class:`Pose`) and a stretch of time (:class:`PoseSequence`).

Coordinates are in image units that are the same along x and y (pixels when the frame size is
known), y pointing down. A joint that was not seen has ``visibility == 0`` and ``xy == NaN``;
a frame without a person keeps its place in time with every joint missing.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.private import write_private
from formcoach.core.skeleton import COMMON, SKELETONS, Skeleton, get_skeleton

__all__ = ["Pose", "PoseSequence"]


@dataclass(frozen=True, eq=False)
class Pose:
    """The pose of one person in one frame.

    Attributes:
        xy: (J, 2) float32 joint positions; NaN where a joint was not seen.
        visibility: (J,) float32 in [0, 1]; 0 where a joint was not seen.
        timestamp: seconds from the start of the source.
        index: frame index in the source.
        skeleton: the joint layout (J joints).
    """

    xy: np.ndarray
    visibility: np.ndarray
    timestamp: float
    index: int
    skeleton: Skeleton

    def __post_init__(self) -> None:
        j = len(self.skeleton)
        if self.xy.shape != (j, 2):
            raise ValueError(f"Pose.xy: expected shape ({j}, 2), got {self.xy.shape}")
        if self.visibility.shape != (j,):
            raise ValueError(f"Pose.visibility: expected shape ({j},), got {self.visibility.shape}")

    @property
    def detected(self) -> bool:
        """True when at least one joint was seen."""
        return bool(np.logical_or.reduce(self.visibility > 0))  # np.any: 3x the cost

    @classmethod
    def missing(cls, skeleton: Skeleton, timestamp: float, index: int) -> Pose:
        """A frame in which nobody was seen."""
        j = len(skeleton)
        return cls(
            np.full((j, 2), np.nan, np.float32), np.zeros(j, np.float32), timestamp, index, skeleton
        )

    def to_common(self) -> Pose:
        """The same pose on the :data:`~formcoach.core.skeleton.COMMON` skeleton."""
        if self.skeleton is COMMON:
            return self
        xy, vis = _take_common(self.xy[None], self.visibility[None], self.skeleton)
        return Pose(xy[0], vis[0], self.timestamp, self.index, COMMON)


def _take_common(
    xy: np.ndarray, vis: np.ndarray, skeleton: Skeleton
) -> tuple[np.ndarray, np.ndarray]:
    """Reorder (T, J, 2) / (T, J) arrays onto COMMON; absent joints become missing."""
    idx = skeleton.common_indices()
    present = idx >= 0
    out_xy = np.full((xy.shape[0], len(idx), 2), np.nan, np.float32)
    out_vis = np.zeros((xy.shape[0], len(idx)), np.float32)
    out_xy[:, present] = xy[:, idx[present]]
    out_vis[:, present] = vis[:, idx[present]]
    return out_xy, out_vis


@dataclass(frozen=True, eq=False)
class PoseSequence:
    """Poses of one person over time, as parallel arrays.

    Attributes:
        xy: (T, J, 2) float32 joint positions; NaN where a joint was not seen.
        visibility: (T, J) float32 in [0, 1]; 0 where a joint was not seen.
        timestamps: (T,) float64 seconds, non-decreasing.
        skeleton: the joint layout (J joints).
        frame_size: (width, height) of the source frames in pixels, when known.
        fps: nominal frame rate of the source, when known.

    Indexing with an integer gives a :class:`Pose`; with a slice, a sub-sequence.
    """

    xy: np.ndarray
    visibility: np.ndarray
    timestamps: np.ndarray
    skeleton: Skeleton
    frame_size: tuple[int, int] | None = None
    fps: float | None = None

    def __post_init__(self) -> None:
        xy = np.asarray(self.xy, dtype=np.float32)
        vis = np.asarray(self.visibility, dtype=np.float32)
        ts = np.asarray(self.timestamps, dtype=np.float64)
        j = len(self.skeleton)
        if xy.ndim != 3 or xy.shape[1:] != (j, 2):
            raise ValueError(
                f"PoseSequence.xy: expected shape (T, {j}, 2) for skeleton "
                f"{self.skeleton.name!r}, got {xy.shape}"
            )
        t = xy.shape[0]
        if vis.shape != (t, j):
            raise ValueError(f"PoseSequence.visibility: expected shape ({t}, {j}), got {vis.shape}")
        if ts.shape != (t,):
            raise ValueError(f"PoseSequence.timestamps: expected shape ({t},), got {ts.shape}")
        if not np.isfinite(ts).all():
            raise ValueError("PoseSequence.timestamps: expected finite times")
        if t > 1 and np.any(np.diff(ts) < 0):
            raise ValueError("PoseSequence.timestamps: expected non-decreasing times")
        if np.any((vis < 0) | (vis > 1)) or np.isnan(vis).any():
            raise ValueError("PoseSequence.visibility: expected values in [0, 1]")
        # A joint is missing exactly when its visibility is 0: keep the two in step.
        vis = np.where(~np.isfinite(xy).all(axis=2), 0.0, vis).astype(np.float32)
        xy = np.where((vis > 0)[..., None], xy, np.nan).astype(np.float32)
        for name, arr in (("xy", xy), ("visibility", vis), ("timestamps", ts)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_poses(
        cls,
        poses: Sequence[Pose],
        skeleton: Skeleton | None = None,
        frame_size: tuple[int, int] | None = None,
        fps: float | None = None,
    ) -> PoseSequence:
        """Stack per-frame poses (all on one skeleton) into a sequence."""
        if not poses:
            if skeleton is None:
                raise ValueError("PoseSequence.from_poses: no poses and no skeleton given")
            return cls.empty(skeleton, frame_size=frame_size, fps=fps)
        sk = skeleton or poses[0].skeleton
        return cls(
            np.stack([p.xy for p in poses]),
            np.stack([p.visibility for p in poses]),
            np.array([p.timestamp for p in poses]),
            sk,
            frame_size,
            fps,
        )

    @classmethod
    def empty(
        cls, skeleton: Skeleton, frame_size: tuple[int, int] | None = None, fps: float | None = None
    ) -> PoseSequence:
        j = len(skeleton)
        return cls(np.zeros((0, j, 2)), np.zeros((0, j)), np.zeros(0), skeleton, frame_size, fps)

    # --- container protocol -------------------------------------------------------------
    def __len__(self) -> int:
        return self.xy.shape[0]

    def __iter__(self) -> Iterator[Pose]:
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, key: int | slice) -> Pose | PoseSequence:
        if isinstance(key, slice):
            return PoseSequence(
                self.xy[key],
                self.visibility[key],
                self.timestamps[key],
                self.skeleton,
                self.frame_size,
                self.fps,
            )
        i = int(key)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"frame {key} out of range for a sequence of {len(self)} frames")
        return Pose(self.xy[i], self.visibility[i], float(self.timestamps[i]), i, self.skeleton)

    # --- derived views ------------------------------------------------------------------
    @property
    def detected(self) -> np.ndarray:
        """(T,) bool: frames in which a person was seen."""
        return (self.visibility > 0).any(axis=1)

    @property
    def duration(self) -> float:
        """Seconds from the first to the last frame, plus one frame period."""
        if len(self) == 0:
            return 0.0
        return float(self.timestamps[-1] - self.timestamps[0]) + 1.0 / self.frame_rate()

    def frame_rate(self) -> float:
        """The nominal fps, or the median rate of the timestamps."""
        if self.fps:
            return float(self.fps)
        d = np.diff(self.timestamps)
        d = d[d > 0]
        return float(1.0 / np.median(d)) if d.size else 30.0

    def to_common(self) -> PoseSequence:
        """The same poses on the :data:`~formcoach.core.skeleton.COMMON` skeleton."""
        if self.skeleton is COMMON:
            return self
        xy, vis = _take_common(self.xy, self.visibility, self.skeleton)
        return PoseSequence(xy, vis, self.timestamps, COMMON, self.frame_size, self.fps)

    def joint(self, name: str) -> np.ndarray:
        """(T, 2) positions of one joint by its own name."""
        return self.xy[:, self.skeleton.index(name)]

    def replace(self, **changes: object) -> PoseSequence:
        """A copy with some fields changed (validated again)."""
        fields = {
            "xy": self.xy,
            "visibility": self.visibility,
            "timestamps": self.timestamps,
            "skeleton": self.skeleton,
            "frame_size": self.frame_size,
            "fps": self.fps,
        }
        fields.update(changes)
        return PoseSequence(**fields)  # type: ignore[arg-type]

    # --- persistence --------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write an ``.npz`` with ``xy``, ``visibility``, ``timestamps``, ``joints``, metadata.

        The file is private (mode 0600) and replaced atomically: a crash leaves the old one.
        """
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            xy=self.xy,
            visibility=self.visibility,
            timestamps=self.timestamps,
            joints=np.array(self.skeleton.joints),
            skeleton=np.array(self.skeleton.name),
            frame_size=np.array(self.frame_size or (0, 0), dtype=np.int64),
            fps=np.array(self.fps or 0.0),
        )
        return write_private(path, buf.getvalue())  # owner-only, never half written

    @classmethod
    def load(cls, path: str | Path) -> PoseSequence:
        """Read a sequence written by :meth:`save`.

        Raises:
            FormcoachError: the file is not such a sequence (whatever is wrong in it).
        """
        path = Path(path)
        hint = "pass an .npz written by 'formcoach pose -o'"
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls._from_npz(data, path)
        except FormcoachError:
            raise
        except (OSError, ValueError, TypeError, KeyError, IndexError, EOFError) as e:
            raise FormcoachError(f"cannot read pose file {str(path)!r} ({e})"[:300], hint) from None
        except (zipfile.BadZipFile, zlib.error, MemoryError) as e:
            raise FormcoachError(f"{str(path)!r} is damaged ({e})"[:300], hint) from None

    @classmethod
    def _from_npz(cls, data: Any, path: Path) -> PoseSequence:
        if not hasattr(data, "files"):
            raise FormcoachError(f"{str(path)!r} holds one array, not a formcoach pose file")
        missing = {"xy", "visibility", "timestamps", "joints"} - set(data.files)
        if missing:
            raise FormcoachError(
                f"{str(path)!r} is not a formcoach pose file "
                f"(missing {', '.join(sorted(missing))})",
                "pass an .npz written by 'formcoach pose -o'",
            )
        joints = tuple(str(j) for j in np.atleast_1d(data["joints"]))
        name = str(data["skeleton"]) if "skeleton" in data.files else ""
        skeleton = _skeleton_for(name, joints)
        fs = np.atleast_1d(data["frame_size"]) if "frame_size" in data.files else np.zeros(2)
        fps = float(np.ravel(data["fps"])[0]) if "fps" in data.files else 0.0
        size = (int(fs[0]), int(fs[1])) if fs.size == 2 and fs.min() > 0 else None
        with np.errstate(over="ignore", invalid="ignore"):  # absurd values: unseen below
            xy = np.asarray(data["xy"], dtype=np.float32)
            vis = np.nan_to_num(np.asarray(data["visibility"], dtype=np.float32), nan=0.0)
        if xy.shape[:-1] == vis.shape:  # an unseen joint is NaN; a NaN joint is unseen
            vis = np.where(np.isfinite(xy).all(axis=-1), np.clip(vis, 0.0, 1.0), 0.0)
        fps = fps if np.isfinite(fps) and 0 < fps <= 1000 else 0.0
        return cls(xy, vis, data["timestamps"], skeleton, size, fps or None)


def _skeleton_for(name: str, joints: tuple[str, ...]) -> Skeleton:

    if name in SKELETONS and SKELETONS[name].joints == joints:
        return get_skeleton(name)
    for sk in SKELETONS.values():
        if sk.joints == joints:
            return sk
    return Skeleton(name or "custom", joints, ())
