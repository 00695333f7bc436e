"""Where a candidate repetition begins, and its far and rest poses, from the remembered frames.

The zigzag (:class:`~formcoach.counting.excursions.ExcursionTracker`) closes a loop from a
possible start; :func:`departure` finds the frame the rep began at (where the posture last left
its starting level for the far pose) and :func:`pose_near` the mean posture near the far end and
near the start, so one glitchy frame cannot skew either.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from formcoach.counting.candidates import Metric, Moment
from formcoach.counting.settings import CountSettings

__all__ = ["departure", "pose_near"]

#: Staying this long at about the same distance from the far pose means resting before a rep.
_REST_S = 1.0
#: Frames at least this share of a loop's span from its start make its far pose.
_FAR = 0.8


def pose_near(
    recent: Iterable[Moment], start: Moment, end: Moment, dist: Metric, far: bool
) -> np.ndarray | None:
    """Mean posture of the frames from ``start`` to ``end`` at least ``_FAR`` of their
    greatest distance from ``start`` (``far``), or at most ``1 - _FAR`` of it."""
    frames = [m for m in recent if start.index <= m.index <= end.index]
    if not frames:
        return None
    poses = np.array([m.pose for m in frames])
    d = dist.distances(poses, start.pose)
    top = float(d.max())
    near = poses[d >= _FAR * top] if far else poses[d <= (1.0 - _FAR) * top]
    seen = ~np.isnan(near)
    n = seen.sum(axis=0)
    return np.where(n > 0, np.where(seen, near, 0.0).sum(axis=0) / np.maximum(n, 1), np.nan)


def departure(
    recent: Iterable[Moment], first: Moment, far: Moment, metric: Metric, settings: CountSettings
) -> Moment:
    """The frame the rep began, at or after its possible start.

    Walking back from the far frame, the posture gets farther from the far pose until the
    rep's start; before, it rested there (about as far, for ``_REST_S``) or did something
    else (came closer again). The rep begins where the distance last rose to its final
    level. Both are looked for only once the walk is half the range from the far pose: a
    pause near it (a hold at the top of a press, and its wobbles) is part of the rep.
    """
    frames = [m for m in recent if first.index <= m.index < far.index]
    if not frames:
        return first
    d = metric.distances(np.array([m.pose for m in frames]), far.pose)
    reach = float(d.max())
    tol = settings.departure_share * reach
    level, top, start, lo = float(d[-1]), float(d[-1]), len(d) - 1, 0
    for k in range(len(d) - 2, -1, -1):
        if d[k] > level + tol:  # still rising: the rep started earlier
            level, start = float(d[k]), k
        top = max(top, float(d[k]))
        if level < 0.5 * reach:
            continue  # still near the far pose
        if d[k] < top - tol or frames[start].time - frames[k].time >= _REST_S:
            lo = k + 1
            break  # closer again (another movement), or resting at the start pose
    # the onset: the last frame still at the start level (within settle_eps of the range)
    plateau = float(d[lo : start + 1].max())
    onset = np.flatnonzero(d[lo:] >= plateau - settings.settle_eps * reach)
    return frames[lo + int(onset[-1])]
