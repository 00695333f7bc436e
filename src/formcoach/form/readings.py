"""A repetition's measured curves (:class:`RepCurves`) and the other readings of the same rep:
cut half a cycle later (:func:`half_turn`), or seen as from profile when it was filmed from a
three-quarter view (:func:`widened`). :func:`formcoach.form.curves.rep_curves` measures them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from formcoach.core.pose import PoseSequence

__all__ = ["RepCurves", "half_turn", "widened"]


@dataclass(frozen=True)
class RepCurves:
    """The judged features of one repetition.

    Attributes:
        view: ``"side"`` or ``"front"``.
        sides: the sides bilateral features were measured on.
        curves: ``"part.feature"`` or ``"part.feature@side"`` -> (N,) float64 curve.
        hidden: the same kind of key -> why it could not be measured (``"view"``: the part is
            not judged from this view; ``"unseen"``: its joints were missing too often).
        frames: T, the number of frames of the repetition.
        near_side: in a side view, the side nearer the camera (by the pose model's
            visibility), when known: bilateral parts are named after it in profile.
        around: key -> (lowest, highest) value of a ``"value"`` feature just before and after
            the rep (up to half its duration each way), when the stream around it was given:
            where the person rested, if the counter cut the rep a little inside it.
        oblique: a side view turned far enough towards the camera (three-quarter) that the
            parts judged from the front are judged too.
        readings: the same rep read as seen from other camera angles its view allows (a
            three-quarter view, whose angle from profile is known only within a range); the
            judge keeps the kindest reading.
        edge: key -> (N,) bool, the samples where a joint of the feature was pinned against
            the frame's edge (it may have been further out), for keys that have any.
        bound: the same keys -> (N,) +1 / -1 where the feature would read higher / lower
            with its pinned joints further out (the truth lies that way from the reading),
            0 where that is not one way.
        past: key -> ((K,) values before the rep, (L,) after it), in time order, of a
            ``"value"`` feature where :attr:`around` was read: where a rep cut on its way got to.
    """

    view: str
    sides: tuple[str, ...]
    curves: dict[str, np.ndarray]
    hidden: dict[str, str] = field(default_factory=dict)
    frames: int = 0
    near_side: str | None = None
    around: dict[str, tuple[float, float]] = field(default_factory=dict)
    oblique: bool = False
    readings: tuple[RepCurves, ...] = ()
    edge: dict[str, np.ndarray] = field(default_factory=dict)
    bound: dict[str, np.ndarray] = field(default_factory=dict)
    past: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def widened(seq: PoseSequence, factor: float) -> PoseSequence:
    """The poses with their horizontal image coordinates times ``factor``: a movement in the
    person's sagittal plane filmed ``a`` degrees from profile shows its forward part at
    ``cos a`` of its size (and its height whole), so ``factor = 1 / cos a`` shows it as in
    profile."""
    if factor == 1.0:
        return seq
    xy = seq.xy.copy()
    xy[..., 0] *= factor
    return seq.replace(xy=xy)


def half_turn(rc: RepCurves) -> RepCurves:
    """The same rep cut half a cycle later: its second half first.

    A counter that takes the turning point for the rest position cuts a push-up
    bottom-to-bottom instead of top-to-top; turned by half, the rep lines up with a reference
    that starts at rest.
    """

    def turn(c: np.ndarray) -> np.ndarray:
        return np.concatenate([c[len(c) // 2 :], c[: len(c) // 2]])

    curves = {k: turn(c) for k, c in rc.curves.items()}
    edge = {k: turn(e) for k, e in rc.edge.items()}
    bound = {k: turn(e) for k, e in rc.bound.items()}
    readings = tuple(map(half_turn, rc.readings))
    return replace(rc, curves=curves, around={}, readings=readings, edge=edge, bound=bound, past={})
