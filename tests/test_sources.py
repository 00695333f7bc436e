import json

import numpy as np
import pytest

from formcoach import FormcoachError, PoseSequence
from formcoach.core.skeleton import BLAZEPOSE_33, BODY_25, COCO_18, COMMON, MP_17
from formcoach.pose.estimator import NullEstimator, ReplayEstimator
from formcoach.pose.keypoints import load_keypoints, load_openpose_folder
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import SequencePoseSource, is_camera, open_source
from formcoach.pose.video import VideoFile
from formcoach.testing.figure import stick_figure

# --- keypoint files -------------------------------------------------------------------------


def _coco18_array(t=6):
    rng = np.random.default_rng(1)
    arr = np.concatenate([rng.uniform(100, 600, (t, 18, 2)), np.full((t, 18, 1), 0.8)], axis=2)
    arr[2, 4] = 0.0  # right wrist not detected in frame 2
    return arr


def test_coco18_npy_in_pixels(tmp_path):
    arr = _coco18_array()
    np.save(tmp_path / "p.npy", arr)
    seq = load_keypoints(tmp_path / "p.npy", fps=25)
    assert seq.skeleton is COCO_18 and len(seq) == 6
    np.testing.assert_allclose(seq.joint("left_knee"), arr[:, 12, :2], rtol=1e-6)
    assert seq.visibility[2, COCO_18.index("right_wrist")] == 0
    assert np.isnan(seq.xy[2, COCO_18.index("right_wrist")]).all()
    np.testing.assert_allclose(seq.timestamps[:3], [0, 0.04, 0.08])


def test_body25_npy(tmp_path):
    arr = np.ones((4, 25, 3))
    np.save(tmp_path / "b.npy", arr)
    seq = load_keypoints(tmp_path / "b.npy")
    assert seq.skeleton is BODY_25
    assert seq.to_common().visibility[0, COMMON.index("left_foot_index")] > 0


def test_mp17_normalised_scaled_by_frame_size(tmp_path):
    arr = np.full((3, 17, 3), 0.5)
    arr[:, :, 2] = 0.9
    arr[1, 3] = 0.0  # all-zero joint: not seen
    np.save(tmp_path / "m.npy", arr)
    seq = load_keypoints(tmp_path / "m.npy", frame_size=(1280, 720))
    assert seq.skeleton is MP_17
    np.testing.assert_allclose(seq.xy[0, 0], [640, 360])
    assert seq.visibility[1, 3] == 0
    plain = load_keypoints(tmp_path / "m.npy")
    np.testing.assert_allclose(plain.xy[0, 0], [0.5, 0.5])


def test_repcount_rows(tmp_path):
    rows = np.random.default_rng(2).uniform(0, 1, (5, 104)).astype(np.float32)
    rows[3] = 0.0  # nobody in frame 3
    np.save(tmp_path / "r.npy", rows)
    seq = load_keypoints(tmp_path / "r.npy")
    assert seq.skeleton is BLAZEPOSE_33 and len(seq) == 5
    assert not seq.detected[3] and seq.detected[[0, 1, 2, 4]].all()
    np.testing.assert_allclose(seq.xy[0, 11], rows[0, 33:35], rtol=1e-6)  # left shoulder x, y


def test_npz_round_trip_through_load_keypoints(tmp_path):
    seq = stick_figure({}, n_frames=4)
    seq.save(tmp_path / "s.npz")
    back = load_keypoints(tmp_path / "s.npz")
    np.testing.assert_array_equal(back.xy, seq.xy)


@pytest.mark.parametrize(
    ("shape", "match"),
    [((5, 7), "shape \\(5, 7\\)"), ((5, 18, 2), "no keypoint layout"), ((3,), "no keypoint")],
)
def test_wrong_shapes_say_what_is_expected(tmp_path, shape, match):
    np.save(tmp_path / "bad.npy", np.zeros(shape))
    with pytest.raises(FormcoachError, match=match) as e:
        load_keypoints(tmp_path / "bad.npy")
    assert "COCO-18" in e.value.hint


def test_missing_and_unreadable_keypoint_files(tmp_path):
    with pytest.raises(FormcoachError, match="no such file"):
        load_keypoints(tmp_path / "nope.npy")
    (tmp_path / "junk.npy").write_bytes(b"not numpy")
    with pytest.raises(FormcoachError, match="cannot read"):
        load_keypoints(tmp_path / "junk.npy")


