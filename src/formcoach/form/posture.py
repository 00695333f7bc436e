"""Whether a counted rep was done in the exercise's posture: lying, standing or hanging.

Each built-in exercise says the posture it is done in (``posture`` in its YAML): lying (push-up,
plank, bench press), standing (squat, curl, press, lunge ...) or hanging (pull-up); a sit-up, whose
trunk rises from lying to nearly upright, says none. Two things show it
in the image, read on a rep's poses:

- the trunk's angle from the image vertical (the hips-to-shoulders line, 0 upright, 90 lying;
  its median over the rep). Angles need x and y in one unit: pixels, or fractions of a frame
  whose size is known. Poses normalised per axis with no frame size (RepCount-A) have no true
  angle, and a trunk lying towards the camera (shorter in the image than the shoulders are
  wide, :func:`at_length`) has no telling one: the trunk is not read there, and nothing is
  refused for it.
- the share of frames with the wrists above the nose. A comparison of heights within a frame
  survives any scaling of the axes, so it is read on every recording.

Only a clear contradiction refuses a rep (not judged; the person is told once what was seen):
a trunk within :data:`NEAR_DEG` of horizontal for an upright exercise, within :data:`NEAR_DEG`
of vertical for a lying one, or the wrists above the head all through (:data:`ALL_THROUGH`) for
an exercise that never raises them. A taught exercise has no posture and is not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from formcoach.core.body import body_size
from formcoach.core.errors import FormcoachError
from formcoach.core.features import (
    SQUARE_ON_SHOULDERS,
    compute_features,
    joint_xy,
    shoulder_ratio,
)
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep
from formcoach.form.exercises import Exercise

__all__ = [
    "ALL_THROUGH",
    "NEAR_DEG",
    "CheckedJudge",
    "NotInPosture",
    "Posture",
    "at_length",
    "one_unit",
    "read_posture",
]

#: A trunk this many degrees (or fewer) from horizontal is lying, from vertical is upright: a
#: clear contradiction of the other posture, far from any lean a judge corrects. On the tuning
#: parts (benchmarks/exercise_identity.py) no rep of the exercise named came near: upright
#: exercises' trunks at most 39 degrees from vertical, push-ups' at least 54; wrong-exercise
#: reps passed 1407 of 5859 (1416 at x0.75, 1404 at x1.25; 1564 with no check).
NEAR_DEG = 30.0

#: The share of a rep's frames with the wrists above the nose that reads "all through". On the
#: tuning parts the exercises that never raise them reached 0.36 at most (a pull-up's own reps
#: 0.70-0.77: the chin clears the bar); the pull-up clip named squats 1.0. Wrong-exercise reps
#: passed 1357 at x0.75, 1421 at x1.25 (all frames).
ALL_THROUGH = 0.9

#: Fewest frames a rep's trunk or wrists must be seen in to be read.
MIN_FRAMES = 5


@dataclass(frozen=True)
class Posture:
    """The posture a rep was seen in.

    Attributes:
        trunk_deg: median angle of the trunk from the image vertical (0-90 degrees), NaN when
            the axes have no common unit or the trunk was not seen at its length.
        wrists_up: share of frames with the seen wrists above the nose (NaN when not seen).
        seen: what contradicts the exercise's posture, in words (``""``: nothing does).
    """

    trunk_deg: float
    wrists_up: float
    seen: str = ""

    @property
    def fits(self) -> bool:
        """True unless the rep clearly contradicts the exercise's posture."""
        return not self.seen

    def message(self, exercise: Exercise, check: str = "the exercise (-e)") -> str:
        """What to tell the person, once per set (``check``: where the exercise was named)."""
        return f"That did not look like {_a(exercise)}: {self.seen}. Check {check} or the camera."

    def short(self, exercise: Exercise) -> str:
        """The same for one rep in a table."""
        return f"Not judged: it did not look like {_a(exercise)}."


class NotInPosture(FormcoachError):
    """A rep not done in the exercise's posture: it is not judged.

    Attributes:
        said: the sentence to tell the person (once per set).
    """

    def __init__(self, said: str) -> None:
        super().__init__("the rep was not done in the exercise's posture", said)
        self.said = said


#: How close to all four edges a body must reach, as a share of the frame, to have been
#: stretched to fill it: RepCount rows (min-max normalised per frame) reach them within 0.04;
#: a person filmed in a frame (form/mp17) stays 0.30 or more away from one of them.
STRETCHED_EDGE = 0.1


