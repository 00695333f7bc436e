"""The push-up's body line is held through the whole rep, the top included (real pushfit reps).

A median over the rep lets a fault held through part of it pass: pushfit's ``wrong76`` rep 2
(side view, tuning part) rests at the top with its hips bent to about 145 degrees and straightens
them to about 163 only on the way down, so its median over the rep (0.91 of the limit) passed.
Judged at rest as well, its hips are told. A correct push-up that pikes a little all the way
through (``correct82``, 11-13 degrees) still passes.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.analysis import analyze_sequence
from formcoach.form.exercises import get_exercise

HIPS_CUE = "Keep your body in one straight line: don't let your hips sag or pike."


def _verdicts(shared_data, name: str) -> dict[int, object]:
    from formcoach.eval.form_data import read_labels

    files = [f for f in read_labels(shared_data / "form" / "pushfit") if f.file.endswith(name)]
    assert len(files) == 1, name
    f = files[0]
    assert f.part == "tune"  # chosen on the tuning part only
    a = analyze_sequence(f.seq, get_exercise("push-up"), f.file)
    return {r.rep.number: r.verdict for r in a.judged}


@pytest.mark.realdata
def test_hips_held_bent_at_the_top_are_told(shared_data):
    verdicts = _verdicts(shared_data, "/wrong76.npy")
    v = verdicts[2]
    assert v.view == "side"
    assert not v.passed, v.as_dict()
    assert v.cue == HIPS_CUE, v.as_dict()
    assert v.deviation is not None and v.deviation.when == "rest", v.as_dict()


@pytest.mark.realdata
def test_a_slight_pike_held_through_the_rep_still_passes(shared_data):
    verdicts = _verdicts(shared_data, "/correct82.npy")
    assert verdicts and all(v.passed for v in verdicts.values()), [
        v.as_dict() for v in verdicts.values()
    ]


def test_a_posture_is_read_where_its_joints_are_seen():
    """A joint pinned against the frame's edge (feet cut off by the picture's bottom) reads a
    bent knee where the leg is straight: a posture is read where no joint of it was pinned, as a
    movement is, and where every sample was pinned, on all of them."""
    from formcoach.form.cues import phase_masks, progress
    from formcoach.form.faults import fault_sizes

    f = get_exercise("push-up").feature_defs()["leg.knee"]
    elbow = 170.0 - 100.0 * np.sin(np.linspace(0.0, np.pi, 40))
    masks = phase_masks(progress({"arm.elbow": elbow}, {"arm.elbow": 30.0}))
    ref = np.full(40, 174.0)
    pinned = np.zeros(40, bool)
    pinned[:26] = True  # the feet left the picture for two thirds of the rep
    knee = np.where(pinned, 150.0, 172.0)  # what a clipped ankle makes of a straight leg
    sizes = fault_sizes(f, knee, ref, masks, "side", pinned=pinned)
    assert sizes and all(fs.size < 0.2 for fs in sizes), sizes
    everywhere = fault_sizes(f, knee, ref, masks, "side", pinned=np.ones(40, bool))
    assert max(fs.size for fs in everywhere) > 1.0, everywhere
