"""What drives a taught exercise's count: the joints that move most in its demonstration, as
long as they find the demonstration's own reps again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.features import feature
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.counting import count_reps
from formcoach.form.calibration import least_tolerance
from formcoach.form.curves import RepCurves
from formcoach.form.exercises import Exercise
from formcoach.pose.glitches import repaired

__all__ = ["moving_drive", "self_counting"]


def moving_drive(base: Exercise, examples: Sequence[RepCurves]) -> tuple[str, ...]:
    """The catalogue features that move most over the demonstration (what drives a rep).

    A joint that bends drives a rep when one does (elbows in a curl, knees in a squat): a
    ratio or a height moves as much with the pose model's noise or a body turning (the knees'
    width over hips seen edge-on) and is the drive only when no joint angle moves.
    """
    motion: dict[str, float] = {}
    defs = base.feature_defs()
    for rc in examples:
        for k, c in rc.curves.items():
            unit, _, side = k.partition("@")
            f = defs[unit]
            spec = f.resolved(side or None)
            if "(" in spec:
                continue
            move = float(np.ptp(c)) / least_tolerance(f.spec)
            motion[spec] = max(motion.get(spec, 0.0), move)
    moving = {s: m for s, m in motion.items() if m >= 1.0}
    angles = {s: m for s, m in moving.items() if feature(s).is_angle}
    ranked = [s for s, _ in sorted((angles or moving).items(), key=lambda kv: -kv[1])]
    if not ranked:
        return base.drive
    # both sides of the features that move most
    out: list[str] = []
    for s in ranked[:2]:
        for cand in (s, s.replace("left_", "right_"), s.replace("right_", "left_")):
            if cand not in out:
                try:
                    feature(cand)
                except FormcoachError:
                    continue
                out.append(cand)
    return tuple(out)


def _counts_alike(found: list[Rep], wanted: list[Rep]) -> bool:
    """Whether every wanted rep is found again: a found rep covers at least half of it."""

    def covered(w: Rep) -> bool:
        length = w.end_frame - w.start_frame + 1
        return any(
            min(w.end_frame, f.end_frame) - max(w.start_frame, f.start_frame) + 1 >= length / 2
            for f in found
        )

    return all(covered(w) for w in wanted)


def self_counting(
    ex: Exercise, template: Exercise, takes: Sequence[PoseSequence], kept: list[tuple[int, Rep]]
) -> Exercise:
    """The taught exercise counting its own demonstration as it was taught: the joints that
    move most drive it when they find the demonstration's reps again, else the drive that
    found them (a squat whose arms swing more than its knees bend was cut mid-rep)."""
    if ex.drive == template.drive:
        return ex
    for t, seq in enumerate(takes):
        wanted = [r for i, r in kept if i == t]
        if wanted and not _counts_alike(count_reps(repaired(seq), ex), wanted):
            return replace(ex, drive=template.drive)
    return ex
