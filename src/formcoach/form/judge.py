"""Judging a repetition body part by body part against an exercise's reference (DTW).

For each judged feature, the repetition's curve (N samples) is aligned with the reference's by
dynamic time warping (dtaidistance, C path, Sakoe-Chiba band; :mod:`formcoach.form.references`).
How a body part deviates then depends on where the reference comes from:

- a **built-in** exercise (a generic reference written from movement knowledge) is judged on the
  faults it names (:mod:`formcoach.form.faults`): where the rep got to, how it was held and how
  far a part that should stay still moved, each against the reference along the alignment. What
  differs between correct people — a deeper curl, another tempo, the other arm — is no fault;
- a **taught** exercise (the person's own recorded reps) is judged on resemblance: the DTW
  distance to the nearest recorded rep, as a root-mean-square deviation in the feature's units.

Either way a deviation is in tolerances (1 is the limit of a correct rep), a body part deviates
as much as its worst feature, and two verdicts come out:

- the seed's: the median over body parts against a threshold (``JudgeSettings.median_threshold``),
  as in the original design;
- the verdict said to the person: the worst body part against ``limit`` — a single bad part
  makes a bad rep —, with a 0-100 score (``100·exp(-d²/2)``: 100 perfect, 61 at the limit) and,
  for a failed rep, the worst part(s), which way it deviated and when, and the cue for that.

Judging does no I/O and takes about a millisecond (see ``benchmarks/judge_speed.py``). The
settings are :class:`~formcoach.form.judge_settings.JudgeSettings`; the verdict is assembled from
the parts' deviations by :func:`~formcoach.form.assembly.assemble_verdict`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.core.view import View
from formcoach.form.around import RepWindow, rep_window, with_around
from formcoach.form.assembly import assemble_verdict
from formcoach.form.cues import praise_for
from formcoach.form.curves import RepCurves, half_turn, rep_curves
from formcoach.form.exercises import Exercise, Recorded, get_exercise
from formcoach.form.frame_edge import beyond_frame
from formcoach.form.judge_settings import JudgeSettings
from formcoach.form.parts import judged_parts, unseen_parts
from formcoach.form.references import ALL_VIEWS, References, unit_of
from formcoach.form.verdict import Deviation, RepVerdict, score_from_deviation
from formcoach.form.views import JudgedView, judged_view

__all__ = [
    "Deviation",
    "FormJudge",
    "JudgeSettings",
    "RepVerdict",
    "measure_curves",
    "praise_for",
    "score_from_deviation",
]


def measure_curves(
    seq: PoseSequence,
    exercise: Exercise,
    settings: JudgeSettings,
    view: str | None = None,
    near_side: str | None = None,
    oblique: bool = False,
    beyond: np.ndarray | None = None,
    inside: slice | None = None,
) -> RepCurves:
    """A rep's curves measured as the judge measures them (``seq`` already glitch-repaired;
    ``beyond``: its joints pinned against the frame's edge, :func:`beyond_frame`; ``inside``:
    where the rep is in ``seq``, the stream around it, by default all of it)."""
    return rep_curves(
        seq,
        exercise,
        settings.samples,
        view,
        near_side,
        settings.max_missing,
        settings.profile,
        glitches=None,
        oblique=oblique,
        beyond=beyond,
        inside=inside,
    )


class FormJudge:
    """Judges repetitions of one exercise against its reference(s).

    Args:
        exercise: an :class:`Exercise` or its name.
        settings: how to judge.
        references: extra reference repetitions (e.g. a person's own good reps); a taught
            exercise brings its recorded ones, a built-in one its keyframe reference.

    Example:
        >>> judge = FormJudge("squat")  # doctest: +SKIP
        >>> verdict = judge.judge(poses, rep)  # doctest: +SKIP
        >>> verdict.cue  # doctest: +SKIP
        'Go lower: sit your hips down to knee height.'
    """

    def __init__(
        self,
        exercise: Exercise | str,
        settings: JudgeSettings = JudgeSettings(),
        references: Sequence[Recorded] = (),
    ) -> None:
        self.exercise = get_exercise(exercise) if isinstance(exercise, str) else exercise
        self.settings = settings
        self._refs = References(self.exercise, settings.samples, settings.window, references)
        #: built-in exercises are judged on the faults they name, taught ones on resemblance
        self.judges_faults = not (self.exercise.recorded or references)
        self._front_parts = any(p.views == ("front",) for p in self.exercise.parts)
        self._side_parts = any(p.views == ("side",) for p in self.exercise.parts)

    @property
    def references(self) -> int:
        """How many reference repetitions (over all views) the judge compares with."""
        return len(self._refs.reps)

    def reference_curves(self, view: str) -> dict[str, np.ndarray]:
        """The first reference's curves in a view (for plots); empty when there is none."""
        return self._refs.first_curves(view)

    # ----------------------------------------------------------------------------------
    def judge(
        self,
        seq: PoseSequence,
        rep: Rep | None = None,
        view: View | str | None = None,
        near_side: str | None = None,
    ) -> RepVerdict:
        """Judge one repetition.

        Args:
            seq: poses; the whole stream when ``rep`` is given (its frame indices are indices
                into ``seq``), else just the repetition.
            rep: the repetition to judge within ``seq``; the stream is looked at before it
                and after it up to ``rep.emitted_frame`` (what a live session had then).
            view: the camera view (a :class:`~formcoach.core.features.View`, or ``"side"`` /
                ``"front"``); estimated from the poses when omitted (pass the view of the
                whole set for steadier results).
            near_side: the side nearer the camera in a side view; estimated when omitted.

        Raises:
            FormcoachError: the rep is too short to judge, or no judged body part can be seen.
        """
        return self.judge_curves(self.measure(seq, rep, view, near_side), rep)

    def measure(
        self,
        seq: PoseSequence,
        rep: Rep | None = None,
        view: View | str | None = None,
        near_side: str | None = None,
    ) -> RepCurves:
        """Check a rep can be judged and measure its curves (arguments as :meth:`judge`; the
        stream after the rep is looked at only up to the frame that emitted it).

        Raises:
            FormcoachError: the rep is too short, or nobody was seen in most of it.
        """
        s = self.settings
        window = rep_window(seq, rep, s.glitches, s.around_share if rep is not None else 0.0)
        self._check(window.rep)
        facing, near, oblique, widths = self._view_of(window.rep, view, near_side)
        beyond = beyond_frame(window.seq.to_common())[window.inside]  # before widening
        readings = [
            self._measure_at(window.widened(w), rep is not None, facing, near, oblique, beyond)
            for w in widths
        ]
        return replace(readings[0], readings=tuple(readings[1:]))

    def _measure_at(
        self,
        window: RepWindow,
        around: bool,
        facing: str,
        near: str | None,
        oblique: bool,
        beyond: np.ndarray | None = None,
    ) -> RepCurves:
        """The curves of the rep in ``window`` from one view (``around``: with the levels of
        its ``"value"`` features just outside it)."""
        stream, inside = window.rest_stream()
        curves = measure_curves(
            stream, self.exercise, self.settings, facing, near, oblique, beyond, inside
        )
        if around and self.settings.around_share > 0:
            before, after = window.outside(self.settings.around_share)
            curves = with_around(curves, before, after, self.exercise)
        return curves

    def _view_of(
        self, seq: PoseSequence, view: View | str | None, near_side: str | None
    ) -> JudgedView:
        """How a rep is judged from what the caller knows of the view (:func:`judged_view`)."""
        return judged_view(
            seq, view, near_side, self._front_parts, self._side_parts, self.settings.oblique_ratio
        )

    def _check(self, seq: PoseSequence) -> None:
        """Raise when a rep is too short or too hidden to judge."""
        s = self.settings
        duration = float(seq.timestamps[-1] - seq.timestamps[0]) if len(seq) > 1 else 0.0
        if len(seq) < s.min_frames or duration < s.min_duration_s:
            raise FormcoachError(
                f"a rep of {len(seq)} frame{'s' * (len(seq) != 1)} ({duration:.2f} s) "
                "is too short to judge",
                f"a rep needs at least {s.min_frames} frames and {s.min_duration_s} s: "
                "move through the whole range of the exercise",
            )
        detected = seq.detected.mean() if len(seq) else 0.0
        if detected < 1 - s.max_missing:
            raise FormcoachError(
                f"nobody was seen in {100 * (1 - detected):.0f}% of the rep's frames",
                "stay in view of the camera for the whole rep",
            )

    def judge_curves(self, curves: RepCurves, rep: Rep | None = None) -> RepVerdict:
        """Judge a repetition already measured with :func:`formcoach.form.curves.rep_curves`."""
        if curves.readings:  # the kindest reading of a view seen at an uncertain angle
            return self._kindest((replace(curves, readings=()), *curves.readings), rep)
        verdict = self._judge_curves(curves, rep)
        if self.settings.phase_check and not verdict.passed and not self.exercise.static:
            turned = half_turn(curves)
            if self._timing_distance(turned) < 0.5 * self._timing_distance(curves):
                return self._judge_curves(turned, rep)
        return verdict

    def _kindest(self, readings: Sequence[RepCurves], rep: Rep | None) -> RepVerdict:
        """The kindest verdict over the readings that can be judged: a reading at one end of
        the camera's possible angles that shows no judged part (a leg taken for folded on the
        widened image) does not make the rep unjudgeable. Raises as the last one did if none
        can be judged."""
        each: list[RepVerdict] = []
        for c in readings:
            try:
                each.append(self.judge_curves(c, rep))
            except FormcoachError:
                if c is readings[-1] and not each:
                    raise
        return min(each, key=lambda v: (not v.passed, v.aggregate))

    def _timing_distance(self, curves: RepCurves) -> float:
        """How far the movement driving the rep is from the nearest reference's (DTW, in its
        tolerances): which cut of a rep lines up with the reference is a matter of timing,
        not of its faults."""
        view = curves.view if self._refs.has_view(curves.view) else ALL_VIEWS
        drivers = {r.driver for r in self._refs.reps if r.driver is not None}
        units = self._refs.units(view)
        tols = {u: f.tol for u, f in self.exercise.feature_defs().items()}
        found = [
            self._refs.nearest(view, unit_of(k), c).distance / tols[unit_of(k)]
            for k, c in curves.curves.items()
            if unit_of(k) in drivers and unit_of(k) in units
        ]
        return min(found, default=math.inf)

    def _judge_curves(self, curves: RepCurves, rep: Rep | None) -> RepVerdict:
        ex, s = self.exercise, self.settings
        view = curves.view
        if not self._refs.has_view(view) and not self.judges_faults:
            view = "*"  # a demonstration from another view beats none at all
        parts = judged_parts(ex, self._refs, curves, view, self.judges_faults, s.cue_strength)
        hidden = unseen_parts(ex, self._refs, curves, view, parts)
        if view == "*" and self._refs.reps:
            learned = self._refs.reps[0].view
            turn = "sideways" if learned == "side" else "to face the camera"
            hidden["view"] = (
                f"I learned this exercise from the {learned}: turn {turn} "
                "so I can compare you fairly."
            )
        if not parts:
            first = next(iter(hidden.values()), "Make sure your whole body is in view.")
            raise FormcoachError(
                f"none of the body parts judged for {ex.name} could be seen "
                f"from this {curves.view} view",
                first,
            )
        return assemble_verdict(ex, curves, parts, hidden, rep, s)
