"""The counter's settings, in one frozen object.

Lengths are in body units (twice the median length of the body's limb segments, so about one
torso length) for the generic pose features, and in radians or ratios for an exercise's drive
features; durations are in seconds. The defaults were chosen on the development material
(``../shared/data``) as round values in flat regions of the accuracy, not per clip.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["CountSettings"]


@dataclass(frozen=True)
class CountSettings:
    """How :class:`~formcoach.counting.RepCounter` finds repetitions.

    Attributes:
        median_s: causal median filter over this long (drops single-frame pose glitches).
        smooth_s: time constant of the causal exponential smoothing after the median.
        angle_weight: weight of the joint angles (radians) beside the body-relative joint
            positions in the generic features.
        mean_s: time constant of the running mean pose (the centre of the movement).
        cov_s: time constant of the running covariance whose main directions define the
            movement subspace.
        subspace: number of main movement directions distances are measured in.
        floor: smallest excursion that counts as a movement at all (body units).
        relative: an excursion must also reach this share of the recent typical excursion.
        depart: hysteresis (share of the range) for finding the start pose a rep left, so a
            rest before it is not part of it; it begins at its onset (``settle_eps``).
        ret: share of the way back to the start pose after which a loop is closed and judged
            (the rep then goes on to its arrival, see ``settle_*``).
        min_rep_s: repetitions shorter than this are ignored.
        idle_s: with no turn in the movement for this long, the current movement is over.
        anchors: number of recent turning points kept as possible rep starts.
        rest_tolerance: a pose this close to the set's rest pose (share of the rep's range)
            starts a rep even without a turning point (the first rep after a rest).
        similar_cos: a rep confirms or continues a set when its direction in pose space has
            at least this cosine with the set's typical rep...
        amp_ratio: ...its range is within this factor of the set's typical range...
        dur_ratio: ...and its duration within this factor of the set's typical duration.
        pending: unconfirmed candidate reps kept while waiting for a similar one.
        template_reps: recent reps averaged into the set's typical rep.
        max_travel: a loop that ends this far sideways from where it started (body units;
            about 40 cm) is a step, not a repetition.
        lone_floor: a lone, unconfirmed rep (or the half of one a recording began inside) is
            counted at the end of a stream that counted nothing else only when its range
            reaches this (body units).
        lone_max_candidates: ...and when the stream produced at most this many candidates.
        prior_share: with a known exercise, a candidate moving its way over at least this
            share of its range of motion is a rep at once.
        prior_floor: with a known exercise, the smallest excursion that is a movement is this
            share of its range of motion (instead of ``floor``).
        settle_turn: a rep's return is over when the posture, having come back, moves away
            from the start pose again by this share of the rep's range (the next rep)...
        settle_eps: ...or when it has come no closer by this share of the range...
        settle_s: ...for this long (it rests at the start pose). The rep ends at its arrival.
        hold_min_s: a hold (static exercise) lasts at least this long.
        hold_steady: a held posture stays within this many of each drive feature's
            tolerance (default tolerances: 8 degrees, 0.1 units) over ``hold_window_s``...
        hold_window_s: ...seconds...
        hold_position: ...and within this many tolerances of the exercise's position (when
            the exercise gives one).
        hold_break_s: a hold survives leaving the position for at most this long.
    """

    median_s: float = 0.15
    smooth_s: float = 0.1
    angle_weight: float = 0.82
    mean_s: float = 3.0
    cov_s: float = 3.0
    subspace: int = 3
    floor: float = 0.49
    noise_z: float = 0.0
    fine_mode: int = 0
    harmonics: float = 0.0
    amps_kept: int = 6
    win_periods: float = 1.0
    relative: float = 0.35
    depart: float = 0.1
    ret: float = 0.6
    min_rep_s: float = 0.3
    idle_s: float = 4.0
    anchors: int = 6
    rest_tolerance: float = 0.35
    similar_cos: float = 0.55
    amp_ratio: float = 2.5
    dur_ratio: float = 2.0
    pending: int = 4
    template_reps: int = 5
    max_travel: float = 1.31
    lone_floor: float = 1.64
    lone_max_candidates: int = 2
    prior_share: float = 0.5
    prior_floor: float = 0.1
    settle_turn: float = 0.1
    settle_eps: float = 0.03
    settle_s: float = 0.2
    hold_min_s: float = 1.0
    hold_steady: float = 1.0
    hold_window_s: float = 0.5
    hold_position: float = 3.0
    hold_break_s: float = 0.5

    def __post_init__(self) -> None:
        positive = (
            "mean_s",
            "cov_s",
            "floor",
            "idle_s",
            "amp_ratio",
            "dur_ratio",
            "max_travel",
            "lone_floor",
            "settle_turn",
            "settle_eps",
            "hold_steady",
            "hold_window_s",
            "hold_position",
        )
        for f in fields(self):
            v = getattr(self, f.name)
            if v < 0 or (f.name in positive and v == 0):
                raise ValueError(f"CountSettings.{f.name} must be positive, got {v}")
        if not 0 <= self.depart < 1:
            raise ValueError(f"CountSettings.depart must be in [0, 1), got {self.depart}")
        if not 0 < self.ret < 1:
            raise ValueError(f"CountSettings.ret must be in (0, 1), got {self.ret}")
        if not -1 <= self.similar_cos <= 1:
            raise ValueError(
                f"CountSettings.similar_cos must be in [-1, 1], got {self.similar_cos}"
            )
        if self.amp_ratio < 1 or self.dur_ratio < 1:
            raise ValueError("CountSettings.amp_ratio and dur_ratio must be at least 1")
        for name in ("subspace", "anchors", "pending", "template_reps"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"CountSettings.{name} must be at least 1")
