"""The counter's running estimates on hand-made signals: the movement subspace's directions
(a feature predicted to jitter more than the rest does not lead them) and the period tracker's
period (the shortest sub-multiple of the best lag that still repeats)."""

from __future__ import annotations

import numpy as np

from formcoach.counting.motion import MotionSubspace
from formcoach.counting.periodicity import PeriodTracker

FPS = 30.0


def _leading_feature(gain: np.ndarray | None) -> int:
    """Feature 0 moves (a 1 Hz sine of 0.05); features 1-6 jitter by 0.01; feature 7 (an
    angle between short segments, ``gain`` 10) jitters by 0.01 * sqrt(3 * 10), as the
    default ``jitter_ratio`` (3) predicts: more variance (0.003) than the movement's (0.00125).
    """
    rng = np.random.default_rng(0)
    noise = np.full(8, 0.01)
    noise[7] *= np.sqrt(3.0 * 10.0)
    sub = MotionSubspace(8, dims=3, memory_s=4.0, jitter_ratio=3.0)
    for i in range(600):
        t = i / FPS
        f = noise * rng.standard_normal(8)
        f[0] += 0.05 * np.sin(2 * np.pi * t)
        sub.update(f, t, 1 / FPS, gain)
    assert sub.basis is not None
    return int(np.argmax(np.abs(sub.basis[:, 0])))


def test_a_jittery_angle_does_not_lead_the_movement_subspace():
    """Its predicted excess jitter is taken off before the directions are chosen."""
    gain = np.ones(8)
    gain[7] = 10.0
    assert _leading_feature(None) == 7  # uncorrected, the jitter leads
    assert _leading_feature(gain) == 0


def test_a_cycle_correlating_best_two_cycles_back_gives_its_period():
    """sin(2 pi t / P) + 0.5 sin(pi t / P): every other cycle differs a little (alternating
    sides, a blurred fast cycle), so the best lag is 2P (correlation 1); at P the correlation
    is (1 - 0.25) / (1 + 0.25) = 0.6, less than 0.9 of the best but still a repeating
    movement: the period is P."""
    period = 0.3
    tracker = PeriodTracker(slowest_s=4.0, fastest_s=0.25)
    for i in range(int(8.0 * FPS)):
        t = i / FPS
        x = np.sin(2 * np.pi * t / period) + 0.5 * np.sin(np.pi * t / period)
        tracker.update(t, np.array([x, 0.0]))
    assert tracker.repeats
    assert abs(tracker.period - period) < 1.5 / FPS, tracker.period
