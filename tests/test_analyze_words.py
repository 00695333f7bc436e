"""What ``formcoach analyze`` (table, notes, report) and the help texts tell a user, read as a
user reads them: sentences that start with a capital, no empty table, no "mean score -", a
note on one rep that says so, no developer paths in the help."""

import dataclasses

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.analysis import UNKNOWN_FRAME, analyze_sequence
from formcoach.cli import main
from formcoach.core.words import sentence
from formcoach.form.exercises import get_exercise
from formcoach.render.analysis_report import render_report
from formcoach.testing.reps import concat, curl


@pytest.fixture
def curls():
    """Three side-view curls (two good, one swinging)."""
    return concat([curl(seed=1), curl(swing=35, seed=2), curl(seed=3)])


@pytest.fixture
def curls_file(curls, tmp_path):
    folder = tmp_path / "a" / "long" / "folder"
    folder.mkdir(parents=True)
    path = folder / "curls.npz"
    curls.save(path)
    return path


def test_sentence():
    assert sentence("none of the parts could be seen: turn sideways") == (
        "None of the parts could be seen: turn sideways."
    )
    assert sentence("Already one.") == "Already one."
    assert sentence("Why?") == "Why?"
    assert sentence("") == ""


def test_a_rep_not_judged_says_why_in_a_sentence(curls):
    """Curls filmed from the side, analysed as jumping jacks: the judge sees none of the parts
    it judges, and the cell says so in a sentence (it read "none of the body parts ...")."""
    a = analyze_sequence(curls, get_exercise("jumping jack"), "curls.npz")
    errors = [r.error for r in a.results if r.verdict is None]
    assert errors, "expected reps that cannot be judged as jumping jacks from the side"
    for e in errors:
        assert e[0].isupper() and e.endswith("."), e