def stretched_per_frame(seq: PoseSequence) -> bool:
    """Whether each frame's keypoints were stretched to span the whole frame on both axes
    (RepCount rows, min-max normalised per frame): in the median frame, the body reaches all
    four edges of the unit square within :data:`STRETCHED_EDGE`. No frame size restores the
    true shape of such poses."""
    if seq.frame_size is not None or len(seq) == 0:
        return False
    xy = seq.xy[~np.isnan(seq.xy).all(axis=(1, 2))]  # (T', J, 2) frames with a joint seen
    if len(xy) == 0:
        return False
    gap = np.concatenate([np.nanmin(xy, axis=1), 1.0 - np.nanmax(xy, axis=1)], axis=1)
    return bool(np.median(np.abs(gap).max(axis=1)) <= STRETCHED_EDGE)


def one_unit(seq: PoseSequence) -> bool:
    """Whether the poses' two image axes share a unit: a known frame size (the keypoints
    are in pixels), or a torso longer than a whole normalised frame (they must be pixels)."""
    return seq.frame_size is not None or body_size(seq) > 1.0  # NaN (no torso seen): False


def at_length(seq: PoseSequence) -> bool:
    """True when the trunk of ``seq`` is seen at its length: the shoulders read no wider than
    the widest of adults seen square-on (:data:`~formcoach.core.features.SQUARE_ON_SHOULDERS`,
    over the torso's length). A body lying towards the camera shows a torso shorter than its
    shoulders are wide, and the torso's line in the image then says nothing of its posture."""
    return bool(shoulder_ratio(seq.to_common().xy) <= SQUARE_ON_SHOULDERS[1])


def _trunk_deg(seq: PoseSequence) -> float:
    tilt = compute_features(seq, ["trunk_tilt"])["trunk_tilt"]
    tilt = tilt[np.isfinite(tilt)]
    if len(tilt) < MIN_FRAMES:
        return float("nan")
    return float(np.median(np.minimum(tilt, 180.0 - tilt)))  # the line, either way up


def _wrists_up(seq: PoseSequence) -> float:
    xy = seq.to_common().xy
    nose = joint_xy(xy, "nose")[:, 1]
    wrists = np.stack([joint_xy(xy, f"{s}_wrist")[:, 1] for s in ("left", "right")], axis=1)
    seen = np.isfinite(nose) & np.isfinite(wrists).any(axis=1)
    if seen.sum() < MIN_FRAMES:
        return float("nan")
    with np.errstate(invalid="ignore"):
        below = (wrists >= nose[:, None]).any(axis=1)  # a seen wrist at or under the nose
    return float(np.mean(~below[seen]))


def read_posture(
    exercise: Exercise,
    poses: PoseSequence,
    rep: Rep,
    near_deg: float = NEAR_DEG,
    all_through: float = ALL_THROUGH,
) -> Posture:
    """The posture ``rep`` (frames of ``poses``) was done in, and what of it contradicts the
    posture of ``exercise`` (nothing for an exercise that says none)."""
    posture, arms_up = exercise.posture, exercise.arms_up
    if not posture:  # an exercise that says none is not checked
        return Posture(float("nan"), float("nan"))
    seq = poses[rep.start_frame : rep.end_frame + 1].to_common()
    trunk = _trunk_deg(seq) if one_unit(seq) and at_length(seq) else float("nan")
    wrists = float("nan") if arms_up else _wrists_up(seq)  # read only where it can refuse
    seen = ""
    if posture in ("standing", "hanging") and trunk >= 90.0 - near_deg:
        seen = f"your body was lying (trunk {trunk:.0f} degrees from upright)"
    elif posture == "lying" and trunk <= near_deg:
        seen = f"your body was upright (trunk {trunk:.0f} degrees from upright)"
    elif posture and not arms_up and wrists >= all_through:
        seen = "your hands stayed above your head"
    return Posture(trunk, wrists, seen)


def _a(exercise: Exercise) -> str:
    word = exercise.title.lower()
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


class CheckedJudge:
    """A judge that first checks a rep was done in the exercise's posture (a session's judge).

    Args:
        judge: a :class:`~formcoach.form.judge.FormJudge` (anything with ``exercise`` and
            ``judge(seq, rep, view, near_side)``); its other attributes pass through.
    """

    def __init__(self, judge: Any) -> None:
        self._judge = judge

    def __getattr__(self, name: str) -> Any:
        return getattr(self._judge, name)

    def judge(
        self, seq: PoseSequence, rep: Rep | None = None, view: Any = None, near_side: Any = None
    ) -> Any:
        """The judge's verdict on a rep done in the exercise's posture.

        Raises:
            NotInPosture: the rep contradicts the exercise's posture (not judged).
            FormcoachError: as the judge raises.
        """
        ex = self._judge.exercise
        seen = read_posture(ex, seq, rep or Rep(0, len(seq) - 1, 0.0, 0.0))
        if not seen.fits:
            raise NotInPosture(seen.message(ex, "today's exercise"))
        return self._judge.judge(seq, rep, view, near_side)
