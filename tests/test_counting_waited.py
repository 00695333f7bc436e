"""A known exercise's clear rep confirms the smaller reps of its set that waited before it.

With the exercise known, a rep covering ``prior_share`` of the exercise's range of motion
counts at once; a smaller one waits for a look-alike, as every rep does without the exercise.
When the look-alike that comes is a clear rep, the one that waited is a rep of the same set
(RepCount stu10_24, front raises: the set's second rep covered 0.49 of the range and was lost
when the third, 0.50, counted alone).
"""

from __future__ import annotations

import pytest

from formcoach.counting import count_reps
from formcoach.form.exercises import get_exercise
from formcoach.testing.reps import concat, curl


@pytest.mark.parametrize("seed", [0, 3, 6, 9])
def test_a_first_curl_a_little_short_of_half_the_range_counts_with_the_set(seed):
    """Elbow 168 -> 110 degrees (0.47 of the curl's 123) and then two full curls: three reps
    (main counted two: the full curl counted alone, the first had waited for it)."""
    seq = concat([curl(top=110.0, seed=seed), curl(seed=seed + 1), curl(seed=seed + 2)])
    assert len(count_reps(seq, get_exercise("bicep curl"))) == 3
    assert len(count_reps(seq)) == 3  # as counting without the exercise counts them
