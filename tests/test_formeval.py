import json

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach import FormcoachError
from formcoach.cli import main
from formcoach.eval.form import (
    _Judge,
    auc,
    evaluate_exercise,
    evaluate_folder,
    measure_reps,
    read_labels,
)
from formcoach.form.calibration import CalibrationSettings
from formcoach.form.judge import FormJudge, JudgeSettings
from formcoach.form.teach import generic_exercise, teach_from_curves
from formcoach.testing.reps import curl


def _folder(tmp_path, n=6):
    lines = ["file,exercise,label"]
    for i in range(n):
        curl(seed=i).save(tmp_path / f"good{i}.npz")
        lines.append(f"good{i}.npz,bicep,correct")
    faults = [{"swing": 35}, {"top": 110}, {"lean": 18}]
    for i in range(n):
        curl(seed=100 + i, **faults[i % 3]).save(tmp_path / f"bad{i}.npz")
        lines.append(f"bad{i}.npz,bicep,incorrect")
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_auc_counts_ties_half():
    assert auc([0, 1], [2, 3]) == 1.0
    assert auc([2, 3], [0, 1]) == 0.0
    assert auc([1], [1]) == 0.5


def test_clear_faults_are_separated_under_both_protocols(tmp_path):
    res = evaluate_folder(_folder(tmp_path), ("loo", "one-class", "generic"))
    bicep = res["exercises"]["bicep"]
    assert bicep["n"] == 12 and bicep["correct"] == 6
    assert bicep["library_exercise"] == "bicep curl"
    assert bicep["loo_accuracy"] >= 0.9
    assert bicep["one_class_auc"] >= 0.95
    assert bicep["one_class_accuracy"] >= 0.75
    g = bicep["generic"]
    assert g["correct_pass_rate"] > g["incorrect_pass_rate"]


def test_the_evaluation_judges_exactly_as_the_judge_does(tmp_path):
    """One-class arithmetic on precomputed distances == teach + FormJudge on the same reps."""
    files = [f for f in read_labels(_folder(tmp_path)) if True]
    settings = JudgeSettings()
    reps = measure_reps(files, None, settings)
    judge = _Judge(reps, CalibrationSettings())
    held = 0  # a correct file, judged against the other correct ones
    train = reps.labels & (reps.file_of != held)
    tol = judge.tolerances(train)
    dev = judge.deviations(train, tol)
    taught = teach_from_curves(
        "x",
        [reps.curves[i] for i in np.flatnonzero(train)],
        generic_exercise("x"),
        settings=settings,
    )
    for u, f in taught.feature_defs().items():
        assert f.tol == pytest.approx(tol[u], rel=1e-3)
    for a in np.flatnonzero(reps.file_of == held):
        v = FormJudge(taught, settings).judge_curves(reps.curves[a])
        assert v.aggregate == pytest.approx(dev[a], rel=1e-3)


def test_bad_folders_say_what_is_wrong(tmp_path):
    with pytest.raises(FormcoachError, match=r"no labels\.csv"):
        evaluate_folder(tmp_path)
    (tmp_path / "labels.csv").write_text("file,label\nx.npz,correct\n")
    with pytest.raises(FormcoachError, match="exercise"):
        evaluate_folder(tmp_path)
    (tmp_path / "labels.csv").write_text("file,exercise,label\nx.npz,curl,maybe\n")
    with pytest.raises(FormcoachError, match="correct or incorrect"):
        evaluate_folder(tmp_path)
    with pytest.raises(FormcoachError, match="protocol"):
        evaluate_folder(tmp_path, ("both",))


def test_cli_eval_form_json_schema(tmp_path):
    r = CliRunner().invoke(main, ["eval", "form", str(_folder(tmp_path, 4)), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output.strip().splitlines()[-1])
    ex = out["exercises"]["bicep"]
    for key in ("n", "loo_accuracy", "one_class_auc", "one_class_accuracy"):
        assert key in ex


# ---- real data ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def posetrainer(shared_data):
    return evaluate_folder(shared_data / "form" / "posetrainer", ("loo", "one-class"))


@pytest.mark.realdata
def test_posetrainer_targets(posetrainer):
    """Pose Trainer dev: LOO >= 0.95 and one-class AUC >= 0.90 for each exercise."""
    for name in ("bicep", "shoulderpress"):
        ex = posetrainer["exercises"][name]
        assert ex["one_class_auc"] >= 0.90, (name, ex)
        assert ex["loo_accuracy"] >= 0.95, (name, ex)


@pytest.mark.realdata
def test_posetrainer_curls_are_one_rep_each_once_glitches_are_bridged(posetrainer):
    """Each Pose Trainer file is one trimmed rep. In bicep_good_5/6 OpenPose moves the left
    wrist to the hip for half a second at the top of the curl; bridged, the counter no longer
    splits them there."""
    ex = posetrainer["exercises"]["bicep"]
    assert ex["reps"] == ex["n"], ex


@pytest.mark.realdata
def test_mp17_pushup_target(shared_data):
    """mp17 push-ups (16:9 clips): LOO >= 0.95."""
    files = [
        f
        for f in read_labels(shared_data / "form" / "mp17", frame_size=(640, 360))
        if f.exercise == "pushup"
    ]
    res = evaluate_exercise(files, ("loo", "one-class"))
    assert res["loo_accuracy"] >= 0.95, res
    assert res["one_class_auc"] >= 0.90, res


@pytest.mark.realdata
@pytest.mark.parametrize(("folder", "frame_size"), [("posetrainer", None), ("mp17", (1280, 720))])
def test_generic_references_pass_correct_reps_more_often(shared_data, folder, frame_size):
    files = read_labels(shared_data / "form" / folder, frame_size=frame_size)
    groups: dict[str, list] = {}
    for f in files:
        groups.setdefault(f.exercise, []).append(f)
    for name, group in groups.items():
        g = evaluate_exercise(group, ("generic",))["generic"]
        assert g["correct_pass_rate"] > g["incorrect_pass_rate"], (name, g)
