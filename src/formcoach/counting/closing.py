"""When a loop has come back: measured from its rest pose, not from one frame.

A possible start is one frame: a turning point (the extreme of a zigzag, one frame's worth of
the posture's jitter) or the frame the recording began with (wherever the camera started).
Whether the posture came back within ``1 - return_share`` of the loop's span hung on that frame:
RepCount ``stu10_17``'s loop from its first frame came back to 0.408 of its span as given and
0.381 half a frame later (bound 0.40), ``stu2_55``'s loop at 2.8 s to 0.400 and 0.397 without
the first frame, and each started its set another way. The loop's start is measured as the
confirmer compares loops (:attr:`~formcoach.counting.excursions.Candidate.origin`): the mean
posture of its frames still near the start on the way out.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["came_back"]


def came_back(
    rest: np.ndarray | None,
    far: np.ndarray,
    now: np.ndarray,
    dist: Callable[[np.ndarray, np.ndarray], float],
    ret: float,
) -> bool:
    """Whether ``now`` (D,) is back within ``1 - ret`` of the loop's span of its ``rest``
    (D,) pose (the span measured from it to the ``far`` (D,) pose); False without a rest."""
    if rest is None:
        return False
    span = dist(far, rest)
    return span > 0 and dist(now, rest) <= (1.0 - ret) * span
