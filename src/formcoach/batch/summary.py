"""``summary.html``: a batch at a glance, written with the report templates and plots.

Counts per exercise, the distribution of scores, and the worst reps, each linked to its
recording's overlay clip at the rep's time when overlays were written.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import numpy as np

from formcoach.analysis import UNKNOWN_RATE
from formcoach.batch.rows import RecordingRows
from formcoach.batch.runner import BatchOutcome
from formcoach.core.words import counted
from formcoach.form.verdict import score_from_deviation
from formcoach.render import plots
from formcoach.render.html import render_page, write_page

__all__ = ["WORST_REPS", "guessed_rate_note", "render_summary", "write_summary"]

#: How many of the worst reps the summary lists.
WORST_REPS = 20
LIMIT_SCORE = score_from_deviation(1.0)


def guessed_rate_note(outcome: BatchOutcome) -> str | None:
    """What to say of recordings timed at a guessed frame rate (keypoint files store none and
    no --fps was given), e.g. ``"57 keypoint files timed at a guessed rate. These ..."``."""
    n, rate = outcome.guessed_rate
    if not n or rate is None:
        return None
    return f"{counted(n, 'keypoint file')} timed at a guessed rate. {UNKNOWN_RATE.format(fps=rate)}"


def _per_exercise(rows: list[RecordingRows]) -> list[dict[str, object]]:
    groups: dict[str, list[RecordingRows]] = defaultdict(list)
    for r in rows:
        groups[str(r.video["exercise"])].append(r)
    out = []
    for name in sorted(groups):
        rs = groups[name]
        scores = [x["score"] for r in rs for x in r.reps if x.get("score") is not None]
        out.append(
            {
                "name": name,
                "recordings": len(rs),
                "failed": sum(not r.ok for r in rs),
                "reps": sum(int(r.video["reps"] or 0) for r in rs),
                "judged": len(scores),
                "passed": sum(1 for r in rs for x in r.reps if x.get("passed")),
                "mean_score": float(np.mean(scores)) if scores else None,
                "scores": scores,
            }
        )
    return out


def _link(overlay: object, start_s: float, end_s: float, outdir: Path) -> str | None:
    if not overlay:
        return None
    rel = os.path.relpath(str(overlay), outdir)
    return f"{Path(rel).as_posix()}#t={start_s:.2f},{end_s:.2f}"


def _worst(rows: list[RecordingRows], outdir: Path) -> list[dict[str, object]]:
    reps = [(x, r.video) for r in rows for x in r.reps if x.get("score") is not None]
    reps.sort(key=lambda xv: (xv[0]["score"], str(xv[0]["video"]), xv[0]["index"]))
    return [
        {
            "name": Path(str(x["video"])).name,
            "link": _link(v.get("overlay"), float(x["start_s"]), float(x["end_s"]), outdir),
            **{k: x[k] for k in ("index", "start_s", "end_s", "score", "passed", "cue")},
            "worst": str(x["worst"] or "").replace("_", " "),
        }
        for x, v in reps[:WORST_REPS]
    ]


def render_summary(outcome: BatchOutcome, engine: str, outdir: str | Path) -> str:
    """The summary page of a batch (HTML text); links are relative to ``outdir``."""
    rows, outdir = outcome.rows, Path(outdir)
    exercises = _per_exercise(rows)
    scored = [(str(e["name"]), e["scores"]) for e in exercises if e["scores"]]
    histogram = None
    if scored:
        fig = plots.histogram_by_group(scored, LIMIT_SCORE, title="Form score of every rep")
        histogram = plots.embed(fig, "png", dpi=110)
    judged = sum(int(e["judged"]) for e in exercises)  # type: ignore[call-overload]
    cards = [
        ("recordings", str(len(rows))),
        ("analysed", str(outcome.ok)),
        ("failed", str(len(outcome.failed))),
        ("reps", str(sum(int(e["reps"]) for e in exercises))),  # type: ignore[call-overload]
        ("judged reps", str(judged)),
    ]
    return render_page(
        "batch.html",
        recordings=len(rows) + len(outcome.pending),
        engine=engine,
        wall_s=outcome.wall_s,
        card_items=cards,
        failures=[(Path(p).name, e) for p, e in outcome.failed],
        pending=len(outcome.pending),
        rate_note=guessed_rate_note(outcome),
        exercises=exercises,
        histogram=histogram,
        worst=_worst(rows, outdir),
        overlays=any(r.video.get("overlay") for r in rows),
        limit=LIMIT_SCORE,
    )


def write_summary(outcome: BatchOutcome, engine: str, outdir: str | Path) -> Path:
    """Write ``outdir/summary.html``; returns its path."""
    return write_page(render_summary(outcome, engine, outdir), Path(outdir) / "summary.html")
