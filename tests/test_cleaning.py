import numpy as np
import pytest

from formcoach.core.features import compute_features
from formcoach.pose.cleaning import (
    CleanSettings,
    OneEuroFilter,
    OneEuroSettings,
    StreamCleaner,
    clean,
)
from formcoach.testing.figure import keyframes, stick_figure

T = np.arange(120) / 30.0


def _roughness(x: np.ndarray) -> float:
    return float(np.nanmean(np.abs(np.diff(x, 2))))


def test_one_euro_removes_jitter_from_a_still_pose():
    noisy = stick_figure({}, n_frames=120, noise_px=3.0)
    still = stick_figure({}, n_frames=120)
    out = clean(noisy)
    err_raw = np.nanmean(np.abs(noisy.xy - still.xy)[30:])
    err_clean = np.nanmean(np.abs(out.xy - still.xy)[30:])
    assert err_clean < 0.5 * err_raw


def test_one_euro_follows_a_fast_movement_with_little_lag():
    curl = keyframes([0, 0.5, 1.0, 1.5, 2.0], [170, 40, 170, 40, 170], T)
    seq = stick_figure({"left_elbow": curl}, noise_px=1.0)
    elbow = compute_features(clean(seq), ["left_elbow"])["left_elbow"]
    # the bottom of each curl is still reached (within 15 degrees) and found within 0.15 s
    for t_bottom in (0.5, 1.5):
        i = int(t_bottom * 30)
        window = elbow[i - 3 : i + 8]
        assert window.min() < 55
        assert abs(int(np.argmin(elbow[i - 10 : i + 10])) - 10) <= 5
    assert _roughness(elbow) < _roughness(compute_features(seq, ["left_elbow"])["left_elbow"])


def test_filter_is_size_invariant():
    curl = keyframes([0, 1, 2], [170, 40, 170], T)
    a = stick_figure({"left_elbow": curl}, height_px=200, noise_px=1.0)
    b = stick_figure({"left_elbow": curl}, height_px=800, noise_px=4.0)
    fa = compute_features(clean(a), ["left_elbow"])["left_elbow"]
    fb = compute_features(clean(b), ["left_elbow"])["left_elbow"]
    np.testing.assert_allclose(fa, fb, atol=1e-2)


def test_short_gaps_are_held_and_long_gaps_stay_missing():
    seq = stick_figure({}, n_frames=60)
    vis = seq.visibility.copy()
    wrist = seq.skeleton.index("left_wrist")
    vis[10:13, wrist] = 0  # 0.1 s gap: held
    vis[30:50, wrist] = 0  # 0.67 s gap: missing after 0.25 s
    out = clean(seq.replace(visibility=vis), CleanSettings(one_euro=None))
    assert (out.visibility[10:13, wrist] > 0).all()
    np.testing.assert_allclose(out.xy[11, wrist], seq.xy[9, wrist])
    assert (out.visibility[38:50, wrist] == 0).all() and np.isnan(out.xy[40, wrist]).all()
    assert out.visibility[50, wrist] > 0


def test_low_confidence_joints_are_dropped():
    seq = stick_figure({}, n_frames=10)
    vis = seq.visibility.copy()
    vis[:, 0] = 0.2
    out = clean(seq.replace(visibility=vis), CleanSettings(min_visibility=0.3, max_gap_s=0))
    assert (out.visibility[:, 0] == 0).all()


def test_streaming_and_offline_cleaning_agree():
    seq = stick_figure({"left_elbow": keyframes([0, 2], [170, 40], T)}, noise_px=2.0)
    cleaner = StreamCleaner(seq.skeleton)
    streamed = np.stack([cleaner(p).xy for p in seq])
    np.testing.assert_array_equal(streamed, clean(seq).xy)


def test_one_euro_restarts_a_joint_after_it_reappears():
    f = OneEuroFilter(OneEuroSettings())
    x = np.array([[0.0, 0.0], [10.0, 10.0]])
    f(x, 0.0, 1.0)
    f(np.array([[np.nan, np.nan], [10.0, 10.0]]), 0.1, 1.0)
    out = f(np.array([[50.0, 50.0], [10.0, 10.0]]), 0.2, 1.0)
    assert out[0] == pytest.approx([50.0, 50.0])  # no smearing from the old position


def test_settings_are_validated():
    with pytest.raises(ValueError):
        OneEuroSettings(min_cutoff=0)
    with pytest.raises(ValueError):
        CleanSettings(min_visibility=1.5)
