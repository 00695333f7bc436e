"""Counting on the real development material of ``../shared/data``.

The figures that count are those of the **validation part** of the fixed split
(:mod:`formcoach.eval.splits`; every constant of the counter was chosen on the tuning part),
class-agnostic, as ``formcoach eval counting DIR --part validate`` prints them:

- RepCount-A poses (70 clips, 35 in each part): tune MAE 0.182, OBO 0.743; validate
  MAE 0.175, OBO 0.657 (under 11, over 14), with the skeletons no body can take dropped
  (:mod:`formcoach.pose.plausible`; without, on an earlier counter: validate 0.206 / 0.600).
  The issue's OBO target (>= 0.70) is missed, its MAE target (<= 0.18) met: xfail strict
  below. Asserted
  besides is the level reached, with a margin, and no undercounting bias.
- Real clips (19 with a count; tune 10, validate 9 by source): tune MAE 0.058, OBO 1.0;
  validate MAE 0.101, OBO 0.778. The issue's targets (MAE <= 0.08, OBO >= 0.95) are missed
  (QUVA 013: three seconds of pose garbage hold one labelled cycle, 5 of 7; 038: a panning
  camera on alternating monkey-bar swings; chauhan08's barbell curl 8 of 9 since round 14's
  jitter correction): xfail strict. All 19 together are asserted at
  the level reached, with the hard cases.
- Emission (``benchmarks/count_latency.py``): reps are emitted soon after they end.
  Asserted: median <= 0.5 s after the labelled end.

Exercise-aware (each clip counted as the exercise it shows):

- Pose Trainer's one-rep trimmed files (52): one rep in 50; the other two hold a pose-model
  glitch (the wrist lost for half a second at the top of the curl) that looks like a return
  and counts two. Asserted: at least 48 of 52 count one.
- Real clips whose description names a built-in exercise (16): MAE 0.133, OBO 0.81 (0.095 /
  0.875 before a known exercise's smallest movement was lowered by what the view hides).
  Asserted: MAE <= 0.15.
"""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from formcoach.eval.counting import CountEval, evaluate_counting, find_clips, parts

pytestmark = pytest.mark.realdata


def _part(result: CountEval, root: Path, part: str) -> CountEval:
    where = parts(find_clips(root))
    return CountEval(tuple(i for i in result.items if where[i.file] == part))


@pytest.fixture(scope="module")
def repcount(shared_data: Path):
    return evaluate_counting(shared_data / "counting" / "repcount", progress=False)


@pytest.fixture(scope="module")
def repcount_validate(repcount, shared_data: Path):
    return _part(repcount, shared_data / "counting" / "repcount", "validate")


@pytest.fixture(scope="module")
def videos(shared_data: Path):
    return evaluate_counting(shared_data / "videos", progress=False)


@pytest.fixture(scope="module")
def videos_validate(videos, shared_data: Path):
    return _part(videos, shared_data / "videos", "validate")


def test_every_labelled_clip_is_counted_and_split(repcount, repcount_validate, shared_data):
    labels = json.loads((shared_data / "counting" / "repcount" / "labels.json").read_text())
    assert repcount.n == len(labels)
    # about half of each class in the validation part, and every class in it
    assert abs(repcount_validate.n - repcount.n / 2) <= len(repcount.by_stratum())
    assert set(repcount_validate.by_stratum()) == set(repcount.by_stratum())


@pytest.mark.xfail(
    strict=True,
    reason="validation MAE 0.175 (met), OBO 0.657 (missed; under 11, over 14; round 13: "
    "0.191 / 0.629 with two clips of 3 reps counting 6, bench presses in lying poses and "
    "two long push-up sets undercounting); not diagnosed on the validation part by rule",
)
def test_repcount_validation_targets(repcount_validate):
    assert repcount_validate.mae <= 0.18, repcount_validate.as_dict()
    assert repcount_validate.obo >= 0.70, repcount_validate.as_dict()


def test_repcount_validation_level(repcount_validate):
    """The level reached, with a margin (two more clips off by more than one fails)."""
    assert repcount_validate.mae <= 0.23, repcount_validate.scores()
    assert repcount_validate.obo >= 0.54, repcount_validate.scores()


def test_repcount_has_no_undercounting_bias(repcount_validate):
    """As many clips counted too high as too low, within a tenth of the clips."""
    s = repcount_validate.scores()
    assert s["under"] <= s["over"] + 0.1 * s["n"], s


def test_repcount_reps_are_emitted_soon_after_they_end(repcount, shared_data: Path):
    labels = json.loads((shared_data / "counting" / "repcount" / "labels.json").read_text())
    ends = {row["file"]: [int(b) for b in row["boundaries"][1::2]] for row in labels}
    delays = []
    for item in repcount.items:
        for rep in item.reps:
            # the labelled rep this one overlaps: the first labelled end after its far frame
            after = [e for e in ends[item.file] if e >= rep.features["far_frame"]]
            if after:
                delays.append((rep.emitted_frame - after[0]) / 30.0)
    assert len(delays) > 250
    assert np.median(delays) <= 0.5, np.percentile(delays, [25, 50, 75, 95])


