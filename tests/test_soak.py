"""A one-minute accelerated soak (the 60-minute run is ``benchmarks/soak.py``): everything
after the pose model, in a real process, with nothing lost or leaking."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parents[1] / "benchmarks" / "soak.py"


@pytest.mark.timeout(300)
def test_a_short_soak_stores_every_rep_it_emits():
    pytest.importorskip("espeakng_loader")
    proc = subprocess.run(
        [sys.executable, str(SOAK), "--minutes", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    reps = r["reps"]
    assert r["status"] == "finished"
    assert reps["in_stream"] >= 8  # at least one whole set
    assert reps["emitted"] == reps["recorded"] == reps["stored"] == reps["in_stream"]
    assert r["speech_files"] > reps["stored"]  # every rep said, to a file
    assert r["rss_mb"]["growth"] <= 50
    assert r["targets"]["every_emitted_rep_stored"] and r["targets"]["rss_growth_le_50mb"]
    first = r["per_frame"]["all"]["first_10_min"]
    assert first["frames"] == r["frames"] and 0 < first["cpu_ms"] < 50
    assert "Warning" not in proc.stderr and "Traceback" not in proc.stderr
