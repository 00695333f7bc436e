"""How far a repetition shows each fault its exercise names, in tolerances.

A built-in exercise names its typical faults as cues: a feature, a phase of the rep (``rest``,
``peak``, ``all``) and a direction (``too: high`` / ``low``). A rep is judged on those faults,
not on how closely it copies one person's keyframes, so what varies between correct people
(range of motion beyond the reference, tempo, which arm, posture) does not decide the verdict:

- a **level** fault is about where the rep got to: for a feature the reference moves (by at
  least its tolerance) between rest and turning point, the rep's furthest point in the phase is
  compared with the reference's level there. "Go lower" asks whether the rep ever reached the
  depth, "Stand all the way up" whether it ever stood up (also just outside the counted rep,
  when the stream around it is known) — not how it was timed or where the counter cut it;
- a **posture** fault is about how the rep was held: for a feature the reference keeps still,
  or a fault said ``all`` through the rep, the rep's typical (median) offset from the
  reference in that phase;
- a **movement** fault is about a ``"change"`` feature the reference keeps (nearly) still, or
  one said ``all`` through the rep (an elbow drifting, a trunk swinging): the largest excursion
  from the person's own rest position in that phase beyond the reference's;
- a **held** fault is a change the reference does not make at all, said at the turning point
  (knees caving in at the bottom of a squat): the rep's typical (median) change there, a
  position held, so a pose model's odd frame or the way down into it is no fault.

Each size is in the feature's tolerance; 1 is the limit of a correct rep. The rep's samples are
first aligned with the reference's by dynamic time warping on the movement driving the rep, so
"at the turning point" means the same moment in both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.form.cut_ends import with_cut_off
from formcoach.form.exercises.model import Cue, FeatureDef

__all__ = ["FaultSize", "fault_sizes", "is_level"]


@dataclass(frozen=True)
class FaultSize:
    """One named fault measured on one feature of a rep.

    Attributes:
        cue: the fault (its phase, direction and sentence).
        size: how far the rep shows it, in the feature's tolerance (<= 0: not at all).
    """

    cue: Cue
    size: float


def _levels(ref: np.ndarray) -> tuple[float, float]:
    """The reference's level at rest (its start) and at its turning point (farthest from it)."""
    rest = float(ref[0])
    return rest, float(ref[int(np.argmax(np.abs(ref - rest)))])


def is_level(f: FeatureDef, cue: Cue, ref: np.ndarray) -> bool:
    """True when ``cue`` is a level fault of ``f``: about where the rep got to at rest or at
    its turning point, on a feature the (N,) reference ``ref`` moves by its tolerance."""
    rest, turn = _levels(ref)
    return cue.when != "all" and abs(turn - rest) >= f.tol


def _level_fault(
    cue: Cue,
    reached_in: np.ndarray,
    ref: np.ndarray,
    around: tuple[float, float] | None,
) -> float:
    """Where the rep got to in the cue's phase (its samples there: ``reached_in``) against the
    reference's level, signed so that > 0 is in the cue's direction (feature units)."""
    rest, turn = _levels(ref)
    toward = np.sign(turn - rest) if cue.when == "peak" else np.sign(rest - turn)
    reached = float(np.max(toward * reached_in)) * toward
    if cue.when == "rest" and around is not None:
        beyond = around[1] if toward > 0 else around[0]
        reached = max(reached * toward, beyond * toward) * toward
    level = turn if cue.when == "peak" else rest
    sign = 1.0 if cue.too == "high" else -1.0
    return sign * (reached - level)


def _left_frame(
    cue: Cue, own: np.ndarray, edge: np.ndarray, ref: np.ndarray, bound: np.ndarray | None
) -> bool:
    """True when the (M,) curve ``own`` reached its furthest point seen in the direction of
    ``cue``'s level next to a stretch ``edge`` where its joints were pinned against the
    frame's edge, or went further in a pinned stretch than anywhere it was seen where the
    truth lies further that way (``bound``, (M,): which way the reading would move with the
    joints further out; it left the picture going that way, and came back in), or was never
    seen off it."""
    seen = ~edge
    if not seen.any():
        return True
    rest, turn = _levels(ref)
    toward = np.sign(turn - rest) if cue.when == "peak" else np.sign(rest - turn)
    i = int(np.argmax(np.where(seen, toward * own, -np.inf)))
    if edge[max(0, i - 1) : i + 2].any():
        return True
    further = edge & (bound == toward) if bound is not None else np.zeros_like(edge)
    return bool(further.any() and np.max(toward * own[further]) >= toward * own[i])


