"""Holds: the stretches during which a static exercise's position is held.

A static exercise (a plank) is timed, not counted. For it the counter returns one
:class:`~formcoach.core.rep.Rep` per *hold*: a stretch of at least ``hold_min_s`` seconds during
which the person holds the exercise's position. A frame is held when

- the drive features are **steady**: over the last ``hold_window_s`` each stayed within
  ``hold_steady`` tolerances (the exercise's judged tolerance of the feature, at least 8
  degrees or 0.1 units), and
- they are **in position**: each drive feature with a reference value (the exercise's rest
  level, :mod:`formcoach.counting.expected`) is within ``hold_position`` tolerances of it, so
  standing or kneeling before a plank is not holding it, while a sagging plank still is (the
  judge says what is wrong with it). Without reference values, steadiness alone decides.

A hold begins where its first steady window began and ends at its last held frame; leaving
the position for up to ``hold_break_s`` (a wobble, a pose-model glitch) does not end it. It
is emitted once it is over: when the position has been left for longer, or when the stream
ends (so offline counting, which streams the file, gives the same holds).

:func:`holds_position` asks the same "in position" question of a stretch of poses at once (the
session times a hold by it, in windows of a few seconds).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.core.rep import ExerciseHint
from formcoach.counting.candidates import Moment
from formcoach.counting.expected import ExpectedRep, expected_rep, least_tolerance
from formcoach.counting.motion import DriveFeatures
from formcoach.counting.settings import CountSettings

__all__ = ["HoldTracker", "holds_position"]


def _position_tol(is_angle: np.ndarray, e: ExpectedRep | None) -> np.ndarray:
    """(D,) the tolerance each drive feature is held to: the judged one, at least the least."""
    least = least_tolerance(is_angle)
    return least if e is None else np.where(e.known, np.fmax(e.tol, least), least)


def _off_position(pose: np.ndarray, e: ExpectedRep, tol: np.ndarray, seen: np.ndarray) -> float:
    """How far (in tolerances) the drive vector ``pose`` (D,) is from the position, on the
    features with a reference that are ``seen``; 0 when there is none."""
    k = e.known & seen
    return float((np.abs(pose[k] - e.rest[k]) / tol[k]).max()) if k.any() else 0.0


def holds_position(
    seq: PoseSequence, exercise: ExerciseHint, settings: CountSettings | None = None
) -> bool | None:
    """Whether a stretch of poses (T frames, any skeleton) is in the exercise's held position,
    by the counter's rule: the median of each drive feature with a reference is within
    ``settings.hold_position`` of its tolerance. None when the exercise gives no position or
    none of those features is seen: steadiness alone would decide."""
    drive = tuple(getattr(exercise, "drive", ()) or ())
    if not drive or not len(seq):
        return None
    f = DriveFeatures(drive)
    e = expected_rep(exercise, f.factors)
    if e is None:
        return None
    xy = seq.to_common().xy
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.stack([spec(xy) for spec in f.specs], axis=-1) * f.factors  # (T, D)
    seen = np.isfinite(values).any(axis=0)
    if not (e.known & seen).any():
        return None
    median = np.array(
        [
            np.median(v[np.isfinite(v)]) if v_seen else np.nan
            for v, v_seen in zip(values.T, seen, strict=True)
        ]
    )
    hold_position = (settings or CountSettings()).hold_position
    return _off_position(median, e, _position_tol(f.is_angle, e), seen) <= hold_position


@dataclass(eq=False)
class HoldTracker:
    """Finds the held stretches in a stream of drive-feature vectors.

    Args:
        is_angle: (D,) True for angle features (radians).
        expected: the exercise's position, when it gives one.
        settings: the counter's settings.
    """

    is_angle: np.ndarray
    expected: ExpectedRep | None = None
    settings: CountSettings = field(default_factory=CountSettings)

    def __post_init__(self) -> None:
        self._tol = _position_tol(self.is_angle, self.expected)
        self._window: deque[tuple[Moment, np.ndarray]] = deque(maxlen=512)
        self._start: Moment | None = None
        self._last: Moment | None = None
        self._after = -1  # index of the last hold's end: the next one starts later

    def _held(self, now: Moment, seen: np.ndarray) -> bool:
        s = self.settings
        if not seen.any():
            return False
        e = self.expected
        if e is not None and _off_position(now.pose, e, self._tol, seen) > s.hold_position:
            return False
        poses = np.array([p for _, p in self._window])[:, seen]
        spread = (np.nanmax(poses, axis=0) - np.nanmin(poses, axis=0)) / self._tol[seen]
        full = now.time - self._window[0][0].time >= s.hold_window_s - 1e-6
        return full and float(spread.max()) <= s.hold_steady

    def step(self, now: Moment, seen: np.ndarray) -> tuple[Moment, Moment] | None:
        """Take one frame (its smoothed drive vector in ``now.pose``; ``seen`` (D,) bool the
        features seen in it); returns a hold that is over, as (first, last) frame."""
        s = self.settings
        self._window.append((now, now.pose))
        while now.time - self._window[0][0].time > s.hold_window_s + 1e-6:
            self._window.popleft()
        done = None
        if self._last is not None and now.time - self._last.time > s.hold_break_s:
            done = self._close()
        if self._held(now, seen):
            if self._start is None:
                first = next(m for m, _ in self._window if m.index > self._after)
                self._start = first
            self._last = now
        return done

    def finish(self) -> tuple[Moment, Moment] | None:
        """End of the stream: the hold still open, if long enough."""
        return self._close() if self._last is not None else None

    def _close(self) -> tuple[Moment, Moment] | None:
        start, last = self._start, self._last
        self._start = self._last = None
        assert start is not None and last is not None
        self._after = last.index
        if last.time - start.time >= self.settings.hold_min_s:
            return start, last
        return None
