"""What the live coach says about parts it cannot see: each ask once per set."""

from types import SimpleNamespace

from formcoach.form.exercises import get_exercise
from formcoach.session.training import Trainer

SIDEWAYS = {
    "hips": "Turn sideways so I can see whether your body stays straight.",
    "left_leg": "Turn sideways so I can see your legs.",
    "right_leg": "Turn sideways so I can see your legs.",
    "head": "Turn sideways so I can see your head.",
}


def test_an_ask_two_parts_share_is_said_once():
    """A push-up filmed from three-quarters (videos/workouttracker__push-ups__push-up_26.mp4
    in ``formcoach serve``): rep 2 said "Turn sideways so I can see your legs." for the left
    leg and rep 3 said it again for the right one."""
    trainer = Trainer(None, None, get_exercise("push-up"), None, None, say=lambda *a, **k: None)
    verdict = SimpleNamespace(hidden=SIDEWAYS, passed=True, cue="Strong rep.")
    lines = [trainer._rep_line(n, 10, verdict) for n in range(1, 6)]
    asks = [line[line.index("Turn sideways") :] for line in lines if "Turn sideways" in line]
    assert sorted(asks) == sorted(set(SIDEWAYS.values())), lines  # each ask, once
