import numpy as np
import pytest

from formcoach import FormcoachError
from formcoach.core.body import body_unit
from formcoach.core.features import FEATURE_PART, FEATURES, compute_features, estimate_view, feature
from formcoach.core.skeleton import BODY_PARTS, COMMON_JOINTS
from formcoach.testing.figure import keyframes, stick_figure

T = np.arange(90) / 30.0
CURL = keyframes([0, 1.5, 3], [170, 30, 170], T)


@pytest.mark.parametrize("view", ["side", "front"])
def test_elbow_angle_is_recovered(view):
    seq = stick_figure({"left_elbow": CURL, "right_elbow": CURL}, view=view)
    f = compute_features(seq, ["left_elbow", "right_elbow"])
    np.testing.assert_allclose(f["left_elbow"], CURL, atol=0.01)
    np.testing.assert_allclose(f["right_elbow"], CURL, atol=0.01)


def test_side_view_angles_are_recovered():
    seq = stick_figure(
        {"trunk_lean": 20, "left_hip": 30, "left_knee": 120, "left_shoulder": 40}, n_frames=3
    )
    f = compute_features(seq)
    assert f["trunk_tilt"][0] == pytest.approx(20, abs=0.01)
    assert f["left_knee"][0] == pytest.approx(120, abs=0.01)
    assert f["left_hip"][0] == pytest.approx(180 - 20 - 30, abs=0.01)
    assert f["left_shoulder"][0] == pytest.approx(40, abs=0.01)
    assert f["left_thigh_tilt"][0] == pytest.approx(150, abs=0.01)


@pytest.mark.parametrize("name", sorted(FEATURES))
def test_features_do_not_depend_on_body_size_or_position(name):
    angles = {"left_elbow": CURL, "trunk_lean": 10, "left_knee": 150, "left_shoulder": 30}
    small = stick_figure(angles, height_px=150, origin=(100, 100))
    big = stick_figure(angles, height_px=900, origin=(600, 500))
    a, b = compute_features(small, [name])[name], compute_features(big, [name])[name]
    np.testing.assert_allclose(a, b, atol=1e-3, equal_nan=True)


def test_missing_joint_gives_nan():
    seq = stick_figure({"left_elbow": 90.0}, n_frames=2)
    vis = seq.visibility.copy()
    vis[0, seq.skeleton.index("left_wrist")] = 0
    f = compute_features(seq.replace(visibility=vis), ["left_elbow"])["left_elbow"]
    assert np.isnan(f[0]) and f[1] == pytest.approx(90, abs=0.01)


def test_feature_parsing_and_errors():
    assert str(feature("angle(left_hip, left_knee, left_ankle)")) == str(FEATURES["left_knee"])
    assert feature("left_knee") is FEATURES["left_knee"]
    with pytest.raises(FormcoachError, match="unknown joint 'left_tail'"):
        feature("tilt(left_hip, left_tail)")
    with pytest.raises(FormcoachError, match="takes 3 joints"):
        feature("angle(left_hip, left_knee)")
    with pytest.raises(FormcoachError, match="unknown feature kind"):
        feature("twist(left_hip, left_knee)")
    with pytest.raises(FormcoachError, match="cannot read feature"):
        feature("left knee please")


def _line(shoulder, hip, ankle) -> np.ndarray:
    """(J, 2) COMMON coordinates with only a left shoulder, hip and ankle (y down)."""
    xy = np.full((len(COMMON_JOINTS), 2), np.nan)
    for name, p in (("shoulder", shoulder), ("hip", hip), ("ankle", ankle)):
        xy[COMMON_JOINTS.index(f"left_{name}")] = p
    return xy


def test_bend_is_the_hips_out_of_the_shoulder_ankle_line_whatever_the_slope_or_facing():
    """A plank's sag or pike: + above the line, - below; the body's slope, its size and which
    way it faces do not change it (the shoulders' height over the hips does)."""
    bend = feature("bend(left_shoulder, left_hip, left_ankle)")
    for facing in (1.0, -1.0):  # head to the right or to the left
        for slope in (0.0, 12.0, 25.0):  # lying flat, on the forearms, on the hands
            for size in (1.0, 3.7):
                u = np.array([np.cos(np.radians(slope)) * facing, -np.sin(np.radians(slope))])
                up = np.array([u[1], -u[0]]) if u[0] > 0 else np.array([-u[1], u[0]])  # y < 0
                ankle = np.array([500.0, 400.0])
                shoulder = ankle + 100 * size * u
                on_line = ankle + 60 * size * u
                off = 60 * size * np.tan(np.radians(20.0)) * up  # hips 20 degrees out of line
                assert bend(_line(shoulder, on_line, ankle)) == pytest.approx(0.0, abs=1e-6)
                piked = bend(_line(shoulder, on_line + off, ankle))
                sagged = bend(_line(shoulder, on_line - off, ankle))
                assert piked > 20.0 and sagged < -20.0 and piked == pytest.approx(-sagged)
    assert np.isnan(bend(_line((1.0, 2.0), (3.0, 4.0), (np.nan, 0.0))))


def test_distance_is_in_torso_lengths_whatever_the_size():
    """``distance(a, b)``: how far ``b`` is from ``a`` over the body's unit (the torso length of
    :mod:`formcoach.core.body`), the same for a small and a big figure."""
    dist = feature("distance(mid_hip, nose)")
    assert not dist.is_angle
    angles = {"left_elbow": 90.0, "trunk_lean": 30.0}
    small = stick_figure(angles, n_frames=2, height_px=150, origin=(100, 100)).to_common().xy
    big = stick_figure(angles, n_frames=2, height_px=900, origin=(600, 500)).to_common().xy
    hip, nose = (
        np.mean(small[:, [COMMON_JOINTS.index(j) for j in js]], axis=1)
        for js in (("left_hip", "right_hip"), ("nose",))
    )
    expected = np.linalg.norm(nose - hip, axis=-1) / body_unit(small)
    np.testing.assert_allclose(dist(small), expected, rtol=1e-9)
    np.testing.assert_allclose(dist(big), dist(small), rtol=1e-3)
    assert 1.0 < dist(small)[0] < 2.0  # the nose lies beyond the shoulders


def test_every_named_feature_belongs_to_a_body_part():
    assert set(FEATURE_PART) == set(FEATURES)
    assert set(FEATURE_PART.values()) <= set(BODY_PARTS)


def test_view_front_side_and_near_side():
    side = estimate_view(stick_figure({}, n_frames=5, view="side"))
    assert side.facing == "side" and side.near_side == "left"
    front = estimate_view(stick_figure({}, n_frames=5, view="front"))
    assert front.facing == "front" and front.shoulder_ratio > 0.6
