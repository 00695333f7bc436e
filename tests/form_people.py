"""Synthetic people doing exercises, for judging tests: their own parameters, not the YAML's.

Each person is drawn from a seeded random generator within what a coach accepts as correct
(range of motion, tempo, pauses, which arm, camera, body proportions, pose noise), written from
movement knowledge independently of the built-in references' keyframes. A fault is added on top
with a given size. The figures are posed by angles with
:func:`formcoach.testing.figure.stick_figure` (see its conventions: ``{side}_shoulder`` is
the upper arm raised from hanging, ``{side}_hip`` the thigh from vertical).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.testing.figure import SEGMENTS, keyframes, stick_figure

SIDES = ("left", "right")


@dataclass(frozen=True)
class Person:
    """Who moves and how the camera sees it.

    Attributes:
        seed: the draw.
        fps: frame rate of the recording.
        height_px: body height in pixels.
        proportions: factor per segment length (a build).
        noise_px: pose-model jitter.
        tempo_s: the duration of one rep's movement.
        pause_s: still time before and after the movement.
        turn: share of the movement spent at the turning point (a squeeze, a pause).
    """

    seed: int
    fps: float
    height_px: float
    proportions: dict[str, float] = field(default_factory=dict)
    noise_px: float = 1.0
    tempo_s: float = 2.0
    pause_s: float = 0.5
    turn: float = 0.1

    @property
    def rng(self) -> np.random.Generator:
        return np.random.default_rng(1000 + self.seed)


def person(seed: int) -> Person:
    """A random person: 24-60 fps, 1.2-4 s reps, proportions within 10 % of average."""
    rng = np.random.default_rng(seed)
    return Person(
        seed=seed,
        fps=float(rng.choice([24.0, 25.0, 30.0, 50.0, 60.0])),
        height_px=float(rng.uniform(220, 520)),
        proportions={k: float(rng.uniform(0.9, 1.1)) for k in SEGMENTS},
        noise_px=float(rng.uniform(0.3, 1.5)),
        tempo_s=float(rng.uniform(1.2, 4.0)),
        pause_s=float(rng.uniform(0.3, 1.2)),
        turn=float(rng.uniform(0.0, 0.3)),
    )


def movement(
    p: Person, spec: dict[str, tuple[float, float]], reps: int = 1
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each angle goes from its first value to its second and back, ``reps`` times, with the
    person's tempo, pauses and time at the turning point."""
    down = (1 - p.turn) / 2 * p.tempo_s
    one = [0.0, p.pause_s, p.pause_s + down, p.pause_s + down + p.turn * p.tempo_s]
    one.append(one[-1] + down)
    times, phase = [0.0], [0]
    for r in range(reps):
        base = r * one[-1]
        times += [base + t for t in one[1:]]
        phase += [0, 1, 1, 0]
    total = times[-1] + p.pause_s
    times.append(total)
    phase.append(0)
    t = np.arange(round(total * p.fps)) / p.fps
    angles = {n: keyframes(times, [(a, b)[k] for k in phase], t) for n, (a, b) in spec.items()}
    return angles, t


def pose(
    p: Person, spec: dict[str, tuple[float, float]], view: str, reps: int = 1, anchor="hip"
) -> PoseSequence:
    """The person doing the movement ``spec`` seen from ``view``."""
    angles, _t = movement(p, spec, reps)
    return stick_figure(
        angles,
        fps=p.fps,
        view=view,
        height_px=p.height_px,
        origin=(320.0, 300.0),
        anchor=anchor,
        noise_px=p.noise_px,
        seed=p.seed,
        proportions=p.proportions,
    )


HANGING = {"shoulder": (3.0, 3.0), "elbow": (172.0, 172.0)}


def arms(which: str, **kw: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """``elbow=(a, b)`` on the working arm(s) (``"left"``, ``"right"`` or ``"both"``); the
    other arm hangs still by the side."""
    out: dict[str, tuple[float, float]] = {}
    for name, v in kw.items():
        for side in SIDES:
            out[f"{side}_{name}"] = v if which in (side, "both") else HANGING[name]
    return out


def both(**kw: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """``knee=(a, b)`` -> the same on both sides; other names unchanged."""
    out = {}
    for name, v in kw.items():
        if name in ("shoulder", "elbow", "hip", "knee", "knee_in"):
            for side in SIDES:
                out[f"{side}_{name}"] = v
        else:
            out[name] = v
    return out
