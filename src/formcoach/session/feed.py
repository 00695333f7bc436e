"""The live pose stream of a session: frames pulled through the pipeline one at a time, and
the last seconds of cleaned poses kept for judging the rep that just ended."""

from __future__ import annotations

import collections
import time
from collections.abc import Callable
from dataclasses import replace

from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.rep import Rep
from formcoach.pose.pipeline import Step, track
from formcoach.pose.sources import PoseSource

__all__ = ["Feed", "PoseBuffer"]


class PoseBuffer:
    """The last ``seconds`` of cleaned poses with the wall time each arrived (bounded both in
    time and, at ``fps``, in count: a camera slower than its nominal rate keeps no more)."""

    def __init__(self, seconds: float, fps: float) -> None:
        self.seconds = seconds
        self._items: collections.deque[tuple[Pose, float]] = collections.deque(
            maxlen=max(int(seconds * fps * 1.5), 64)
        )

    def add(self, pose: Pose, wall: float) -> None:
        self._items.append((pose, wall))
        while pose.timestamp - self._items[0][0].timestamp > self.seconds:
            self._items.popleft()

    def __len__(self) -> int:
        return len(self._items)

    def frames(self, start: int, end: int) -> list[tuple[Pose, float]]:
        """Buffered poses with ``start <= index <= end``."""
        return [(p, w) for p, w in self._items if start <= p.index <= end]

    def sequence(self, start: int, end: int) -> PoseSequence | None:
        got = self.frames(start, end)
        if not got:
            return None
        return PoseSequence.from_poses([p for p, _ in got])

    def around(self, rep: Rep, before_s: float) -> tuple[PoseSequence, Rep] | None:
        """The buffered stream around ``rep`` as its judge may see it right after the counter
        emitted it: from ``before_s`` seconds before its start to the frame that emitted it
        (its end when not known), with the rep's frames re-numbered into it; ``None`` when
        its frames are no longer all buffered."""
        last = max(rep.end_frame, rep.emitted_frame)
        got = [
            p for p, _ in self._items if p.timestamp >= rep.start_s - before_s and p.index <= last
        ]
        index = [p.index for p in got]
        if rep.start_frame not in index or rep.end_frame not in index:
            return None
        a, b = index.index(rep.start_frame), index.index(rep.end_frame)
        seq = PoseSequence.from_poses(got)
        return seq, replace(rep, start_frame=a, end_frame=b, emitted_frame=len(got) - 1)

    def recent(self, seconds: float) -> PoseSequence | None:
        if not self._items:
            return None
        t_end = self._items[-1][0].timestamp
        poses = [p for p, _ in self._items if p.timestamp >= t_end - seconds]
        return PoseSequence.from_poses(poses)

    def arrival(self, index: int) -> float | None:
        for p, w in reversed(self._items):
            if p.index == index:
                return w
            if p.index < index:
                return None
        return None


class Feed:
    """Pulls frames from a pose source through the pipeline, one at a time.

    Args:
        source: the camera or video (opened); closed by :meth:`close`.
        buffer: every cleaned pose is added to it with its arrival time.
        on_step: called with every step (e.g. a display).
    """

    def __init__(
        self,
        source: PoseSource,
        buffer: PoseBuffer,
        on_step: Callable[[Step], None] | None = None,
    ) -> None:
        self.source = source
        self.buffer = buffer
        self.on_step = on_step
        self.live = source.live
        self.fps = source.fps or 30.0
        self._steps = track(source)
        self.last: Step | None = None
        self.ended = False

    def next(self) -> Step | None:
        """The next frame's step, or ``None`` when the source has ended."""
        if self.ended:
            return None
        try:
            step = next(self._steps)
        except StopIteration:
            self.ended = True
            return None
        self.buffer.add(step.pose, time.perf_counter())
        self.last = step
        if self.on_step is not None:
            self.on_step(step)
        return step

    def close(self) -> None:
        self.source.close()
