"""Every labelled file in ../shared/data is used by a test or a benchmark.

:data:`USERS` says which test or benchmark reads each label file and all the items it
labels; :func:`test_every_label_file_has_a_user` fails when a label file appears that no
one reads, or a user stops naming it. The frame-level labels nobody used before (curl
lean-back, lunge knee over toe, squat stage) and the pushfit push-ups are checked here
against the exercise library.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from formcoach.core.features import compute_features
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON, COMMON_JOINTS
from formcoach.eval.form import evaluate_exercise, read_labels
from formcoach.form.exercises import get_exercise

ROOT = Path(__file__).resolve().parents[1]

#: label file (relative to the data folder) -> files (relative to the project) that read it
USERS: dict[str, tuple[str, ...]] = {
    "videos/ground_truth.csv": (
        "tests/test_counting_realdata.py",
        "tests/test_realdata_pose.py",
        "tests/test_session_real.py",
    ),
    "counting/repcount/labels.json": ("tests/test_counting_realdata.py",),
    "form/posetrainer/labels.csv": ("tests/test_formeval.py",),
    "form/mp17/labels.csv": ("tests/test_formeval.py",),
    "form/pushfit/labels.csv": ("tests/test_labelled_material.py",),
    "form/framelevel/plank_test.csv": ("tests/test_framelevel.py",),
    "form/framelevel/bicep_curl_test.csv": ("tests/test_labelled_material.py",),
    "form/framelevel/lunge_knee_over_toe_test.csv": ("tests/test_labelled_material.py",),
    "form/framelevel/squat_stage_test.csv": ("tests/test_labelled_material.py",),
    "faces/labels.csv": ("tests/test_faces.py",),
    "speech/yes": ("tests/test_speech_realdata.py",),
    "speech/no": ("tests/test_speech_realdata.py",),
    "speech/other": ("tests/test_speech_realdata.py",),
}
#: how each user names the label file (its folder, when it reads it through an eval command)
NAMED_AS = {
    "videos/ground_truth.csv": "ground_truth.csv",
    "counting/repcount/labels.json": "repcount",
    "form/posetrainer/labels.csv": "posetrainer",
    "form/mp17/labels.csv": "mp17",
    "form/pushfit/labels.csv": "pushfit",
    "faces/labels.csv": '"faces"',
    "speech/yes": '"speech"',
    "speech/no": '"speech"',
    "speech/other": '"speech"',
}


def label_files(root: Path) -> set[str]:
    """Every label file of the data folder, and the speech folders (labelled by name)."""
    found = {"videos/ground_truth.csv", "counting/repcount/labels.json"}
    found |= {str(p.relative_to(root)) for p in root.glob("*/labels.csv")}
    found |= {str(p.relative_to(root)) for p in root.glob("form/*/labels.csv")}
    found |= {str(p.relative_to(root)) for p in root.glob("form/framelevel/*.csv")}
    found |= {str(p.relative_to(root)) for p in root.glob("speech/*") if p.is_dir()}
    return {f for f in found if (root / f).exists()}


@pytest.mark.realdata
def test_every_label_file_has_a_user(shared_data):
    found = label_files(shared_data)
    assert found, "no label file found"
    unused = sorted(found - set(USERS))
    assert not unused, f"labelled material no test or benchmark reads: {unused}"
    for label, users in USERS.items():
        name = NAMED_AS.get(label, Path(label).name)
        for user in users:
            text = (ROOT / user).read_text()
            assert name in text, f"{user} no longer reads {label}"


# --- frame-level labels: single frames from MediaPipe, x and y as fractions of the frame ---


def _frames(path: Path, aspect: float = 16 / 9) -> tuple[np.ndarray, PoseSequence]:
    """(T,) labels and the T frames as one sequence (COMMON joints that the file has)."""
    rows = list(csv.DictReader(path.open()))
    xy = np.full((len(rows), len(COMMON_JOINTS), 2), np.nan)
    vis = np.zeros((len(rows), len(COMMON_JOINTS)))
    for t, r in enumerate(rows):
        for j, n in enumerate(COMMON_JOINTS):
            if f"{n}_x" in r:
                xy[t, j] = (float(r[f"{n}_x"]) * aspect, float(r[f"{n}_y"]))
                vis[t, j] = min(1.0, max(1e-3, float(r[f"{n}_v"])))
    labels = np.array([r["label"] for r in rows])
    return labels, PoseSequence(xy, vis, np.arange(len(rows)) / 30.0, COMMON)


def _feature(exercise: str, part: str, key: str):
    """The library's definition of one judged feature."""
    ex = get_exercise(exercise)
    (p,) = [p for p in ex.parts if p.name == part]
    (f,) = [f for f in p.features if f.key == key]
    return f


