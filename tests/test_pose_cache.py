"""The pose cache: keyed by the whole content and the settings; off when asked; shown and
emptied by ``formcoach cache``."""

from __future__ import annotations

import json
import os
import stat

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.core.digest import file_digest
from formcoach.pose import cache
from formcoach.pose.cache import (
    cache_disabled,
    cache_info,
    cached_poses,
    entry_path,
    remove_recordings,
)
from formcoach.pose.pipeline import run_poses
from formcoach.pose.sources import SequencePoseSource
from formcoach.testing.reps import curls


@pytest.fixture
def model_runs(tmp_path, monkeypatch):
    """The pose model replaced by known poses; counts how often it runs (a cache miss)."""
    monkeypatch.setenv("FORMCOACH_CACHE", str(tmp_path / "cache"))
    runs: list[str] = []
    poses = curls(2)

    def fake_source(path, **kw):
        runs.append(str(path))
        return SequencePoseSource(poses, str(path))

    monkeypatch.setattr(cache, "open_source", fake_source)
    return runs


@pytest.fixture
def recording(tmp_path):
    """A 3 MB "recording": its first and last megabyte never change below."""
    rng = np.random.default_rng(0)
    path = tmp_path / "clip.mp4"
    path.write_bytes(rng.integers(0, 256, 3 << 20, dtype=np.uint8).tobytes())
    return path


def test_a_second_read_is_a_hit_even_renamed(model_runs, recording, tmp_path):
    first = cached_poses(recording)
    copy = tmp_path / "renamed.mp4"
    copy.write_bytes(recording.read_bytes())
    again = cached_poses(copy)
    assert len(model_runs) == 1
    np.testing.assert_array_equal(first.xy, again.xy)


def test_an_edit_in_the_middle_is_a_miss(model_runs, recording):
    cached_poses(recording)
    data = bytearray(recording.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, same first and last megabyte
    recording.write_bytes(bytes(data))
    cached_poses(recording)
    assert len(model_runs) == 2
    assert cache_info().entries == 2


def test_other_pipeline_settings_are_a_miss(model_runs, recording, monkeypatch):
    cached_poses(recording)
    settings = cache.pipeline_settings()
    monkeypatch.setattr(
        cache, "pipeline_settings", lambda: settings | {"estimator": {"threshold": "0.6"}}
    )
    cached_poses(recording)
    assert len(model_runs) == 2


def test_the_key_holds_the_estimators_settings_and_the_model_version():
    s = cache.pipeline_settings()
    assert "min_detection_confidence" in s["estimator"]
    assert s["mediapipe"] and s["version"] == cache.POSE_CACHE_VERSION


def test_turned_off_by_the_environment_or_in_code(model_runs, recording, monkeypatch):
    with cache_disabled():
        cached_poses(recording)
        cached_poses(recording)
    monkeypatch.setenv("FORMCOACH_CACHE", "off")
    cached_poses(recording)
    assert len(model_runs) == 3
    monkeypatch.delenv("FORMCOACH_CACHE")
    assert not entry_path(file_digest(recording)).exists()


def test_no_cache_on_the_command_line(model_runs, recording):
    runner = CliRunner()
    args = ["analyze", str(recording), "-e", "bicep_curl", "--json"]
    for extra in (["--no-cache"], ["--no-cache"], [], []):
        r = runner.invoke(main, args + extra, catch_exceptions=False)
        assert r.exit_code == 0, r.output
    assert len(model_runs) == 3  # two uncached runs, then one run cached and one hit


def test_a_damaged_entry_is_recomputed(model_runs, recording):
    cached_poses(recording)
    entry = entry_path(file_digest(recording))
    entry.write_bytes(b"garbage")
    assert len(cached_poses(recording)) > 0
    assert len(model_runs) == 2


def test_entries_are_private_and_named_by_content_only(model_runs, recording):
    cached_poses(recording)
    (entry,) = (cache.cache_dir() / "poses").iterdir()
    assert "clip" not in entry.name and entry.name.startswith(file_digest(recording))
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(entry.parent).st_mode) == 0o700


def test_recordings_are_removed_by_content_and_old_entries_by_name(model_runs, recording):
    cached_poses(recording)
    old = cache.cache_dir() / "poses" / "clip-0123456789abcdef0123.npz"  # the first layout
    other = cache.cache_dir() / "poses" / "other-0123456789abcdef0123.npz"
    old.write_bytes(b"x")
    other.write_bytes(b"x")
    gone = remove_recordings([file_digest(recording)], [str(recording)])
    assert sorted(p.name for p in gone) == sorted(
        [entry_path(file_digest(recording)).name, old.name]
    )
    assert [p.name for p in (cache.cache_dir() / "poses").iterdir()] == [other.name]


def test_cache_info_and_clear(model_runs, recording):
    runner = CliRunner()
    cached_poses(recording)
    info = json.loads(runner.invoke(main, ["cache", "info", "--json"]).output)
    assert info["entries"] == 1 and info["size_bytes"] > 0 and info["enabled"]
    assert "1 recording," in runner.invoke(main, ["cache", "info"]).output
    r = runner.invoke(main, ["cache", "clear"])
    assert r.exit_code == 0 and "deleted 1 cached pose file" in r.output
    assert cache_info().entries == 0
    cached_poses(recording)
    assert len(model_runs) == 2


@pytest.mark.realdata
def test_a_real_clip_gives_the_poses_of_the_model(shared_data, tmp_path, monkeypatch):
    """Cached poses are exactly what the pipeline computes (the shortest real clip)."""
    from formcoach.pose.sources import open_source

    clip = shared_data / "videos" / "posetrainer__sample_bicep_curl.mp4"
    monkeypatch.setenv("FORMCOACH_CACHE", str(tmp_path / "cache"))
    cached = cached_poses(clip)
    direct = run_poses(open_source(clip)).raw
    np.testing.assert_allclose(cached.xy, direct.xy, atol=1e-4)
    assert cached_poses(clip).detected.sum() == direct.detected.sum()
