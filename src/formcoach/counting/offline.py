"""Counting a whole recording offline, exactly as it would be counted live: the raw poses
cleaned as the pipeline cleans them, then streamed through a :class:`RepCounter`."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.rep import ExerciseHint, Rep
from formcoach.counting.counter import CountWarning, RepCounter
from formcoach.counting.settings import CountSettings
from formcoach.pose.cleaning import CleanSettings, clean

__all__ = ["count_reps", "stream_reps"]


def count_reps(
    seq: PoseSequence,
    exercise: ExerciseHint | None = None,
    settings: CountSettings | None = None,
    clean_settings: CleanSettings | None = None,
) -> list[Rep]:
    """Count the repetitions in a whole sequence, exactly as they would be counted live.

    The raw poses are cleaned as the pipeline cleans them (:func:`formcoach.pose.cleaning.clean`),
    then streamed through a :class:`RepCounter`.

    Args:
        seq: raw poses on any skeleton.
        exercise: the exercise's hint, or ``None`` for class-agnostic counting.
        settings: counter settings.
        clean_settings: cleaning settings (the pipeline's defaults when omitted).

    Returns:
        The repetitions in order; empty (with a :class:`CountWarning`) when the sequence
        is empty or nobody is seen in it.
    """
    if len(seq) == 0 or not seq.detected.any():
        what = "is empty" if len(seq) == 0 else f"has no pose in any of its {len(seq)} frames"
        warnings.warn(f"the pose sequence {what}: counted 0 reps", CountWarning, stacklevel=2)
        return []
    cleaned = clean(seq, clean_settings or CleanSettings())
    return stream_reps(cleaned, exercise, seq.frame_rate(), settings)


def stream_reps(
    poses: Iterable[Pose],
    exercise: ExerciseHint | None = None,
    fps: float | None = None,
    settings: CountSettings | None = None,
) -> list[Rep]:
    """Feed already cleaned poses one by one through a new counter; all reps, in order."""
    counter = RepCounter(exercise, fps=fps, settings=settings)
    reps: list[Rep] = []
    for pose in poses:
        reps.extend(counter.update(pose))
    reps.extend(counter.finish())
    return reps
