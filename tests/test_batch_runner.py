"""Running a batch on synthetic people: rows, resume, error rows, engines, the command."""

import os
import sys

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from formcoach.batch import BatchSettings, ResultStore, collect, make_engine, run_batch
from formcoach.batch.engines import LocalEngine, SerialEngine, WorkerLost
from formcoach.cli import main
from formcoach.core.pose import Pose, PoseSequence
from formcoach.form.exercises import get_exercise
from formcoach.testing.reps import concat, curl

_VOLATILE = {"seconds"}  # wall time differs between runs; everything else must not


@pytest.fixture
def folder(tmp_path):
    """Three curl sessions (3 reps each, the middle one with a swinging elbow), a recording
    with nobody in it, an empty file and a file that is not a video."""
    d = tmp_path / "in"
    d.mkdir()
    for i in range(3):
        concat([curl(seed=3 * i), curl(swing=35, seed=3 * i + 1), curl(seed=3 * i + 2)]).save(
            d / f"curls{i}.npz"
        )
    sk = curl().skeleton
    PoseSequence.from_poses([Pose.missing(sk, t / 30, t) for t in range(60)], fps=30.0).save(
        d / "nobody.npz"
    )
    (d / "empty.mp4").write_bytes(b"")
    (d / "corrupt.mp4").write_bytes(b"\x00\x01 not a video" * 100)
    return d


def _inputs(folder):
    return [str(p) for p in sorted(folder.iterdir())]


def _stable(rows):
    return [{k: v for k, v in r.video.items() if k not in _VOLATILE} for r in rows]


def test_rows_errors_and_resume(folder, tmp_path):
    store = ResultStore(tmp_path / "out")
    recs = collect(_inputs(folder), "bicep curl")
    first = run_batch(recs, SerialEngine(), store)
    by_name = {r.video["path"].rsplit("/", 1)[1]: r for r in first.rows}
    assert len(first.rows) == 6 and first.analysed == 6 and first.ok == 3
    for i in range(3):
        r = by_name[f"curls{i}.npz"]
        assert r.video["status"] == "ok" and r.video["reps"] == 3 and r.video["judged"] == 3
        assert [x["passed"] for x in r.reps] == [True, False, True]
        assert r.reps[1]["cue"].startswith("Keep your elbows pinned")
        worst = r.reps[1]["worst"].split(", ")[0]
        assert r.reps[1]["dist_" + worst] > 1.0 and r.reps[0]["dist_" + worst] <= 1.0
    failed = dict(first.failed)
    assert set(map(lambda p: p.rsplit("/", 1)[1], failed)) == {
        "nobody.npz",
        "empty.mp4",
        "corrupt.mp4",
    }
    assert all(len(msg) > 20 for msg in failed.values())  # each says what went wrong
    assert any("nobody was detected" in m for m in failed.values())

    again = run_batch(recs, SerialEngine(), store)
    assert again.skipped == 3 and again.analysed == 3  # the errors are tried again, cheaply
    assert _stable(again.rows) == _stable(first.rows)

    videos = pq.read_table(tmp_path / "out" / "videos.parquet")
    reps = pq.read_table(tmp_path / "out" / "reps.parquet")
    assert videos.num_rows == 6 and reps.num_rows == 9
    assert {"path", "content_hash", "exercise", "status", "error", "frames", "reps"} <= set(
        videos.column_names
    )
    assert {"video", "index", "start_s", "end_s", "score", "passed", "worst", "cue"} <= set(
        reps.column_names
    )


def test_changed_settings_or_exercise_are_not_skipped(folder, tmp_path):
    store = ResultStore(tmp_path / "out")
    recs = collect([str(folder / "curls0.npz")], "bicep curl")
    assert run_batch(recs, SerialEngine(), store).analysed == 1
    assert run_batch(recs, SerialEngine(), store).skipped == 1
    other = collect([str(folder / "curls0.npz")], "auto")
    out = run_batch(other, SerialEngine(), store)
    assert out.analysed == 1 and out.rows[0].video["judged"] == 0
    assert out.rows[0].video["reps"] == 3  # counted without an exercise, not judged
    moved = BatchSettings(overlay_dir=str(tmp_path / "ov"))
    assert run_batch(recs, SerialEngine(), store, moved).analysed == 1


