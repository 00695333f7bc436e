"""PLACEHOLDER repetition counter, so form judging can be developed and tested on its own branch.

The real counter (``formcoach.counting``, issue 3) is written on another branch and replaces
this module at merge. Only its API is relied on elsewhere:

- ``count_reps(seq, exercise=None) -> list[Rep]`` (offline), and
- ``RepCounter(exercise=None, fps=None).update(pose) -> list[Rep]`` / ``.finish()`` (streaming).

Method (deliberately simple): one drive signal (the exercise's first drive feature that moves,
or the catalogue angle that moves most), smoothed; normalised between its rest level and its
turning point; a rep is an excursion above 60% of the way that starts and ends where the signal
is back within 20% of rest. A hold (``exercise.static``) is one stretch of steady pose.
"""

from __future__ import annotations

import numpy as np

from formcoach.features import feature
from formcoach.pose import Pose, PoseSequence
from formcoach.rep import ExerciseHint, Rep

__all__ = ["RepCounter", "count_reps"]

_GENERIC = (
    "left_elbow",
    "right_elbow",
    "left_knee",
    "right_knee",
    "left_hip",
    "right_hip",
    "left_shoulder",
    "right_shoulder",
    "trunk_tilt",
)
_HIGH, _LOW = 0.6, 0.2
_MIN_REP_S, _MAX_REP_S = 0.3, 20.0
_STILL = 0.01  # a change of under 1% of the range per frame is standing still


def _unit(name: str) -> float:
    """A movement big enough to count, in the feature's units."""
    return 30.0 if feature(name).is_angle else 0.12


def _fill(x: np.ndarray) -> np.ndarray | None:
    ok = np.isfinite(x)
    if ok.mean() < 0.6 or ok.sum() < 2:
        return None
    idx = np.flatnonzero(ok)
    return np.interp(np.arange(len(x)), idx, x[idx])


