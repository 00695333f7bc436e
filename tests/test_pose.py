import numpy as np
import pytest

from formcoach import FormcoachError, Pose, PoseSequence
from formcoach.core.skeleton import BLAZEPOSE_33, COCO_18, COMMON, MP_17


def _seq(t=5, sk=MP_17):
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 100, (t, len(sk), 2))
    vis = np.ones((t, len(sk)))
    return PoseSequence(xy, vis, np.arange(t) / 30.0, sk, (640, 480), 30.0)


def test_shapes_are_validated_with_expected_and_got():
    with pytest.raises(ValueError, match=r"expected shape \(T, 17, 2\).*got \(4, 18, 2\)"):
        PoseSequence(np.zeros((4, 18, 2)), np.ones((4, 18)), np.arange(4.0), MP_17)
    with pytest.raises(ValueError, match="visibility"):
        PoseSequence(np.zeros((4, 17, 2)), np.ones((3, 17)), np.arange(4.0), MP_17)
    with pytest.raises(ValueError, match="timestamps"):
        PoseSequence(np.zeros((4, 17, 2)), np.ones((4, 17)), np.arange(3.0), MP_17)
    with pytest.raises(ValueError, match="non-decreasing"):
        PoseSequence(np.zeros((2, 17, 2)), np.ones((2, 17)), np.array([1.0, 0.0]), MP_17)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        PoseSequence(np.zeros((2, 17, 2)), np.full((2, 17), 2.0), np.arange(2.0), MP_17)


def test_missing_joints_are_nan_with_zero_visibility():
    xy = np.ones((3, 17, 2))
    vis = np.ones((3, 17))
    vis[1, 4] = 0
    xy[2, 5] = np.nan
    seq = PoseSequence(xy, vis, np.arange(3.0), MP_17)
    assert np.isnan(seq.xy[1, 4]).all()
    assert seq.visibility[2, 5] == 0
    assert seq.detected.all()


def test_arrays_are_read_only():
    seq = _seq()
    with pytest.raises(ValueError):
        seq.xy[0, 0, 0] = 1.0


def test_indexing_gives_pose_and_slices_give_sequences():
    seq = _seq(10)
    p = seq[3]
    assert isinstance(p, Pose) and p.index == 3 and p.timestamp == pytest.approx(0.1)
    sub = seq[2:6]
    assert isinstance(sub, PoseSequence) and len(sub) == 4
    np.testing.assert_array_equal(sub.xy, seq.xy[2:6])
    assert seq[-1].index == 9
    with pytest.raises(IndexError):
        seq[10]


def test_to_common_maps_joints_by_name():
    seq = _seq(2, COCO_18)
    common = seq.to_common()
    assert common.skeleton is COMMON
    i_src = COCO_18.index("left_knee")
    i_dst = COMMON.index("left_knee")
    np.testing.assert_array_equal(common.xy[:, i_dst], seq.xy[:, i_src])
    # COCO-18 has no heels: they are missing, not invented
    assert (common.visibility[:, COMMON.index("left_heel")] == 0).all()
    # a single pose maps the same way
    np.testing.assert_array_equal(seq[1].to_common().xy, common.xy[1])


def test_blazepose_maps_every_common_joint():
    assert (BLAZEPOSE_33.common_indices() >= 0).all()


def test_save_and_load_round_trip(tmp_path):
    seq = _seq(7, BLAZEPOSE_33)
    path = seq.save(tmp_path / "p.npz")
    back = PoseSequence.load(path)
    np.testing.assert_array_equal(back.xy, seq.xy)
    np.testing.assert_array_equal(back.visibility, seq.visibility)
    np.testing.assert_array_equal(back.timestamps, seq.timestamps)
    assert back.skeleton is BLAZEPOSE_33 and back.frame_size == (640, 480) and back.fps == 30.0
    data = np.load(path)
    assert {"xy", "visibility", "timestamps", "joints"} <= set(data.files)
    assert list(data["joints"]) == list(BLAZEPOSE_33.joints)


def test_load_rejects_foreign_npz(tmp_path):
    np.savez(tmp_path / "x.npz", a=np.zeros(3))
    with pytest.raises(FormcoachError, match="not a formcoach pose file"):
        PoseSequence.load(tmp_path / "x.npz")


def test_empty_sequence():
    seq = PoseSequence.empty(MP_17)
    assert len(seq) == 0 and seq.duration == 0.0
    assert PoseSequence.from_poses([], MP_17).xy.shape == (0, 17, 2)
