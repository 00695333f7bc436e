"""Teaching an exercise by demonstration: one to three good reps become a user exercise.

The demonstration's reps are found by the counter; their feature curves become the references;
the tolerances come from how much the reps differ from each other (shrunk towards the built-in
exercise's tolerances with ``--from``, or towards generic ones); the judged body parts are those
the camera sees, and what drives a rep is what moves most. The result is an ordinary
:class:`~formcoach.form.exercises.Exercise`, stored as YAML and usable wherever a built-in one is —
recorded on one's own body it is the personal baseline of the original prototype.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.core.view import estimate_view
from formcoach.counting import count_reps
from formcoach.form.calibration import (
    CalibrationSettings,
    calibrate,
    curve_distance,
    least_tolerance,
    with_least,
)
from formcoach.form.exercises import Exercise, Recorded, normalise_name
from formcoach.form.exercises.model import FeatureDef, PartDef
from formcoach.form.judge import FormJudge, JudgeSettings
from formcoach.form.readings import RepCurves, half_turn
from formcoach.form.teach_drive import moving_drive, self_counting
from formcoach.pose.cleaning import CleanSettings, clean
from formcoach.pose.glitches import repaired

__all__ = [
    "GENERIC_PARTS",
    "generic_exercise",
    "teach_exercise",
    "teach_from_curves",
    "teach_from_takes",
]

#: The body parts and catalogue features a taught exercise judges when no built-in one is given.
GENERIC_PARTS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], ...] = (
    (
        "arm",
        ("side", "front"),
        (
            ("elbow", "{side}_elbow"),
            ("shoulder", "{side}_shoulder"),
            ("upper arm", "{side}_upper_arm_tilt"),
            ("forearm", "{side}_forearm_tilt"),
            ("hand height", "{side}_wrist_height"),
        ),
    ),
    (
        "leg",
        ("side", "front"),
        (
            ("knee", "{side}_knee"),
            ("ankle", "{side}_ankle"),
            ("thigh", "{side}_thigh_tilt"),
            ("shin", "{side}_shin_tilt"),
        ),
    ),
    ("hips", ("side", "front"), (("hip", "{side}_hip"),)),
    ("trunk", ("side", "front"), (("tilt", "trunk_tilt"),)),
    ("head", ("side", "front"), (("neck", "neck_tilt"),)),
    ("shoulders", ("front",), (("lift", "{side}_shoulder_lift"),)),
    ("knees", ("front",), (("width", "knee_width"),)),
)


def generic_exercise(name: str = "demonstration", static: bool = False) -> Exercise:
    """An exercise judging every catalogue feature with generic tolerances and no reference."""
    parts = tuple(
        PartDef(
            pname,
            tuple(FeatureDef(k, spec, _generic_tol(spec)) for k, spec in feats),
            views,
        )
        for pname, views, feats in GENERIC_PARTS
    )
    return Exercise(
        name=name,
        title=name.capitalize(),
        aliases=(),
        description="",
        static=static,
        view="side",
        drive=("left_elbow", "right_elbow", "left_knee", "right_knee"),
        phases=(0.0,),
        tempo_s=2.0,
        parts=parts,
        source="generic",
    )


def _generic_tol(spec: str) -> float:
    """A loose tolerance for a feature nothing is known about: 12 degrees, or 0.15 units."""
    return least_tolerance(spec)


def _title(name: str) -> str:
    """The name as said and shown: ``"barbell_curl"`` -> ``"Barbell curl"``, ``"Cable Curl"``
    kept as typed."""
    words = " ".join(name.replace("_", " ").split()) or normalise_name(name)
    return words[:1].upper() + words[1:]


def _in_phase(examples: list[RepCurves], base: Exercise, settings: JudgeSettings) -> list:
    """Demonstration reps turned to start where the built-in reference starts (at rest)."""
    if base.taught or not base.reference_views():
        return examples
    judge = FormJudge(base, settings)
    out = []
    for rc in examples:
        try:
            as_is = judge.judge_curves(rc).aggregate
            turned = half_turn(rc)
            out.append(turned if judge.judge_curves(turned).aggregate < 0.5 * as_is else rc)
        except FormcoachError:
            out.append(rc)
    return out


def _pick_reps(reps: list[Rep], curves: list[RepCurves], n: int, window: int) -> list[int]:
    """Indices of the ``n`` reps most alike (the most consistent part of the demonstration)."""
    if len(reps) <= n:
        return list(range(len(reps)))
    total = np.zeros(len(reps))
    for i, ci in enumerate(curves):
        for j, cj in enumerate(curves):
            if i < j:
                common = set(ci.curves) & set(cj.curves)
                d = sum(curve_distance(ci.curves[k], cj.curves[k], window) for k in common)
                total[i] += d
                total[j] += d
    return sorted(np.argsort(total)[:n].tolist())


def _taught_parts(base: Exercise, seen: set[str], tol: dict[str, float]) -> tuple[PartDef, ...]:
    """The base exercise's parts with the features seen, their tolerances taught and their
    keyframes dropped (the recorded reps are the reference)."""
    parts = []
    for p in base.parts:
        feats = tuple(
            replace(f, tol=float(tol[f"{p.name}.{f.key}"]), keys={})
            for f in p.features
            if f"{p.name}.{f.key}" in seen
        )
        if feats:
            parts.append(replace(p, features=feats))
    if not parts:
        raise FormcoachError(
            "none of the body parts could be seen in the demonstration",
            "make sure your whole body is in view",
        )
    return tuple(parts)


def teach_from_curves(
    name: str,
    examples: Sequence[RepCurves],
    base: Exercise,
    durations: Sequence[float] = (),
    settings: JudgeSettings = JudgeSettings(),
    calibration: CalibrationSettings = CalibrationSettings(),
    description: str = "",
) -> Exercise:
    """Build a taught exercise from the measured curves of good reps.

    Args:
        name: the new exercise's name.
        examples: the reps' curves (from :func:`formcoach.form.curves.rep_curves` with ``base``).
        base: the exercise giving parts, features, cues and prior tolerances.
        durations: the reps' durations in seconds (for the tempo).
        settings: judge settings (samples, window).
        calibration: how tolerances are estimated.
        description: what the exercise is.
    """
    if not examples:
        raise FormcoachError("no repetition to learn from", "record one to three good reps")
    seen = {k.split("@")[0] for rc in examples for k in rc.curves}
    defs = base.feature_defs()
    # a built-in exercise's tolerances are the prior; a generic one learns from motion alone
    priors = None if base.source == "generic" else {u: defs[u].tol for u in seen}
    views = [rc.view for rc in examples]
    tol = calibrate(
        [rc.curves for rc in examples],
        {u: defs[u].spec for u in seen},
        settings.window,
        priors,
        calibration,
        views=views,
    )
    tol = with_least(tol, {u: defs[u].spec for u in tol}, len(examples), calibration)
    recorded = tuple(
        Recorded(rc.view, {k: tuple(float(v) for v in c) for k, c in rc.curves.items()})
        for rc in examples
    )
    return Exercise(
        name=normalise_name(name),
        title=_title(name),
        aliases=(),
        description=description,
        static=base.static,
        view=max(set(views), key=views.count),
        drive=moving_drive(base, examples) if base.source == "generic" else base.drive,
        phases=(0.0,),
        # a hold is judged in stretches of the built-in's length, whatever the demo lasted
        tempo_s=float(np.mean(durations)) if durations and not base.static else base.tempo_s,
        parts=_taught_parts(base, seen, tol),
        praise=base.praise,
        recorded=recorded,
        source="user",
    )


def _demonstrated_reps(
    raw: PoseSequence, template: Exercise, base: Exercise | None, settings: JudgeSettings
) -> tuple[list[Rep], list[RepCurves]]:
    """The demonstration's reps long enough to learn from, and their curves, measured as
    ``formcoach analyze`` and a session measure a rep (cleaned poses, the stream around it):
    a reference measured otherwise is not what the person's own reps are compared with."""
    seq = repaired(raw, settings.glitches)  # a recording: glitches are seen whole
    reps = count_reps(seq, template)
    if not reps and base is None:
        reps = count_reps(seq, None)
    if not reps:
        raise FormcoachError(
            "no clear repetition was found in the demonstration",
            "record one to three slow, complete reps with a short pause between them, "
            "your whole body in view",
        )
    poses = clean(raw, CleanSettings())
    view = estimate_view(poses)
    judge = FormJudge(template, settings)
    curves, kept = [], []
    for r in reps:
        try:
            rc = judge.measure(poses, r, view, view.near_side)
        except FormcoachError:  # too short or too hidden
            continue
        if rc.curves:
            curves.append(replace(rc, readings=()))
            kept.append(r)
    if not curves:
        raise FormcoachError(
            "the demonstration's reps were too short or too hidden to learn from",
            "record slower reps with your whole body in view",
        )
    return kept, curves


