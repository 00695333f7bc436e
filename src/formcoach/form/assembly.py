"""A rep's verdict assembled from its judged parts' deviations (in tolerances): the worst part
against the limit, with its cue, or praise for a good rep; and the seed's median verdict."""

from __future__ import annotations

import numpy as np

from formcoach.core.rep import Rep
from formcoach.form.cues import praise_for
from formcoach.form.exercises import Exercise
from formcoach.form.judge_settings import JudgeSettings
from formcoach.form.parts import PartDeviation
from formcoach.form.readings import RepCurves
from formcoach.form.verdict import RepVerdict, score_from_deviation

__all__ = ["assemble_verdict"]


def assemble_verdict(
    ex: Exercise,
    curves: RepCurves,
    parts: dict[str, PartDeviation],
    hidden: dict[str, str],
    rep: Rep | None,
    s: JudgeSettings,
) -> RepVerdict:
    """The verdict from each judged part's deviation."""
    values = np.array([p.size for p in parts.values()])
    median = float(np.median(values))
    aggregate = float(values.max())
    passed = aggregate <= s.limit
    ranked = sorted(parts, key=lambda name: parts[name].size, reverse=True)
    worst = tuple(p for p in ranked[:2] if parts[p].size > s.limit)
    if passed:
        praise = praise_for(ex, parts)
        cue, deviation = praise[(rep.number if rep else 0) % len(praise)], None
    else:
        cue, deviation = parts[ranked[0]].cue, parts[ranked[0]].deviation
    return RepVerdict(
        exercise=ex.name,
        view=curves.view,
        distances={name: p.size for name, p in parts.items()},
        features={k: d for p in parts.values() for k, d in p.features.items()},
        median=median,
        threshold=s.median_threshold,
        seed_passed=median <= s.median_threshold,
        aggregate=aggregate,
        passed=passed,
        score=score_from_deviation(aggregate),
        worst=worst,
        deviation=deviation,
        cue=cue,
        hidden=hidden,
        rep=rep,
    )
