"""A known exercise's set of its own reps entered from the far pose: a lead-in or a missed rep.

With the exercise known, the exercise says where a set rests. A set whose first reps include
the exercise's movement beyond doubt (from its rest side toward its far pose, :meth:`~formcoach.
counting.confirm.RepConfirmer.its_way`) is counted from the exercise's rest, whatever end it was
entered from, unless the entry says a rep went uncounted. When the posture came to the set's
first rep from the far pose (:func:`~formcoach.counting.phase.rephased`) and had been at the
exercise's rest before that (since the previous set, or since the recording began), it
went out from rest to the far pose and back: a rep whose loop the tracker did not close as one,
and counted from the end it was entered from the set keeps it. RepCount stu6_42 (push-ups: the
first went down, half up and down again, so none of its loops started on the rest side) and
stu2_36 (pull-ups: the first from a full hang, the later ones from half way, so the first never
came back far enough to close) each lost their first rep. When the person had been at the far
pose all along (stu9_31, stu3_20: jumping jacks from a pose held with the arms up; train3335:
one sit-up by a person sitting up when the recording starts), nothing was missed: the entry is
a lead-in, and the set is counted from the exercise's rest (counted from the entry, each had
one rep too many: the lead-in's half rep).
"""

from __future__ import annotations

from collections.abc import Sequence

from formcoach.counting.candidates import Candidate, Moment
from formcoach.counting.confirm import RepConfirmer

__all__ = ["lead_in"]


def lead_in(
    reps: Sequence[Candidate], frames: Sequence[Moment], entry: Moment, confirmer: RepConfirmer
) -> bool:
    """Whether a set entered from the far pose at ``entry`` is counted from the exercise's rest
    all the same: the exercise is known, the set's last accepted rep is its movement beyond
    doubt, and no frame before ``entry`` was at the exercise's rest or past it: within
    ``rest_tolerance`` of its range of the rest pose (as that rep measures it, :meth:`~formcoach.
    counting.confirm.RepConfirmer.progress`), as :func:`~formcoach.counting.phase.rephased` finds
    the far pose.

    Args:
        reps: the set's first accepted reps, in order.
        frames: the stream's frames before the set's first rep (after the previous set).
        entry: the frame the set was entered from (at or past its far pose).
        confirmer: the counter's confirmer.
    """
    last = reps[-1]
    if confirmer.prior is None or not confirmer.its_way(last):
        return False
    tolerance = confirmer.settings.rest_tolerance
    return not any(
        confirmer.progress(m.pose, last) <= tolerance for m in frames if m.index < entry.index
    )
