"""Synthetic people with known answers, for the tests and the benchmarks.

- :mod:`~formcoach.testing.figure`: a 2-D stick figure posed by joint angles, frame by frame;
- :mod:`~formcoach.testing.reps`: single repetitions with a known fault (a curl with a swinging
  elbow, a squat with caving knees...);
- :mod:`~formcoach.testing.workout`: whole workouts (sets, pauses, walking in) with the true
  start, far point and end of every repetition.
"""