def test_same_content_twice_is_analysed_once(folder, tmp_path):
    copy = tmp_path / "copy.npz"
    copy.write_bytes((folder / "curls1.npz").read_bytes())
    recs = collect([str(folder / "curls1.npz"), str(copy)], "curl")
    out = run_batch(recs, SerialEngine(), ResultStore(tmp_path / "out"))
    assert out.analysed == 1 and len(out.rows) == 2
    assert [r.video["path"] for r in out.rows] == [str(folder / "curls1.npz"), str(copy)]
    assert out.rows[0].reps[0]["score"] == out.rows[1].reps[0]["score"]


def test_unknown_exercise_in_a_manifest_is_an_error_row(folder, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        f"path,exercise\n{folder / 'curls0.npz'},curl\n{folder / 'curls1.npz'},yoga\n"
    )
    out = run_batch(collect([str(manifest)], "auto"), SerialEngine(), ResultStore(tmp_path / "o"))
    assert [r.ok for r in out.rows] == [True, False]
    assert "yoga" in out.failed[0][1]


def test_process_pool_gives_the_serial_results(folder, tmp_path):
    recs = collect(_inputs(folder), "bicep curl")
    serial = run_batch(recs, SerialEngine(), ResultStore(tmp_path / "a"))
    engine = LocalEngine(2)
    try:
        pooled = run_batch(recs, engine, ResultStore(tmp_path / "b"))
    finally:
        engine.close()
    assert _stable(pooled.rows) == _stable(serial.rows)
    assert [r.reps for r in pooled.rows] == [r.reps for r in serial.rows]


def test_engine_names():
    assert make_engine("local", 1).name == "serial"
    with pytest.raises(Exception, match="unknown engine"):
        make_engine("spark")


