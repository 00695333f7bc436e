"""Synthetic workouts with known repetitions, for the counting tests and benchmarks.

A workout is a list of segments (a set of reps of one movement, a hold, a walk); it is turned
into joint-angle tracks, posed with :func:`formcoach.testing.figure.stick_figure`, and
returned with the true start, far and end time of every repetition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.testing.figure import ANGLE_NAMES, keyframes, stick_figure

__all__ = ["FPS", "MOVES", "TrueRep", "Workout"]

FPS = 30.0

#: name -> (rest angles, far angles) of one repetition
MOVES: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "curl": ({"left_elbow": 170, "right_elbow": 170}, {"left_elbow": 40, "right_elbow": 40}),
    "squat": (
        {"left_hip": 0, "right_hip": 0, "left_knee": 178, "right_knee": 178, "trunk_lean": 5},
        {"left_hip": 95, "right_hip": 95, "left_knee": 85, "right_knee": 85, "trunk_lean": 45},
    ),
    "raise": (
        {"left_shoulder": 5, "right_shoulder": 5},
        {"left_shoulder": 95, "right_shoulder": 95},
    ),
    "bend": ({"trunk_lean": 0}, {"trunk_lean": 80, "left_elbow": 150, "right_elbow": 150}),
}
NEUTRAL = {n: (180.0 if n.endswith(("elbow", "knee")) else 0.0) for n in ANGLE_NAMES}


@dataclass(frozen=True)
class TrueRep:
    """When a synthetic rep starts, reaches its far point and ends (seconds)."""

    start_s: float
    far_s: float
    end_s: float


class Workout:
    """Builds a workout segment by segment (times in seconds)."""

    def __init__(self) -> None:
        self.t = 0.0
        self.keys: dict[str, list[tuple[float, float]]] = {n: [] for n in ANGLE_NAMES}
        self.true_reps: list[TrueRep] = []
        self.walk: list[tuple[float, float, float, float]] = []  # t0, t1, x0, x1
        self._pose = dict(NEUTRAL)
        self._key(self._pose)

    def _key(self, pose: dict[str, float], t: float | None = None) -> None:
        t = self.t if t is None else t
        for n in ANGLE_NAMES:
            v = pose.get(n, NEUTRAL[n])
            if self.keys[n] and abs(self.keys[n][-1][0] - t) < 1e-9:
                self.keys[n][-1] = (t, v)
            else:
                self.keys[n].append((t, v))

    def pose(self, angles: dict[str, float], seconds: float) -> Workout:
        """Move to a posture over ``seconds`` and stay there."""
        self._pose = {**NEUTRAL, **angles}
        self.t += seconds
        self._key(self._pose)
        return self

    def hold(self, seconds: float) -> Workout:
        """Stay in the current posture for ``seconds``."""
        self.t += seconds
        self._key(self._pose)
        return self

    def reps(
        self,
        move: str,
        periods: list[float],
        *,
        count: bool = True,
        depth: float = 1.0,
        pause_s: float = 0.0,
    ) -> Workout:
        """Repetitions of ``move``, one per period (seconds), from and back to its rest pose.

        Args:
            count: False for movements that must not be counted (partial, one-off).
            depth: share of the full range reached (a partial rep below 1).
            pause_s: hold at the rest pose after each rep.
        """
        rest, far = MOVES[move]
        rest_pose = {**NEUTRAL, **rest}
        far_pose = {
            n: rest_pose.get(n, NEUTRAL[n]) + depth * (v - rest_pose.get(n, NEUTRAL[n]))
            for n, v in {**rest, **far}.items()
        }
        if any(abs(rest_pose[n] - self._pose.get(n, NEUTRAL[n])) > 1e-6 for n in rest_pose):
            self.pose(rest_pose, 0.8).hold(0.4)
        for p in periods:
            t0 = self.t
            self.t += p / 2
            self._key({**rest_pose, **far_pose})
            self.t += p / 2
            self._key(rest_pose)
            if count:
                self.true_reps.append(TrueRep(t0, t0 + p / 2, t0 + p))
            if pause_s:
                self.hold(pause_s)
        self._pose = rest_pose
        return self

    def walk_in(self, seconds: float, distance_px: float, stride_s: float = 1.0) -> Workout:
        """Walk sideways into place (legs swinging), ending at the origin."""
        t0 = self.t
        steps = max(1, round(seconds / stride_s))
        for k in range(steps):
            a = t0 + k * stride_s
            self._key({**self._pose, "left_hip": 25, "right_hip": -20, "left_knee": 160}, a + 0.25)
            self._key({**self._pose, "left_hip": -20, "right_hip": 25, "right_knee": 160}, a + 0.75)
        self.t = t0 + steps * stride_s
        self._key(self._pose)
        self.walk.append((t0, self.t, -distance_px, 0.0))
        return self

    def build(
        self,
        *,
        noise_px: float = 0.0,
        view: str = "side",
        seed: int = 0,
        stop_s: float | None = None,
    ) -> tuple[PoseSequence, list[TrueRep]]:
        """The poses (COMMON skeleton, 30 fps) and the true reps that end before the stream."""
        end = self.t if stop_s is None else stop_s
        t = np.arange(round(end * FPS)) / FPS
        angles = {}
        for n, ks in self.keys.items():
            times, vals = zip(*ks, strict=True)
            angles[n] = keyframes(list(times), list(vals), t)
        offset = np.zeros((len(t), 2))
        for t0, t1, x0, x1 in self.walk:
            offset[t < t0, 0] += x0
            inside = (t >= t0) & (t < t1)
            offset[inside, 0] += x0 + (x1 - x0) * (t[inside] - t0) / (t1 - t0)
        seq = stick_figure(
            angles,
            fps=FPS,
            view=view,
            anchor="ankle",
            origin=(320.0, 440.0),
            offset=offset,
            noise_px=noise_px,
            seed=seed,
        )
        return seq, [r for r in self.true_reps if r.end_s <= end]