def _smooth(x: np.ndarray, k: int) -> np.ndarray:
    """A running median over ``2k+1`` frames (drops tracking glitches), then a mean over k."""
    if k <= 1 or len(x) < 2 * k + 1:
        return x
    from scipy.ndimage import median_filter

    x = median_filter(x, size=2 * k + 1, mode="nearest")
    pad = np.pad(x, (k // 2, k - 1 - k // 2), mode="edge")
    return np.convolve(pad, np.ones(k) / k, mode="valid")


def _drive_signal(
    seq: PoseSequence, exercise: ExerciseHint | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """(T,) the signal whose rise and fall makes a rep, smoothed hard and lightly; or None."""
    names = tuple(exercise.drive) if exercise is not None and exercise.drive else _GENERIC
    xy = seq.to_common().xy
    k = max(1, round(0.15 * seq.frame_rate()))
    best, best_move = None, 0.0
    for name in names:
        raw = _fill(feature(name)(xy).astype(np.float64))
        if raw is None:
            continue
        x = _smooth(raw, k)
        light = _smooth(raw, 1 if k < 2 else 1 + k // 3)
        move = float(np.percentile(x, 95) - np.percentile(x, 5)) / _unit(name)
        if exercise is not None and exercise.drive and move >= 1.0:
            return x, light  # the most telling drive feature that moves enough
        if move > best_move:
            best, best_move = (x, light), move
    return best if best_move >= 1.0 else None


def _segments(x: np.ndarray, x_raw: np.ndarray, fps: float) -> list[tuple[int, int]]:
    lo, hi = np.percentile(x, 5), np.percentile(x, 95)
    n = len(x)
    edge = max(1, n // 10)
    edges = np.median(np.concatenate([x[:edge], x[-edge:]]))
    rest, peak = (lo, hi) if abs(edges - lo) <= abs(edges - hi) else (hi, lo)
    s = (x - rest) / (peak - rest)
    s_raw = (x_raw - rest) / (peak - rest)
    out: list[tuple[int, int]] = []
    i = 0
    prev_end = 0
    while i < n:
        if s[i] < _HIGH:
            i += 1
            continue
        a = i
        while i < n and s[i] > _LOW:
            i += 1
        b = i  # first frame back near rest (or n)
        left = np.flatnonzero(s[prev_end:a] <= _LOW)
        if left.size:
            start = prev_end + int(left[-1])
        else:
            start = prev_end + int(np.argmin(s[prev_end:a])) if a > prev_end else a
        end = min(b, n - 1)
        if s[end] > _LOW:  # never came back to rest: ends at its lowest point
            end = a + int(np.argmin(s[a:]))
            if end <= a:
                break
        # widen to where the movement really starts and ends (the signal stops moving)
        while start > prev_end and s_raw[start - 1] < s_raw[start] - _STILL:
            start -= 1
        while end < n - 1 and s_raw[end + 1] < s_raw[end] - _STILL:
            end += 1
        dur = (end - start) / fps
        partial = start == 0 and s[0] > _LOW  # the clip began in the middle of a rep
        if _MIN_REP_S <= dur <= _MAX_REP_S and not partial:
            out.append((start, end))
        prev_end = end
        i = max(i, end + 1)
    return out


def _hold(seq: PoseSequence, exercise: ExerciseHint) -> list[tuple[int, int]]:
    """The longest stretch of steady pose (a plank), at least one second long."""
    xy = seq.to_common().xy
    for name in exercise.drive or _GENERIC:
        raw = feature(name)(xy).astype(np.float64)
        if np.isfinite(raw).mean() < 0.5:
            continue
        med = np.nanmedian(raw)
        steady = np.abs(raw - med) <= 0.5 * _unit(name)
        steady &= np.isfinite(raw)
        best, run_start = (0, -1), None
        for t, ok in enumerate([*steady, False]):
            if ok and run_start is None:
                run_start = t
            elif not ok and run_start is not None:
                if t - run_start > best[1] - best[0] + 1:
                    best = (run_start, t - 1)
                run_start = None
        if best[1] >= best[0] and (best[1] - best[0]) / seq.frame_rate() >= 1.0:
            return [best]
        return []
    return []


def count_reps(seq: PoseSequence, exercise: ExerciseHint | None = None) -> list[Rep]:
    """Find the repetitions (or, for a hold, the held stretch) in a whole sequence.

    Args:
        seq: poses of one person (any skeleton), T frames.
        exercise: what drives a rep; ``None`` uses the catalogue angle that moves most.

    Returns:
        Reps in time order, numbered from 1; frame indices index ``seq``.
    """
    if len(seq) < 3:
        return []
    fps = seq.frame_rate()
    if exercise is not None and exercise.static:
        spans = _hold(seq, exercise)
    else:
        sig = _drive_signal(seq, exercise)
        spans = [] if sig is None else _segments(sig[0], sig[1], fps)
    ts = seq.timestamps
    return [
        Rep(a, b, float(ts[a]), float(ts[b]), number=k + 1, emitted_frame=b)
        for k, (a, b) in enumerate(spans)
    ]


class RepCounter:
    """Streaming counter: feed poses one at a time, get each rep once it is over.

    Re-runs the offline method over a bounded buffer (the last ``window_s`` seconds); a rep is
    emitted once a short margin of frames after its end has arrived.
    """

    def __init__(
        self, exercise: ExerciseHint | None = None, fps: float | None = None, window_s: float = 30
    ) -> None:
        self.exercise = exercise
        self.fps = fps
        self.window_s = window_s
        self._poses: list[Pose] = []
        self._emitted_until = -1  # source frame index of the last emitted rep's end
        self._count = 0

    def _scan(self, final: bool) -> list[Rep]:
        if len(self._poses) < 3:
            return []
        seq = PoseSequence.from_poses(self._poses, fps=self.fps)
        fps = seq.frame_rate()
        margin = 0 if final else max(2, round(0.3 * fps))
        out = []
        for r in count_reps(seq, self.exercise):
            src_start = self._poses[r.start_frame].index
            src_end = self._poses[r.end_frame].index
            if src_end <= self._emitted_until or src_start < self._emitted_until:
                continue
            if not final and r.end_frame > len(self._poses) - 1 - margin:
                continue
            if self.exercise is not None and self.exercise.static and not final:
                continue  # a hold is over only when the stream ends
            self._count += 1
            emitted = self._poses[-1].index
            out.append(
                Rep(src_start, src_end, r.start_s, r.end_s, self._count, emitted, r.features)
            )
            self._emitted_until = src_end
        return out

    def update(self, pose: Pose) -> list[Rep]:
        """Add one frame; returns the reps completed by it (usually none)."""
        self._poses.append(pose)
        fps = self.fps or 30.0
        limit = int(self.window_s * fps)
        if len(self._poses) > limit:
            del self._poses[: len(self._poses) - limit]
        return self._scan(final=False)

    def finish(self) -> list[Rep]:
        """The stream has ended: return the reps not yet emitted."""
        return self._scan(final=True)