def test_table_names_the_file_and_reads_without_dashes(curls_file):
    r = CliRunner().invoke(main, ["analyze", str(curls_file), "-e", "curl"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert "Bicep curl: curls.npz" in r.output  # not the folder, wrapped over two lines
    assert "long/folder" not in r.output
    assert "–" in r.output and "-  " not in r.output  # "2.7–4.3 s", not "  2.7-  4.3 s"
    assert "mean score" in r.output and "of 100" in r.output  # a score says what it is out of


def test_nothing_judged_or_counted_reads_as_a_sentence(curls_file):
    runner = CliRunner()
    r = runner.invoke(main, ["analyze", str(curls_file), "-e", "jumping jack"])
    assert r.exit_code == 0, r.output
    assert "none judged" in r.output and "mean score -" not in r.output
    assert "None of the body parts" in r.output
    r = runner.invoke(main, ["analyze", str(curls_file), "-e", "squat"])
    assert r.exit_code == 0, r.output
    assert "┏" not in r.output  # no empty table
    assert "0 reps of squat found in curls.npz" in r.output and "(-e)" in r.output


def _hidden_on(a, number: int, text: str):
    """The analysis with ``text`` noted as unseen on rep ``number`` only."""
    results = [
        dataclasses.replace(r, verdict=dataclasses.replace(r.verdict, hidden={"trunk": text}))
        if r.rep.number == number
        else r
        for r in a.results
    ]
    return dataclasses.replace(a, results=results)


def test_a_note_on_one_rep_says_which(curls):
    a = analyze_sequence(curls, get_exercise("curl"), "curls.npz")
    assert len(a.judged) == 3
    note = "Turn sideways so I can see your arms."
    assert _hidden_on(a, 2, note).notes() == ["Turn sideways so I can see your arms (rep 2 of 3)."]
    every = dataclasses.replace(
        a,
        results=[
            dataclasses.replace(r, verdict=dataclasses.replace(r.verdict, hidden={"arm": note}))
            for r in a.results
        ],
    )
    assert every.notes() == [note]  # on every rep: no list
    html = render_report(_hidden_on(a, 2, note))
    assert "Turn sideways so I can see your arms (rep 2 of 3)." in html


def test_asks_to_turn_on_the_same_reps_are_said_once(curls):
    """A push-up filmed head-on listed three notes, each "Turn sideways so I can see ..."
    (pushfit correct59.npy): one ask names all three; asks on other reps stay apart."""
    a = analyze_sequence(curls, get_exercise("curl"), "curls.npz")
    hidden = {
        "trunk": "Turn sideways so I can see your back.",
        "arm": "Turn sideways so I can see your arms.",
        "leg": "Face the camera so I can see your knees.",
    }
    every = dataclasses.replace(
        a,
        results=[
            dataclasses.replace(r, verdict=dataclasses.replace(r.verdict, hidden=hidden))
            for r in a.results
        ],
    )
    assert every.notes() == [
        "Face the camera so I can see your knees.",
        "Turn sideways so I can see your arms and your back.",
    ]
    one = _hidden_on(every, 2, "Turn sideways so I can see your legs.")  # rep 2: legs only
    assert "Turn sideways so I can see your legs (rep 2 of 3)." in one.notes()
    assert "Turn sideways so I can see your arms and your back (reps 1 and 3 of 3)." in one.notes()


def test_report_says_none_judged_and_keeps_times_on_one_line(curls):
    html = render_report(analyze_sequence(curls, get_exercise("jumping jack"), "x.npz"))
    assert "none judged" in html and "0 of 0" not in html
    assert 'class="time"' in html
    assert "None of the body parts" in html


def test_report_with_nothing_counted_says_what_to_check_not_an_empty_table(curls):
    """Curls analysed as squats: the terminal said what to check, the report showed an empty
    "Rep by rep" table and nothing else (pushfit wrong86.npy at its 25 fps)."""
    html = render_report(analyze_sequence(curls, get_exercise("squat"), "x.npz"))
    assert "No squats found: check that the recording shows squats" in html
    assert "<table" not in html and "Rep by rep" not in html
    assert "none judged" not in html  # nothing was there to judge


@pytest.fixture
def curls_npy(curls, tmp_path):
    """The curls as a MediaPipe 17-landmark .npy (x, y, visibility): no frame rate stored."""
    from formcoach.core.skeleton import MP_17

    idx = [curls.skeleton.joints.index(n) for n in MP_17.joints]
    path = tmp_path / "curls.npy"
    np.save(path, np.concatenate([curls.xy[:, idx], curls.visibility[:, idx, None]], axis=2))
    return path


@pytest.mark.parametrize("command", ["analyze", "count"])
def test_a_keypoint_file_timed_at_a_guessed_rate_says_so(command, curls_npy, curls_file):
    """A .npy stores no frame rate: it is read at 30 fps, and every time and tempo scales with
    that guess (57 of the 101 pushfit clips, filmed at 25 fps, count or score differently
    without --fps 25). The user must be told, and told how to give the true rate."""
    args = [command, str(curls_npy)] + (["-e", "curl"] if command == "analyze" else [])
    runner = CliRunner()
    r = runner.invoke(main, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "store no frame rate, so I timed them at 30 frames a second" in r.output
    assert "--fps" in r.output
    told = runner.invoke(main, [*args, "--fps", "30"], env={"COLUMNS": "200"})
    assert told.exit_code == 0 and "frame rate" not in told.output
    npz = runner.invoke(main, [command, str(curls_file), *args[2:]], env={"COLUMNS": "200"})
    assert npz.exit_code == 0 and "frame rate" not in npz.output  # a .npz stores its own


@pytest.mark.parametrize("command", ["analyze", "count", "pose"])
def test_help_names_the_keypoint_layouts_not_a_developer_folder(command):
    r = CliRunner().invoke(main, [command, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "../shared/data" not in r.output
    assert "COCO-18" in r.output and "RepCount" in r.output
    if command == "count":
        assert "drive signal" not in r.output  # jargon: the counter's internal signal


def test_help_summaries_name_what_the_options_call_things():
    runner = CliRunner()
    r = runner.invoke(main, ["batch", "--help"], env={"COLUMNS": "200"})
    assert "OUTDIR" not in r.output  # the option is --out; no OUTDIR is named anywhere
    r = runner.invoke(main, ["eval", "--help"], env={"COLUMNS": "80"})
    form_line = next(ln for ln in r.output.splitlines() if ln.strip().startswith("form "))
    assert "(e.g." not in form_line  # click cut the summary at "e.g." mid-parenthesis


@pytest.mark.realdata
def test_no_view_note_on_a_part_judged_on_the_other_side(shared_data):
    """RepCount stu10_5: bench presses filmed from the front. The hand height is judged only
    in profile, so on reps where one arm was judged and the other was not, the other's view
    note read "Turn sideways so I can see your arms." next to a verdict on the left arm (8 of
    17 reps); the same holds on chauhan08's barbell curls (rep 8 of 9), spoken in the demo."""
    from formcoach.analysis import load_poses

    path = shared_data / "counting" / "repcount" / "poses" / "stu10_5.npy"
    a = analyze_sequence(load_poses(str(path)), get_exercise("bench press"), str(path))
    assert len(a.judged) >= 10
    for r in a.judged:
        arms = [p for p in r.verdict.distances if p.endswith("_arm")]
        notes = " ".join(r.verdict.hidden.values())
        assert not (arms and "your arms" in notes), (r.rep.number, arms, notes)
    assert "Turn sideways so I can see your back." in a.notes()  # a part truly unseen still is


def test_fractions_of_an_unknown_frame_are_said_once(curls, tmp_path):
    """Keypoints in fractions of a frame whose size nobody gave read angles as if the frame
    were square: the analysis says so once (table and report), and not once the size is given."""
    w, h = curls.frame_size
    fractions = curls.replace(xy=curls.xy / np.array([w, h], dtype=np.float32), frame_size=None)
    a = analyze_sequence(fractions, get_exercise("curl"), "curls.npz")
    assert a.judged and a.notes().count(UNKNOWN_FRAME) == 1
    assert UNKNOWN_FRAME in render_report(a)
    sized = analyze_sequence(curls, get_exercise("curl"), "curls.npz")
    assert UNKNOWN_FRAME not in sized.notes()
    path = tmp_path / "fractions.npz"
    fractions.save(path)
    runner = CliRunner()
    r = runner.invoke(main, ["analyze", str(path), "-e", "curl"])
    assert r.exit_code == 0 and "--frame-size" in r.output, r.output
    r = runner.invoke(main, ["analyze", str(path), "-e", "curl", "--frame-size", f"{w}x{h}"])
    assert r.exit_code == 0 and "--frame-size" not in r.output, r.output


def test_repcount_rows_are_not_told_to_give_a_frame_size(curls, tmp_path):
    """RepCount rows are min-max normalised per frame: the note asked for --frame-size, and
    with one given (stu6_13.npy --frame-size 1280x720) it stayed, scores unchanged: a dead end.
    The note now says what is true of them."""
    from formcoach.core.skeleton import BLAZEPOSE_33

    idx = BLAZEPOSE_33.common_indices()
    xy = np.repeat(curls.xy[:, :1], 33, axis=1)  # unmapped landmarks on the nose
    xy[:, idx] = curls.xy
    lo, hi = xy.min(axis=1, keepdims=True), xy.max(axis=1, keepdims=True)
    xy = (xy - lo) / (hi - lo)
    rows = np.full((len(curls), 104), 0.5, np.float32)
    rows[:, :99] = np.concatenate([xy, np.full((len(curls), 33, 1), 0.5)], axis=2).reshape(-1, 99)
    path = tmp_path / "rows.npy"
    np.save(path, rows)
    for extra in ([], ["--frame-size", "1280x720"]):
        r = CliRunner().invoke(
            main,
            ["analyze", str(path), "-e", "curl", "--fps", "30", *extra],
            env={"COLUMNS": "200"},
        )
        assert r.exit_code == 0, r.output
        assert "stretched to fill each frame" in r.output, r.output
        assert "--frame-size" not in r.output, r.output


def test_options_a_video_does_not_use_are_named_not_dropped(tmp_path, curls_npy):
    """--frame-size (and --fps) given for a video were silently ignored: a video measures poses
    in its own pixels and states its own rate. Say each once; keypoint files keep silent."""
    from formcoach.analysis import ignored_options

    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00" * 64)
    notes = ignored_options(str(video), 25.0, (640, 480))
    assert len(notes) == 2
    assert notes[0].startswith("--frame-size only applies to keypoint files stored as fractions")
    assert "clip.mp4 is a video" in notes[0] and notes[0].endswith("so it was ignored.")
    assert notes[1].startswith("--fps only applies to keypoint files")
    assert ignored_options(str(video), None, None) == []
    assert ignored_options(str(curls_npy), 25.0, (640, 480)) == []
    assert len(ignored_options("0", None, (640, 480))) == 1  # a camera has its own pixels too


@pytest.mark.parametrize("command", ["analyze", "count"])
def test_a_frame_size_given_for_a_real_video_is_said_to_be_ignored(command, shared_data):
    clip = shared_data / "videos" / "posetrainer__sample_bicep_curl.mp4"
    args = [command, str(clip), "--frame-size", "640x480"]
    args += ["-e", "curl"] if command == "analyze" else []
    r = CliRunner().invoke(main, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    said = [line for line in r.output.splitlines() if "--frame-size only applies" in line]
    assert len(said) == 1 and "was ignored" in said[0]  # once, not an error
