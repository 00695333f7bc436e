"""The plank reference against labelled real frames (form/framelevel/plank_test.csv).

Each run of consecutive frames with one label (C correct, H hips too high, L hips too low) is
judged as a stretch of a hold. Coordinates are fractions of an unknown frame; 16:9 assumed.
Run with ``-s`` to see the pass rates.
"""

import csv

import numpy as np
import pytest

from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON, COMMON_JOINTS
from formcoach.form.judge import FormJudge


def _runs(path, aspect=16 / 9):
    rows = list(csv.DictReader(path.open()))
    xy = np.full((len(rows), len(COMMON_JOINTS), 2), np.nan)
    vis = np.zeros((len(rows), len(COMMON_JOINTS)))
    for t, r in enumerate(rows):
        for j, n in enumerate(COMMON_JOINTS):
            if f"{n}_x" in r:
                xy[t, j] = (float(r[f"{n}_x"]) * aspect, float(r[f"{n}_y"]))
                vis[t, j] = min(1.0, max(1e-3, float(r[f"{n}_v"])))
    labels = [r["label"] for r in rows]
    seq = PoseSequence(xy, vis, np.arange(len(rows)) / 30.0, COMMON)
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or labels[i] != labels[start]:
            yield labels[start], seq[start:i]
            start = i


@pytest.mark.realdata
def test_plank_frames_correct_pass_sagging_and_piking_fail(shared_data):
    judge = FormJudge("plank")
    passed: dict[str, list[bool]] = {}
    cues: dict[str, set[str]] = {}
    for label, run in _runs(shared_data / "form" / "framelevel" / "plank_test.csv"):
        if len(run) < 10:
            continue
        v = judge.judge(run, view="side")
        passed.setdefault(label, []).append(v.passed)
        cues.setdefault(label, set()).add(v.cue)
    rates = {k: float(np.mean(v)) for k, v in passed.items()}
    print("plank pass rates by label (C correct, H hips high, L hips low):", rates, cues)
    assert rates["C"] >= 0.8
    assert rates["H"] <= 0.2 and rates["L"] <= 0.2
    assert "Lift your hips: don't let them sag." in cues["L"]
