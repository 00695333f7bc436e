"""Short gaps in the stream, bridged as if the movement had gone on through them.

A frame without a pose (the pose model missed the person in bad light, a hand passed the
camera, the cleaning dropped a skeleton no body can take, :mod:`formcoach.pose.plausible`)
says nothing about the count when the gap is shorter than the shortest rep (half the fastest
cycle counted, :attr:`~formcoach.counting.settings.CountSettings.shortest_rep_s`): a rep goes
out and back, so none fits inside it. Yet a stream with holes is not the stream the counter's
stages are built for: the exponential smoothing and the running covariance take one frame's
step where several frames passed, the period tracker compares rows that are no longer evenly
spaced in time, and a turn of a fast movement that fell in the gap is gone; so a few lost
frames could tip a decision and move a count.

:class:`GapBridge` therefore holds such frames back and, when the next pose arrives, gives
them back filled in, then the new pose: every stage sees the evenly spaced stream of a
movement that went on through the gap. While the movement repeats at a known period ``P``,
a missing frame at time ``t`` is the posture one cycle earlier, ``x(t - P)``, shifted by the
amounts (blended linearly across the gap) that make it meet the poses either side: the
movement continued as it went the cycle before. Otherwise (and for a joint the cycle before
did not see) each joint moves along the straight line between the poses either side. The
frames of a longer gap (the person left, a long occlusion) and of a gap the stream ends in
are given back missing, as they came.

Causal: nothing is looked ahead; a bridged frame is only processed later, by the gap's length
(at most ``shortest_rep_s``), and a missing frame would have emitted no rep anyway.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from formcoach.core.pose import Pose

__all__ = ["GapBridge"]


class GapBridge:
    """Holds back the frames of a short gap and gives them back bridged.

    Args:
        longest_s: the longest gap bridged, seconds from the last pose seen to the last
            frame missing (3 frames at 30 fps are 0.1 s).
        memory_s: how far back poses are kept for the periodic continuation (the slowest
            cycle counted).

    Memory: the poses of the last ``memory_s`` seconds (their (J, 2) positions) and the frames
    of the gap being held (bounded by ``longest_s``).
    """

    def __init__(self, longest_s: float, memory_s: float) -> None:
        self.longest_s, self.memory_s = longest_s, memory_s
        self._held: list[Pose] = []  # the missing frames since the last pose seen
        self._times: deque[float] = deque()  # the poses seen (and bridged) lately
        self._xy: deque[np.ndarray] = deque()
        self._last: Pose | None = None  # the last pose seen

    def step(self, pose: Pose, period: float = float("nan")) -> list[Pose]:
        """The poses to process now, in order, given the next one of the stream.

        A missing pose is held back while its gap may still be bridged (nothing to process
        yet); a pose seen after a short gap comes after the gap's frames, bridged.

        Args:
            pose: the next pose.
            period: seconds per cycle of the movement while it repeats, else NaN.
        """
        if not pose.detected:
            last = self._last
            if last is not None and pose.timestamp - last.timestamp <= self.longest_s:
                self._held.append(pose)
                return []
            self._last = None  # too long: nothing bridges it any more
            return [*self.flush(), pose]
        out = self._bridged(pose, period)
        self._held.clear()
        for p in [*out, pose]:
            self._remember(p)
        self._last = pose
        return [*out, pose]

    def flush(self) -> list[Pose]:
        """The frames held back, missing as they came (the stream ended, or the gap grew
        too long to bridge)."""
        out, self._held = self._held, []
        return out

    def _remember(self, pose: Pose) -> None:
        t = pose.timestamp
        self._times.append(t)
        self._xy.append(pose.xy.astype(np.float64))
        while t - self._times[0] > self.memory_s:
            self._times.popleft()
            self._xy.popleft()

    def _before(self, t: float) -> np.ndarray | None:
        """(J, 2) the positions at time ``t`` among the poses kept (linear between the two
        nearest), or None when ``t`` is not inside them."""
        times = self._times
        if not times or not times[0] <= t <= times[-1]:
            return None
        k = int(np.searchsorted(np.fromiter(times, float, len(times)), t))
        if times[k] == t or k == 0:
            return self._xy[k]
        w = (t - times[k - 1]) / (times[k] - times[k - 1])
        return (1.0 - w) * self._xy[k - 1] + w * self._xy[k]

    def _bridged(self, pose: Pose, period: float) -> list[Pose]:
        """The held frames filled in between the last pose seen and ``pose`` (missing where
        either side misses a joint)."""
        last = self._last
        if last is None or not self._held:
            return []
        span = pose.timestamp - last.timestamp
        if not span > 0 or last.skeleton != pose.skeleton:
            return self.flush()
        xy0, xy1 = last.xy.astype(np.float64), pose.xy.astype(np.float64)
        # the cycle before, where the movement repeats: its offsets from either side
        ago0 = self._before(last.timestamp - period) if np.isfinite(period) else None
        ago1 = self._before(pose.timestamp - period) if ago0 is not None else None
        vis = np.minimum(last.visibility, pose.visibility)
        out = []
        for p in self._held:
            w = (p.timestamp - last.timestamp) / span
            xy = (1.0 - w) * xy0 + w * xy1
            ago = self._before(p.timestamp - period) if ago1 is not None else None
            if ago is not None:
                cycle = ago + (1.0 - w) * (xy0 - ago0) + w * (xy1 - ago1)
                xy = np.where(np.isnan(cycle), xy, cycle)
            seen = np.where(np.isnan(xy).any(axis=1), 0.0, vis).astype(vis.dtype)
            out.append(Pose(xy.astype(pose.xy.dtype), seen, p.timestamp, p.index, pose.skeleton))
        return out
