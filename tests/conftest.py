"""Shared fixtures: where the real material is, and whether its absence may be skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formcoach.core.paths import shared_data_dir


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


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep every test's user data (database, taught exercises) out of the real home."""
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path_factory.mktemp("home")))


def _require_browser() -> bool:
    return os.environ.get("FORMCOACH_REQUIRE_BROWSER", "") not in ("", "0")


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Headless Chromium, chromedriver and selenium are here; skipped when absent, a failure
    when FORMCOACH_REQUIRE_BROWSER=1 (CI installs them)."""
    from formcoach.testing.browser import browser_missing

    why = browser_missing()
    if why is not None:
        if _require_browser():
            pytest.fail(f"no browser: {why}, and FORMCOACH_REQUIRE_BROWSER=1")
        pytest.skip(f"no browser: {why}")
