"""Shared fixtures: where the real material is, whether its absence may be skipped, and a
private home for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from formcoach.core.paths import shared_data_dir

# Property tests draw the same examples on every run (a failure is reproducible, an xfail
# stays an xfail), keep no example database in the checkout, and report the first failing
# example as drawn (shrinking a pose pipeline's input takes minutes).
settings.register_profile(
    "formcoach",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=20,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("formcoach")


def _require_data() -> bool:
    return os.environ.get("FORMCOACH_REQUIRE_DATA", "") not in ("", "0")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; skipped when absent, a failure when FORMCOACH_REQUIRE_DATA=1."""
    root = shared_data_dir()
    if root is None:
        msg = "real data absent: ../shared/data (or $FORMCOACH_DATA) not found"
        if _require_data():
            pytest.fail(msg + " and FORMCOACH_REQUIRE_DATA=1")
        pytest.skip(msg)
    return root


@pytest.fixture(scope="session")
def session_dirs(tmp_path_factory) -> dict[str, Path]:
    """Folders shared by the whole test run, made empty at its start.

    ``pose_cache``: MediaPipe poses of the real clips are expensive, so one cache serves every
    test of the run; it starts empty (never the user's ``~/.cache/formcoach``), so the run
    measures what a fresh machine computes. ``mpl``: matplotlib's font cache.
    """
    return {
        "pose_cache": tmp_path_factory.mktemp("pose-cache"),
        "mpl": tmp_path_factory.mktemp("matplotlib"),
    }


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch, session_dirs):
    """Every test gets its own home: database, taught exercises, speech, XDG folders.

    Nothing a test does reads or writes the real user's files; only the pose cache (see
    :func:`session_dirs`) is shared between the tests of one run.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("FORMCOACH_HOME", str(home / "formcoach"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("FORMCOACH_CACHE", str(session_dirs["pose_cache"]))
    monkeypatch.setenv("MPLCONFIGDIR", str(session_dirs["mpl"]))
    return home


_MISSING_MODULE = "could not import"  # the start of pytest.importorskip's skip reason


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under FORMCOACH_REQUIRE_DATA=1 a missing optional backend (``importorskip``) fails.

    CI installs every extra (dlib, gTTS, SpeechRecognition, pocketsphinx...); a test skipped
    there for a missing module would hide a broken install.
    """
    outcome = yield
    report = outcome.get_result()
    if not (_require_data() and report.skipped and call.excinfo is not None):
        return
    reason = str(call.excinfo.value)
    if reason.startswith(_MISSING_MODULE):
        report.outcome = "failed"
        report.longrepr = f"{reason} (FORMCOACH_REQUIRE_DATA=1: every optional backend is required)"