# --- OpenPose JSON folders ------------------------------------------------------------------


def _write_openpose(folder, people_per_frame, n_values):
    folder.mkdir()
    for i, people in enumerate(people_per_frame):
        doc = {"version": 1.3, "people": [{"pose_keypoints_2d": p} for p in people]}
        (folder / f"clip_{i:012d}_keypoints.json").write_text(json.dumps(doc))


def _person(j, center, size, conf=0.9):
    rng = np.random.default_rng(int(center))
    pts = center + rng.uniform(-size, size, (j, 2))
    return np.concatenate([pts, np.full((j, 1), conf)], axis=1).ravel().tolist()


@pytest.mark.parametrize(("skeleton", "j"), [(BODY_25, 25), (COCO_18, 18)])
def test_openpose_folder_picks_the_largest_person_and_keeps_empty_frames(tmp_path, skeleton, j):
    small, big = _person(j, 100, 20), _person(j, 400, 150)
    frames = [[small, big], [big], [], [big, small]]
    _write_openpose(tmp_path / "json", frames, j * 3)
    seq = load_openpose_folder(tmp_path / "json", fps=10)
    assert seq.skeleton is skeleton and len(seq) == 4
    assert seq.detected.tolist() == [True, True, False, True]
    big_xy = np.array(big).reshape(j, 3)[:, :2]
    np.testing.assert_allclose(seq.xy[0], big_xy, rtol=1e-5)
    np.testing.assert_allclose(seq.xy[3], big_xy, rtol=1e-5)
    np.testing.assert_allclose(seq.timestamps, [0, 0.1, 0.2, 0.3])


def test_openpose_folder_orders_frames_by_number(tmp_path):
    folder = tmp_path / "json"
    folder.mkdir()
    for i in (10, 2, 1):  # lexical order would put 10 before 2
        doc = {"people": [{"pose_keypoints_2d": _person(18, 100 + i, 10)}]}
        (folder / f"v_{i}_keypoints.json").write_text(json.dumps(doc))
    seq = load_openpose_folder(folder)
    np.testing.assert_allclose(seq.xy[2], np.array(_person(18, 110, 10)).reshape(18, 3)[:, :2])


