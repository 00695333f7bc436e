"""Distances along the way between two frames: where the posture passed, not only where sampled.

The posture moves between frames; a camera that started a third of a frame later samples it
there. Whether a loop came back within a share of its span of its start pose is a property of
the movement, so it is measured at the point of the straight step between the last two frames
nearest the start pose (the pose a sampling between them could have seen), not at the frames
alone. In the movement subspace distances are Euclidean, so three distances per pose give it:
for a point ``t`` of the way along a step of length ``L`` from a pose at distances ``d0`` and
``d1`` of its ends, ``d(t)^2 = (1 - t) d0^2 + t d1^2 - t (1 - t) L^2`` (Stewart's theorem).
"""

from __future__ import annotations

import numpy as np

__all__ = ["along", "nearest", "passed"]


def nearest(d0: np.ndarray, d1: np.ndarray, step: float) -> np.ndarray:
    """(k,) the share ``t`` in [0, 1] of the step nearest each of k poses.

    Args:
        d0: (k,) distances of the poses from the step's first frame; d1: (k,) from its last.
        step: the distance between the two frames.
    """
    if step <= 0:
        return np.ones_like(d1)
    return np.clip((d0 * d0 - d1 * d1 + step * step) / (2.0 * step * step), 0.0, 1.0)


def along(d0: np.ndarray, d1: np.ndarray, step: float, t: np.ndarray) -> np.ndarray:
    """(k,) distances of k poses from the point ``t`` (k,) of the way along the step (see
    :func:`nearest` for the arguments)."""
    sq = (1.0 - t) * d0 * d0 + t * d1 * d1 - t * (1.0 - t) * step * step
    return np.sqrt(np.maximum(sq, 0.0))


def passed(
    d0: np.ndarray, f0: np.ndarray, d1: np.ndarray, f1: np.ndarray, step: float, after: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(k,) how near k loops' start poses the last step passed, and (k,) how far from their far
    poses it then was; at the step's last frame for the loops whose far frame is not before it.

    Args:
        d0, f0: (k,) distances of the start and far poses from the step's first frame; d1,
            f1: from its last frame. step: the step's length. after: (k,) bool, the step
            follows the loop's far frame.
    """
    t = np.where(after, nearest(d0, d1, step), 1.0)
    return along(d0, d1, step, t), along(f0, f1, step, t)
