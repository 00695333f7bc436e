"""A known exercise's set of its own reps entered from the far pose (:mod:`~formcoach.
counting.leadin`).

With the exercise known, a set whose reps are the exercise's movement beyond doubt is counted
from the exercise's rest. Entered from the far pose after the person was at rest, the set lost
its first rep (a loop the tracker did not close): counted from its entry it keeps it. Entered
from a far pose held since the recording began, the entry is a lead-in: counted from the entry
the set would gain its half rep.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from formcoach.counting import CountWarning, count_reps
from formcoach.eval.counting import find_clips, load_clip
from formcoach.form.exercises import get_exercise


def _count_known(root: Path, name: str) -> tuple[int, int]:
    """(reps counted with the clip's exercise known, labelled reps) of one RepCount clip."""
    clip = next(c for c in find_clips(root) if Path(c.file).stem == name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountWarning)
        got = count_reps(load_clip(clip), get_exercise(clip.stratum))
    return len(got), clip.count


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["stu6_42", "stu2_36"])
def test_a_known_set_that_missed_its_first_rep_keeps_it(shared_data: Path, name: str):
    """RepCount (tuning part) stu6_42, push-ups: the first went down, half up and down again;
    stu2_36, pull-ups: the first from a full hang, the later ones from half way. Each person
    was at rest before the set's first counted rep came from the far pose (main: 7 of 8,
    4 of 5)."""
    got, truth = _count_known(shared_data / "counting" / "repcount", name)
    assert got == truth


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["stu9_31", "train3335"])
def test_a_known_set_after_a_far_pose_held_from_the_start_is_counted_from_rest(
    shared_data: Path, name: str
):
    """RepCount (tuning part) stu9_31, jumping jacks from a pose held with the arms up since
    the recording began; train3335, one sit-up by a person sitting up when it starts. Counted
    from the entry (every set start judged for its phase) each gained the lead-in's half rep
    (8 of 7, 2 of 1)."""
    got, truth = _count_known(shared_data / "counting" / "repcount", name)
    assert got == truth
