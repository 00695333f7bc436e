"""The same real movement at another frame rate, or mirrored, gets the same count and verdicts.

Unseen material comes at other rates (60 fps phones, 24/25 fps web clips, 15 fps webcams) and
with either side to the camera. :mod:`formcoach.testing.resample` makes the same movement so
(``benchmarks/fps_invariance.py`` measures it on every dev set).
"""

from __future__ import annotations

import warnings

import pytest

from formcoach.analysis import analyze_sequence
from formcoach.counting import CountWarning, count_reps
from formcoach.eval.form_data import read_labels
from formcoach.form.exercises import get_exercise
from formcoach.pose.keypoints import load_keypoints
from formcoach.testing.resample import mirror, resample


def _pushfit(shared_data, name: str):
    files = [f for f in read_labels(shared_data / "form" / "pushfit") if f.file.endswith(name)]
    assert len(files) == 1 and files[0].part == "tune"
    return files[0].seq


def _verdicts(seq) -> list[bool | None]:
    a = analyze_sequence(seq, get_exercise("push-up"))
    return [None if r.verdict is None else r.verdict.passed for r in a.results]


@pytest.mark.realdata
def test_fast_push_ups_at_half_the_frame_rate_are_all_judged(shared_data):
    """pushfit ``wrong57`` (25 fps): five push-ups of 0.4-0.6 s, each judged faulty. At 12.5 fps
    the same reps span 5-9 frames: judged all the same (a minimum of 8 frames left three of
    them without a verdict, though each lasts longer than the 0.25 s a rep needs)."""
    seq = _pushfit(shared_data, "/wrong57.npy")
    given = _verdicts(seq)
    assert given == [False] * 5
    half = _verdicts(resample(seq, 0.5 * seq.frame_rate()))
    assert half == given


@pytest.mark.realdata
def test_resample_keeps_the_recorded_frames_and_their_gaps(shared_data):
    """Re-sampling at the recorded rate changes nothing; at half or double the rate the frames
    that fall on recorded ones are those frames, and a frame without a person stays without."""
    seq = load_keypoints(shared_data / "counting" / "repcount" / "poses" / "stu7_4.npy")
    assert not seq.detected.all()  # it has frames without a person
    same = resample(seq, seq.frame_rate())
    assert len(same) == len(seq)
    assert (same.visibility == seq.visibility).all()
    half, double = resample(seq, 15.0), resample(seq, 60.0)
    assert (half.detected == seq.detected[::2]).all()
    assert (double.detected[::2] == seq.detected).all()
    assert double.fps == 60.0 and half.fps == 15.0


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["stu7_4", "stu10_17", "stu2_37"])
def test_a_mirrored_repcount_clip_counts_the_same(shared_data, name):
    """Left and right swapped (the other side to the camera): the same count (RepCount tune
    clips of a bench press, front raises and pull-ups; the whole tuning part counts the same)."""
    seq = load_keypoints(shared_data / "counting" / "repcount" / "poses" / f"{name}.npy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountWarning)
        assert len(count_reps(mirror(seq))) == len(count_reps(seq))


@pytest.mark.realdata
def test_a_mirrored_push_up_keeps_its_verdicts(shared_data):
    seq = _pushfit(shared_data, "/correct87.npy")
    assert _verdicts(mirror(seq)) == _verdicts(seq)


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["stu10_48", "stu9_31", "stu6_63"])
@pytest.mark.parametrize("fps", [15.0, 24.0, 60.0])
def test_a_repcount_clip_at_another_rate_counts_the_same(shared_data, name, fps):
    """RepCount tune clips (push-ups, jumping jacks, squats) re-sampled to 15, 24 and 60 fps
    count what they count at 30. A guard: 19 of the 35 tune clips count the same at every
    rate; of the 16 that do not, 11 change as well when sampled half a frame later at 30 fps
    (``benchmarks/fps_invariance.py``): their counts hang on the instants sampled, not on
    the rate."""
    seq = load_keypoints(shared_data / "counting" / "repcount" / "poses" / f"{name}.npy")
    assert len(count_reps(resample(seq, fps))) == len(count_reps(seq))
