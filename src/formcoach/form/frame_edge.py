"""Joints pinned against the frame's edge: where a reading is a bound, not a position.

A pose model pins a joint that left the picture to the frame's edge (and the jitter filter eases
it towards the edge over a few frames), so a hand above the frame at a press's lockout reads as
a hand at the edge: a level fault read there ("press higher") may be the camera's, not the
person's. The judge reads such stretches as bounds (:func:`formcoach.form.faults.fault_sizes`).
"""

from __future__ import annotations

import numpy as np

from formcoach.core.pose import PoseSequence

__all__ = ["EDGE_SHARE", "beyond_frame"]

#: A joint closer to the frame's edge than this share of the frame's smaller side is pinned
#: against it: pose models place a joint within about that (a few pixels), and the jitter
#: filter eases a joint pinned to the edge towards it over a few frames.
EDGE_SHARE = 0.01


def beyond_frame(seq: PoseSequence, share: float = EDGE_SHARE) -> np.ndarray:
    """(T, J, 2): for each joint pinned against the edge of the frame (its size known: on it or
    within ``share`` of its smaller side inside it), the outward direction of that edge (a
    unit vector; the sum of two at a corner), zeros elsewhere. A pose model pins a joint that
    left the picture to the edge (the jitter filter eases it towards it), so a reading there is
    a bound, not a position: the joint was there or further out. A joint reported beyond the
    edge is the model's own guess of where it went and is kept as given. All zeros when the
    frame size is unknown."""
    out = np.zeros((*seq.xy.shape[:2], 2))
    if seq.frame_size is None or not all(seq.frame_size):
        return out
    w, h = seq.frame_size
    m = share * min(w, h)
    x, y = seq.xy[..., 0], seq.xy[..., 1]
    with np.errstate(invalid="ignore"):
        inside = (x >= 0) & (x <= w) & (y >= 0) & (y <= h)
        out[..., 0] = inside * (((x >= w - m) & (x <= w)).astype(float) - (x <= m))
        out[..., 1] = inside * (((y >= h - m) & (y <= h)).astype(float) - (y <= m))
    return out
