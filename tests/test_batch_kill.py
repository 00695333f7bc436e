"""A batch killed (kill -9) or interrupted (Ctrl-C) keeps every finished recording, and the
next run does only the rest."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from formcoach.testing.reps import concat, curl

N = 14
SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(N):
        concat([curl(seed=10 * i + k) for k in range(4)]).save(d / f"curls{i:02d}.npz")
    return d


def _start(folder, out):
    env = os.environ | {"PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    files = [str(p) for p in sorted(folder.glob("*.npz"))]  # folders are searched for videos
    cmd = [sys.executable, "-m", "formcoach", "batch", *files, "-e", "curl", "-o", str(out)]
    return subprocess.Popen(
        [*cmd, "-w", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_from_a_terminal,
    )


def _as_from_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a runner started in the background without job control
    (``cmd &`` in a script, ``nohup``) ignores SIGINT, and its children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _finished(out: Path) -> int:
    return len(list((out / "parts").glob("*.videos.parquet")))


def _wait_for_parts(proc, out, n, timeout=120.0):
    t0 = time.monotonic()
    while _finished(out) < n:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() - t0 < timeout, "the batch made no progress"
        time.sleep(0.02)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_stopped_batch_loses_only_what_was_in_flight(folder, tmp_path, how):
    out = tmp_path / "out"
    proc = _start(folder, out)
    _wait_for_parts(proc, out, 3)
    proc.send_signal(how)
    stdout, stderr = proc.communicate(timeout=60)
    done = _finished(out)
    # every recording takes ~0.4 s: all of them finishing means the signal was not acted on
    why = f"stopped too late: exit {proc.returncode}\n{stdout[-800:]}\n{stderr[-800:]}"
    assert 3 <= done < N, why
    if how == signal.SIGINT:
        assert proc.returncode == 130
        assert "not finished" in stdout and "run again" in stdout
        kept = pq.read_table(out / "videos.parquet")  # the tables hold what finished
        assert kept.num_rows == done and set(kept.column("status").to_pylist()) == {"ok"}
    else:
        assert proc.returncode == -signal.SIGKILL

    rerun = _start(folder, out)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert f"{N} ok ({N - done} analysed now, {done} already done)" in stdout
    videos = pq.read_table(out / "videos.parquet")
    assert videos.num_rows == N and videos.column("reps").to_pylist() == [4] * N
    assert pq.read_table(out / "reps.parquet").num_rows == 4 * N
