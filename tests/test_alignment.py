"""Matching a counter's reps with labelled rep boundaries, rep by rep (formcoach.eval.alignment)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from formcoach.core.rep import Rep
from formcoach.counting import CountWarning, count_reps
from formcoach.eval.alignment import align
from formcoach.eval.counting import find_clips, load_clip, parts


def _rep(start: int, far: int, end: int) -> Rep:
    return Rep(start, end, start / 30, end / 30, features={"far_frame": float(far)})


def test_every_kind_of_miss_and_extra_is_named():
    bounds = [0, 29, 30, 59, 60, 89, 90, 119, 120, 149, 180, 209, 899, 899]
    reps = [
        _rep(2, 15, 28),  # inside the first labelled rep
        _rep(40, 66, 70),  # mostly in the second, its far frame in the third: shifted
        _rep(90, 100, 145),  # the fourth, and most of the fifth with it: merged
        _rep(182, 190, 200),  # the sixth
        _rep(201, 205, 209),  # the sixth again: doubled
        _rep(300, 315, 330),  # after every labelled rep: outside
    ]
    a = align(bounds, reps)
    assert [s for *_, s in a.labelled] == [
        "matched",
        "shifted",
        "missed",  # the second rep took only 11 of its 30 frames
        "matched",
        "merged",
        "matched",
    ]  # the label past the clip's end (899, 899) is left out
    assert [(e[3], e[4]) for e in a.emitted] == [
        ("inside", 0),
        ("inside", 1),
        ("inside", 3),
        ("inside", 5),
        ("doubled", 5),
        ("outside", -1),
    ]
    assert a.tally()["matched"] == 3


def test_no_reps_miss_every_labelled_one():
    a = align([0, 10, 10, 20], [])
    assert [s for *_, s in a.labelled] == ["missed", "missed"]
    assert a.emitted == ()


@pytest.mark.realdata
def test_a_clip_counted_right_is_counted_right_rep_by_rep(shared_data: Path):
    """The sit-ups of the tuning part counted exactly: each emitted rep is the labelled rep,
    done from the same end, in at least two clips; where a right count hides errors that
    cancel (stu3_53 since round 14: one labelled rep missed, one rep counted outside any), the
    alignment shows both, as many lost as added."""
    root = shared_data / "counting" / "repcount"
    labels = {r["file"]: r for r in json.loads((root / "labels.json").read_text())}
    clips = find_clips(root)
    where = parts(clips)
    exact = 0
    for clip in clips:
        if where[clip.file] != "tune" or clip.stratum != "situp":
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CountWarning)
            reps = count_reps(load_clip(clip))
        a = align(labels[clip.file]["boundaries"], reps)
        assert len(a.labelled) <= clip.count and len(a.emitted) == len(reps)
        inside = sum(e[3] == "inside" for e in a.emitted)
        assert inside == sum(s in ("matched", "shifted") for *_, s in a.labelled)
        if len(reps) == clip.count:
            t = a.tally()
            if {s for *_, s in a.labelled} == {"matched"}:
                exact += 1
            else:
                lost = t.get("missed", 0) + t.get("merged", 0)
                assert lost and lost == t.get("outside", 0) + t.get("doubled", 0), (clip.file, t)
    assert exact >= 2
