import numpy as np
import pytest
from click.testing import CliRunner

from formcoach import FormcoachError
from formcoach.cli import main
from formcoach.form.calibration import (
    CalibrationSettings,
    calibrate,
    global_factor,
    shrunk_tolerance,
)
from formcoach.form.exercises import get_exercise, list_exercises, load_exercise, user_exercise_dir
from formcoach.form.judge import FormJudge
from formcoach.form.teach import teach_exercise
from formcoach.testing.reps import curl, curls, standing


def test_one_example_gives_the_prior_and_many_give_their_spread():
    s = CalibrationSettings(prior_weight=1.0)
    assert shrunk_tolerance([], 10.0, s) == 10.0
    many = [2.0] * 99
    assert shrunk_tolerance(many, 10.0, s) == pytest.approx(np.sqrt((99 * 4 + 100) / 100))
    assert global_factor([1.0, 2.0], s) == 1.0  # too few examples to scale
    assert global_factor(list(np.linspace(0.1, 2.0, 20)), s) == pytest.approx(
        np.quantile(np.linspace(0.1, 2.0, 20), 0.9)
    )


def test_calibrate_lets_most_examples_pass_against_the_others():
    rng = np.random.default_rng(0)
    base = np.sin(np.linspace(0, np.pi, 40)) * 100
    examples = [{"arm.elbow@left": base + rng.normal(0, 3, 40)} for _ in range(12)]
    tol = calibrate(examples, {"arm.elbow": "{side}_elbow"}, window=11)
    from formcoach.form.calibration import nearest_distances

    nn = nearest_distances(examples, 11)["arm.elbow"]
    passing = np.mean([d / tol["arm.elbow"] <= 1 for d in nn.values()])
    assert 0.8 <= passing <= 0.95  # 90% of 12, rounded down


def test_teaching_a_curl_learns_the_reference_and_judges_new_reps():
    ex, used = teach_exercise("my curl", curls(3, seed=1))
    assert len(used) == 3 and ex.taught and ex.source == "user"
    assert len(ex.recorded) == 3
    assert {p.name for p in ex.parts} >= {"arm", "trunk"}
    assert any("elbow" in d for d in ex.drive)  # what moves most drives the count
    judge = FormJudge(ex)
    assert judge.references == 3
    assert judge.judge(curl(seed=7)).passed
    bad = judge.judge(curl(top=110, seed=8))
    assert not bad.passed and "arm" in bad.worst[0]
    assert not any(ch.isdigit() for ch in bad.cue)


def test_teaching_from_a_builtin_keeps_its_parts_and_cues():
    ex, _ = teach_exercise("my strict curl", curls(2, seed=3), base=get_exercise("bicep curl"))
    assert [p.name for p in ex.parts] == ["arm", "trunk"]
    v = FormJudge(ex).judge(curl(swing=35, seed=9))
    assert not v.passed
    assert v.cue == "Keep your elbows pinned to your sides: don't let them drift forward."


def test_a_demonstration_without_reps_is_refused():
    with pytest.raises(FormcoachError, match="no clear repetition"):
        teach_exercise("nothing", standing())


def test_cli_teach_stores_a_user_exercise_usable_everywhere(tmp_path):
    demo = tmp_path / "demo.npz"
    curls(3, seed=4).save(demo)
    runner = CliRunner()
    r = runner.invoke(main, ["exercise", "teach", "Cable Curl", str(demo), "--from", "curl"])
    assert r.exit_code == 0, r.output
    path = user_exercise_dir() / "cable_curl.yaml"
    assert path.exists()
    ex = load_exercise(path, "user")
    assert ex.name == "cable curl" and len(ex.recorded) == 3
    assert "cable curl" in {e.name for e in list_exercises()}
    r = runner.invoke(main, ["exercise", "list", "--json"])
    assert '"cable curl"' in r.output
    # taught twice under one name: refused unless --force
    r = runner.invoke(main, ["exercise", "teach", "cable curl", str(demo)])
    assert r.exit_code != 0 and "--force" in r.output
    # usable by analyze like a built-in
    r = runner.invoke(main, ["analyze", str(demo), "--exercise", "cable curl", "--json"])
    assert r.exit_code == 0, r.output
    assert '"reps": 3' in r.output


def test_cli_teach_without_reps_fails_cleanly(tmp_path):
    still = tmp_path / "still.npz"
    standing().save(still)
    r = CliRunner().invoke(main, ["exercise", "teach", "nothing", str(still)])
    assert r.exit_code != 0
    assert "no clear repetition" in r.output and "Traceback" not in r.output


def test_teaching_a_hold_keeps_it_a_hold_judged_in_stretches():
    from formcoach.analysis import analyze_sequence
    from formcoach.testing.figure import stick_figure

    demo = stick_figure({"trunk_lean": 88, "left_hip": -88, "right_hip": -88}, n_frames=200)
    ex, used = teach_exercise("my plank", demo, base=get_exercise("plank"))
    assert ex.static and len(used) == 1 and ex.tempo_s == get_exercise("plank").tempo_s
    sag = stick_figure({"trunk_lean": 70, "left_hip": -100, "right_hip": -100}, n_frames=200)
    a = analyze_sequence(sag, ex)
    assert a.held_s > 6 and len(a.results) == 2
    assert not any(r.verdict.passed for r in a.results)


