"""Judging form: the exercise library, per-body-part DTW against a reference, verdicts and cues.

``exercises`` holds the declarative exercise specs (built-in YAML and taught ones);
``curves`` measures a rep's features into the ``RepCurves`` of ``readings`` (from the rest
frames of ``rest`` for a change); ``references`` stacks an exercise's reference reps for
DTW; ``faults`` measures the faults a built-in exercise names; ``parts`` turns features into
body-part deviations; ``judge`` holds the :class:`~formcoach.form.judge.FormJudge` (its
settings in ``judge_settings``), ``assembly`` puts the parts' deviations together into the
:class:`RepVerdict` that ``verdict`` holds; ``cues`` phrases what is said;
``calibration`` and ``teach`` build a new exercise from demonstrated reps.
"""
