import re

import pytest

from formcoach import FormcoachError
from formcoach.core.features import feature
from formcoach.core.rep import ExerciseHint
from formcoach.form.exercises import (
    ExerciseFileError,
    dump_exercise,
    get_exercise,
    list_exercises,
    load_exercise,
    match_exercise,
    save_user_exercise,
    user_exercise_dir,
)

REQUIRED = [
    "squat",
    "push-up",
    "pull-up",
    "bicep curl",
    "shoulder press",
    "front raise",
    "lateral raise",
    "lunge",
    "jumping jack",
    "sit-up",
    "shoulder shrug",
    "bench press",
    "plank",
]


def test_library_has_the_required_exercises():
    names = {e.name for e in list_exercises()}
    assert set(REQUIRED) <= names


@pytest.mark.parametrize("name", REQUIRED)
def test_each_builtin_is_a_valid_counting_hint_with_a_reference(name):
    ex = get_exercise(name)
    assert isinstance(ex, ExerciseHint)
    assert isinstance(ex.drive, tuple) and all(isinstance(d, str) for d in ex.drive)
    for d in ex.drive:
        feature(d)  # every drive feature is one the counter can compute
    assert ex.static == (name == "plank")
    views = ex.reference_views()
    assert views
    for view in views:
        curves = ex.keyframe_curves(view, 40)
        assert curves and all(c.shape == (40,) for c in curves.values())
    for f in ex.feature_defs().values():
        assert f.tol > 0
        for cue in f.cues:
            assert not re.search(r"\d", cue.say), cue.say  # spoken: never a number
            assert cue.say.strip().endswith((".", "!"))


@pytest.mark.parametrize("name", REQUIRED)
def test_each_builtin_tells_the_counter_its_range_of_motion(name):
    """Drive levels come from the reference: a rep moves its drive features away from rest."""
    ex = get_exercise(name)
    levels = ex.drive_levels()
    assert levels and set(levels) <= set(ex.drive)
    for rest, turn, tol in levels.values():
        assert tol > 0
        assert (rest == turn) == ex.static


def test_drive_levels_are_read_from_the_matching_feature_and_view():
    curl = get_exercise("bicep curl")
    tol = curl.feature_defs()["arm.elbow"].tol
    assert curl.drive_levels()["left_elbow"] == (168.0, 45.0, tol)  # its side-view keys
    assert curl.drive_levels()["right_elbow"] == (168.0, 45.0, tol)
    press = get_exercise("shoulder press")
    assert press.drive_levels()["left_elbow"][:2] == (40.0, 168.0)  # rest is the bottom
    raise_ = get_exercise("front raise")
    assert "left_shoulder" not in raise_.drive_levels()  # no reference: left out
    plank = get_exercise("plank").drive_levels()
    assert plank["tilt(left_ankle, left_shoulder)"] == (72.0, 72.0, 8.0)


def test_a_taught_exercise_reads_its_levels_from_its_recorded_reps():
    from dataclasses import replace

    from formcoach.form.exercises import Recorded

    curl = get_exercise("bicep curl")
    elbow = (170.0, 120.0, 50.0, 120.0, 166.0)
    taught = replace(curl, recorded=(Recorded("side", {"arm.elbow@left": elbow}),))
    tol = curl.feature_defs()["arm.elbow"].tol
    assert taught.drive_levels() == {"left_elbow": (168.0, 50.0, tol)}


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("Push-Ups", "push-up"),
        ("pushup", "push-up"),
        ("push_up", "push-up"),
        ("Bicep Curls", "bicep curl"),
        ("shoulderpress", "shoulder press"),
        ("jump_jack", "jumping jack"),
        ("bench_pressing", "bench press"),
        ("situp", "sit-up"),
        ("front raises", "front raise"),
        # case, spaces, underscores and hyphens do not matter (the dataset spellings too)
        ("frontraise", "front raise"),
        ("Front-Raise", "front raise"),
        ("front_raise", "front raise"),
        ("FRONT RAISE", "front raise"),
        ("shouldershrug", "shoulder shrug"),
        ("Shoulder_Shrugs", "shoulder shrug"),
        ("lateralraise", "lateral raise"),
        ("bicep_curl", "bicep curl"),
        ("pull_ups", "pull-up"),
    ],
)
def test_aliases_resolve(alias, name):
    assert get_exercise(alias).name == name


def test_unknown_exercise_lists_the_valid_ones():
    with pytest.raises(FormcoachError) as e:
        get_exercise("underwater basket weaving")
    assert "squat" in e.value.hint and "plank" in e.value.hint


@pytest.mark.parametrize(
    ("typo", "closest"),
    [("frnt raise", "front raise"), ("shoulder shrg", "shoulder shrug"), ("squatt", "squat")],
)
def test_an_unknown_name_names_the_closest_ones_first(typo, closest):
    with pytest.raises(FormcoachError) as e:
        get_exercise(typo)
    assert e.value.hint.startswith("did you mean")
    assert repr(closest) in e.value.hint.split("?")[0]


