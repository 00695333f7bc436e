"""Private by default: what formcoach writes is its owner's only (files 0600, folders 0700),
and files an older formcoach left open are tightened once, with one report."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.core.private import open_private, private_dir, tighten, write_private
from formcoach.store import MIGRATIONS, RepRecord, Store
from formcoach.testing.reps import curls


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


def _all_private(root: Path) -> list[str]:
    """Everything under ``root`` (itself included) that others could read: should be []."""
    loose = []
    for p in [root, *root.rglob("*")]:
        if p.is_symlink():
            continue
        want = 0o700 if p.is_dir() else 0o600
        if _mode(p) & 0o077 or (_mode(p) & want) != want:
            loose.append(f"{p.relative_to(root.parent)} {oct(_mode(p))}")
    return loose


@pytest.fixture
def loose_umask():
    """The most permissive umask a user may have: formcoach must not rely on it."""
    old = os.umask(0o000)
    yield
    os.umask(old)


def test_the_helpers_make_private_files_whatever_the_umask(tmp_path, loose_umask):
    deep = private_dir(tmp_path / "a" / "b")
    write_private(deep / "x.txt", "secret")
    with open_private(deep / "y.bin") as f:
        f.write(b"secret")
    (deep / "old.txt").write_text("made by someone else, 0666")
    os.chmod(deep / "old.txt", 0o666)
    with open_private(deep / "old.txt", "w") as f:  # overwritten: tightened first
        f.write("now private")
    assert _all_private(tmp_path / "a") == []
    assert (deep / "x.txt").read_text() == "secret"
    assert not list(deep.glob(".*.tmp"))  # the atomic write left nothing behind


def test_a_folder_that_exists_keeps_its_mode(tmp_path, loose_umask):
    mine = tmp_path / "reports"
    mine.mkdir(mode=0o755)
    write_private(mine / "r.html", "<html>")
    assert _mode(mine) == 0o755  # the user's own folder is theirs to set
    assert _mode(mine / "r.html") == 0o600


def test_tighten_changes_only_what_is_open_once(tmp_path):
    root = tmp_path / "data"
    (root / "speech").mkdir(parents=True)
    (root / "formcoach.db").write_bytes(b"x")
    (root / "speech" / "1.wav").write_bytes(b"x")
    os.chmod(root / "formcoach.db", 0o644)
    os.chmod(root / "speech", 0o755)
    outside = tmp_path / "outside.txt"
    outside.write_text("not formcoach's")
    os.chmod(outside, 0o644)
    (root / "link").symlink_to(outside)
    changed = tighten(root)
    assert {p.name for p in changed} >= {"formcoach.db", "speech", "1.wav"}
    assert _all_private(root) == []
    assert _mode(outside) == 0o644  # a link is not followed
    assert tighten(root) == []  # the second start has nothing to report


def test_every_file_a_session_writes_is_private(tmp_path, monkeypatch, loose_umask):
    """Database, WAL, migration backup, speech WAVs, report, poses, taught exercise."""
    home = tmp_path / "home"
    monkeypatch.setenv("FORMCOACH_HOME", str(home))
    monkeypatch.setenv("FORMCOACH_CACHE", str(tmp_path / "cache"))
    with Store(migrations=MIGRATIONS[:3]) as s:  # an old file: upgrading makes a backup
        s.add_profile("ana")
    with Store() as s, s.record_session("ana") as rec:
        rec.start_set("squat", 2)
        rec.add_rep(RepRecord(1, score=80.0))
        assert Path(str(s.path) + "-wal").exists()
        assert _all_private(home) == []  # the WAL and shared-memory files too
    assert list(home.glob("formcoach.db.v3.bak"))
    runner = CliRunner()
    poses = curls(3).save(tmp_path / "in" / "curls.npz")
    out = tmp_path / "out"
    for args in (
        ["say", "hello", "--out", str(out / "speech")],
        ["analyze", str(poses), "-e", "bicep_curl", "--report", str(out / "r.html")],
        ["exercise", "teach", "my_curl", str(poses), "--from", "bicep_curl"],
        ["pose", str(poses), "-o", str(out / "poses.npz")],
        ["history", "ana", "--plot", str(out / "plot.svg")],
    ):
        r = runner.invoke(main, args, catch_exceptions=False)
        assert r.exit_code == 0, (args, r.output)
    assert (home / "exercises" / "my_curl.yaml").exists()
    assert _all_private(home) == []
    assert _all_private(out) == []


def test_files_left_open_by_an_older_formcoach_are_tightened_once_and_said(tmp_path, monkeypatch):
    home = tmp_path / "home"
    cache = tmp_path / "cache"
    monkeypatch.setenv("FORMCOACH_HOME", str(home))
    monkeypatch.setenv("FORMCOACH_CACHE", str(cache))
    with Store() as s:
        s.add_profile("ana")
    (cache / "poses").mkdir(parents=True)
    np.save(cache / "poses" / "old.npy", np.zeros(3))
    for p in (home, cache, cache / "poses"):
        os.chmod(p, 0o755)
    for p in (home / "formcoach.db", cache / "poses" / "old.npy"):
        os.chmod(p, 0o644)
    runner = CliRunner()
    first = runner.invoke(main, ["profile", "list"])
    assert first.exit_code == 0
    assert "made existing files and folders private" in first.output
    assert "2 in " in first.output and "3 in " in first.output  # home + db; cache, poses, file
    assert _all_private(home) == [] and _all_private(cache) == []
    second = runner.invoke(main, ["profile", "list"])
    assert "private" not in second.output