def test_command_writes_tables_csv_summary_and_exit_status(folder, tmp_path):
    out = tmp_path / "out"
    args = ["batch", *_inputs(folder), "-e", "curl", "-o", str(out), "-w", "1", "--csv"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "6 recordings: 3 ok" in r.output and "3 failed" in r.output
    assert "corrupt.mp4" in r.output and "nobody.npz" in r.output  # the failures are named
    for name in ("videos.parquet", "reps.parquet", "videos.csv", "reps.csv", "summary.html"):
        assert (out / name).exists(), name
    html = (out / "summary.html").read_text()
    assert "Per exercise" in html and get_exercise("curl").name in html and "worst reps" in html
    assert "Keep your elbows pinned" in html and "data:image/png;base64," in html
    bad = CliRunner().invoke(
        main, ["batch", str(folder / "corrupt.mp4"), "-o", str(tmp_path / "x")]
    )
    assert bad.exit_code == 1 and "0 ok" in bad.output


def test_command_refuses_an_unknown_exercise_before_any_work(folder, tmp_path):
    r = CliRunner().invoke(main, ["batch", str(folder), "-e", "yoga", "-o", str(tmp_path / "o")])
    assert r.exit_code != 0 and "yoga" in r.output
    assert not (tmp_path / "o").exists()


def test_ray_engine_without_ray_names_the_install_command(monkeypatch, folder, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    r = CliRunner().invoke(
        main, ["batch", str(folder), "-o", str(tmp_path / "o"), "--engine", "ray"]
    )
    assert r.exit_code != 0
    assert "pip install 'formcoach[ray]'" in r.output


class _DyingWorkers(SerialEngine):
    """Runs calls in this process, but the 'worker' of one recording always dies."""

    def __init__(self, doomed: str) -> None:
        super().__init__()
        self.doomed = doomed
        self.deaths = 0

    def submit(self, fn, arg):
        ticket = super().submit(fn, arg)
        if getattr(arg, "path", "").endswith(self.doomed):
            self._queued[ticket] = (_die, arg)
        return ticket

    def result(self, ticket):
        value = super().result(ticket)
        if value == "died":
            self.deaths += 1
            raise WorkerLost("killed by the test")
        return value


def _die(arg):
    return "died"


def test_a_recording_whose_worker_dies_twice_is_an_error_row(folder, tmp_path):
    recs = collect([str(folder / f"curls{i}.npz") for i in range(3)], "curl")
    engine = _DyingWorkers("curls1.npz")
    out = run_batch(recs, engine, ResultStore(tmp_path / "o"))
    assert engine.deaths == 2  # tried once more, then given up
    assert [r.ok for r in out.rows] == [True, False, True]
    assert "died 2 times" in out.failed[0][1]


def _exit_now(code):
    os._exit(code)


def test_the_process_pool_survives_a_dead_worker():
    engine = LocalEngine(1)
    try:
        ticket = engine.submit(_exit_now, 3)
        engine.wait([ticket])
        with pytest.raises(WorkerLost):
            engine.result(ticket)
        again = engine.submit(abs, -4)  # a new pool takes over
        engine.wait([again])
        assert engine.result(again) == 4
    finally:
        engine.close()


def test_overlays_are_written_and_linked_at_each_rep(folder, tmp_path):
    out = tmp_path / "out"
    args = ["batch", str(folder / "curls0.npz"), "-e", "curl", "-o", str(out), "--overlays"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "1 recording: 1 ok" in r.output
    clips = list((out / "overlays").glob("*.webm"))
    assert len(clips) == 1 and clips[0].stat().st_size > 0
    row = pq.read_table(out / "videos.parquet").to_pylist()[0]
    assert row["overlay"] == str(clips[0])
    html = (out / "summary.html").read_text()
    assert html.count(f'href="overlays/{clips[0].name}#t=') == 3


def _curls_npy(folder, tmp_path):
    """curls0 as a MediaPipe 17-landmark .npy (x, y, visibility): a file with no frame rate."""
    import numpy as np

    from formcoach.core.skeleton import MP_17

    seq = PoseSequence.load(folder / "curls0.npz")
    idx = [seq.skeleton.joints.index(n) for n in MP_17.joints]
    path = tmp_path / "curls0.npy"
    np.save(path, np.concatenate([seq.xy[:, idx], seq.visibility[:, idx, None]], axis=2))
    return path


def test_batch_times_keypoint_files_at_the_given_fps_and_says_when_it_guessed(folder, tmp_path):
    """Keypoint files store no frame rate: batch had no --fps, so the 25 fps pushfit clips were
    timed at 30 fps without a word (57 of 101 counted or scored differently). --fps must reach
    every recording, be part of the fingerprint (no stale reuse), and a guess must be said."""
    npy = _curls_npy(folder, tmp_path)
    out = tmp_path / "out"
    guessed = CliRunner().invoke(main, ["batch", str(npy), "-e", "curl", "-o", str(out)])
    assert guessed.exit_code == 0, guessed.output
    assert "1 keypoint file timed at a guessed rate" in guessed.output
    assert "--fps" in guessed.output
    assert "Frame rate guessed" in (out / "summary.html").read_text()
    at30 = pq.read_table(out / "reps.parquet").to_pylist()
    assert pq.read_table(out / "videos.parquet").column("assumed_fps").to_pylist() == [30.0]

    told = CliRunner().invoke(
        main, ["batch", str(npy), "-e", "curl", "-o", str(out), "--fps", "60"]
    )
    assert told.exit_code == 0, told.output
    assert "1 analysed now" in told.output  # another rate is another result, not a stale one
    assert "guessed" not in told.output
    at60 = pq.read_table(out / "reps.parquet").to_pylist()
    assert len(at60) == len(at30) == 3
    for a, b in zip(at30, at60, strict=True):  # each rep timed at its run's rate
        assert a["end_s"] == pytest.approx(a["end_frame"] / 30, abs=1 / 30)
        assert b["end_s"] == pytest.approx(b["end_frame"] / 60, abs=1 / 60)
    assert pq.read_table(out / "videos.parquet").column("assumed_fps").to_pylist() == [None]


def test_batch_settings_fingerprint_includes_the_frame_rate():
    from formcoach.batch.job import Job, settings_key

    assert settings_key(None, BatchSettings(fps=25.0)) != settings_key(None, BatchSettings())

    def job(path, fps):
        return Job(path, "d", "auto", None, "", BatchSettings(fps=fps))

    assert job("a.npy", 25.0).key != job("a.npy", None).key
    assert job("a.mp4", 25.0).key == job("a.mp4", None).key  # a video states its own rate
