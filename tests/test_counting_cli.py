"""``formcoach count`` and ``formcoach eval counting`` on files made here."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.cli import cmd_count, main
from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import BLAZEPOSE_33
from formcoach.testing.workout import Workout


@pytest.fixture(scope="module")
def squats() -> tuple[PoseSequence, int]:
    seq, truth = Workout().hold(1).reps("squat", [2.0] * 5).hold(1).build(noise_px=2)
    return seq, len(truth)


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_count_prints_the_count_and_each_rep(tmp_path, squats):
    seq, n = squats
    path = seq.save(tmp_path / "squats.npz")
    res = run("count", str(path))
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0] == f"{n} reps"
    assert len(lines) == 1 + n
    assert lines[1].strip().startswith("rep 1: ") and " s (frames " in lines[1]


def test_count_of_nothing_repeating_says_what_to_check(tmp_path):
    """A person standing still: '0 reps' alone read like a verdict, not a miss to act on."""
    seq, _ = Workout().hold(4).build(noise_px=2)
    path = seq.save(tmp_path / "still.npz")
    res = run("count", str(path), "-e", "squat")
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0] == "0 reps"
    assert "recording shows squats" in lines[1] and "in view" in lines[1]
    res = run("count", str(path))
    assert "no repeating movement found" in res.output and "shows" not in res.output


def test_count_json(tmp_path, squats):
    seq, n = squats
    res = run("count", str(seq.save(tmp_path / "squats.npz")), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["count"] == n and len(out["reps"]) == n
    assert set(out["reps"][0]) == {"start_s", "end_s", "start_frame", "end_frame"}
    starts = [r["start_s"] for r in out["reps"]]
    assert starts == sorted(starts)
    assert all(r["end_frame"] > r["start_frame"] for r in out["reps"])


def test_count_of_a_hold_prints_the_held_stretches(tmp_path):
    plank = {"trunk_lean": 80, "left_hip": -80, "right_hip": -80}
    seq, _ = Workout().hold(2).pose(plank, 1.5).hold(5).pose({}, 1.5).hold(1).build(noise_px=2)
    path = seq.save(tmp_path / "plank.npz")
    res = run("count", str(path), "--exercise", "plank")
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0] == "1 hold" and lines[1].startswith("held for ")
    assert 5.0 <= float(lines[1].split()[2]) <= 6.5
    out = json.loads(run("count", str(path), "-e", "plank", "--json").output)
    assert out["count"] == 1 and out["held_s"] == pytest.approx(float(lines[1].split()[2]), abs=0.1)


def test_count_of_an_empty_recording_is_an_error_not_zero_reps(tmp_path):
    blank = np.zeros((60, 33, 4), np.float32)  # BlazePose rows with nobody seen
    np.save(tmp_path / "nobody.npy", blank)
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always keeps stderr apart
        runner = CliRunner()
    res = runner.invoke(main, ["count", str(tmp_path / "nobody.npy"), "--json"])
    assert res.exit_code == 1 and res.stdout == ""
    assert "nobody was detected in any of the 60 frames" in res.stderr


@dataclass(frozen=True)
class _Hint:
    name: str
    drive: tuple[str, ...]
    static: bool = False


def test_named_exercise_uses_its_drive_features(tmp_path, squats, monkeypatch):
    asked = []

    def get_exercise(name: str) -> _Hint:
        asked.append(name)
        if name != "squat":
            raise FormcoachError(f"unknown exercise {name!r}", "use one of: squat")
        return _Hint("squat", ("left_knee", "right_knee"))

    monkeypatch.setattr(cmd_count, "get_exercise", get_exercise)
    seq, n = squats
    path = seq.save(tmp_path / "squats.npz")
    res = run("count", str(path), "--exercise", "squat", "--json")
    assert json.loads(res.output)["count"] == n and asked == ["squat"]
    res = CliRunner().invoke(main, ["count", str(path), "--exercise", "lunge"])
    assert res.exit_code != 0 and "unknown exercise 'lunge'" in res.output


def _repcount_rows(seq: PoseSequence) -> np.ndarray:
    """A COMMON sequence as RepCount rows: 33 BlazePose (x, y, z) min-max normalised per frame."""
    idx = BLAZEPOSE_33.common_indices()
    xy = np.zeros((len(seq), 33, 2))
    xy[:, idx] = seq.xy
    missing = [j for j in range(33) if j not in set(idx.tolist())]
    xy[:, missing] = seq.xy[:, [0]]  # face and hand points: put them on the nose
    lo, hi = xy.min(axis=1, keepdims=True), xy.max(axis=1, keepdims=True)
    xy = (xy - lo) / (hi - lo)
    rows = np.zeros((len(seq), 104), np.float32)
    rows[:, :99] = np.concatenate([xy, np.full((len(seq), 33, 1), 0.5)], axis=2).reshape(-1, 99)
    rows[:, 99:] = 0.5
    return rows


def test_eval_counting_on_the_repcount_layout(tmp_path):
    (tmp_path / "poses").mkdir()
    labels = []
    for k, n in enumerate((4, 6)):
        seq, truth = Workout().hold(1).reps("curl", [1.8] * n).hold(1).build(noise_px=1, seed=k)
        np.save(tmp_path / "poses" / f"clip{k}.npy", _repcount_rows(seq))
        bounds = [int(v * 30) for t in truth for v in (t.start_s, t.end_s)]
        # no class label: the evaluation must not need one
        labels.append({"file": f"poses/clip{k}.npy", "count": n, "boundaries": bounds})
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    res = run("eval", "counting", str(tmp_path), "--json")
    out = json.loads(res.output)
    assert out["n"] == 2 and out["mae"] == 0.0 and out["obo"] == 1.0
    assert out["items"] == [
        {"file": "poses/clip0.npy", "true": 4, "predicted": 4},
        {"file": "poses/clip1.npy", "true": 6, "predicted": 6},
    ]
    text = run("eval", "counting", str(tmp_path)).output.splitlines()
    assert text[0] == "file, true, predicted"
    assert text[1] == "poses/clip0.npy, 4, 4"
    assert text[-1].startswith("all: n=2  MAE=0.000  OBO=1.000  under=0  over=0")


def test_eval_counting_rejects_an_unknown_layout(tmp_path):
    res = CliRunner().invoke(main, ["eval", "counting", str(tmp_path)])
    assert res.exit_code != 0
    assert "neither labels.json nor ground_truth.csv" in res.output


def test_eval_counting_cleans_with_the_settings_it_is_given(tmp_path, squats):
    """The evaluation's cleaning is an argument: one that drops every joint the pose model was
    less than 99 % sure of leaves nothing to count."""
    from formcoach.eval.counting import evaluate_counting
    from formcoach.pose.cleaning import CleanSettings

    seq, n = squats
    assert seq.visibility.max() < 0.99
    (tmp_path / "poses").mkdir()
    seq.save(tmp_path / "poses" / "squats.npz")
    (tmp_path / "labels.json").write_text(json.dumps([{"file": "poses/squats.npz", "count": n}]))
    default = evaluate_counting(tmp_path, progress=False)
    blind = evaluate_counting(tmp_path, progress=False, clean_settings=CleanSettings(0.99))
    assert [i.predicted for i in default.items] == [n]
    assert [i.predicted for i in blind.items] == [0]


def test_eval_counting_known_counts_each_clip_as_its_class(tmp_path, squats, monkeypatch):
    """With --known every clip is counted as the built-in exercise its class names, as a
    session counts; a class naming no exercise, or the videos layout, is an error that says so."""
    from formcoach.eval import counting as eval_counting

    seq, n = squats
    (tmp_path / "poses").mkdir()
    labels = []
    for k, cls in enumerate(("squat", "situp")):
        np.save(tmp_path / "poses" / f"clip{k}.npy", _repcount_rows(seq))
        labels.append({"file": f"poses/clip{k}.npy", "count": n, "cls": cls})
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    seen = []
    real = eval_counting.count_reps

    def count_reps(seq, exercise=None, *args):
        seen.append(None if exercise is None else exercise.name)
        return real(seq, exercise, *args)

    monkeypatch.setattr(eval_counting, "count_reps", count_reps)
    out = json.loads(run("eval", "counting", str(tmp_path), "--known", "--json").output)
    assert seen == ["squat", "sit-up"]
    assert out["items"][0] == {"file": "poses/clip0.npy", "true": n, "predicted": n}
    seen.clear()
    run("eval", "counting", str(tmp_path), "--json")
    assert seen == [None, None]  # class-agnostic unless asked

    labels[1]["cls"] = "underwater basket weaving"
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    res = CliRunner().invoke(main, ["eval", "counting", str(tmp_path), "--known"])
    assert res.exit_code != 0 and "underwater basket weaving" in res.output

    videos = tmp_path / "videos"
    videos.mkdir()
    (videos / "ground_truth.csv").write_text("file,gt_count\nclip.mp4,3\n")
    res = CliRunner().invoke(main, ["eval", "counting", str(videos), "--known"])
    assert res.exit_code != 0 and "RepCount layout" in res.output
