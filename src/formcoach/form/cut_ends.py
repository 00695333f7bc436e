"""Where a repetition cut on its way to its turning point got to.

A counter that starts a rep after a tracking gap (or ends it early) can cut it past its
turning point: the rep's own frames then show only the way back, and "where it got to" read
from them alone would tell a full rep it fell short. Such a rep is furthest towards its
turning point at its cut (a rep cut at rest is furthest in its middle), so the stream beyond
the cut is followed for as long as it keeps going further that way: what the rep showed, not
the previous rep's turning point (the stream turns back before reaching it).
"""

from __future__ import annotations

import numpy as np

__all__ = ["cut_on_its_way", "with_cut_off"]


def cut_on_its_way(
    own: np.ndarray, past: tuple[np.ndarray, np.ndarray], ref: np.ndarray
) -> np.ndarray:
    """The values a rep was cut short of: where the (M,) curve ``own`` is furthest towards the
    reference's turning point at its first (last) sample, the rep was cut on its way there (a
    counter starting it after a tracking gap); the stream ``past`` (before, after) is followed
    from that end for as long as it keeps going further that way. (0,) when neither end is."""
    rest = float(ref[0])
    turn = float(ref[int(np.argmax(np.abs(ref - rest)))])
    toward = np.sign(turn - rest) or 1.0
    far = toward * own
    out: list[float] = []
    for end, beyond in ((own[0], past[0][::-1]), (own[-1], past[1])):
        if toward * end < far.max():
            continue
        last = toward * end
        for v in toward * beyond:
            if not v >= last:  # turned back, or unseen
                break
            out.append(toward * v)
            last = v
    return np.asarray(out, dtype=float)


def with_cut_off(
    own: np.ndarray, past: tuple[np.ndarray, np.ndarray], ref: np.ndarray
) -> np.ndarray:
    """(M + K',) the rep's curve ``own`` and the values it was cut short of
    (:func:`cut_on_its_way`): everywhere it got to."""
    return np.concatenate([own, cut_on_its_way(own, past, ref)])
