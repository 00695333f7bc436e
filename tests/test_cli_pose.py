import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach import PoseSequence
from formcoach.cli import main
from formcoach.testing.figure import keyframes, stick_figure


@pytest.fixture
def keypoints(tmp_path):
    t = np.arange(45) / 30.0
    seq = stick_figure({"left_elbow": keyframes([0, 0.75, 1.5], [170, 40, 170], t)})
    path = tmp_path / "curl.npz"
    seq.save(path)
    return path


def test_pose_json_summary(keypoints):
    result = CliRunner().invoke(main, ["pose", str(keypoints), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["frames"] == 45 and data["frames_with_pose"] == 45
    assert data["duration_s"] == pytest.approx(1.5)
    assert data["processing_fps"] > 0


def test_pose_saves_npz_and_overlay(keypoints, tmp_path):
    import cv2

    out, overlay = tmp_path / "out.npz", tmp_path / "o.webm"
    result = CliRunner().invoke(
        main, ["pose", str(keypoints), "-o", str(out), "--overlay", str(overlay)]
    )
    assert result.exit_code == 0, result.output
    assert "45 frames" in result.output
    saved = PoseSequence.load(out)
    np.testing.assert_allclose(saved.xy, PoseSequence.load(keypoints).xy)
    cap = cv2.VideoCapture(str(overlay))
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == 45


def test_overlay_must_be_webm(keypoints, tmp_path):
    result = CliRunner().invoke(
        main, ["pose", str(keypoints), "--overlay", str(tmp_path / "o.mp4")]
    )
    assert result.exit_code != 0 and ".webm" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pose", "nope.mp4"], "no such file or folder"),
        (["pose", "96"], "cannot open camera 96"),
        (["pose", "x.npy", "--frame-size", "big"], "WIDTHxHEIGHT"),
    ],
)
def test_bad_input_is_one_clear_line(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_nobody_in_the_clip_is_an_error(tmp_path):
    seq = stick_figure({}, n_frames=5)
    empty = seq.replace(visibility=np.zeros_like(seq.visibility))
    path = tmp_path / "empty.npz"
    empty.save(path)
    result = CliRunner().invoke(main, ["pose", str(path)])
    assert result.exit_code != 0 and "nobody was detected" in result.output


def test_python_dash_m_runs_the_cli():
    out = subprocess.run(
        [sys.executable, "-m", "formcoach", "--help"], capture_output=True, text=True, check=True
    )
    assert "pose" in out.stdout
