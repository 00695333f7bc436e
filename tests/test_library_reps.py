"""Every built-in reference against a rep drawn from the exercise's own description.

A stick figure posed as the YAML's comment describes the movement must pass; the same figure
with the exercise's typical fault must fail on the right body part, with one of that fault's
cues. (Squat, curl and plank are covered in test_judge.py.)
"""

import pytest

from formcoach.form.judge import FormJudge
from formcoach.testing.figure import keyframes, stick_figure
from formcoach.testing.reps import FPS, _t


def rep(view: str, spec: dict[str, tuple[float, float]], dur: float = 2.5, rest: float = 0.4):
    """Each angle goes from its first value to its second and back, with rests around."""
    t = _t(dur + 2 * rest)
    k = [0, rest, rest + 0.45 * dur, rest + 0.55 * dur, rest + dur]
    angles = {n: keyframes(k, [a, a, b, b, a], t) for n, (a, b) in spec.items()}
    return stick_figure(angles, view=view, noise_px=0.8, fps=FPS)


def both(**kw: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """``elbow=(a, b)`` -> the same on both sides; other names unchanged."""
    out = {}
    for name, v in kw.items():
        if name in ("shoulder", "elbow", "hip", "knee"):
            out[f"left_{name}"] = out[f"right_{name}"] = v
        else:
            out[name] = v
    return out


CASES = {
    "push-up": (
        "side",
        both(trunk_lean=(75, 86), hip=(-75, -86), shoulder=(75, 30), elbow=(170, 70)),
        {"elbow": (170, 125), "shoulder": (75, 60)},
        "arm",
        {"Go lower: bring your chest close to the floor."},
    ),
    "pull-up": (
        "front",
        both(shoulder=(165, 50), elbow=(168, 60)),
        {"shoulder": (165, 115), "elbow": (168, 125)},
        "arm",
        {"Pull higher: get your chin over the bar.", "Drive your elbows down towards your hips."},
    ),
    "shoulder press": (
        "front",
        both(shoulder=(95, 170), elbow=(50, 168)),
        {"shoulder": (95, 130), "elbow": (50, 115)},
        "arm",
        {
            "Press all the way up until your arms are straight.",
            "Press the weights higher over your head.",
        },
    ),
    "front raise": (
        "side",
        both(shoulder=(5, 90), elbow=(168, 168)),
        {"shoulder": (5, 45)},
        "arm",
        {"Raise your arms up to shoulder height."},
    ),
    "lateral raise": (
        "front",
        both(shoulder=(10, 88), elbow=(160, 160)),
        {"shoulder": (10, 45)},
        "arm",
        {
            "Raise your arms out to shoulder height.",
            "Lift your elbows out to the sides up to shoulder height.",
        },
    ),
    "jumping jack": (
        "front",
        both(shoulder=(15, 160), hip=(3, 18)),
        {"shoulder": (15, 85)},
        "arm",
        {"Bring your hands all the way up over your head."},
    ),
    "lunge": (
        "side",
        {"left_hip": (0, 80), "right_hip": (0, -10), **both(knee=(175, 92))},
        {"knee": (175, 140), "left_hip": (0, 40), "right_hip": (0, -5)},
        "leg",
        {"Go lower: bend both knees to a right angle."},
    ),
    "sit-up": (
        "side",
        both(trunk_lean=(-85, -15), hip=(135, 135), knee=(80, 80)),
        {"trunk_lean": (-85, -55)},
        "",
        {"Come all the way up.", "Bring your chest closer to your knees."},
    ),
    "bench press": (
        "side",
        both(trunk_lean=(-88, -88), shoulder=(88, 60), elbow=(165, 75)),
        {"elbow": (165, 130), "shoulder": (88, 75)},
        "arm",
        {"Lower the bar all the way to your chest.", "Bring the bar down to touch your chest."},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_textbook_rep_passes_and_typical_fault_gets_its_cue(name):
    view, good, fault, part, cues = CASES[name]
    judge = FormJudge(name)
    near = "left" if view == "side" else None
    v = judge.judge(rep(view, good), view=view, near_side=near)
    assert v.passed, (name, v.distances, v.cue)
    bad = dict(good)
    bad.update(both(**fault))
    w = judge.judge(rep(view, bad), view=view, near_side=near)
    assert not w.passed, (name, w.distances)
    assert part in w.worst[0], (name, w.worst)
    assert w.cue in cues, (name, w.cue, w.direction)
