"""The counter's settings, in one frozen object, and the units they are in.

Every setting is a principle expressed in a physical unit, not a number fitted to clips:

- **lengths** of the generic posture in torso lengths (:func:`formcoach.core.body.body_unit`);
  joint angles enter the posture as the arc a typical limb segment sweeps
  (:data:`LIMB_TORSOS` torso lengths per radian), so a turn of the elbow and a move of the
  wrist weigh alike;
- **times** in seconds; windows derive from the **tempo range** counted: any cyclic movement
  from ``slowest_hz`` (a cycle of four seconds) to ``fastest_hz`` cycles per second;
- **shares** (dimensionless) of a rep's own range or duration, and the size of the noise of
  the posture, measured as the stream goes (:class:`~formcoach.counting.motion.MotionSubspace`).

The few remaining choices were checked on the tuning part of the development material
(:mod:`formcoach.eval.splits`) to sit in flat regions: a 25 % change of any of them moves the
validation figures by a few points at most (``formcoach eval counting --part``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from formcoach.core.body import SEGMENTS

__all__ = ["LIMB_TORSOS", "CountSettings"]

#: Length of a typical limb segment in torso lengths (the median of the body's proportions):
#: a joint turning by one radian moves the segment's end about this far.
LIMB_TORSOS = float(np.median(list(SEGMENTS.values())))


@dataclass(frozen=True)
class CountSettings:
    """How :class:`~formcoach.counting.RepCounter` finds repetitions.

    Attributes:
        slowest_hz: the slowest cyclic movement counted, cycles per second. Its cycle
            (``cycle_s``) is the memory of every running estimate: the centre and main
            directions of the movement, the typical size of a turn, and how long the posture
            may stand still before the current movement is over.
        fastest_hz: the fastest one; half its cycle is the shortest rep (``shortest_rep_s``).
        min_move: the smallest movement that is an exercise, torso lengths (about 2-3 cm:
            the bounce of a jump rope, a shrug), while the movement does not repeat yet. A
            movement must also stand ``noise_z`` times the posture's noise out of it; once
            it repeats at a steady period, that is the only bound (the pose model's and the
            counter's filters shrink a fast small cycle below its true size).
        noise_z: see ``min_move``.
        glitch_s: causal median filter over this long: drops pose-model glitches of a frame
            or two.
        smooth_s: time constant of the causal exponential smoothing after the median.
        jitter_ratio: the pose model's jitter on a joint angle over its prediction from the
            angle's two segments' image lengths and the joint positions' noise
            (:attr:`~formcoach.counting.motion.BodyFeatures.noise_gain`); the movement
            subspace takes the excess off before choosing its directions, so a jittering angle
            between short segments (an elbow seen from the front) does not lead it. 3: the
            drawn front-view bounce's angles jitter ~2.9 times the prediction (round 14,
            rope14). RepCount tune MAE 0.184 / 0.182 / 0.182 / 0.183 / 0.186 at 2.25 / 2.5 /
            3 / 3.75 / 4 (0.175 without, but OBO 0.714 instead of 0.743).
        subspace_dims: number of main movement directions distances are measured in (a
            loop needs two; the third takes a second body part moving out of phase).
        turn_share: a turning point of the movement needs the posture to come back by this
            share of the current movement's range (its turns over the last two cycles, and
            the range of its last cycle while it repeats), so wiggles inside a rep make none.
        departure_share: hysteresis (share of the range) for finding where a rep left its
            start pose, so a rest before it is not part of it.
        return_share: share of the way back to the start pose after which a loop is closed
            and judged (the rep then goes on to its arrival, see ``settle_*``).
        rep_starts_kept: recent turning points kept as possible rep starts.
        rest_tolerance: a pose this close to the set's rest pose (share of the rep's range)
            starts a rep even without a turning point (the first rep after a rest).
        history_s: frames kept to find where a rep began and to look back over a recording.
        similar_cos: a rep confirms or continues a set when its direction in pose space has
            at least this cosine with the set's typical rep...
        amp_ratio: ...its range is within this factor of the set's typical range...
        dur_ratio: ...and its duration within this factor of the set's typical duration.
        unconfirmed_kept: candidate reps kept while waiting for a similar one.
        template_reps: recent reps averaged into the set's typical rep.
        step_torsos: a loop that ends this far sideways from where it started (torso
            lengths; about a step) is walking, not a repetition.
        lone_min_range: a lone movement (a recording cut around one rep, or the half of one
            it began inside) counts at the end of a stream that counted nothing else when
            it dominates the stream (every other movement less than half its size) and its
            range reaches this (torso lengths: about a torso length of posture change).
        prior_share: with a known exercise, a candidate moving its way over at least this
            share of its range of motion is a rep at once.
        prior_min_share: with a known exercise, the smallest excursion that is a movement is
            this share of its range of motion (instead of ``min_move``), less what the view
            hides of it (:mod:`~formcoach.counting.floor`).
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

    slowest_hz: float = 0.25
    fastest_hz: float = 4.0
    min_move: float = 0.05
    noise_z: float = 3.0
    glitch_s: float = 0.15
    smooth_s: float = 0.1
    subspace_dims: int = 3
    jitter_ratio: float = 3.0
    turn_share: float = 0.35
    departure_share: float = 0.1
    return_share: float = 0.6
    rep_starts_kept: int = 6
    rest_tolerance: float = 0.35
    history_s: float = 20.0
    similar_cos: float = 0.55
    amp_ratio: float = 2.5
    dur_ratio: float = 2.0
    unconfirmed_kept: int = 4
    template_reps: int = 5
    step_torsos: float = 1.3
    lone_min_range: float = 1.0
    prior_share: float = 0.5
    prior_min_share: float = 0.1
    settle_turn: float = 0.1
    settle_eps: float = 0.03
    settle_s: float = 0.2
    hold_min_s: float = 1.0
    hold_steady: float = 1.0
    hold_window_s: float = 0.5
    hold_position: float = 3.0
    hold_break_s: float = 0.5

    @property
    def cycle_s(self) -> float:
        """The slowest cycle counted, seconds: the memory of the running estimates."""
        return 1.0 / self.slowest_hz

    @property
    def shortest_rep_s(self) -> float:
        """Half the fastest cycle: a loop out and back takes at least this long."""
        return 0.5 / self.fastest_hz

    def __post_init__(self) -> None:
        positive = (
            "slowest_hz",
            "fastest_hz",
            "min_move",
            "amp_ratio",
            "dur_ratio",
            "step_torsos",
            "lone_min_range",
            "settle_turn",
            "settle_eps",
            "history_s",
            "hold_steady",
            "hold_window_s",
            "hold_position",
        )
        for f in fields(self):
            v = getattr(self, f.name)
            if not np.isfinite(v) or v < 0 or (f.name in positive and v == 0):
                raise ValueError(f"CountSettings.{f.name} must be positive, got {v}")
        if self.fastest_hz <= self.slowest_hz:
            raise ValueError(
                f"CountSettings: fastest_hz ({self.fastest_hz}) must exceed slowest_hz "
                f"({self.slowest_hz})"
            )
        for name in ("departure_share", "turn_share"):
            v = getattr(self, name)
            if not 0 <= v < 1:
                raise ValueError(f"CountSettings.{name} must be in [0, 1), got {v}")
        if not 0 < self.return_share < 1:
            v = self.return_share
            raise ValueError(f"CountSettings.return_share must be in (0, 1), got {v}")
        if not -1 <= self.similar_cos <= 1:
            raise ValueError(
                f"CountSettings.similar_cos must be in [-1, 1], got {self.similar_cos}"
            )
        if self.amp_ratio < 1 or self.dur_ratio < 1:
            raise ValueError("CountSettings.amp_ratio and dur_ratio must be at least 1")
        for name in ("subspace_dims", "rep_starts_kept", "unconfirmed_kept", "template_reps"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"CountSettings.{name} must be at least 1")
