"""Repetitions cut by the edges of a recording.

A clip cut around a set (as in every public counting dataset) often begins or ends in the
middle of a repetition, and its labels count such a rep: they count the cycles of the movement
in the clip, at whatever phase the labeller chose to mark. A live stream, which begins before
the person starts and may be stopped at any moment, must not count a rep it only half saw.
The counter tells the two apart by how the recording begins:

- it **began inside the set** when what comes before the first counted rep is the end of a
  rep and a pause like the set's own: the posture gets back to the rest pose (or is there)
  within one cycle of the first frame, and the first rep leaves it after a pause no longer
  than the set's pauses between reps and half a rep (a recording that begins with walking
  in, setting up or a rest does not). A cycle is the time from one rep's start to the
  next's; the pause between reps is a cycle less a rep's duration (none while only one rep
  is known); then
- the visible parts of the reps cut by its start and by its end count as repetitions as
  cycles do: the share of a cycle each shows (rest -> far is half a cycle, far -> rest the
  other half) is added up, and when they show most of a cycle (:data:`MOST_OF_A_CYCLE`, three
  quarters) they make a rep. Labels disagree about a rep of which only about half is seen
  (RepCount counts complete reps only, QUVA counts cycles at any phase), so half is not enough. The
  rep cut by the start is emitted with the first counted rep when it alone shows that much;
  the one cut by the end is emitted by ``finish()``, when the shares of both do. A lone half
  at one edge (a trimmed clip that starts at the top of a press, then does its rep) is not
  a rep.

A recording that shows no complete rep but began inside one (a clip cut around a single
squat that starts at its bottom) counts the movement it shows when it is one clear half
cycle: at least ``lone_floor`` (or, for a known exercise, ``prior_share`` of its range).

Anything else before the first rep (walking in, setting up, a rest) or after the last is
never counted: the recording did not begin inside the set, or it shows no share of a cycle.
Progress along a rep is measured as the projection of the posture on the line from the rep's
start pose to its far pose, from distances in the movement subspace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from formcoach.counting.candidates import Candidate, Moment

__all__ = ["MOST_OF_A_CYCLE", "Cut", "Edges", "cut_after", "cut_before", "lone_half", "progress"]

Distance = Callable[[np.ndarray, np.ndarray], float]

#: The posture is back at rest when within this share of the range of the nearest it gets.
_BACK = 0.05
#: Cut reps count when the shares of a cycle they show add up to this much.
MOST_OF_A_CYCLE = 0.75


@dataclass(frozen=True, eq=False)
class Cut:
    """The visible part of a rep cut by an edge of the recording.

    Attributes:
        share: the share of a cycle it shows (0..1).
        start: its first frame; far: its frame nearest the far pose; end: its last frame.
    """

    share: float
    start: Moment
    far: Moment
    end: Moment


def progress(m: Moment, rest: np.ndarray, far: np.ndarray, dist: Distance) -> float:
    """How far ``m`` is from ``rest`` toward ``far``: its projection on the line between
    them, 0 at rest and 1 at far (clipped to [0, 1])."""
    span = dist(far, rest)
    if span <= 0:
        return 0.0
    a, b = dist(m.pose, rest), dist(m.pose, far)
    x = (a * a - b * b + span * span) / (2.0 * span * span)
    return float(np.clip(x, 0.0, 1.0))


def cut_before(
    frames: Sequence[Moment],
    rest: np.ndarray,
    far: np.ndarray,
    first_start: Moment,
    cycle: float,
    duration: float,
    dist: Distance,
) -> Cut | None:
    """The rep cut by the start of the recording, before its first counted rep.

    Args:
        frames: the recording's frames from its first one, up to the first rep's start.
        rest, far: the first rep's start and far poses.
        first_start: where the first rep began.
        cycle: seconds from one rep's start to the next one's.
        duration: seconds a rep lasts.
        dist: distances in the movement subspace.

    Returns:
        None when the recording did not begin inside the set; else the cut rep (its
        ``share`` may be 0).
    """
    if not frames:
        return None
    x = np.array([progress(m, rest, far, dist) for m in frames])
    top = int(np.argmax(x))
    back = top + int(np.flatnonzero(x[top:] <= x[top:].min() + _BACK)[0])
    t0, t_back = frames[0].time, frames[back].time
    pause = max(cycle - duration, 0.0) + 0.5 * duration
    if t_back - t0 > cycle or first_start.time - t_back > pause:
        return None
    share = 0.5 * (x[top] - x[0]) + 0.5 * x[top]
    return Cut(float(min(share, 1.0)), frames[0], frames[top], frames[back])


def cut_after(
    frames: Sequence[Moment], rest: np.ndarray, far: np.ndarray, dist: Distance
) -> Cut | None:
    """The rep cut by the end of the recording, after its last counted rep.

    Args:
        frames: the frames after the last rep's end, to the end of the recording.
        rest, far: the last rep's start and far poses.
        dist: distances in the movement subspace.
    """
    if not frames:
        return None
    x = np.array([progress(m, rest, far, dist) for m in frames])
    top = int(np.argmax(x))
    start = int(np.argmin(x[: top + 1]))
    # the last rep's own way back, if unfinished, is no rise, and no way back of this rep
    # either: a rep goes out (half way at least) before it comes back (pushfit correct67 at
    # 15 fps: the frames after the last rep began at its far pose and only came back)
    rise = x[top] - x[start]
    share = 0.5 * rise + (0.5 * (x[top] - x[-1]) if rise >= 0.5 else 0.0)
    return Cut(float(min(share, 1.0)), frames[start], frames[top], frames[-1])


def lone_half(frames: Sequence[Moment], dist: Distance) -> tuple[Cut, float] | None:
    """The one movement of a recording that began in it, and its range.

    The movement goes from the first frame's posture to the posture farthest from it; it
    qualifies when it left within half its own duration of the first frame and the posture
    then stayed there (within a third of the range): a recording cut around the second half
    of a rep. Returns the movement as a half-cycle :class:`Cut` and its range, or None.
    """
    if len(frames) < 3:
        return None
    p0 = frames[0].pose
    d = np.array([dist(m.pose, p0) for m in frames])
    top = int(np.argmax(d))
    reach = float(d[top])
    if reach <= 0:
        return None
    left = int(np.flatnonzero(d[: top + 1] <= _BACK * reach)[-1])
    there = int(np.flatnonzero(d >= (1.0 - _BACK) * reach)[0])
    span = frames[there].time - frames[left].time
    if frames[left].time - frames[0].time > 0.5 * span:
        return None
    after = np.array([dist(m.pose, frames[top].pose) for m in frames[there:]])
    if float(after.max()) > reach / 3:
        return None
    return Cut(0.5, frames[left], frames[there], frames[there]), reach


@dataclass(eq=False)
class Edges:
    """The counter's bookkeeping for reps cut by the recording's edges.

    Attributes:
        first: the recording's first frame seen.
        left: the share of a cycle the start's cut rep showed and that no rep counted yet
            (negative once it was counted); None when the recording did not begin inside the
            set (or before the first rep is counted).
    """

    first: Moment | None = None
    left: float | None = None
    checked: bool = False

    def see(self, m: Moment) -> None:
        """Note the recording's first frame."""
        if self.first is None:
            self.first = m

    def at_first_rep(
        self, frames: Sequence[Moment], reps: Sequence[Candidate], dist: Distance
    ) -> Cut | None:
        """At the first counted reps: the rep cut by the recording's start, to count now when
        it shows most of a cycle.

        Args:
            frames: the remembered frames up to the first rep's start.
            reps: the first counted reps (one, or the first of a set confirmed together).
            dist: distances in the movement subspace.
        """
        rep = reps[0]
        starts = [r.start.time for r in reps]
        duration = float(np.median([r.duration for r in reps]))
        cycle = float(np.median(np.diff(starts))) if len(reps) > 1 else duration
        if self.checked:
            return None
        self.checked = True
        if self.first is None or not frames or frames[0].index != self.first.index:
            return None
        cut = cut_before(frames, rep.start.pose, rep.reach, rep.start, cycle, duration, dist)
        if cut is None:
            return None
        counted = cut.share >= MOST_OF_A_CYCLE
        self.left = cut.share - 1.0 if counted else cut.share
        return cut if counted else None

    def at_end(self, frames: Sequence[Moment], last: Candidate, dist: Distance) -> Cut | None:
        """At the end of a recording that began inside the set: the rep cut by its end, when
        it and what the start's cut rep left over show most of a cycle."""
        if self.left is None:
            return None
        cut = cut_after(frames, last.start.pose, last.reach, dist)
        if cut is None or self.left + cut.share < MOST_OF_A_CYCLE:
            return None
        return cut
