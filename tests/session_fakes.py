"""Stand-ins for the session's heavy parts: a counter, a judge and exercises with known answers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.rep import Rep
from formcoach.pose.sources import SequencePoseSource
from formcoach.store import Store
from formcoach.store.records import WorkoutItem
from formcoach.testing.figure import stick_figure

FPS = 30.0


@dataclass(frozen=True)
class FakeExercise:
    name: str
    title: str
    static: bool = False
    drive: tuple[str, ...] = ("left_elbow",)


EXERCISES = {
    "curl": FakeExercise("curl", "Curl"),
    "plank": FakeExercise("plank", "Plank", static=True),
}


#: the exercises of the store's default plan, all standing in as curls here
DEFAULT_PLAN_NAMES = ("bicep_curl", "shoulder_press", "push_up", "squat", "lunge")


def get_exercise(name: str) -> FakeExercise:
    if name in DEFAULT_PLAN_NAMES:
        return FakeExercise(name, name.replace("_", " "))
    if name == "plank":
        return EXERCISES["plank"]
    try:
        return EXERCISES[name]
    except KeyError:
        raise FormcoachError(f"unknown exercise {name!r}", "use curl or plank") from None


@dataclass(frozen=True)
class FakeVerdict:
    score: int
    passed: bool
    cue: str
    worst: tuple[str, ...] = ()
    distances: dict[str, float] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)


class FakeCounter:
    """Emits a rep every ``period`` frames (each ``length`` frames long), ``lag`` frames late."""

    def __init__(self, period: int = 30, length: int = 24, lag: int = 3, first: int = 10):
        self.period, self.length, self.lag, self.first = period, length, lag, first
        self.n = 0
        self.seen: list[int] = []

    def update(self, pose: Pose) -> list[Rep]:
        self.seen.append(pose.index)
        end = pose.index - self.lag
        if end >= self.first + self.length and (end - self.first - self.length) % self.period == 0:
            if not pose.detected:
                return []
            self.n += 1
            start = end - self.length
            return [Rep(start, end, start / FPS, end / FPS, self.n, pose.index)]
        return []

    def finish(self) -> list[Rep]:
        return []


class FakeJudge:
    """Passes or fails reps in a given order; a failed rep asks to fix the left arm."""

    def __init__(self, passes: list[bool] | None = None, score_hold: int = 80):
        self.passes = list(passes or [])
        self.score_hold = score_hold
        self.calls = 0
        self.lengths: list[int] = []

    def judge(self, seq: PoseSequence, rep=None, view=None, near_side=None) -> FakeVerdict:
        self.calls += 1
        # the rep's own frames (a rep comes with the stream around it)
        self.lengths.append(len(seq) if rep is None else rep.end_frame - rep.start_frame + 1)
        ok = self.passes.pop(0) if self.passes else True
        if ok:
            return FakeVerdict(90, True, "Good curl.", (), {"left_arm": 0.5})
        return FakeVerdict(
            40, False, "Keep your elbow by your side.", ("left_arm",), {"left_arm": 1.8}
        )


def poses(n: int, absent: tuple[int, int] | None = None) -> PoseSequence:
    """A person curling at 1 Hz for ``n`` frames; nobody in frames ``absent[0]:absent[1]``."""
    t = np.arange(n) / FPS
    seq = stick_figure({"left_elbow": 105 + 65 * np.cos(2 * np.pi * t)}, fps=FPS)
    if absent:
        vis = seq.visibility.copy()
        vis[absent[0] : absent[1]] = 0
        seq = seq.replace(visibility=vis)
    return seq


def source(n: int = 400, absent=None) -> SequencePoseSource:
    return SequencePoseSource(poses(n, absent), "synthetic curls")


def store_with(plan: list[WorkoutItem], name: str = "ana") -> Store:
    store = Store(":memory:", validate_exercise=get_exercise)
    store.add_profile(name, plan={"monday": plan})
    return store