def test_free_text_names_an_exercise():
    assert match_exercise("standing barbell curl, front view").name == "bicep curl"
    assert match_exercise("pull-ups on a bar (woman)").name == "pull-up"
    assert match_exercise("back extensions on a hyperextension bench") is None


def test_dump_and_load_give_the_same_exercise(tmp_path):
    for ex in list_exercises():
        path = tmp_path / "x.yaml"
        path.write_text(dump_exercise(ex))
        again = load_exercise(path)
        assert again.parts == ex.parts
        assert again.drive == ex.drive and again.phases == ex.phases


GOOD = """\
name: wall sit
kind: hold
phases: [0]
drive: [left_knee]
parts:
  - part: leg
    features:
      - key: knee
        feature: "{side}_knee"
        tol: 10
        keys: [90]
"""


def _write(tmp_path, text):
    p = tmp_path / "ex.yaml"
    p.write_text(text)
    return p


def test_a_valid_file_loads(tmp_path):
    ex = load_exercise(_write(tmp_path, GOOD))
    assert ex.name == "wall sit" and ex.static
    assert ex.parts[0].body_part("right") == "right_leg"


def test_a_feature_judged_on_the_mean_of_both_sides_loads_and_is_written_back(tmp_path):
    ex = load_exercise(_write(tmp_path, GOOD.replace("tol: 10", "sides: mean\n        tol: 10")))
    assert ex.parts[0].features[0].sides == "mean"
    assert "sides: mean" in dump_exercise(ex)


def test_a_posture_loads_is_written_back_and_every_builtin_but_the_sit_up_says_one(tmp_path):
    ex = load_exercise(_write(tmp_path, GOOD.replace("kind: hold", "kind: hold\nposture: lying")))
    assert (ex.posture, ex.arms_up) == ("lying", True)
    assert "posture: lying" in dump_exercise(ex) and "arms_up" not in dump_exercise(ex)
    assert load_exercise(_write(tmp_path, GOOD)).posture == ""  # not said: not checked
    said = {name: get_exercise(name).posture for name in REQUIRED}
    assert said.pop("sit-up") == "" and all(said.values()), said
    assert not get_exercise("squat").arms_up and get_exercise("pull-up").arms_up


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("tol: 10", "tol: ten"), 10, "'tol' must be a float"),
        (GOOD.replace("tol: 10", "tol: -1"), 10, "positive"),
        (GOOD.replace("kind: hold", "knd: hold"), 2, "unknown key 'knd'"),
        (GOOD.replace("part: leg", "part: tail"), 6, "unknown body part 'tail'"),
        (GOOD.replace('"{side}_knee"', '"{side}_kne"'), 9, "cannot read feature"),
        (GOOD.replace('"{side}_knee"', '"angle({side}_hip, {side}_kne, x)"'), 9, "unknown joint"),
        (GOOD.replace("keys: [90]", "keys: [90, 80]"), 11, "2 keys"),
        (GOOD.replace("tol: 10", "sides: both\n        tol: 10"), 10, "one of each, either, mean"),
        (GOOD.replace("  - part: leg\n", "  - part: leg\n   bad indent\n"), 7, "not valid YAML"),
        (GOOD.replace("  - part: leg\n", "  - part: leg\n    needs: some\n"), 7, "'needs' must be"),
        (GOOD.replace("kind: hold", "kind: hold\nposture: sitting"), 3, "'posture' must be"),
    ],
)
def test_malformed_files_name_file_line_and_problem(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(ExerciseFileError) as e:
        load_exercise(path)
    msg = str(e.value)
    assert str(path) in msg
    assert f"line {line}" in msg, msg
    assert words in msg, msg


def test_a_cue_with_a_number_is_refused(tmp_path):
    text = GOOD + "        cues:\n          - {when: all, too: low, say: Bend to 90 degrees.}\n"
    with pytest.raises(ExerciseFileError, match="no numbers"):
        load_exercise(_write(tmp_path, text))


def test_user_exercises_are_found_listed_and_replace_builtins(tmp_path):
    ex = load_exercise(_write(tmp_path, GOOD), "user")
    path = save_user_exercise(ex)
    assert path.parent == user_exercise_dir() and path.exists()
    assert get_exercise("Wall Sit").source == "user"
    assert "wall sit" in {e.name for e in list_exercises()}
    # a personal baseline with a built-in's name takes its place
    mine = load_exercise(_write(tmp_path, GOOD.replace("wall sit", "squat")), "user")
    save_user_exercise(mine)
    assert get_exercise("squat").source == "user"
    assert get_exercise("squats").source == "user" or get_exercise("squats").name == "squat"


def test_a_broken_user_file_is_reported_with_its_line(tmp_path):
    user_exercise_dir().mkdir(parents=True)
    (user_exercise_dir() / "bad.yaml").write_text("name: bad\nparts: [\n")
    with pytest.raises(ExerciseFileError, match=r"bad\.yaml"):
        get_exercise("squat")
