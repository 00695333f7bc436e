"""The same movement filmed differently: re-sampled in time, or mirrored left for right.

For checking that counting and judging do not depend on the frame rate or on which side faces
the camera (``benchmarks/fps_invariance.py`` and the tests):

- :func:`resample` samples a recording at another frame rate: each new frame lies between two
  recorded ones and its joints are interpolated linearly between them; a joint missing in
  either neighbour takes the nearer one's value (so a missing pose stays missing, and a frame
  that falls on a recorded one is that frame exactly);
- :func:`mirror` swaps every ``left_*`` joint with its ``right_*`` twin and flips x, as a
  recording of the person doing the movement with the other side to the camera;
- :func:`tempo` gives the movement done faster or slower, filmed at the same rate
  (``benchmarks/form_margins.py`` and its tests);
- :func:`samplings` gives the same recording sampled at other instants at its own rate (the
  first frame or two dropped, half or a third of a frame later): a count that changes among
  them hangs on sampling luck (``benchmarks/sampling_phase.py``).
"""

from __future__ import annotations

import numpy as np

from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import Skeleton

__all__ = ["SAMPLINGS", "mirror", "resample", "samplings", "side_swap", "tempo"]


def resample(seq: PoseSequence, fps: float, offset_s: float = 0.0) -> PoseSequence:
    """``seq`` sampled at ``fps`` frames per second over the same stretch of time.

    Args:
        seq: T frames with increasing timestamps (seconds).
        fps: the new frame rate.
        offset_s: the first new frame this long after the first recorded one (the same rate
            with half a frame's offset samples the same movement at other instants).

    Returns:
        T' frames (about ``T * fps / seq.frame_rate()``) at times ``t0 + offset_s + k / fps``, with
        ``fps`` as their nominal rate.
    """
    if not (np.isfinite(fps) and fps > 0):
        raise ValueError(f"resample: fps must be positive, got {fps}")
    if len(seq) < 2:
        return seq.replace(fps=float(fps))
    t = np.asarray(seq.timestamps, np.float64)
    n = int(np.floor((t[-1] - t[0] - offset_s) * fps + 1e-6)) + 1
    new_t = t[0] + offset_s + np.arange(max(n, 0)) / fps
    i = np.clip(np.searchsorted(t, new_t + 1e-9, side="right") - 1, 0, len(t) - 2)
    gap = np.maximum(t[i + 1] - t[i], 1e-12)
    w = np.clip((new_t - t[i]) / gap, 0.0, 1.0)
    w = np.where(w < 1e-6, 0.0, np.where(w > 1 - 1e-6, 1.0, w))
    xy, vis = seq.xy.astype(np.float64), seq.visibility.astype(np.float64)
    a_xy, b_xy, a_v, b_v = xy[i], xy[i + 1], vis[i], vis[i + 1]
    both = (a_v > 0) & (b_v > 0)  # (T', J)
    wj = w[:, None]
    nearer_b = (wj > 0.5) | (wj >= 1.0)
    out_xy = np.where(nearer_b[..., None], b_xy, a_xy)
    out_v = np.where(nearer_b, b_v, a_v)
    mix = both & (wj > 0) & (wj < 1)
    out_xy = np.where(mix[..., None], (1 - wj[..., None]) * a_xy + wj[..., None] * b_xy, out_xy)
    out_v = np.where(mix, (1 - wj) * a_v + wj * b_v, out_v)
    return PoseSequence(out_xy, out_v, new_t, seq.skeleton, seq.frame_size, float(fps))


def side_swap(skeleton: Skeleton) -> np.ndarray:
    """(J,) for each joint the index of its mirror twin (``left`` <-> ``right`` in its name;
    itself for a joint without a side)."""
    names = list(skeleton.joints)
    out = np.arange(len(names))
    for k, name in enumerate(names):
        twin = name.replace("left", "\0").replace("right", "left").replace("\0", "right")
        if twin != name and twin in names:
            out[k] = names.index(twin)
    return out


def mirror(seq: PoseSequence) -> PoseSequence:
    """``seq`` mirrored: left and right joints swapped and x reflected (``width - x`` for a
    known frame size, else about the middle of the x seen, which keeps values in range)."""
    xy = seq.xy.astype(np.float64)[:, side_swap(seq.skeleton)]
    vis = seq.visibility[:, side_swap(seq.skeleton)]
    if seq.frame_size is not None:
        c = float(seq.frame_size[0])
    else:
        x = xy[..., 0][np.isfinite(xy[..., 0])]
        c = float(x.min() + x.max()) if x.size else 0.0
    xy[..., 0] = c - xy[..., 0]
    return seq.replace(xy=xy, visibility=vis)


#: The samplings of :func:`samplings`, in order.
SAMPLINGS = ("given", "drop1", "drop2", "half", "third")


def samplings(seq: PoseSequence) -> dict[str, PoseSequence]:
    """``seq`` sampled at other instants at its own rate, by name (:data:`SAMPLINGS`).

    ``given``: as recorded; ``drop1`` / ``drop2``: without the first frame / the first two
    (no interpolation: every other frame the same, at the same time); ``half`` / ``third``:
    half / a third of a frame later (:func:`resample`, interpolated).
    """
    dt = 1.0 / seq.frame_rate()
    return {
        "given": seq,
        "drop1": seq[1:],
        "drop2": seq[2:],
        "half": resample(seq, seq.frame_rate(), 0.5 * dt),
        "third": resample(seq, seq.frame_rate(), dt / 3.0),
    }


def tempo(seq: PoseSequence, k: float) -> PoseSequence:
    """The movement done ``k`` times as fast (k < 1: slower), filmed at the same frame rate:
    frame i shows the recording at frame i * k, joints (T, J, 2) interpolated linearly; a joint
    missing in a neighbour takes the nearer frame's value, visibility the smaller of the two."""
    n = len(seq)
    m = round((n - 1) / k) + 1
    s = np.minimum(np.arange(m) * k, n - 1)
    lo = np.floor(s).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = (s - lo)[:, None, None]
    xy = (1 - w) * seq.xy[lo] + w * seq.xy[hi]
    gap = ~np.isfinite(xy)
    xy[gap] = seq.xy[np.rint(s).astype(int)][gap]
    vis = np.minimum(seq.visibility[lo], seq.visibility[hi])
    return seq.replace(xy=xy, visibility=vis, timestamps=np.arange(m) / seq.frame_rate())
