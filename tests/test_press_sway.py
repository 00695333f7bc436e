"""A shoulder press swaying back is told, though the shoulder points hide it (Pose Trainer).

As the arms go overhead the shoulder points rise and turn with them, so the hip-shoulder line
turns by several degrees in a correct press too; the head rides on the spine, not on the arms,
so in profile the hips-to-nose line shows the upper body swaying back. Pose Trainer's own check
of a shoulder press is how far the back moves. Only files of the tuning part are read here.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.eval.form_builtin import judge_labelled
from formcoach.eval.form_data import read_labels
from formcoach.form.judge import FormJudge

BACK = "Keep your back straight: don't lean back as you press."
#: a faulty press of the tuning part whose hips-to-shoulder line turns less than its limit
SWAYING = "shoulderpress/shoulderpressbad4.npy"


@pytest.fixture(scope="module")
def presses(shared_data):
    files = [
        lf
        for lf in read_labels(shared_data / "form" / "posetrainer")
        if lf.exercise == "shoulderpress" and lf.part == "tune"
    ]
    reps, _ = judge_labelled(files)
    return reps


@pytest.mark.realdata
def test_a_press_swaying_back_is_told_to_keep_the_back_straight(presses):
    mine = [r for r in presses if r.source == SWAYING]
    assert mine, f"{SWAYING} is no longer counted or judged"
    judge = FormJudge("shoulder press")
    for r in mine:
        assert r.curves is not None
        v = judge.judge_curves(r.curves, r.rep)
        assert not v.passed and v.cue == BACK, v.as_dict()
        assert v.deviation is not None and v.deviation.feature == "trunk.sway", v.as_dict()
        # the hips-to-shoulder line alone would not have told it
        limit = judge.exercise.feature_defs()["trunk.lean"].tol
        lean = r.curves.curves["trunk.lean"]
        assert float(np.max(lean)) < limit, "the shoulder line now shows the sway by itself"


@pytest.mark.realdata
def test_correct_presses_of_the_tuning_part_still_pass(presses):
    correct = [r for r in presses if r.correct]
    assert correct
    assert all(r.passed for r in correct), [(r.source, r.cue) for r in correct if not r.passed]
