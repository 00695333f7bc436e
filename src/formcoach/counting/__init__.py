"""Repetition counting: a streaming counter that finds the exercise by itself.

:class:`RepCounter` takes cleaned poses one at a time and emits each repetition
(:class:`~formcoach.core.rep.Rep`) as soon as it is over; :func:`count_reps` counts a whole
sequence through the same code. Without an exercise (the default) it discovers the repeating
movement from the whole body; given an :class:`~formcoach.core.rep.ExerciseHint` it follows the
exercise's drive features and, for an exercise of the library, its range of motion; for a
static exercise it returns the stretches the position is held. See
:mod:`formcoach.counting.counter` for the stages.
"""

from formcoach.counting.counter import CountWarning, RepCounter
from formcoach.counting.offline import count_reps, stream_reps
from formcoach.counting.settings import CountSettings

__all__ = ["CountSettings", "CountWarning", "RepCounter", "count_reps", "stream_reps"]