@pytest.mark.realdata
def test_curl_frames_leaning_back_are_outside_the_curls_trunk_tolerance(shared_data):
    """bicep_curl_test.csv: C correct, L leaning back. The curl's trunk feature must flag the
    leaning frames (>= 80 %) and not the correct ones (<= 20 %), as the plank's targets."""
    labels, seq = _frames(shared_data / "form" / "framelevel" / "bicep_curl_test.csv")
    sway = _feature("bicep_curl", "trunk", "sway")
    ref = next(iter(sway.keys.values()))[0]
    tilt = compute_features(seq, [sway.spec])[sway.spec]
    flagged = {lab: float(np.mean(tilt[labels == lab] > ref + sway.tol)) for lab in ("C", "L")}
    assert flagged["L"] >= 0.8 and flagged["C"] <= 0.2, flagged


@pytest.mark.realdata
@pytest.mark.xfail(
    strict=True,
    reason="library: in lunge_knee_over_toe_test.csv the front shin of 47 % of the correct "
    "frames near the bottom (knee < 130 deg) is tilted past the lunge's shin tolerance "
    "(median 165 deg against 172 - 8); the knee-over-toe frames are flagged at 98 %",
)
def test_lunge_frames_with_the_knee_past_the_toes_are_outside_the_shin_tolerance(shared_data):
    labels, seq = _frames(shared_data / "form" / "framelevel" / "lunge_knee_over_toe_test.csv")
    shin = _feature("lunge", "leg", "shin")
    peak = min(shin.keys.get("side", next(iter(shin.keys.values()))))  # the bottom's value
    f = compute_features(seq, ["left_knee", "right_knee", "left_shin_tilt", "right_shin_tilt"])
    left_front = f["left_knee"] < f["right_knee"]  # the front leg bends more
    front_shin = np.where(left_front, f["left_shin_tilt"], f["right_shin_tilt"])
    bottom = np.fmin(f["left_knee"], f["right_knee"]) < 130
    flagged = {
        lab: float(np.mean(front_shin[(labels == lab) & bottom] < peak - shin.tol))
        for lab in ("C", "L")
    }
    assert flagged["L"] >= 0.8 and flagged["C"] <= 0.2, flagged


@pytest.mark.realdata
@pytest.mark.xfail(
    strict=True,
    reason="library: 79 % of squat_stage_test.csv frames are nearer the squat reference's "
    "own stage (knee 85 deg at the bottom, 172 standing); 'down' also labels the way down "
    "and up (knee median 121, 90th percentile 151)",
)
def test_squat_stage_frames_are_nearer_their_stage_of_the_squat_reference(shared_data):
    labels, seq = _frames(shared_data / "form" / "framelevel" / "squat_stage_test.csv")
    knee = _feature("squat", "leg", "knee")
    keys = next(iter(knee.keys.values()))
    rest, bottom = keys[0], min(keys)
    f = compute_features(seq, ["left_knee", "right_knee"])
    angle = np.nanmean([f["left_knee"], f["right_knee"]], axis=0)
    down = np.abs(angle - bottom) < np.abs(angle - rest)
    accuracy = float(np.mean(down == (labels == "down")))
    assert accuracy >= 0.9, accuracy


@pytest.mark.realdata
@pytest.mark.slow
def test_pushfit_correct_pushups_pass_more_often_than_incorrect_ones(shared_data):
    """101 push-up clips of many people (pushfit): the library's push-up reference passes
    the correct clips' reps more often than the incorrect ones'."""
    files = read_labels(shared_data / "form" / "pushfit")
    assert len(files) >= 100
    g = evaluate_exercise(files, ("generic",))["generic"]
    assert g["correct_pass_rate"] > g["incorrect_pass_rate"], g
