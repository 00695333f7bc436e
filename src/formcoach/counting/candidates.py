"""The stream's frames and the loops found in them: what the counter's stages pass each other.

A :class:`Moment` is one frame of the smoothed posture stream; a :class:`Candidate` is a closed
loop start -> far -> back that :mod:`formcoach.counting.excursions` found and
:mod:`formcoach.counting.confirm` judges; a :class:`Metric` measures distances between postures
along the movement subspace (:mod:`formcoach.counting.motion`). ``_FAR`` is the share
:func:`~formcoach.counting.departure.pose_near` takes a loop's far and rest poses at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = ["Candidate", "Metric", "Moment"]


class Metric(Protocol):
    """Distances between posture vectors (the movement subspace's)."""

    def distance(self, a: np.ndarray, b: np.ndarray) -> float: ...

    def distances(self, many: np.ndarray, b: np.ndarray) -> np.ndarray: ...

    @property
    def noise(self) -> float:
        """RMS noise of a posture along one direction."""
        ...


@dataclass(frozen=True, eq=False)
class Moment:
    """One frame of the stream.

    Attributes:
        index: frame index; time: seconds.
        pose: (D,) smoothed posture vector.
        place: (2,) torso centre in body units (where the body is, for telling walking from
            exercising).
    """

    index: int
    time: float
    pose: np.ndarray
    place: np.ndarray


@dataclass(frozen=True, eq=False)
class Candidate:
    """A closed loop start -> far -> back, not yet judged to be a repetition.

    Attributes:
        start: the frame the rep began (the posture's departure from its starting level).
        far: the frame farthest from the start.
        end: the frame at which the posture had come back (the rep is emitted here).
        span: distance start -> far along the movement subspace (body units).
        far_pose: (D,) the mean posture of the frames near the far end (at least ``_FAR`` of
            the span from the start): the far pose as one glitchy frame cannot skew it.
        rest_pose: (D,) likewise the mean posture of the frames on the way out still near
            the start (at most ``1 - _FAR`` of the span from it).
    """

    start: Moment
    far: Moment
    end: Moment
    span: float
    far_pose: np.ndarray | None = None
    rest_pose: np.ndarray | None = None

    @property
    def reach(self) -> np.ndarray:
        """(D,) the far posture (:attr:`far_pose`, else the far frame's)."""
        return self.far.pose if self.far_pose is None else self.far_pose

    @property
    def origin(self) -> np.ndarray:
        """(D,) the start posture (:attr:`rest_pose`, else the start frame's)."""
        return self.start.pose if self.rest_pose is None else self.rest_pose

    @property
    def duration(self) -> float:
        """Seconds from start to end."""
        return self.end.time - self.start.time

    @property
    def travel(self) -> float:
        """How far the body moved sideways from the start to the end (body units).

        A repetition comes back to where it started; walking does not.
        """
        return float(abs(self.end.place[0] - self.start.place[0]))
