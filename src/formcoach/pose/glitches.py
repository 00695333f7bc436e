"""Repairing pose-model glitches: short stretches where a joint teleports and comes back.

Pose models sometimes lose a joint for a fraction of a second and report it somewhere else —
OpenPose puts a wrist by the hip at the top of a curl, MediaPipe swaps a foot — then find it
again. Measured on the Pose Trainer curls (30 fps): normal wrist steps are 0.01-0.1 body
lengths per frame, the glitch's 0.6-0.84; the elbow angle jumps 59 -> 161 degrees and back 25
frames later, and the counter took the glitch for the end of a rep.

:func:`remove_glitches` finds, per joint, every **excursion**:

- a jump out: a step (from the last seen position) longer than ``min_jump`` and faster than
  ``max_speed`` body lengths per second;
- within ``max_duration_s``, a jump back that lands within ``max_return`` of the jumps'
  length from where the joint left;
- both jumps ``min_ratio`` times the joint's steps just before, just after and typically
  during the excursion. This is what no body does: going from still to several metres per
  second and back to still within a frame. A real fast movement (a jumping jack's arms)
  speeds up and slows down over several frames, so its steps are alike and it is never an
  excursion, however fast.

An excursion is bridged by the straight line from the last position before it to the first
after it (or, on request, its frames become missing). Left alone, on purpose: a jump with no
return in sight (the model locking on late, a person stepping in: which side is right?), and a
glitch during which the joint itself travels more than half the jump (bridging would be a
guess). On the dev data (Pose Trainer, mp17: 192,473 seen joint positions) it repairs 132,
mostly one-frame spikes; from max_speed 5 to 8 the form figures do not change.

It looks ahead up to ``max_duration_s``, so it serves whole recordings and a rep with the
stream around it (judging, evaluation, teaching), not the causal live cleaning. The unit of
length is the body's size — the median over frames of its longest measured segment (torso,
shoulder width, upper arm, forearm, thigh, shin) — so that a torso foreshortened by the view
(a push-up filmed from the front) does not inflate speeds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.core.body import body_size
from formcoach.core.pose import PoseSequence

__all__ = ["GlitchSettings", "find_excursions", "remove_glitches", "repaired"]


@dataclass(frozen=True)
class GlitchSettings:
    """What counts as a pose-model glitch.

    Attributes:
        max_speed: a step faster than this (body lengths per second) can be a jump: about
            4 m/s for a 0.5 m body length, beyond a hand in a strength exercise. The glitches
            seen move 9-25 (9 across a frame the joint was unseen).
        min_jump: a jump is also longer than this (body lengths), so that jitter at a high
            frame rate never counts.
        min_ratio: both jumps are at least this many times the joint's steps just before
            the jump out, just after the jump back and typically in between.
        max_return: the jump back lands within this share of the jump out's length from
            where the joint left.
        max_duration_s: the longest excursion removed (seconds).
    """

    max_speed: float = 8.0
    min_jump: float = 0.25
    min_ratio: float = 3.0
    max_return: float = 0.5
    max_duration_s: float = 1.0

    def __post_init__(self) -> None:
        if min(self.max_speed, self.min_jump, self.min_ratio, self.max_duration_s) <= 0:
            raise ValueError("GlitchSettings values must be positive")
        if not 0 < self.max_return < 1:
            raise ValueError("GlitchSettings.max_return must be in (0, 1)")


def find_excursions(
    p: np.ndarray, t: np.ndarray, settings: GlitchSettings = GlitchSettings()
) -> list[tuple[int, int]]:
    """The glitch excursions of one joint's track.

    Args:
        p: (T, 2) positions in body lengths, NaN where unseen.
        t: (T,) timestamps in seconds.
        settings: what counts as a glitch.

    Returns:
        ``(a, b)`` frame ranges (``b`` exclusive) whose positions are wrong.
    """
    k = np.flatnonzero(np.isfinite(p).all(axis=1))
    if len(k) < 3:
        return []
    q = p[k]
    tk = t[k]
    step = np.linalg.norm(np.diff(q, axis=0), axis=1)  # step[i-1]: from k[i-1] to k[i]
    dt = np.maximum(np.diff(tk), 1e-9)
    jump = np.zeros(len(k), bool)
    jump[1:] = (step > settings.min_jump) & (step / dt > settings.max_speed)
    out: list[tuple[int, int]] = []
    i = 1
    while i < len(k):
        if not jump[i]:
            i += 1
            continue
        anchor = q[i - 1]
        back = None
        m = i + 1
        while m < len(k) and tk[m] - tk[i] <= settings.max_duration_s:
            if jump[m] and np.linalg.norm(q[m] - anchor) <= settings.max_return * min(
                step[i - 1], step[m - 1]
            ):
                back = m
                break
            m += 1
        if back is None or not _sudden(step, i, back, settings.min_ratio):
            i += 1
            continue
        out.append((int(k[i]), int(k[back])))
        i = back + 1
    return out


def _jumping(p: np.ndarray, t: np.ndarray, settings: GlitchSettings) -> np.ndarray:
    """The joints with at least two jumps (their steps from the last seen position), from
    (T, J, 2) positions in body lengths: only they can have an excursion."""
    seen = np.isfinite(p).all(axis=2)  # (T, J)
    frames = np.arange(len(p))[:, None]
    last = np.maximum.accumulate(np.where(seen, frames, -1), axis=0)  # last seen frame <= t
    prev = np.vstack([np.full((1, p.shape[1]), -1), last[:-1]])  # last seen frame < t
    ok = seen & (prev >= 0)
    cols = np.arange(p.shape[1])[None, :]
    src = np.where(ok, prev, 0)
    step = np.linalg.norm(p - p[src, cols], axis=2)
    dt = np.maximum(t[:, None] - t[src], 1e-9)
    with np.errstate(invalid="ignore"):
        jump = ok & (step > settings.min_jump) & (step / dt > settings.max_speed)
    return np.flatnonzero(jump.sum(axis=0) >= 2)


def _sudden(step: np.ndarray, i: int, m: int, ratio: float) -> bool:
    """Are the jumps into seen frame ``i`` and back into ``m`` ``ratio`` times the joint's
    steps around them (before ``i``, after ``m``, and typically in between)? A real fast
    movement speeds up and slows down over several frames: its steps are alike."""
    calm = [step[i - 2]] if i >= 2 else []
    if m < len(step):
        calm.append(step[m])
    inside = step[i : m - 1]
    if len(inside):
        calm.append(float(np.median(inside)))
    return min(step[i - 1], step[m - 1]) > ratio * max(calm, default=0.0)


def remove_glitches(
    seq: PoseSequence, settings: GlitchSettings = GlitchSettings(), bridge: bool = True
) -> tuple[PoseSequence, int]:
    """Repair every joint's glitch excursions (see the module docstring).

    Args:
        seq: poses on any skeleton (T frames).
        settings: what counts as a glitch.
        bridge: replace an excursion's positions by the straight line from the last position
            before it to the first after it (the joint's path when it moves smoothly, and a
            track a counter can follow); else mark them unseen (NaN, visibility 0).

    Returns:
        The repaired poses, on the same skeleton, and how many joint-frames were repaired.
    """
    if len(seq) < 3:
        return seq, 0
    scale = body_size(seq)
    if not np.isfinite(scale) or scale <= 0:
        return seq, 0
    t = np.asarray(seq.timestamps, np.float64)
    xy = seq.xy
    vis = seq.visibility
    changed = False
    n = 0
    for j in _jumping(xy / scale, t, settings):
        track = xy[:, j].astype(np.float64)
        spans = find_excursions(track / scale, t, settings)
        if not spans:
            continue
        if not changed:
            xy, vis, changed = xy.copy(), vis.copy(), True
        seen = np.flatnonzero(np.isfinite(track).all(axis=1))
        for a, b in spans:
            n += b - a
            if not bridge:
                xy[a:b, j] = np.nan
                vis[a:b, j] = 0.0
                continue
            a0 = int(seen[seen < a][-1])  # an excursion starts with a jump from a seen frame
            w = ((t[a:b] - t[a0]) / max(t[b] - t[a0], 1e-9))[:, None]
            xy[a:b, j] = (1 - w) * track[a0] + w * track[b]
            vis[a:b, j] = min(vis[a0, j], vis[b, j])
    if not changed:
        return seq, 0
    return seq.replace(xy=xy, visibility=vis), n


def repaired(seq: PoseSequence, settings: GlitchSettings | None = GlitchSettings()) -> PoseSequence:
    """``seq`` with its glitch excursions bridged; ``seq`` itself when ``settings`` is None."""
    return seq if settings is None else remove_glitches(seq, settings)[0]
