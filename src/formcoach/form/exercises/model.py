"""What an exercise is: judged body parts, their features, a reference repetition, the cues.

An :class:`Exercise` is plain data, read from a YAML file (see
:mod:`formcoach.form.exercises.loader` for the schema). It satisfies
:class:`formcoach.core.rep.ExerciseHint`, so the counter can use it.

Bilateral features are written once with a ``{side}`` placeholder
(``angle({side}_hip, {side}_knee, {side}_ankle)``); the judge evaluates them on the side nearer
the camera in a side view and on both sides from the front.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from formcoach.core.features import feature
from formcoach.core.keyframes import keyframes

__all__ = [
    "COMPARE",
    "NEEDS",
    "POSTURES",
    "SIDES",
    "SIDE_RULES",
    "VIEWS",
    "WHEN",
    "Cue",
    "Exercise",
    "FeatureDef",
    "PartDef",
    "Recorded",
]

#: Camera views a reference or a body part can be defined for.
VIEWS = ("side", "front")
#: The postures an exercise is done in (``""``: not said, not checked).
POSTURES = ("", "lying", "standing", "hanging")
#: When in the repetition a cue applies: at the start/end pose, at the turning point, throughout.
WHEN = ("rest", "peak", "all")
SIDES = ("left", "right")
#: Parts whose bilateral instances are separate body parts (``left_arm``/``right_arm``).
SIDED_PARTS = ("arm", "leg")
#: Which sides of a bilateral feature are judged (see :class:`FeatureDef`).
SIDE_RULES = ("each", "either", "mean")
#: How a feature is compared with its reference (see :class:`FeatureDef`).
COMPARE = ("value", "change")
#: Which of a part's features must show a fault for the part to show it (see :class:`PartDef`).
NEEDS = ("any", "all")


@dataclass(frozen=True)
class Cue:
    """A spoken correction for one fault.

    Attributes:
        when: ``"rest"`` (start/end pose), ``"peak"`` (turning point) or ``"all"``.
        too: ``"high"`` or ``"low"``: the feature's value compared with the reference.
        say: one sentence a trainer would say, e.g. "Go lower: hips to knee height."
        views: the camera views the fault can be seen from (empty: every view its part is
            judged from). A push-up's depth shows in the elbow angle in profile, not from the
            front, where a bent arm can look straight.
    """

    when: str
    too: str
    say: str
    views: tuple[str, ...] = ()

    def seen_from(self, view: str) -> bool:
        """True when this fault can be judged from ``view``."""
        return not self.views or view in self.views


@dataclass(frozen=True)
class FeatureDef:
    """One judged feature of a body part.

    Attributes:
        key: short name, unique within its part (``"knee"``).
        spec: feature name or ``kind(...)`` string (:mod:`formcoach.core.features`), with ``{side}``
            for bilateral features.
        tol: tolerance, in the feature's units (degrees for angles): the root-mean-square
            deviation from the reference along the aligned repetition that is still correct.
        keys: view (``"side"``, ``"front"`` or ``"any"``) -> value at each of the exercise's
            keyframe phases; empty for taught exercises, which carry recorded curves instead.
            For a ``"change"`` feature, how far it has moved from where the rep started.
        cues: corrections for deviations of this feature.
        compare: ``"value"``: the feature itself is compared with the reference (a joint's
            range of motion); ``"change"``: only how far it moves away from the person's own
            position at the rep's ends (an elbow drifting, a trunk swinging, knees caving in),
            so a posture that differs between people or cameras does not count. A change of
            a tilt is the angle the segment turned through, whatever the direction.
        sides: for a bilateral feature, ``"each"``: both sides are judged wherever both are
            seen (from the front); ``"either"``: only the side closer to the reference, from
            every view (a fault that one limb shown right already rules out); ``"mean"``:
            the mean of both sides wherever both are seen, one side where only one is (a
            line along the body, such as a plank's, in profile: a camera above or below it,
            or close to it, shows a joint nearer it lower or higher by how much nearer, so
            each side reads the bend off by the body's widths, the near and far side by
            opposite amounts to first order, and their mean reads the body's midline).
    """

    key: str
    spec: str
    tol: float
    keys: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    cues: tuple[Cue, ...] = ()
    compare: str = "value"
    sides: str = "each"

    @property
    def bilateral(self) -> bool:
        return "{side}" in self.spec

    def resolved(self, side: str | None) -> str:
        """The spec on one side (``{side}`` replaced); unchanged for single features."""
        return self.spec.replace("{side}", side) if side else self.spec

    def keys_for(self, view: str) -> tuple[float, ...] | None:
        """Keyframe values for a camera view (a view-specific entry wins over ``"any"``)."""
        return self.keys.get(view) or self.keys.get("any")


@dataclass(frozen=True)
class PartDef:
    """A judged body part.

    Attributes:
        name: a body part of :data:`formcoach.core.skeleton.BODY_PARTS`, or ``"arm"``/``"leg"`` for
            the pair (judged as ``left_arm``/``right_arm``...).
        features: what is measured on it.
        views: camera views it can be judged from.
        hidden: what to say when it cannot be seen from the current view.
        praise: praise about this part ("Nice and straight." about the body line), said after
            a good repetition only when the part was seen and judged in it.
        needs: for a built-in exercise, ``"any"``: the part shows its features' worst fault;
            ``"all"``: its features are readings of one fault, each fooled by something else
            (the head's angle at the shoulder points by the arms moving them, its reach from
            the hips by a short torso), so the part shows a fault only as far as every feature
            it was measured on shows it (the least of them).
    """

    name: str
    features: tuple[FeatureDef, ...]
    views: tuple[str, ...] = VIEWS
    hidden: str = ""
    praise: tuple[str, ...] = ()
    needs: str = "any"

    def body_part(self, side: str | None) -> str:
        """The :data:`~formcoach.core.skeleton.BODY_PARTS` name of one instance of this part."""
        if self.name in SIDED_PARTS:
            return f"{side or 'left'}_{self.name}"
        return self.name


@dataclass(frozen=True)
class Recorded:
    """A reference repetition recorded from a demonstration (taught exercises).

    Attributes:
        view: the camera view it was seen from.
        curves: ``"part.feature"`` (or ``"part.feature@side"`` for a bilateral feature seen on
            both sides) -> (N,) values resampled over the repetition.
    """

    view: str
    curves: Mapping[str, tuple[float, ...]]


@dataclass(frozen=True)
class Exercise:
    """An exercise: how to count it and how to judge it.

    Satisfies :class:`formcoach.core.rep.ExerciseHint` (``name``, ``drive``, ``static``).

    Attributes:
        name: identifier (``"squat"``).
        title: display name (``"Squat"``).
        aliases: other names it answers to.
        description: how it is done, in a sentence or two.
        static: True for a timed hold (plank), judged over time rather than per repetition.
        view: the best camera view.
        drive: features whose rise and fall make one repetition, most telling first (for a
            hold, the features whose reference values are the held position).
        phases: keyframe times as fractions of one repetition (0 start, 1 end).
        tempo_s: typical duration of one repetition (or of a judged stretch of a hold), seconds.
        parts: the judged body parts.
        praise: what to say after a good repetition, whatever was seen (praise about one part
            belongs to that part: :attr:`PartDef.praise`).
        posture: the body's posture all through a rep: ``"lying"``, ``"standing"``,
            ``"hanging"``, or ``""`` (not said: not checked, :mod:`formcoach.form.posture`).
        arms_up: whether the wrists go above the head in a rep (False: a rep with the hands
            above the head all through is another exercise).
        recorded: reference repetitions from a demonstration (taught exercises only).
        source: ``"builtin"`` or ``"user"``.
        path: the file it was read from, if any.
    """

    name: str
    title: str
    aliases: tuple[str, ...]
    description: str
    static: bool
    view: str
    drive: tuple[str, ...]
    phases: tuple[float, ...]
    tempo_s: float
    parts: tuple[PartDef, ...]
    praise: tuple[str, ...] = ("Good rep.",)
    posture: str = ""
    arms_up: bool = True
    recorded: tuple[Recorded, ...] = ()
    source: str = "builtin"
    path: Path | None = field(default=None, compare=False)

    @property
    def taught(self) -> bool:
        """True when the reference comes from a demonstration rather than keyframes."""
        return bool(self.recorded)

    def feature_defs(self) -> dict[str, FeatureDef]:
        """``"part.feature"`` -> definition, for every judged feature."""
        return {f"{p.name}.{f.key}": f for p in self.parts for f in p.features}

    def part_of(self, unit: str) -> PartDef:
        """The part a ``"part.feature"`` key belongs to."""
        name = unit.split(".", 1)[0]
        for p in self.parts:
            if p.name == name:
                return p
        raise KeyError(unit)

    def reference_views(self) -> tuple[str, ...]:
        """Views for which a reference exists."""
        if self.recorded:
            return tuple(dict.fromkeys(r.view for r in self.recorded))
        views: set[str] = set()
        for f in self.feature_defs().values():
            views.update(VIEWS if "any" in f.keys else f.keys)
        return tuple(v for v in VIEWS if v in views)

    def keyframe_curves(self, view: str, samples: int) -> dict[str, np.ndarray]:
        """The generic reference repetition in one view, from the keyframes.

        Args:
            view: ``"side"`` or ``"front"``.
            samples: N, the number of samples over the repetition.

        Returns:
            ``"part.feature"`` -> (N,) float64 curve, for features with keys for this view.
        """
        t = np.linspace(0.0, 1.0, samples)
        out: dict[str, np.ndarray] = {}
        for unit, f in self.feature_defs().items():
            keys = f.keys_for(view)
            if keys is None:
                continue
            if len(keys) == 1:
                out[unit] = np.full(samples, float(keys[0]))
            else:
                out[unit] = keyframes(list(self.phases), list(keys), t)
        return out

    def drive_levels(self) -> dict[str, tuple[float, float, float]]:
        """Where each drive feature is at rest and at a rep's turning point: the expected
        range of motion, for the counter (:mod:`formcoach.counting`).

        Read from the reference of the judged "value" feature that measures the same thing
        (``left_elbow`` is ``{side}_elbow`` on the left): its keyframes in the exercise's best
        view (else any view), or, for a taught exercise, its recorded curves. The rest level
        is the value at phase 0; the turning point is the keyframe value farthest from it
        (equal to the rest level for a hold).

        Returns:
            drive feature name -> ``(rest, turn, tol)`` in the feature's units (degrees for
            angles), ``tol`` the judged tolerance; drive features without a reference are
            left out.
        """
        out: dict[str, tuple[float, float, float]] = {}
        for name in self.drive:
            want = feature(name)
            for unit, f in self.feature_defs().items():
                if f.compare != "value":
                    continue  # a change from the person's own start has no absolute level
                sides = ("left", "right") if f.bilateral else (None,)
                side = next((s for s in sides if feature(f.resolved(s)) == want), "")
                if side == "":
                    continue
                values = self._reference_values(unit, f, side)
                if values:
                    rest = values[0]
                    turn = max(values, key=lambda v: abs(v - rest))
                    out[name] = (float(rest), float(turn), float(f.tol))
                    break
        return out

    def _reference_values(self, unit: str, f: FeatureDef, side: str | None) -> list[float]:
        """A feature's reference values over one rep: keyframes, or a recorded curve."""
        if self.recorded:
            for rec in self.recorded:
                curve = rec.curves.get(f"{unit}@{side}") or rec.curves.get(unit)
                if curve:
                    return [0.5 * (curve[0] + curve[-1]), *curve]
            return []
        keys = f.keys_for(self.view) or next((f.keys_for(v) for v in VIEWS if f.keys_for(v)), None)
        return list(keys) if keys else []

    def summary(self) -> dict[str, object]:
        """What ``formcoach exercise list --json`` prints about it."""
        return {
            "name": self.name,
            "title": self.title,
            "aliases": list(self.aliases),
            "kind": "hold" if self.static else "reps",
            "view": self.view,
            "parts": [p.name for p in self.parts],
            "source": self.source,
        }
