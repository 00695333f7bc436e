"""A skeleton the pose model folds at the hips for much of a rep is not judged there."""

import numpy as np

from formcoach.core.body import MAX_LEG_TO_TORSO, folded_frames
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON_JOINTS
from formcoach.form.judge import FormJudge
from formcoach.testing.reps import curl


def _folded(seq: PoseSequence, share: float = 0.6, torso: float = 0.4) -> PoseSequence:
    """The rep with its hips swung beside the shoulders (torso ``torso`` times its length,
    turned 90 degrees) in the middle ``share`` of its frames; the legs follow their hip."""
    common = seq.to_common()
    xy = common.xy.copy()
    n = len(xy)
    a = int(n * (1 - share) / 2)
    frames = slice(a, n - a)
    for side in ("left", "right"):
        sh, hip = (COMMON_JOINTS.index(f"{side}_{j}") for j in ("shoulder", "hip"))
        trunk = xy[frames, hip] - xy[frames, sh]
        turned = torso * np.stack([trunk[:, 1], -trunk[:, 0]], axis=-1)
        shift = xy[frames, sh] + turned - xy[frames, hip]
        for j in ("hip", "knee", "ankle"):
            xy[frames, COMMON_JOINTS.index(f"{side}_{j}")] += shift
    return common.replace(xy=xy)


def test_folded_frames_are_the_ones_whose_legs_outgrow_the_torso():
    seq = curl().to_common()
    assert not folded_frames(seq.xy).any()
    folded = folded_frames(_folded(seq, torso=0.8 / MAX_LEG_TO_TORSO).xy)
    n = len(folded)
    assert folded[n // 2] and not folded[0] and not folded[-1]
    assert 0.5 < folded.mean() < 0.7


def test_a_folded_trunk_is_not_judged_and_gets_no_cue():
    judge = FormJudge("bicep curl")
    normal = judge.judge(curl())
    assert normal.passed and "trunk" in normal.distances
    v = judge.judge(_folded(curl()))
    assert "trunk" not in v.distances  # not judged over poses the model did not see
    assert "trunk" in v.hidden and "see" in v.hidden["trunk"]
    assert any("arm" in p for p in v.distances)  # the arm is still judged
    assert "swing" not in v.cue and "lean" not in v.cue
