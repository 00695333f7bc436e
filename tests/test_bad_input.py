"""Every bad input of issue 12 fails cleanly: one line saying what is wrong and what to do,
a non-zero exit status, no traceback or warning, and nothing stored changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.core.private import private_dir, write_private
from formcoach.store import Store
from formcoach.testing.reps import curls


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCOACH_CACHE", str(tmp_path / "cache"))

    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _state(root: Path) -> dict[str, str]:
    """Every file under ``root`` with a hash of its content: what is stored."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A user folder with a database holding one person and one session."""
    folder = tmp_path / "home"
    monkeypatch.setenv("FORMCOACH_HOME", str(folder))
    with Store() as s:
        s.add_profile("ana")
        with s.record_session("ana", "test") as rec:
            rec.start_set("squat", 5)
    return folder


def _fails_cleanly(result, *words: str) -> None:
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert result.exit_code != 0, result.output
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: "), result.output
    assert ": " in lines[0][len("Error: ") :], "says what to do after what is wrong"
    for w in ("Traceback", "Warning", "warning"):
        assert w not in result.output
    for w in words:
        assert w in lines[0], (w, lines[0])


KEYPOINTS = {
    "empty": (np.zeros((0, 18, 3)), "no frames"),
    "all_nan": (np.full((40, 18, 3), np.nan), "nobody"),
    "all_inf": (np.full((40, 17, 3), np.inf), "nobody"),
    "wrong_dtype": (np.ones((40, 18, 3), dtype=complex), "not real numbers"),
    "wrong_shape": (np.ones((40, 7)), "no keypoint layout"),
}


@pytest.mark.parametrize("name", KEYPOINTS)
@pytest.mark.parametrize("command", ["count", "analyze", "pose"])
def test_bad_keypoint_files(run, home, tmp_path, name, command):
    arr, words = KEYPOINTS[name]
    path = tmp_path / f"{name}.npy"
    np.save(path, arr)
    before = _state(home)
    args = [command, path] + (["-e", "squat"] if command == "analyze" else [])
    _fails_cleanly(run(*args), words)
    assert _state(home) == before


def _write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    import cv2

    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        out.write(f)
    out.release()
    return path


@pytest.mark.slow
def test_a_clip_with_nobody_in_it(run, home, tmp_path):
    rng = np.random.default_rng(0)
    wall = rng.integers(90, 110, (240, 320, 3), dtype=np.uint8)
    video = _write_video(tmp_path / "empty_room.mp4", [wall] * 45)
    before = _state(home)
    for command in (["analyze", video, "-e", "squat"], ["count", video], ["pose", video]):
        _fails_cleanly(run(*command), "nobody")
    assert _state(home) == before


def test_a_photo_instead_of_a_video(run, home, tmp_path):
    """OpenCV reads a photo as a video of one frame: 'formcoach analyze photo.jpg' said
    "0 reps of squat found ...: check that this is the exercise (-e)", a wrong lead."""
    import cv2

    photo = tmp_path / "me.jpg"
    cv2.imwrite(str(photo), np.random.default_rng(0).integers(0, 255, (96, 128, 3), np.uint8))
    one = tmp_path / "one.npy"
    np.save(one, np.random.default_rng(1).uniform(50, 90, (1, 18, 3)))
    before = _state(home)
    for command in (
        ["analyze", photo, "-e", "squat"],
        ["count", photo],
        ["analyze", one, "-e", "squat"],
    ):
        _fails_cleanly(run(*command), "single frame (a picture, not a recording)")
    assert _state(home) == before


@pytest.mark.realdata
def test_a_truncated_mp4(run, home, tmp_path, shared_data):
    clip = shared_data / "videos" / "workouttracker__push-ups__push-up_12.mp4"  # index first
    data = clip.read_bytes()
    for name, blob in {"half": data[: len(data) // 2], "head": data[:5000]}.items():
        cut = tmp_path / f"{name}.mp4"
        cut.write_bytes(blob)
        before = _state(home)
        for command in (["analyze", cut, "-e", "push_up"], ["count", cut], ["pose", cut]):
            _fails_cleanly(run(*command))
        assert _state(home) == before
    assert "truncated" in run("count", tmp_path / "half.mp4").output


EXERCISE_FILES = {
    "wrong_types": "name: 7\ndrive: left_knee\nphases: yes\nparts: {}\n",
    "missing_keys": "name: wall sit\n",
    "cyclic_anchors": "name: loop\ndrive: &d [*d]\nphases: [0, 1]\nparts: []\n",
}


@pytest.mark.parametrize("name", EXERCISE_FILES)
def test_a_bad_exercise_file(run, home, name):
    folder = private_dir(home / "exercises")  # as formcoach makes it (else it says it tightened)
    write_private(folder / f"{name}.yaml", EXERCISE_FILES[name])
    before = _state(home)
    for command in (["exercise", "list"], ["exercise", "show", "squat"]):
        _fails_cleanly(run(*command), f"{name}.yaml")
    assert _state(home) == before


def test_a_labels_csv_with_missing_columns(run, home, tmp_path):
    folder = tmp_path / "labelled"
    folder.mkdir()
    (folder / "labels.csv").write_text("file,verdict\na.npy,correct\n")
    _fails_cleanly(run("eval", "form", folder), "lacks the column(s) exercise, label")


@pytest.mark.parametrize(
    "content",
    [b"", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"not audio at all"],
    ids=["empty", "cut_header", "not_a_wav"],
)
def test_a_wav_answer_in_the_wrong_format_or_empty(run, home, tmp_path, content):
    wav = tmp_path / "answer.wav"
    wav.write_bytes(content)
    before = _state(home)
    _fails_cleanly(run("listen", wav), "WAV")
    video = curls(2).save(tmp_path / "curls.npz")  # poses stand in for a recording
    args = ["session", "--profile", "ana", "--answers", wav, "--voice", "text", "--video", video]
    _fails_cleanly(run(*args, "--microphone", "off", "--no-window"), "WAV")
    assert _state(home) == before


@pytest.mark.slow
def test_a_jpeg_that_is_not_a_face(run, home, tmp_path):
    pytest.importorskip("dlib")
    import cv2

    rng = np.random.default_rng(1)
    photo = tmp_path / "landscape.jpg"
    sky = np.zeros((240, 320, 3), np.uint8)
    sky[:120] = (230, 180, 120)
    sky[120:] = rng.integers(40, 90, (120, 320, 3))
    cv2.imwrite(str(photo), sky)
    before = _state(home)
    _fails_cleanly(run("profile", "add", "bob", "--photo", photo), "no face found")
    _fails_cleanly(run("profile", "identify", photo))
    assert _state(home) == before
    with Store() as s:
        assert [p.name for p in s.profiles()] == ["ana"]
