"""The judgement of one repetition (:class:`RepVerdict`), and how a deviation becomes a score.

Produced by :class:`formcoach.form.judge.FormJudge`; plain frozen data, so a session can store
it and a report can plot it. The judge composes every sentence (:mod:`formcoach.form.cues`);
a verdict only stores them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from formcoach.core.rep import Rep

__all__ = ["Deviation", "RepVerdict", "score_from_deviation"]


def score_from_deviation(d: float) -> int:
    """0-100 score of a deviation in tolerances: 100 at 0, 61 at the limit 1, 14 at 2."""
    if not math.isfinite(d):
        return 0
    return round(100.0 * math.exp(-0.5 * d * d))


@dataclass(frozen=True)
class Deviation:
    """Which way the worst body part was off.

    Attributes:
        part: body part (``"left_arm"``, ``"trunk"``).
        feature: the exercise's feature (``"arm.elbow"``).
        spec: the feature measured (``"left_elbow"``).
        too: ``"high"`` or ``"low"``: the rep's value compared with the reference.
        when: ``"rest"``, ``"peak"`` or ``"all"``: where in the rep.
        size: how far off, in tolerances.
        text: the same in words for reports (``"elbow too high at the turning point"``).
    """

    part: str
    feature: str
    spec: str
    too: str
    when: str
    size: float
    text: str = ""


@dataclass(frozen=True)
class RepVerdict:
    """The judgement of one repetition.

    Attributes:
        exercise: the exercise's name.
        view: camera view it was judged from.
        distances: body part -> how far it deviated, in tolerances (1 = limit): for a built-in
            exercise its worst named fault, for a taught one its DTW distance to the person's
            own reps.
        features: ``"part.feature[@side]"`` -> DTW distance in the feature's units (RMS along
            the alignment, e.g. degrees).
        median: the seed's aggregate: the median of ``distances``.
        threshold: the seed's threshold on ``median``.
        seed_passed: the seed's verdict, ``median <= threshold``.
        aggregate: the verdict's aggregate: the worst part's deviation.
        passed: the verdict, ``aggregate <= limit``: one bad part makes a bad rep.
        score: 0-100 (100 perfect, 61 at the limit).
        worst: the part(s) beyond the limit, worst first (empty for a good rep).
        deviation: which way the worst part was off, and when (None for a good rep).
        cue: one sentence to say: the correction, or praise for a good rep.
        hidden: body part -> what to say because it could not be judged.
        rep: the repetition judged, when known.
    """

    exercise: str
    view: str
    distances: dict[str, float]
    features: dict[str, float]
    median: float
    threshold: float
    seed_passed: bool
    aggregate: float
    passed: bool
    score: int
    worst: tuple[str, ...]
    deviation: Deviation | None
    cue: str
    hidden: dict[str, str] = field(default_factory=dict)
    rep: Rep | None = None

    @property
    def direction(self) -> str | None:
        """How the worst part deviated, in words (``None`` for a good rep)."""
        return self.deviation.text if self.deviation else None

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly summary (what ``formcoach analyze --json`` prints per rep)."""
        out: dict[str, object] = {
            "score": self.score,
            "passed": self.passed,
            "seed_passed": self.seed_passed,
            "median": round(self.median, 3),
            "aggregate": round(self.aggregate, 3),
            "distances": {k: round(v, 3) for k, v in self.distances.items()},
            "worst": list(self.worst),
            "direction": self.direction,
            "cue": self.cue,
            "hidden": dict(self.hidden),
            "view": self.view,
        }
        if self.rep is not None:
            out.update(self.rep.as_dict())
        return out