def test_openpose_bad_folders(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(FormcoachError, match="no OpenPose"):
        load_openpose_folder(tmp_path / "empty")
    _write_openpose(tmp_path / "nobody", [[], []], 75)
    with pytest.raises(FormcoachError, match="nobody was detected"):
        load_openpose_folder(tmp_path / "nobody")
    _write_openpose(tmp_path / "odd", [[[1.0] * 30]], 30)
    with pytest.raises(FormcoachError, match="expected 75"):
        load_openpose_folder(tmp_path / "odd")


# --- video files and cameras ----------------------------------------------------------------


def _write_video(path, n=12, fps=20.0, size=(96, 64)):
    import cv2

    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    for i in range(n):
        img = np.full((size[1], size[0], 3), (i * 20) % 255, np.uint8)
        w.write(img)
    w.release()


@pytest.mark.parametrize("prefetch", [0, 4])
def test_video_file_frames_and_timestamps(tmp_path, prefetch):
    path = tmp_path / "v.mp4"
    _write_video(path)
    with VideoFile(path, prefetch=prefetch) as video:
        frames = list(video)
    assert video.frame_size == (96, 64) and video.fps == pytest.approx(20.0)
    assert [f.index for f in frames] == list(range(12))
    np.testing.assert_allclose([f.timestamp for f in frames], np.arange(12) / 20.0, atol=1e-6)
    assert frames[0].image.shape == (64, 96, 3)


class _StallingCapture:
    """A capture whose container times (ms, one per frame) are scripted: they run ahead of
    the frame rate, then stall, as some phone recordings' do."""

    def __init__(self, cap, times_ms):
        self._cap, self._times, self._reads = cap, times_ms, 0

    def read(self):
        self._reads += 1
        return self._cap.read()

    def get(self, prop):
        import cv2

        if prop == cv2.CAP_PROP_POS_MSEC:
            return self._times[min(self._reads, len(self._times) - 1)]
        return self._cap.get(prop)

    def release(self):
        self._cap.release()


def test_video_times_that_stall_advance_by_a_frame_not_a_microsecond(tmp_path):
    """Frames 1 us apart read as impossibly fast movement: the plausibility guard dropped
    them and the judge said nobody was seen (round 14's sweep)."""
    path = tmp_path / "v.mp4"
    _write_video(path, n=12)
    video = VideoFile(path, prefetch=0)
    video._cap = _StallingCapture(video._cap, [0.0, 50.0, 100.0, 400.0] + [400.0] * 8)
    with video:
        times = np.array([f.timestamp for f in video])
    assert len(times) == 12
    np.testing.assert_allclose(times[:4], [0.0, 0.05, 0.1, 0.4], atol=1e-9)
    np.testing.assert_allclose(np.diff(times[3:]), 0.05, atol=1e-9)  # one frame at 20 fps


def test_video_max_frames_and_early_stop(tmp_path):
    path = tmp_path / "v.mp4"
    _write_video(path, n=30)
    video = VideoFile(path, max_frames=5)
    assert len(list(video)) == 5
    video = VideoFile(path, prefetch=2)
    for f in video:
        if f.index == 3:
            break
    video.close()  # a consumer that stops early does not hang the decoder thread


def test_video_frames_without_a_person_are_kept_as_missing(tmp_path):
    path = tmp_path / "v.mp4"
    _write_video(path, n=8)
    run = run_poses(open_source(path, estimator=NullEstimator()), progress=False)
    assert run.frames == 8 and run.frames_with_pose == 0
    np.testing.assert_allclose(run.raw.timestamps, np.arange(8) / 20.0, atol=1e-6)


def test_video_with_replayed_poses_goes_through_cleaning(tmp_path):
    path = tmp_path / "v.mp4"
    _write_video(path, n=10)
    known = stick_figure({}, n_frames=10, noise_px=2.0)
    run = run_poses(open_source(path, estimator=ReplayEstimator(known)), progress=False)
    np.testing.assert_allclose(run.raw.xy, known.xy, atol=1e-4)
    assert run.clean.xy.shape == known.xy.shape
    assert not np.allclose(run.clean.xy[5:], known.xy[5:])  # filtered


def test_bad_videos(tmp_path):
    with pytest.raises(FormcoachError, match="no such file"):
        open_source(tmp_path / "nope.mp4")
    (tmp_path / "junk.mp4").write_bytes(b"\x00" * 1000)
    with pytest.raises(FormcoachError, match="cannot read any frame"):
        open_source(tmp_path / "junk.mp4", estimator=NullEstimator())
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(FormcoachError, match="zero frames"):
        open_source(tmp_path / "empty.mp4", estimator=NullEstimator())


def test_camera_that_does_not_exist():
    with pytest.raises(FormcoachError, match="cannot open camera 97"):
        open_source("97", estimator=NullEstimator())


def test_camera_spec_detection(tmp_path):
    assert is_camera(0) and is_camera("2")
    assert not is_camera("clip.mp4")
    (tmp_path / "3").write_text("x")
    assert not is_camera(tmp_path / "3")


def test_sequence_source_replays_poses():
    seq = stick_figure({}, n_frames=5)
    src = SequencePoseSource(seq)
    poses = [tf.pose for tf in src]
    assert len(poses) == 5 and all(tf.image is None for tf in SequencePoseSource(seq))
    assert isinstance(PoseSequence.from_poses(poses), PoseSequence)


class _FastCamera:
    """A capture that produces a frame every 5 ms, like a camera that never waits."""

    def __init__(self):
        self.n = 0

    def read(self):
        import time

        time.sleep(0.005)
        self.n += 1
        return True, np.full((8, 8, 3), self.n % 255, np.uint8)

    def get(self, prop):
        return 200.0

    def release(self):
        pass


def test_live_camera_drops_frames_instead_of_lagging():
    import time

    from formcoach.pose.video import Camera

    cam = Camera(0, max_frames=10, capture=_FastCamera())
    lags = []
    for frame in cam:
        time.sleep(0.05)  # a consumer ten times slower than the camera
        lags.append((time.monotonic() - cam._t0) - frame.timestamp)
    assert len(lags) == 10
    assert cam.dropped > 10
    # each delivered frame is the newest one: never more than one slow step behind
    assert max(lags) < 0.15  # a queue would be 0.45 s behind by the 10th frame
