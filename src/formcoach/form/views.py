"""Which view a rep is judged from: front, side, or a three-quarter view between them.

A view whose shoulders read at least :data:`~formcoach.core.features.FRONT_SHOULDER_RATIO` of
the torso is a front view, but one turned from profile by 30-60 degrees (how many people film
themselves) still shows what is judged in profile (a squat's depth, a plank's hips) at
``cos a`` of its size. Such a view is judged as a side view turned towards the camera (the
parts judged from the front too), on the image widened by ``1 / cos a``
(:func:`~formcoach.form.curves.widened`), when both its shoulders and the body's own
segments rule out a view square-on. The angle is known only within a range (people's
shoulders differ, a pose model's joints slide), so the rep is read at both ends of it and
the judge keeps the kinder reading: whatever varies between people and cameras does not
decide the verdict. A side view is read the same way: shoulders under the front view's
ratio still place the camera up to about 50 degrees from profile (0.45 of the torso on the
narrowest shoulders), where a bend of the body line shows ``1 / cos a`` too large (a plank
sagging 9 degrees 30 degrees off profile read 0.85 of its limit, 0.72 in profile).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from formcoach.core.pose import PoseSequence
from formcoach.core.view import View, estimate_view, turns_from_profile

__all__ = ["JudgedView", "judged_view", "widenings"]


class JudgedView(NamedTuple):
    """How a rep is measured: from which side, and at which widenings of the image."""

    facing: str  # "front" or "side"
    near_side: str | None
    oblique: bool  # a three-quarter view: parts judged from the front are measured too
    widths: tuple[float, ...]  # each a reading (:func:`~formcoach.form.curves.widened`)


def widenings(view: View) -> tuple[float, ...]:
    """How much to widen a front view to see it as in profile
    (:func:`~formcoach.form.curves.widened`): both ends of the range of angles from profile
    that the body's own segments allow (:func:`~formcoach.core.features.
    sagittal_foreshortening`), narrowed to what its shoulders allow
    (:func:`~formcoach.core.features.turns_from_profile`) when the two ranges meet; the
    judge keeps the kinder reading, since a verdict must hold wherever the camera may stand.
    Shoulders assume an upright trunk and a level camera (a camera above a plank makes them
    read wider): where the ranges do not meet, the segments, which show the foreshortening
    itself, decide. Empty when either allows a view square-on (nothing forward shows): the
    view is then judged from the front. One widening when the range is a single value."""
    least, most = turns_from_profile(view.shoulder_ratio)
    fewest, most_seen = view.forward
    if not (most < 90.0 and fewest > 0):
        return ()
    lo, hi = max(1.0, 1.0 / most_seen), max(1.0, 1.0 / fewest)
    by_shoulders = (1.0 / math.cos(math.radians(least)), 1.0 / math.cos(math.radians(most)))
    if max(lo, by_shoulders[0]) <= min(hi, by_shoulders[1]):
        lo, hi = max(lo, by_shoulders[0]), min(hi, by_shoulders[1])
    return (lo, hi) if hi > lo else (lo,)


def judged_view(
    seq: PoseSequence,
    view: View | str | None,
    near_side: str | None,
    front_parts: bool,
    side_parts: bool,
    oblique_ratio: float,
) -> JudgedView:
    """How a rep (poses ``seq``) is judged, from what the caller knows of the view: a
    :class:`View` (of the whole set), ``"side"`` / ``"front"`` (believed), or None
    (estimated from the rep). ``front_parts`` / ``side_parts``: the exercise has parts judged
    only from the front / only in profile; ``oblique_ratio``: a side view whose shoulders
    read at least this is turned towards the camera (front parts judged too)."""
    if view == "front" or (view == "side" and not front_parts):
        return JudgedView(str(view), near_side, False, (1.0,))  # no three-quarter question
    if not isinstance(view, View):
        estimated = estimate_view(seq.to_common())
        view = View(
            view or estimated.facing,  # type: ignore[arg-type]
            near_side or estimated.near_side,  # type: ignore[arg-type]
            estimated.shoulder_ratio,
            estimated.forward,
        )
    near = near_side or view.near_side
    if view.facing == "front" and side_parts:
        widths = widenings(view)
        if widths:
            return JudgedView("side", near, True, widths)
    oblique = view.facing == "side" and view.shoulder_ratio >= oblique_ratio
    # a side view is turned from profile as far as its shoulders say: read it as in profile
    turned = widenings(view) if view.facing == "side" and side_parts else ()
    return JudgedView(view.facing, near, bool(oblique), turned or (1.0,))
