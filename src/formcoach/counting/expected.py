"""What a known exercise tells the counter before it has seen a single rep.

An exercise of the library knows, for each of its drive features, the value at rest and at the
turning point of a rep (its reference keyframes, or the recorded reference of a taught
exercise): :meth:`formcoach.form.exercises.Exercise.drive_levels`. From them the counter knows,
without waiting for the person to repeat anything:

- **which movement** counts: the direction from the rest pose to the far pose in the space of
  the drive features (a curl bends the elbows; straightening them is not a rep);
- **which side is rest**: a rep starts near the rest pose (not from the top of a curl);
- **how big a rep is**: the expected range of motion, so one clear rep is a rep at once;
- for a hold, **where the position is** (a plank: shoulders level with the hips).

Any :class:`~formcoach.core.rep.ExerciseHint` may provide this through a ``drive_levels()`` method
(name -> ``(rest, turn, tol)`` in the feature's units, degrees for angles); hints without it,
or drive features without a reference, give no such knowledge and the counter learns the
movement from the repetitions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.core.rep import ExerciseHint

__all__ = ["ExpectedRep", "expected_rep", "least_tolerance"]

#: The least tolerance of a drive feature (the judge's default): 8 degrees, 0.1 units.
_LEAST_TOL_ANGLE = np.radians(8.0)
_LEAST_TOL_OTHER = 0.1


def least_tolerance(is_angle: np.ndarray) -> np.ndarray:
    """(D,) the least tolerance of each drive feature, in the counter's units (radians for
    angles): a change the judge could not tell from holding still."""
    return np.where(is_angle, _LEAST_TOL_ANGLE, _LEAST_TOL_OTHER)


@dataclass(frozen=True, eq=False)
class ExpectedRep:
    """One repetition (or the held position) as the exercise defines it, in drive-feature units
    (radians for angles).

    Attributes:
        known: (D,) bool, the drive features with a reference.
        rest: (D,) value at rest (0 where unknown).
        far: (D,) value at the turning point (``rest`` for a hold; 0 where unknown).
        tol: (D,) the judged tolerance of each feature (NaN where unknown).
        tempo_s: typical duration of one rep, seconds (NaN when not given).
    """

    known: np.ndarray
    rest: np.ndarray
    far: np.ndarray
    tol: np.ndarray
    tempo_s: float = float("nan")

    @property
    def direction(self) -> np.ndarray:
        """(D,) from rest to far, zero where unknown."""
        return np.where(self.known, self.far - self.rest, 0.0)

    @property
    def span(self) -> float:
        """Expected range of motion (norm of :attr:`direction`)."""
        return float(np.linalg.norm(self.direction))

    def progress(self, pose: np.ndarray, moving: np.ndarray | None = None) -> float:
        """How far ``pose`` (D,) is from rest toward far: 0 at rest, 1 at far.

        Args:
            pose: a posture vector.
            moving: (D,) bool, the features to measure on (those that move in the rep at
                hand: a hidden arm's frozen value says nothing); default all known ones.
        """
        m = self.known if moving is None else self.known & moving
        e = self.direction[m]
        ee = float(e @ e)
        if ee <= 0:
            return float("nan")
        return float((pose[m] - self.rest[m]) @ e) / ee


def expected_rep(exercise: ExerciseHint | None, factors: np.ndarray) -> ExpectedRep | None:
    """The exercise's expected rep over its drive features, or None when it gives no levels.

    Args:
        exercise: the hint (its optional ``drive_levels()`` is read).
        factors: (D,) unit factor of each drive feature (pi/180 for angles, 1 otherwise).
    """
    levels_of = getattr(exercise, "drive_levels", None)
    if exercise is None or not callable(levels_of):
        return None
    levels = levels_of()
    drive = tuple(exercise.drive)
    if not levels or not any(n in levels for n in drive):
        return None
    d = len(drive)
    known = np.zeros(d, bool)
    rest, far, tol = np.zeros(d), np.zeros(d), np.full(d, np.nan)
    for i, name in enumerate(drive):
        if name in levels:
            r, t, w = levels[name]
            known[i] = True
            rest[i], far[i], tol[i] = r * factors[i], t * factors[i], w * factors[i]
    tempo = float(getattr(exercise, "tempo_s", float("nan")) or float("nan"))
    return ExpectedRep(known, rest, far, tol, tempo)
