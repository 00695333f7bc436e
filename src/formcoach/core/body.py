"""The body's own unit of length: the torso length, estimated robustly in every frame.

Every length formcoach measures on a person (speeds for cleaning, jumps for glitch repair,
heights in exercise features, movement sizes for counting) is divided by this one unit, so
that nothing depends on the person's size or distance to the camera.

A torso seen end-on (a push-up filmed from the front) or an arm pointing at the camera is
foreshortened, so the unit is not the torso alone: each seen limb segment estimates the torso
length through adult body proportions (Drillis & Contini), and the unit is the median of
those estimates. It equals the torso length of an upright person and stays close to it when
one or two segments point at the camera or are unseen.
"""

from __future__ import annotations

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON_INDEX

__all__ = [
    "LEG_JOINTS",
    "MAX_LEG_TO_TORSO",
    "SEGMENTS",
    "body_size",
    "body_unit",
    "folded_frames",
    "segment_lengths",
]

#: Limb segments and their length in torso lengths (shoulder to hip on the same side).
SEGMENTS: dict[tuple[str, str], float] = {
    **{(f"{s}_shoulder", f"{s}_hip"): 1.0 for s in ("left", "right")},
    **{(f"{s}_shoulder", f"{s}_elbow"): 0.62 for s in ("left", "right")},
    **{(f"{s}_elbow", f"{s}_wrist"): 0.49 for s in ("left", "right")},
    **{(f"{s}_hip", f"{s}_knee"): 0.82 for s in ("left", "right")},
    **{(f"{s}_knee", f"{s}_ankle"): 0.82 for s in ("left", "right")},
}
#: Fewest seen segments for a unit: one segment alone may point at the camera.
MIN_SEGMENTS = 2

#: How many times its body proportion of the torso a leg segment may look in one frame before
#: the skeleton is nonsense. A thigh or shin looks longer than its proportion only when the
#: torso is foreshortened and the leg is not; twice means the torso turned 60 degrees towards
#: the camera while the legs stay across it, beyond what exercises filmed from the side or the
#: front show (a plank seen end-on foreshortens torso and legs together).
MAX_LEG_TO_TORSO = 2.0
#: The joints a folded skeleton misplaces: the hips and the legs below them.
LEG_JOINTS = tuple(f"{s}_{j}" for j in ("hip", "knee", "ankle") for s in ("left", "right"))

_IDX = COMMON_INDEX
_A = np.array([_IDX[a] for a, _ in SEGMENTS])
_B = np.array([_IDX[b] for _, b in SEGMENTS])
_PROPORTION = np.array(list(SEGMENTS.values()))
_TORSO = [i for i, (_, b) in enumerate(SEGMENTS) if b.endswith("_hip")]
_LEGS = [i for i, (a, _) in enumerate(SEGMENTS) if a.endswith(("_hip", "_knee"))]


def segment_lengths(xy: np.ndarray) -> np.ndarray:
    """(..., S) length of each of :data:`SEGMENTS` from (..., J, 2) COMMON coordinates; NaN
    where a joint is unseen."""
    d = xy[..., _A, :] - xy[..., _B, :]
    return np.sqrt((d * d).sum(axis=-1))


def body_unit(xy: np.ndarray) -> np.ndarray:
    """(...,) torso length in image units per frame from (..., J, 2) COMMON coordinates.

    The median over the seen segments of each one's length over its body proportion; NaN
    where fewer than :data:`MIN_SEGMENTS` are seen.
    """
    xy = np.asarray(xy, np.float64)
    if xy.ndim == 2:  # one frame (the streaming counter's case): the plain median is cheap
        d = xy[_A] - xy[_B]
        one = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1]) / _PROPORTION
        one = np.sort(one[one > 0])  # NaN compare False: unseen segments drop out
        n = len(one)
        return np.array(0.5 * (one[(n - 1) // 2] + one[n // 2]) if n >= MIN_SEGMENTS else np.nan)
    est = segment_lengths(xy) / _PROPORTION
    est = np.where(est > 0, est, np.nan)  # NaN where unseen (or a zero-length segment)
    seen = np.isfinite(est).sum(axis=-1)
    # the median of the seen estimates (NaN sort last); np.nanmedian costs ~40x more on
    # small arrays
    srt = np.sort(est, axis=-1)
    lo = np.take_along_axis(srt, np.maximum(seen - 1, 0)[..., None] // 2, axis=-1)[..., 0]
    hi = np.take_along_axis(srt, (seen // 2)[..., None], axis=-1)[..., 0]
    return np.where(seen >= MIN_SEGMENTS, 0.5 * (lo + hi), np.nan)


def body_size(seq: PoseSequence) -> float:
    """The torso length of a whole sequence (its units): the median of :func:`body_unit` over
    the frames where it is known; NaN when it never is."""
    unit = body_unit(seq.to_common().xy)
    unit = unit[np.isfinite(unit)]
    return float(np.median(unit)) if unit.size else float("nan")


def folded_frames(xy: np.ndarray, max_ratio: float = MAX_LEG_TO_TORSO) -> np.ndarray:
    """(T,) bool from (T, J, 2) COMMON coordinates: frames whose legs look longer than
    ``max_ratio`` times their body proportion of the torso (median over the seen thigh and shin
    segments against the mean of the seen torso sides) - a skeleton folded at the hips or
    stretched along the legs, which no body and no view produces. False where unseen."""
    est = segment_lengths(np.asarray(xy, np.float64)) / _PROPORTION
    torso = est[:, _TORSO]
    legs = est[:, _LEGS]
    seen = np.isfinite(torso).any(axis=1) & np.isfinite(legs).any(axis=1)
    out = np.zeros(len(est), bool)
    if seen.any():
        t = np.nanmean(torso[seen], axis=1)
        leg = np.nanmedian(legs[seen], axis=1)
        out[seen] = leg > max_ratio * t
    return out
