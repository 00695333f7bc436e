"""Synthetic people with known answers, for the tests and the benchmarks.

- :mod:`~formcoach.testing.figure`: a 2-D stick figure posed by joint angles, frame by frame;
- :mod:`~formcoach.testing.reps`: single repetitions with a known fault (a curl with a swinging
  elbow, a squat with caving knees...);
- :mod:`~formcoach.testing.workout`: whole workouts (sets, pauses, walking in) with the true
  start, far point and end of every repetition;
- :mod:`~formcoach.testing.person`: a 3-D person (anthropometric segments, anatomical joint
  angles) filmed by a pinhole camera at any angle, with a pose model's jitter and misses;
- :mod:`~formcoach.testing.movements`: sets of curls, squats and planks by that person, good
  within what a coach accepts or with a named fault of a given size, built from movement
  knowledge and never from the exercise files.
"""
