"""Judging form: the exercise library, per-body-part DTW against a reference, verdicts and cues.

``exercises`` holds the declarative exercise specs (built-in YAML and taught ones), ``judge``
the :class:`~formcoach.form.judge.FormJudge`, ``verdict`` the :class:`RepVerdict` it returns,
``teach`` builds a new exercise from demonstrated reps.
"""
