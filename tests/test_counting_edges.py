"""The rep cut by the end of a recording: the share of a cycle it shows (counting.edges).

A rep cut by the end goes out before it comes back. The frames after the last counted rep can
begin at that rep's far pose (its way back unfinished, as the movement subspace reads it at the
end of the stream) and only come back: that is the last rep's way back, not half of a new rep.
Counted as one, a pushfit push-up re-sampled to 15 fps (round 14's sweep) got a second "rep"
from the frame where the first ended, its far frame that same frame.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcoach.counting.candidates import Moment
from formcoach.counting.edges import cut_after

FPS = 15.0
REST, FAR = np.array([0.0]), np.array([1.0])


def _line(poses) -> list[Moment]:
    """Frames at 1-D postures (progress from REST to FAR is the posture itself)."""
    return [Moment(i, i / FPS, np.array([p]), np.zeros(2)) for i, p in enumerate(poses)]


def _dist(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).sum())


def test_a_way_back_without_a_way_out_is_no_share_of_a_rep():
    cut = cut_after(_line(np.linspace(1.0, 0.0, 12)), REST, FAR, _dist)
    assert cut is not None and cut.share == 0.0


@pytest.mark.parametrize(("back_to", "share"), [(1.0, 0.5), (0.5, 0.75), (0.0, 1.0)])
def test_a_rep_cut_on_its_way_back_shows_its_way_out_and_what_came_back(back_to, share):
    frames = _line([0.0, 0.0, *np.linspace(0.0, 1.0, 8), *np.linspace(1.0, back_to, 6)])
    cut = cut_after(frames, REST, FAR, _dist)
    assert cut is not None and cut.share == pytest.approx(share)
