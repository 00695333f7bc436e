import json
import re

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.analysis import analyze_sequence
from formcoach.cli import main
from formcoach.counting import CountWarning, RepCounter, count_reps
from formcoach.form.exercises import get_exercise
from formcoach.render.analysis_report import render_report
from formcoach.testing.reps import concat, curl, squat


@pytest.fixture
def session(tmp_path):
    """Three curls: good, elbows drifting forward, good."""
    seq = concat([curl(seed=1), curl(swing=35, seed=2), curl(seed=3)])
    path = tmp_path / "curls.npz"
    seq.save(path)
    return path


def test_counter_api_offline_and_streaming_agree():
    seq = concat([squat(seed=i) for i in range(3)])
    ex = get_exercise("squat")
    offline = count_reps(seq, ex)
    assert [r.number for r in offline] == [1, 2, 3]
    counter = RepCounter(ex, fps=30)
    streamed = [r for pose in seq for r in counter.update(pose)] + counter.finish()
    assert len(streamed) == 3
    assert all(r.emitted_frame >= r.end_frame for r in streamed)


def test_analysis_judges_every_rep(session):
    from formcoach.pose.keypoints import load_keypoints

    a = analyze_sequence(load_keypoints(session), get_exercise("curl"), "curls")
    assert len(a.results) == 3
    passed = [r.verdict.passed for r in a.results]
    assert passed == [True, False, True]
    assert a.results[1].verdict.cue.startswith("Keep your elbows pinned")
    s = a.summary()
    assert s["reps"] == 3 and s["passed"] == 2
    html = render_report(a)
    assert html.count("data:image/png;base64,") == 3  # scores, parts, curves
    assert "Keep your elbows pinned" in html and "<table>" in html
    assert not re.search(r"(src|href)=\"https?:", html)  # self-contained


def test_cli_analyze_json_report_overlay(session, tmp_path):
    report, overlay = tmp_path / "r.html", tmp_path / "o.webm"
    r = CliRunner().invoke(
        main,
        [
            "analyze",
            str(session),
            "-e",
            "bicep curls",
            "--report",
            str(report),
            "--overlay",
            str(overlay),
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.output.strip().splitlines()[-1])
    assert out["exercise"] == "bicep curl" and out["reps"] == 3
    reps = out["rep_results"]
    assert [x["passed"] for x in reps] == [True, False, True]
    assert all(isinstance(x["cue"], str) and x["cue"] for x in reps)
    assert report.stat().st_size > 10_000
    cap = cv2.VideoCapture(str(overlay))
    n = 0
    while True:
        ok, _ = cap.read()
        if not ok:
            break
        n += 1
    cap.release()
    assert n == out["frames"]


def test_cli_analyze_table_and_unknown_exercise(session):
    runner = CliRunner()
    r = runner.invoke(main, ["analyze", str(session), "--exercise", "curl"])
    assert r.exit_code == 0, r.output
    assert "fix" in r.output and "good" in r.output
    r = runner.invoke(main, ["analyze", str(session), "--exercise", "yoga flow"])
    assert r.exit_code != 0
    assert "unknown exercise" in r.output and "squat" in r.output
    assert "Traceback" not in r.output


def test_cli_analyze_a_hold(tmp_path):
    from formcoach.testing.figure import stick_figure

    path = tmp_path / "plank.npz"
    stick_figure({"trunk_lean": 75, "left_hip": -75, "right_hip": -75}, n_frames=300).save(path)
    r = CliRunner().invoke(main, ["analyze", str(path), "-e", "plank", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output.strip().splitlines()[-1])
    assert out["held_s"] >= 9.0 and out["reps"] == 0
    assert len(out["rep_results"]) >= 3  # judged in stretches of a few seconds


def test_analysis_cleans_with_the_settings_it_is_given(session):
    """The poses kept and the reps counted come from the cleaning asked for, not the default."""
    from formcoach.pose.cleaning import CleanSettings, clean
    from formcoach.pose.keypoints import load_keypoints

    raw = load_keypoints(session)
    unfiltered = CleanSettings(one_euro=None, plausible=None)
    a = analyze_sequence(raw, get_exercise("curl"), "curls", clean_settings=unfiltered)
    np.testing.assert_array_equal(a.poses.xy, clean(raw, unfiltered).xy)
    assert not np.array_equal(a.poses.xy, clean(raw).xy, equal_nan=True)
    blind = CleanSettings(min_visibility=raw.visibility.max())
    with pytest.warns(CountWarning, match="no pose"):
        b = analyze_sequence(raw, get_exercise("curl"), "curls", clean_settings=blind)
    assert b.results == [] and not b.poses.detected.any()


@pytest.mark.realdata
def test_analyze_counts_the_poses_it_judges_as_live(shared_data):
    """``analyze`` cleans the raw poses once, as the live pipeline does, and counts those same
    poses: its reps are the ones a live counter fed the cleaned stream emits. (It used to clean
    them a second time before counting: 57 correct pushfit validation reps instead of 60.)"""
    from formcoach.eval.form_data import read_labels
    from formcoach.pose.cleaning import StreamCleaner

    ex = get_exercise("push-up")
    differ = []
    files = [f for f in read_labels(shared_data / "form" / "pushfit") if f.seq.detected.any()]
    assert len(files) > 80
    for f in files:
        a = analyze_sequence(f.seq, ex, f.file)
        cleaner, counter = StreamCleaner(f.seq.skeleton), RepCounter(ex, fps=f.seq.frame_rate())
        live = [r for pose in f.seq for r in counter.update(cleaner(pose))] + counter.finish()
        got = [(r.rep.start_frame, r.rep.end_frame) for r in a.results]
        if got != [(r.start_frame, r.end_frame) for r in live]:
            differ.append(f.file)
    assert not differ, differ
