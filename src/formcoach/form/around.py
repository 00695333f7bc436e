"""The stream around a repetition that its judge may look at.

A rep's verdict is spoken right after the counter emits it, so the judge sees the stream
before the rep's start (any amount of it) and after its end only up to the frame whose
arrival emitted the rep (:attr:`~formcoach.core.rep.Rep.emitted_frame`, a fraction of a
second later): what a live session has then. The offline analysis is given the same.

Around the rep, the judge looks for

- pose-model glitches near its ends (whether a jump comes back shows only around it);
- where the person rested: a counter that cuts a rep a little early or late leaves part of
  the rest outside it, and the rest is where a ``"change"`` feature is measured from
  (:func:`formcoach.form.rest.rest_frames`): up to :data:`REST_AROUND_S` each way;
- how far a ``"value"`` feature went just outside the rep (``around_share`` of its duration
  each way): whether the person stood all the way up where the counter did not look.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.form.curves import RepCurves, feature_spec, widened
from formcoach.form.exercises.model import SIDES, Exercise
from formcoach.pose.glitches import GlitchSettings, remove_glitches

__all__ = [
    "LOOK_BACK_S",
    "REST_AROUND_S",
    "RepWindow",
    "rep_window",
    "values_around",
    "with_around",
]

#: How far (seconds) before a rep's start and after its end its rest is looked for: a
#: counter's cut is off by a few tenths of a second (a turning point found a frame or two
#: late, a rest entered slowly), and half a second holds that without reaching into the
#: movement of the next rep at a brisk tempo.
REST_AROUND_S = 0.5

#: The most stream (seconds) before a rep that a judge with default settings looks at: its
#: glitches' longest excursion (:class:`~formcoach.pose.glitches.GlitchSettings`), then the
#: rest around its start. A live session keeps at least this much before a rep it hands over.
LOOK_BACK_S = GlitchSettings().max_duration_s + REST_AROUND_S


@dataclass(frozen=True)
class RepWindow:
    """A rep in the stream around it that the judge may look at.

    Attributes:
        seq: the stream (T' frames, glitches bridged), from before the rep's start to no
            later than the frame that emitted it.
        inside: where the rep is in ``seq``.
        rest: the frames of ``seq`` where its rest is looked for (the rep and up to
            :data:`REST_AROUND_S` each way).
    """

    seq: PoseSequence
    inside: slice
    rest: slice

    @property
    def rep(self) -> PoseSequence:
        """The rep's own frames."""
        return self.seq[self.inside]  # type: ignore[return-value]

    def rest_stream(self) -> tuple[PoseSequence, slice]:
        """The frames where the rest is looked for, and where the rep is in them."""
        a = self.rest.start
        inside = slice(self.inside.start - a, self.inside.stop - a)
        return self.seq[self.rest], inside  # type: ignore[return-value]

    def outside(self, share: float) -> tuple[PoseSequence, PoseSequence]:
        """The frames just before and after the rep, up to ``share`` of its length each way."""
        n = math.ceil(share * (self.inside.stop - self.inside.start))
        a, b = self.inside.start, self.inside.stop
        return self.seq[max(0, a - n) : a], self.seq[b : b + n]  # type: ignore[return-value]

    def widened(self, factor: float) -> RepWindow:
        """The same window with its horizontal coordinates times ``factor`` (:func:`widened`)."""
        return self if factor == 1.0 else replace(self, seq=widened(self.seq, factor))


def rep_window(
    seq: PoseSequence,
    rep: Rep | None,
    glitches: GlitchSettings | None,
    around_share: float,
) -> RepWindow:
    """The stream around ``rep`` (frame indices into ``seq``; ``None``: ``seq`` is the rep)
    that the judge looks at, glitches bridged: before the rep as far as the glitches
    (``glitches.max_duration_s``), its rest (:data:`REST_AROUND_S`) and ``around_share`` of
    its length are looked for; after it as far too, but never past the frame that emitted it
    (its end when not known).

    Raises:
        FormcoachError: the rep's frames are not all in ``seq``.
    """
    if rep is not None and (rep.start_frame < 0 or rep.end_frame >= len(seq)):
        raise FormcoachError(
            f"rep frames {rep.start_frame}..{rep.end_frame} are outside the "
            f"{len(seq)} frames given",
            "pass the whole pose stream the rep was counted in",
        )
    a, b = (0, len(seq)) if rep is None else (rep.start_frame, rep.end_frame + 1)
    fps = seq.frame_rate() if len(seq) > 1 else 30.0
    glitch = 0 if glitches is None else math.ceil(glitches.max_duration_s * fps) + 1
    rest = math.ceil(REST_AROUND_S * fps) if rep is not None else 0
    margin = max(glitch, rest, math.ceil(around_share * (b - a)))
    seen = b if rep is None else max(b, min(rep.emitted_frame, len(seq) - 1) + 1)
    lo, hi = max(0, a - margin), min(seen, b + margin)
    window = seq[lo:hi]
    if glitches is not None and len(window):
        window = remove_glitches(window, glitches)[0]
    r_lo, r_hi = max(lo, a - rest), min(hi, b + rest)
    return RepWindow(window, slice(a - lo, b - lo), slice(r_lo - lo, r_hi - lo))  # type: ignore[arg-type]


def values_around(
    before: PoseSequence, after: PoseSequence, exercise: Exercise, keys: list[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each ``"value"`` feature (by key) in the frames just before and after a rep: ((K,),
    (L,)) in time order, NaN where unseen (a ``sides: mean`` feature the mean of both sides
    where both are seen, else this side's)."""
    defs = exercise.feature_defs()
    xy = np.concatenate([before.to_common().xy, after.to_common().xy])
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if not len(xy):
        return out
    for key in keys:
        unit, _, side = key.partition("@")
        f = defs.get(unit)
        if f is None or f.compare != "value":
            continue
        x = feature_spec(f.resolved(side or None))(xy)
        if f.sides == "mean" and side:
            both = np.mean([feature_spec(f.resolved(s))(xy) for s in SIDES], axis=0)
            x = both if np.isfinite(both).any() else x  # else only this side was measured
        out[key] = (x[: len(before)], x[len(before) :])
    return out


def _levels(past: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, tuple[float, float]]:
    """key -> (lowest, highest) of the values seen before and after a rep."""
    out: dict[str, tuple[float, float]] = {}
    for key, (b, a) in past.items():
        x = np.concatenate([b, a])
        x = x[np.isfinite(x)]
        if x.size:
            out[key] = (float(x.min()), float(x.max()))
    return out


def with_around(
    curves: RepCurves, before: PoseSequence, after: PoseSequence, exercise: Exercise
) -> RepCurves:
    """``curves`` with the levels (:attr:`RepCurves.around`) and the values
    (:attr:`RepCurves.past`) of its ``"value"`` features just before and after the rep."""
    past = values_around(before, after, exercise, list(curves.curves))
    return replace(curves, around=_levels(past), past=past)
