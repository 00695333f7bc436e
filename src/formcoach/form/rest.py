"""Where a repetition is at rest: the frames a ``"change"`` feature is measured from.

A feature compared by its change (an elbow drifting, a trunk swinging) is measured from the
person's own position at the rep's ends: the frames where the movement driving the rep is
nearest its rest level. Each end is looked at on its own: a counter that cut one end a little
inside the rest (the arms not yet all the way down) must not leave the rest position to the
other end alone, or the posture there — a moment that moves with the cut and the tempo —
becomes the person's whole rest. An end cut on the way (nearer the turning point than the
rest) has no rest of its own within the rep; where the stream around the rep is known
(:mod:`formcoach.form.around`), each end is looked for there too: the rest the person held
just before a start cut late, or just after an end cut early, as far as the counter had seen.
:func:`change_from_rest` reads a feature as its change from there.
"""

from __future__ import annotations

import numpy as np

from formcoach.core.features import FeatureSpec, feature, joint_xy
from formcoach.form.exercises.model import Exercise

__all__ = ["REST_SHARE", "REST_SIDE", "change_from_rest", "rest_frames"]

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
    them by default; the others are the stream just before and after it) is at rest: at each
    end (its first and second half), where the exercise's drive feature (on ``side`` when it
    has one) is within :data:`REST_SHARE` of the rep's range from the point (of the rep and
    the stream around) nearest the reference's rest level (:func:`_rest_at_ends` for an end
    that never came that near); the rep's two ends when no drive feature with a level is
    seen moving by its tolerance (from the front, a knee or elbow bending towards the camera
    hardly changes its angle in the image). ``levels``: the exercise's ``drive_levels()``,
    if known."""
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
        top = float(toward_rest.max())  # the stream around may show a rest the rep was cut off
        return _rest_at_ends(toward_rest, top, span, (a, a + (b - a) // 2, b))
    k = max(1, int(np.ceil(0.15 * (b - a))))
    out = np.zeros(len(xy), bool)
    out[a : a + k] = True
    out[b - k : b] = True
    return out


def _rest_at_ends(
    toward_rest: np.ndarray, top: float, span: float, cuts: tuple[int, int, int]
) -> np.ndarray:
    """(T,) bool, the rest frames of each end of the rep (``cuts``: its first frame, middle
    and end in the stream; ``toward_rest``: (T,), -inf where unseen): within
    :data:`REST_SHARE` of the rep's ``span`` of the ``top`` (nearest the rest level). An end
    that never came that near was cut on the way or left the rest early: its rest is looked
    for beyond the cut too (the stream before the rep's start, after its end), from the
    point of the end and the stream beyond nearest rest (or the top, if it got as far) when
    that came back nearer the rest level than the turning point (within :data:`REST_SIDE`).
    An end with no such point has no rest of its own."""
    a, middle, b = cuts
    out = np.zeros(len(toward_rest), bool)
    for (lo, hi), (x0, x1) in (((a, middle), (0, middle)), ((middle, b), (middle, len(out)))):
        own = float(toward_rest[lo:hi].max()) if hi > lo else -np.inf
        if own >= top - REST_SHARE * span:
            out[lo:hi] = toward_rest[lo:hi] >= top - REST_SHARE * span
            continue
        best = float(toward_rest[x0:x1].max()) if x1 > x0 else -np.inf
        if best >= top - REST_SIDE * span:
            level = max(best, top) if best >= top - REST_SHARE * span else best
            out[x0:x1] = toward_rest[x0:x1] >= level - REST_SHARE * span
    return out


def change_from_rest(
    x: np.ndarray, spec: FeatureSpec, xy: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """A feature's change from its value in the rest frames ``ends`` ((T,) bool), (T,) from
    (T,) values and the (T, J, 2) poses: for a tilt, the angle (degrees, >= 0) its segment
    turned through."""
    if spec.kind != "tilt":
        at_rest = x[ends & np.isfinite(x)]
        return x - float(np.median(at_rest)) if at_rest.size else x * np.nan
    seg = joint_xy(xy, spec.joints[1]) - joint_xy(xy, spec.joints[0])
    unit = np.exp(1j * np.arctan2(seg[:, 0], -seg[:, 1]))
    at_rest = unit[ends & np.isfinite(unit)]
    if not at_rest.size:
        return x * np.nan
    return np.abs(np.degrees(np.angle(unit / at_rest.mean())))