def _held_or_moved(
    f: FeatureDef,
    cue: Cue,
    dev: np.ndarray,
    mask: np.ndarray,
    ref: np.ndarray,
    pinned: np.ndarray | None,
) -> float:
    """A posture, held or movement fault (not a level): how far the (N,) deviation ``dev`` from
    the reference shows it in the (N,) phase ``mask``, signed (> 0: in the cue's direction);
    a movement or a posture only where no joint was ``pinned`` to the frame's edge (a posture
    pinned all through the phase on all of it)."""
    sign = 1.0 if cue.too == "high" else -1.0
    if f.compare == "change" and cue.when == "peak" and not np.ptp(ref):
        return sign * float(np.median(dev[mask]))  # a position held at the turning point
    if f.compare == "change":
        free = mask if pinned is None else mask & ~pinned
        return float(np.max(sign * dev[free])) if free.any() else 0.0
    free = mask if pinned is None else mask & ~pinned
    return sign * float(np.median(dev[free if free.any() else mask]))


def fault_sizes(
    f: FeatureDef,
    values: np.ndarray,
    ref: np.ndarray,
    masks: dict[str, np.ndarray],
    view: str,
    around: tuple[float, float] | None = None,
    own: np.ndarray | None = None,
    edge: np.ndarray | None = None,
    pinned: np.ndarray | None = None,
    bound: np.ndarray | None = None,
    past: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[FaultSize]:
    """Every fault of feature ``f`` that can be seen from ``view``, measured on one rep.

    Args:
        f: the feature and its cues (faults).
        values: (N,) the rep's curve aligned with the reference's samples.
        ref: (N,) the reference curve.
        masks: ``"rest"``, ``"peak"``, ``"all"`` -> (N,) bool phases of the reference.
        view: the camera view (a cue may be seen from some views only).
        around: the feature's (lowest, highest) value just outside the rep, if known.
        own: (M,) the rep's own curve, unaligned: where it got to (a level fault) is its
            extreme in the cue's direction anywhere in the rep. Alignment matches values, so
            a shallow rep's turning point is aligned with the reference's way down to the same
            value, not with its turning point, and a short one is averaged away; when omitted,
            ``values`` in the cue's phase.
        edge: (M,) bool over ``own``, where a joint of the feature was pinned against the
            frame's edge: a level fault is not claimed when the rep's furthest point seen in
            its direction is next to such a stretch (the joint left the picture going there,
            and may have got further).
        pinned: (N,) bool over ``values``: ``edge`` along the alignment. A movement fault
            (how far a ``"change"`` feature moved) is read only where no joint of it was
            pinned: a joint held at the edge reads as moving when the body moves and the
            edge does not (feet at the bottom of the picture), so its reading there is no
            position to move from or to. A posture likewise (a clipped ankle bends a leg).
        bound: (M,) over ``own``: which way (+1 / -1, 0: neither) the reading would move with
            its pinned joints further out (:attr:`~formcoach.form.curves.RepCurves.bound`).
        past: ((K,), (L,)) its values just before and after the rep (:func:`with_cut_off`).

    Returns:
        One :class:`FaultSize` per cue seen from ``view``, in tolerances.
    """
    out, dev = [], values - ref
    far = own if own is None or past is None else with_cut_off(own, past, ref)
    for cue in f.cues:
        if not cue.seen_from(view):
            continue
        mask = masks[cue.when]
        if not mask.any():
            continue
        if is_level(f, cue, ref):
            reached_in = values[mask] if own is None else far if cue.when == "peak" else own
            off = _level_fault(cue, reached_in, ref, around if f.compare == "value" else None)
            if off > 0 and own is not None and edge is not None:
                off = 0.0 if _left_frame(cue, own, edge, ref, bound) else off
        else:
            off = _held_or_moved(f, cue, dev, mask, ref, pinned)
        out.append(FaultSize(cue, off / f.tol))
    return out
