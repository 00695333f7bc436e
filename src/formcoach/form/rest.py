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
) -> np.ndarray:
    """(T,) bool: the frames of a rep (poses (T, J, 2)) where it is at rest: at each end (its
    first and second half), where the exercise's drive feature (on ``side`` when it has one)
    is within :data:`REST_SHARE` of the rep's range from the point of that half nearest the
    reference's rest level (from the rep's own point nearest it for an end that never came
    back to the rest side, :data:`REST_SIDE`); the rep's two ends when no drive feature with
    a level is seen moving by its tolerance (from the front, a knee or elbow bending towards
    the camera hardly changes its angle in the image). ``levels``: the exercise's
    ``drive_levels()``, if known."""
    levels = exercise.drive_levels() if levels is None else levels
    names = sorted(levels, key=lambda n: not (side and n.startswith(f"{side}_")))
    for name in names:
        rest, turn, tol = levels[name]
        x = feature(name)(xy)
        if rest == turn or np.isfinite(x).mean() < 0.5:
            continue
        toward_rest = np.nan_to_num(np.sign(rest - turn) * x, nan=-np.inf)
        seen = toward_rest[np.isfinite(toward_rest)]
        top, span = float(seen.max()), float(seen.max() - seen.min())
        if span < tol:
            continue  # it hides the movement from this view (a knee bending towards the camera)
        return toward_rest >= _end_tops(toward_rest, top, span) - REST_SHARE * span
    n = len(xy)
    k = max(1, int(np.ceil(0.15 * n)))
    out = np.zeros(n, bool)
    out[:k] = True
    out[-k:] = True
    return out


def _end_tops(toward_rest: np.ndarray, top: float, span: float) -> np.ndarray:
    """(T,) where the rest band of each frame's half of the rep starts from (``toward_rest``:
    (T,), -inf where unseen): the rep's own ``top`` (nearest the rest level), except in a half
    that never came within :data:`REST_SHARE` of it but came back nearer the rest level than
    the turning point (within :data:`REST_SIDE` of the rep's ``span``): that half's own point
    nearest rest. A half cut on the way (or never seen) has no rest of its own."""
    half = len(toward_rest) // 2
    out = np.full(len(toward_rest), top)
    for a, b in ((0, half), (half, len(toward_rest))):
        best = float(toward_rest[a:b].max()) if b > a else -np.inf
        if top - REST_SIDE * span <= best < top - REST_SHARE * span:
            out[a:b] = best
    return out