def teach_exercise(
    name: str,
    seq: PoseSequence,
    base: Exercise | None = None,
    max_reps: int = 3,
    settings: JudgeSettings = JudgeSettings(),
    description: str = "",
) -> tuple[Exercise, list[Rep]]:
    """Turn a demonstration into a user exercise.

    Args:
        name: the new exercise's name (a built-in name makes a personal baseline for it).
        seq: the demonstration's poses.
        base: a built-in exercise to start from (parts, cues, counting); generic parts
            judged on every visible feature when omitted.
        max_reps: at most this many reps become references (the most consistent ones).
        settings: judge settings.
        description: what the exercise is.

    Returns:
        The exercise (not yet saved) and the reps it was learned from.

    Raises:
        FormcoachError: no clear repetition in the demonstration, or nobody visible.
    """
    ex, used = teach_from_takes(name, [seq], base, max_reps, settings, description)
    return ex, [r for _, r in used]


def teach_from_takes(
    name: str,
    takes: Sequence[PoseSequence],
    base: Exercise | None = None,
    max_reps: int = 3,
    settings: JudgeSettings = JudgeSettings(),
    description: str = "",
) -> tuple[Exercise, list[tuple[int, Rep]]]:
    """:func:`teach_exercise` from one or more recordings (takes) of the same person.

    Returns:
        The exercise and the reps it was learned from, each with the index of its take.
    """
    if not takes or all(len(s) == 0 or not s.detected.any() for s in takes):
        raise FormcoachError(
            "nobody was detected in the demonstration",
            "record it again with your whole body in view",
        )
    template = base or generic_exercise(normalise_name(name))
    kept: list[tuple[int, Rep]] = []
    curves: list[RepCurves] = []
    errors: list[FormcoachError] = []
    for i, seq in enumerate(takes):
        try:
            reps, rcs = _demonstrated_reps(seq, template, base, settings)
        except FormcoachError as e:
            errors.append(e)
            continue
        kept += [(i, r) for r in reps]
        curves += rcs
    if not curves:
        raise errors[0]
    if base is not None:
        curves = _in_phase(curves, base, settings)
    chosen = _pick_reps([r for _, r in kept], curves, max_reps, settings.window)
    used = [kept[i] for i in chosen]
    ex = teach_from_curves(
        name,
        [curves[i] for i in chosen],
        template,
        [r.duration_s for _, r in used],
        settings,
        description=description,
    )
    if base is None:
        ex = self_counting(ex, template, takes, kept)
    return ex, used