def test_repcount_tuning_reps_follow_each_other(repcount, shared_data: Path):
    """No rep begins before the last one ended, nor has its farthest frame inside it (the
    tuning part, where the rule was made; stu10_17 counted 572..641, then 641..670 with its
    far frame at 641: a loop from the first's way back to its rest and out again)."""
    root = shared_data / "counting" / "repcount"
    tune = _part(repcount, root, "tune")
    overlaps = []
    for item in tune.items:
        for a, b in itertools.pairwise(item.reps):
            if b.start_frame < a.end_frame or b.features["far_frame"] <= a.end_frame:
                overlaps.append((item.file, a.end_frame, b.start_frame, b.features["far_frame"]))
    assert tune.n == 35
    assert overlaps == []


@pytest.mark.xfail(
    strict=True,
    reason="validation MAE 0.101, OBO 0.778: QUVA 013 (three seconds of pose garbage hold a "
    "labelled cycle, 5 of 7) and 038 (a panning camera on alternating monkey-bar swings, 3 of "
    "5) undercount; chauhan08's barbell curl 8 of 9",
)
def test_real_clips_validation_targets(videos_validate):
    assert videos_validate.mae <= 0.08, videos_validate.as_dict()
    assert videos_validate.obo >= 0.95, videos_validate.as_dict()


def test_real_clips(videos, shared_data: Path):
    counts = {i.file: (i.true, i.predicted) for i in videos.items}
    assert videos.n == len(find_clips(shared_data / "videos"))
    assert videos.mae <= 0.10, videos.as_dict()
    assert videos.obo >= 0.84, videos.as_dict()
    # 30 push-ups in 55 s with rests between sets: no ghost reps in the rests
    true, got = counts["workouttracker__push-ups__videoplayback.mp4"]
    assert abs(got - true) <= 1
    # the bar is picked up from the floor first (frames 0-60): not a curl
    true, got = counts["chauhan08_fitness__barbell-curl.mp4"]
    assert abs(got - true) <= 1
    # clips cut around the reps: the last rep, cut by the end after its turning point, counts
    for name in ("quva__023_fitness.mp4", "quva__027_fitness.mp4"):
        assert counts[name][0] == counts[name][1], name
    # single-rep clips: the one rep, not zero and not two (003 starts at the squat's bottom)
    for name in (
        "kaiakol_form__squat__correct__squat_correct_001.avi",
        "kaiakol_form__squat__correct__squat_correct_003.mp4",
        "kaiakol_form__squat__correct__squat_correct_007.mp4",
        "kaiakol_form__squat__incorrect__squat_incorrect_002.mp4",
        "kaiakol_form__videos__pushup_correct_001.mp4",
        "posetrainer__sample_bicep_curl.mp4",
    ):
        assert counts[name] == (1, 1), name


def test_eval_counting_cli_on_the_videos_layout(shared_data: Path, tmp_path: Path):
    """The videos layout through the CLI, on a copy of the labels of three short clips."""
    from click.testing import CliRunner

    from formcoach.cli import main

    src = shared_data / "videos"
    with (src / "ground_truth.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    keep = [r for r in rows if r["file"].startswith("kaiakol_form__squat")][:3]
    keep.append({**rows[0], "gt_count": ""})  # a row without a count is skipped
    with (tmp_path / "ground_truth.csv").open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(keep)
    for r in keep:
        (tmp_path / r["file"]).symlink_to(src / r["file"])
    res = CliRunner().invoke(main, ["eval", "counting", str(tmp_path), "--json"])
    out = json.loads(res.output)
    assert out["n"] == 3
    assert [i["file"] for i in out["items"]] == [r["file"] for r in keep[:3]]


# --- exercise-aware ------------------------------------------------------------------------
def test_one_rep_trimmed_files_count_one_rep(shared_data: Path):
    from formcoach.counting import count_reps
    from formcoach.eval.form import read_labels
    from formcoach.form.exercises import get_exercise

    exercises = {"bicep": get_exercise("bicep curl"), "shoulderpress": get_exercise("press")}
    counts = [
        len(count_reps(f.seq, exercises[f.exercise]))
        for f in read_labels(shared_data / "form" / "posetrainer")
    ]
    assert len(counts) == 52
    assert sum(c == 1 for c in counts) >= 48, counts
    assert max(counts) <= 2


def test_real_clips_of_known_exercises(shared_data: Path):
    from formcoach.counting import count_reps
    from formcoach.eval.counting import find_clips, load_clip
    from formcoach.form.exercises import match_exercise

    with (shared_data / "videos" / "ground_truth.csv").open(newline="") as f:
        described = {r["file"]: r["exercise"] for r in csv.DictReader(f)}
    errors = {}
    for clip in find_clips(shared_data / "videos"):
        ex = match_exercise(described[clip.file])
        if ex is not None:
            got = len(count_reps(load_clip(clip), ex))
            errors[clip.file] = abs(got - clip.count) / clip.count
    assert len(errors) == 16
    assert np.mean(list(errors.values())) <= 0.15, errors
    # the demo's clip: the bar picked up first, nine curls, the last one slow
    assert errors["chauhan08_fitness__barbell-curl.mp4"] == 0
