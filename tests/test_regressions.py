"""A real client's recordings and what a coach would say, run as the user runs formcoach.

``regressions.csv`` lists recordings (``../shared/data/videos`` or a synthetic person
written to a keypoint file), the exercise, how many reps were done and what a coach would
say: ``no fault`` (every rep passes), ``a correction`` (every rep is corrected), words the
correction must contain, or nothing (only the count is known). Each row is run through
``formcoach analyze --json`` and through a whole ``formcoach session --video`` with a plan of
one set of that many reps, and both must agree with the coach. ``known_miss`` says why a row
does not yet (xfail, strict). Add a row whenever a user-visible mistake is found.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from formcoach.cli import main
from formcoach.testing.movements import curl_set, squat_set
from formcoach.testing.person import Camera

TABLE = Path(__file__).with_name("regressions.csv")
COUNT_WORDS = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")

#: the synthetic recordings a row may name as ``synthetic:NAME``
SYNTHETIC = {
    "portrait_profile_squats": lambda: squat_set(
        3, camera=Camera(yaw_deg=90.0, frame_size=(1080, 1920), fill=0.8), seed=0
    ),
    "swinging_curls": lambda: curl_set(3, fault="swing", size=25.0, seed=1),
}


def rows() -> list[dict[str, str]]:
    with TABLE.open() as f:
        return list(csv.DictReader(f))


def _param(row: dict[str, str]):
    marks = []
    if row["known_miss"]:
        marks.append(pytest.mark.xfail(strict=True, reason=row["known_miss"]))
    if not row["source"].startswith("synthetic:"):
        marks += [pytest.mark.realdata, pytest.mark.slow]
    return pytest.param(row, id=row["source"].removeprefix("synthetic:"), marks=marks)


@pytest.fixture(scope="module")
def client(tmp_path_factory, shared_data) -> Path:
    """A client enrolled from a real photo (``formcoach profile add``), her database."""
    db = tmp_path_factory.mktemp("client") / "client.db"
    photo = shared_data / "faces" / "obama.jpg"
    r = CliRunner().invoke(
        main, ["profile", "add", "client", "--photo", str(photo), "--db", str(db)]
    )
    assert r.exit_code == 0, r.output
    return db


def _recording(source: str, shared_data: Path, folder: Path) -> Path:
    if source.startswith("synthetic:"):
        return SYNTHETIC[source.removeprefix("synthetic:")]().poses.save(folder / "take.npz")
    return shared_data / "videos" / source


def _run(*args: str) -> str:
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, (args, r.output, r.exception)
    return r.output


def _analyze_misses(video: Path, row: dict[str, str]) -> list[str]:
    out = json.loads(_run("analyze", str(video), "-e", row["exercise"], "--json"))
    verdicts = [(r["passed"], r["cue"]) for r in out["rep_results"] if "passed" in r]
    return _misses("analyze", out["reps"], verdicts, row)


def _session_misses(video: Path, row: dict[str, str], db: Path, out_dir: Path) -> list[str]:
    reps = int(row["count"])
    _run("workout", "set", "client", "monday", f"{row['exercise']}:1x{reps}@0", "--db", str(db))
    text = _run(
        *("session", "--video", str(video), "--profile", "client", "--answers", "yes"),
        *("--day", "monday", "--db", str(db), "--out", str(out_dir), "--no-window"),
        *("--voice", "text", "--microphone", "off"),
    )
    said = re.findall(r'^formcoach says: "(.*)"$', text, flags=re.M)
    rep_lines = [s for s in said if s.split(".")[0] in COUNT_WORDS]
    done = re.search(r"set 1: (\d+)/\d+ reps", text)
    count = int(done.group(1)) if done else 0
    # pass or fail of each rep as stored (the spoken line alone does not tell praise from
    # correction), with the line the client heard
    history = json.loads(_run("history", "client", "--json", "--db", str(db)))
    points = [p for name, p in history["exercises"].items() if _same(name, row["exercise"])]
    points = points[0] if points else []
    rate = points[-1]["pass_rate"] if points else None
    passed = rate == 1.0 if row["expect"] == "no fault" else rate != 0.0
    return _misses("session", count, [(passed, line) for line in rep_lines], row)


def _same(a: str, b: str) -> bool:
    """``push-up`` is ``push_up``."""
    return re.sub(r"[\s_-]", "", a) == re.sub(r"[\s_-]", "", b)


def _misses(how: str, count: int, verdicts: list[tuple[bool, str]], row) -> list[str]:
    """What a coach would object to in what formcoach said."""
    misses = []
    if count != int(row["count"]):
        misses.append(f"{how}: counted {count} of {row['count']}")
    expect = row["expect"]
    if expect == "no fault":
        misses += [f"{how}: a good rep was told {cue!r}" for ok, cue in verdicts if not ok]
    elif expect == "a correction":
        misses += [f"{how}: a faulty rep passed ({cue!r})" for ok, cue in verdicts if ok]
    elif expect:
        misses += [
            f"{how}: expected {expect!r}, told {cue!r}"
            for _, cue in verdicts
            if expect.lower() not in cue.lower()
        ]
    return misses


@pytest.mark.realdata
@pytest.mark.parametrize("row", [_param(r) for r in rows()])
def test_what_the_coach_says(row, shared_data, client, tmp_path):
    video = _recording(row["source"], shared_data, tmp_path)
    misses = _analyze_misses(video, row) + _session_misses(video, row, client, tmp_path / "out")
    assert not misses, f"{row['source']} ({row['why']}): " + "; ".join(misses)


def test_the_table_is_well_formed():
    table = rows()
    assert len(table) >= 8
    for row in table:
        assert int(row["count"]) >= 1 and row["exercise"] and row["why"], row
        if row["source"].startswith("synthetic:"):
            assert row["source"].removeprefix("synthetic:") in SYNTHETIC, row
    # the case is in the set, and must not be a known miss
    squats = [r for r in table if r["source"] == "synthetic:portrait_profile_squats"]
    assert squats and squats[0]["expect"] == "no fault" and not squats[0]["known_miss"]