@pytest.mark.parametrize("name", ["squat", "Curls", "push_up"])
def test_teaching_under_a_builtin_name_or_alias_needs_force(tmp_path, name):
    """Teaching 'squat' silently replaced the built-in squat in every plan and session (and
    hid it from the list); it is refused unless --force, which then says what it replaced."""
    demo = tmp_path / "demo.npz"
    curls(3, seed=4).save(demo)
    builtin = get_exercise(name)
    runner = CliRunner()
    r = runner.invoke(main, ["exercise", "teach", name, str(demo)])
    assert r.exit_code != 0 and "built-in" in r.output and "--force" in r.output, r.output
    assert get_exercise(name).source == "builtin"
    assert not any(user_exercise_dir().glob("*.yaml"))
    r = runner.invoke(main, ["exercise", "teach", name, str(demo), "--force"])
    assert r.exit_code == 0, r.output
    assert f"instead of the built-in {builtin.name!r}" in r.output
    assert get_exercise(name).source == "user"


def test_teaching_from_a_photo_says_it_is_a_single_frame(tmp_path):
    """A photo was told "no clear repetition ... record reps with a pause between them"."""
    import cv2

    from formcoach.testing.figure import stick_figure

    photo = tmp_path / "me.png"
    cv2.imwrite(str(photo), np.full((64, 64, 3), 255, np.uint8))
    still = stick_figure({}, n_frames=1).save(tmp_path / "still.npz")
    for source in (photo, still):
        r = CliRunner().invoke(main, ["exercise", "teach", "wave", str(source)])
        assert r.exit_code == 1 and "single frame (a photo?)" in r.output, r.output
        assert not any(user_exercise_dir().glob("*.yaml"))


def _passed(seq, ex) -> list[bool]:
    from formcoach.analysis import analyze_sequence

    return [r.verdict.passed for r in analyze_sequence(seq, ex).results if r.verdict]


def test_a_taught_exercise_passes_its_own_demonstration_and_another_take():
    """Taught from three curls, still parts got a tolerance of about 2 degrees (the spread of
    three reps shrunk towards a 4-degree prior): another take of the same person failed for
    a trunk leaning 4 degrees; real recordings failed the very reps taught from (references
    measured otherwise than a judged rep). The title was the typed name."""
    demo = curls(3, seed=11)
    ex, _ = teach_exercise("my_curl", demo)
    assert ex.title == "My curl"
    assert all(_passed(demo, ex)) and len(_passed(demo, ex)) == 3
    # another take, leaning 4 degrees at the top as people do: failed every rep before
    assert _passed(curls(4, seed=40, lean=4), ex) == [True] * 4
    tol = {f"{p.name}.{f.key}": f.tol for p in ex.parts for f in p.features}
    assert min(tol[k] for k in tol if k != "arm.hand height") >= 12.0  # never below generic
    # faults are still told: swinging the weight up, a half curl
    assert not any(_passed(curls(4, seed=40, lean=20), ex))
    assert not any(_passed(curls(2, seed=50, top=110), ex))


def test_a_taught_pushup_passes_the_same_persons_other_takes(shared_data):
    """mp17 is one person's push-ups: taught from the first three correct takes of the tuning
    part, its other correct takes passed 2 of 12 (legs and head judged at about 2.5 degrees,
    their noise); faulty takes are still caught."""
    from formcoach.eval.form_data import read_labels
    from formcoach.form.teach import teach_from_takes

    files = {
        f.file.rsplit("/", 1)[-1]: f
        for f in read_labels(shared_data / "form/mp17", (1280, 720))
        if f.exercise == "pushup"
    }
    taught = [f"pushup_correct_00{i}.npy" for i in (1, 4, 5)]
    demo = [files[name].seq for name in taught]
    ex, used = teach_from_takes("my push-up", demo)
    assert len(used) == 3 and ex.title == "My push-up"
    assert all(all(_passed(s, ex)) for s in demo)
    tune = [f for name, f in files.items() if f.part == "tune" and name not in taught]
    others = [f.seq for f in tune if f.correct]
    faulty = [f.seq for f in tune if not f.correct]
    assert len(others) == 12 and len(faulty) == 16
    assert sum(all(_passed(s, ex)) for s in others) >= 9  # 10 here, 2 before
    assert sum(not all(_passed(s, ex)) for s in faulty) >= 13  # 15 here, 16 before


@pytest.mark.realdata
def test_a_squat_taught_from_one_real_rep_passes_that_rep(shared_data):
    """One real squat (its arms swing more than its knees bend): the taught exercise counted
    on the arms, cut the rep in half and scored the very rep it was taught from 0, 22 degrees
    off at the elbow though it was its own reference (measured without the cleaning and the
    stream around the rep a judged rep gets)."""
    from formcoach.pose.cache import cached_poses

    seq = cached_poses(shared_data / "videos/kaiakol_form__squat__correct__squat_correct_001.avi")
    ex, used = teach_exercise("one squat", seq)
    assert len(used) == 1
    assert not any("forearm" in d for d in ex.drive)  # counted as it was taught
    assert _passed(seq, ex) == [True]
