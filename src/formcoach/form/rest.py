"""Where a repetition is at rest: the frames a ``"change"`` feature is measured from.

A feature compared by its change (an elbow drifting, a trunk swinging) is measured from the
person's own position at the rep's ends: the frames where the movement driving the rep is
nearest its rest level. Each end is looked at on its own: a counter that cut one end a little
inside the rest (the arms not yet all the way down) must not leave the rest position to the
other end alone, or the posture there — a moment that moves with the cut and the tempo —
becomes the person's whole rest. An end cut on the way (nearer the turning point than the
rest) has no rest of its own.
"""

from __future__ import annotations

import numpy as np

from formcoach.core.features import feature
from formcoach.form.exercises.model import Exercise

__all__ = ["REST_SHARE", "REST_SIDE", "rest_frames"]

#: The share of the driving movement's range, nearest its rest level, in which a rep is at
#: rest (for "change" features; the reference's phases use the same quarter).
REST_SHARE = 0.25

#: An end of a rep has a rest of its own when it came back nearer the rest level than the
#: turning point: within this share of the rep's range of its point nearest rest.
REST_SIDE = 0.5


def rest_frames(
    xy: np.ndarray,
    exercise: Exercise,
    side: str | None,
    levels: dict[str, tuple[float, float, float]] | None = None,
    inside: slice | None = None,
) -> np.ndarray:
    """(T,) bool: the frames of poses (T, J, 2) where the rep at ``inside`` of them (all of
    them by default; the frames around it are the stream just before and after it) is at
    rest: at each end (the frames before the middle of the rep, and from there on), where the
    exercise's drive feature (on ``side`` when it has one) is within :data:`REST_SHARE` of the
    rep's range from the point of that end nearest the reference's rest level (from the
    point nearest it of an end that never came back to the rest side, :data:`REST_SIDE`);
    the rep's two ends when no drive feature with a level is seen moving by its tolerance
    (from the front, a knee or elbow bending towards the camera hardly changes its angle in
    the image). ``levels``: the exercise's ``drive_levels()``, if known."""
    levels = exercise.drive_levels() if levels is None else levels
    a, b, _ = (inside or slice(0, len(xy))).indices(len(xy))
    names = sorted(levels, key=lambda n: not (side and n.startswith(f"{side}_")))
    for name in names:
        rest, turn, tol = levels[name]
        x = feature(name)(xy)
        if rest == turn or np.isfinite(x[a:b]).mean() < 0.5:
            continue
        toward_rest = np.nan_to_num(np.sign(rest - turn) * x, nan=-np.inf)
        seen = toward_rest[a:b][np.isfinite(toward_rest[a:b])]
        span = float(seen.max() - seen.min())
        if span < tol:
            continue  # it hides the movement from this view (a knee bending towards the camera)
        top = float(toward_rest.max())
        middle = a + (b - a) // 2
        return toward_rest >= _end_tops(toward_rest, top, span, middle) - REST_SHARE * span
    k = max(1, int(np.ceil(0.15 * (b - a))))
    out = np.zeros(len(xy), bool)
    out[a : a + k] = True
    out[b - k : b] = True
    return out


def _end_tops(toward_rest: np.ndarray, top: float, span: float, middle: int) -> np.ndarray:
    """(T,) where the rest band of each frame's end of the rep (before ``middle`` and from
    there on) starts from (``toward_rest``: (T,), -inf where unseen): the ``top`` (nearest
    the rest level), except at an end that never came within :data:`REST_SHARE` of the rep's
    ``span`` of it but came back nearer the rest level than the turning point (within
    :data:`REST_SIDE`): that end's own point nearest rest. An end cut on the way (or never
    seen) has no rest of its own."""
    out = np.full(len(toward_rest), top)
    for a, b in ((0, middle), (middle, len(toward_rest))):
        best = float(toward_rest[a:b].max()) if b > a else -np.inf
        if top - REST_SIDE * span <= best < top - REST_SHARE * span:
            out[a:b] = best
    return out
