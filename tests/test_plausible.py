"""Skeletons no body can take become missing; what real bodies do is kept."""

import numpy as np
import pytest

from formcoach.core.pose import PoseSequence
from formcoach.pose.cleaning import CleanSettings, clean
from formcoach.pose.plausible import PlausibilityGuard, PlausibleSettings, implausible_frames
from formcoach.testing.person import Camera, Noise, film, pose_3d

FPS = 30.0


def _wave(t: np.ndarray, hz: float, lo: float, hi: float) -> np.ndarray:
    return lo + (hi - lo) * (1 - np.cos(2 * np.pi * hz * t)) / 2


def _person(seconds: float, camera: Camera = Camera(), **angles) -> PoseSequence:
    """A filmed person, with the pose model's jitter; angles are functions of time (s)."""
    t = np.arange(round(seconds * FPS)) / FPS
    pos = pose_3d({k: f(t) for k, f in angles.items()}, n_frames=len(t))
    return film(pos, camera=camera, noise=Noise(jitter_px=2.0, seed=3), fps=FPS)


def _standing(seconds: float = 6.0) -> PoseSequence:
    return _person(seconds, left_elbow_flexion=lambda t: _wave(t, 0.5, 0, 120))


def _jumping_jacks(hz: float) -> PoseSequence:
    arms = {f"{s}_shoulder_abduction": lambda t: _wave(t, hz, 5, 170) for s in ("left", "right")}
    legs = {f"{s}_hip_abduction": lambda t: _wave(t, hz, 0, 25) for s in ("left", "right")}
    return _person(6.0, **arms, **legs)


def _walk_towards_camera(speed_m_s: float = 1.0) -> PoseSequence:
    """Standing 2 s at 5 m, walking to 2.5 m, standing 2 s: the body doubles in size."""
    seq = _standing(2.0 + 2.5 / speed_m_s + 2.0)
    t = seq.timestamps
    dist = np.clip(5.0 - speed_m_s * (t - 2.0), 2.5, 5.0)
    centre = np.array(Camera().frame_size, np.float32) / 2
    grow = (5.0 / dist).astype(np.float32)[:, None, None]
    return seq.replace(xy=centre + (seq.xy - centre) * grow)


def _missing(seq: PoseSequence) -> np.ndarray:
    """(T,) frames the default cleaning leaves without any joint."""
    return ~clean(seq).detected


def _edit(seq: PoseSequence, a: int, b: int, change) -> PoseSequence:
    xy = seq.xy.copy()
    xy[a:b] = change(xy[a:b])
    return seq.replace(xy=xy)


@pytest.mark.parametrize(
    "make",
    [
        _standing,
        lambda: _jumping_jacks(1.5),
        lambda: _jumping_jacks(3.0),  # as fast as anyone does them
        _walk_towards_camera,
        lambda: _person(  # fast punches straight ahead, 3 per second
            6.0,
            left_shoulder_flexion=lambda t: _wave(t, 3.0, 0, 90),
            left_elbow_flexion=lambda t: _wave(t + 1 / 6, 3.0, 0, 130),
        ),
        lambda: _person(6.0, Camera(yaw_deg=90), trunk_flexion=lambda t: _wave(t, 1.0, 0, 80)),
    ],
    ids=["curl", "jumping-jacks", "fast-jumping-jacks", "walk-in", "punches", "fast-bows"],
)
def test_what_a_body_does_loses_no_frame(make):
    seq = make()
    assert seq.detected.all()
    assert not _missing(seq).any()


def test_a_skeleton_grown_to_a_giants_size_for_a_stretch_is_missing_there():
    seq = _standing()
    a, b = 60, 105  # 1.5 s, less than half the size window

    def grow(xy):
        centre = np.nanmean(xy, axis=1, keepdims=True)
        return centre + 2.5 * (xy - centre)

    missing = _missing(_edit(seq, a, b, grow))
    assert missing[a:b].all()
    assert not missing[:a].any() and not missing[b:].any()


def test_a_skeleton_torn_into_another_shape_is_missing_where_it_tears():
    seq = _standing()
    a, b = 60, 66
    rng = np.random.default_rng(0)
    torn = _edit(seq, a, b, lambda xy: xy[:, rng.permutation(xy.shape[1])])
    missing = _missing(torn)
    assert missing[a]
    assert not missing[:a].any() and not missing[b + 10 :].any()


def test_frames_made_missing_are_not_held_over():
    seq = _standing()
    rng = np.random.default_rng(1)
    torn = _edit(seq, 60, 61, lambda xy: xy[:, rng.permutation(xy.shape[1])])
    clean_default = clean(torn)
    off = clean(torn, CleanSettings(plausible=None))
    assert not clean_default.detected[60]
    assert off.detected[60]


def test_the_guard_speaks_in_seconds_not_frames():
    """The same change of shape at 60 fps is judged as at 30: the allowance is a speed. The
    change: the skeleton turned in the image plane about its hips."""
    seq = _standing()
    hips = [seq.skeleton.index(n) for n in ("left_hip", "right_hip")]
    for fps in (60.0, 120.0):
        t = np.arange(len(seq)) / fps
        for speed, expected in ((5.0, False), (40.0, True)):  # torso lengths per second
            angle = speed / fps / 0.7  # the typical core joint: 0.7 torso from the hips
            rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
            xy = seq.xy.astype(np.float64)
            centre = xy[60:, hips].mean(axis=1, keepdims=True)
            xy[60:] = centre + (xy[60:] - centre) @ rot.T
            assert implausible_frames(xy, t, seq.skeleton)[60] == expected, (fps, speed)


def test_nothing_to_check_is_plausible():
    guard = PlausibilityGuard(_standing().skeleton)
    assert guard(np.full((21, 2), np.nan), 0.0)


@pytest.mark.parametrize("bad", [{"max_speed": 0}, {"window_s": -1}, {"max_size_ratio": 1.0}])
def test_settings_are_checked(bad):
    with pytest.raises(ValueError):
        PlausibleSettings(**bad)
