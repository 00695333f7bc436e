"""A recording held by two files of a dev set goes to one part of the split, so the validation
part never re-measures frames that were tuned on (:mod:`formcoach.eval.recordings`)."""

import pytest

from formcoach.eval.form_data import read_labels
from formcoach.eval.recordings import repeats
from formcoach.testing.reps import concat, curl


def test_a_re_trimmed_recording_repeats_its_first_file():
    take = concat([curl(seed=1), curl(seed=2)])
    trimmed = take[3 : len(take) - 5]  # the same frames, cut differently
    another = concat([curl(seed=3), curl(seed=4)])  # the same movement, another take
    found = repeats([("a", take), ("b", another), ("c", trimmed), ("d", trimmed)])
    assert found == {"c": "a", "d": "a"}
    assert repeats([("c", trimmed), ("a", take)]) == {"a": "c"}  # the first file keeps its part


def test_a_take_sharing_only_a_few_frames_is_its_own():
    take = curl(seed=1)
    few = concat([curl(seed=5), take[:5]])  # five frames in common, far less than half
    assert repeats([("a", take), ("b", few)]) == {}


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("folder", "again", "first"),
    [
        (
            "posetrainer",
            "shoulderpress/shoulderpressgood19.npy",
            "shoulderpress/shoulderpressgood18.npy",
        ),
        (
            "mp17",
            "pushup/incorrect/pushup_incorrect_014.npy",
            "pushup/incorrect/pushup_incorrect_008.npy",
        ),
    ],
)
def test_a_recording_filed_twice_is_in_one_part(shared_data, folder, again, first):
    files = {f.file: f for f in read_labels(shared_data / "form" / folder)}
    assert repeats([(first, files[first].seq), (again, files[again].seq)]) == {again: first}
    assert files[again].part == files[first].part == "tune"


@pytest.mark.realdata
@pytest.mark.parametrize("folder", ["posetrainer", "mp17", "pushfit"])
def test_no_recording_straddles_the_split(shared_data, folder):
    files = read_labels(shared_data / "form" / folder)
    found = repeats((f.file, f.seq) for f in files)
    part = {f.file: f.part for f in files}
    assert all(part[a] == part[b] for a, b in found.items()), found
