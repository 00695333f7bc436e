"""The report of one coached session (``templates/session.html``): one self-contained file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from formcoach.core.errors import FormcoachError
from formcoach.render import plots
from formcoach.render.analysis_report import LIMIT_SCORE
from formcoach.render.html import render_page, write_page
from formcoach.render.progress import progress_plot_html
from formcoach.session.results import SessionResult
from formcoach.store import Store
from formcoach.store.history import history

__all__ = ["render_report", "scores_plot_svg", "write_report"]


def scores_plot_svg(result: SessionResult) -> Markup:
    """Form score of every rep of the session, coloured by verdict, as inline SVG."""
    reps = [r for s in result.sets for r in s.reps]
    groups, end = [], 0
    for s in result.sets:
        end += len(s.reps)
        groups.append((end, f"{s.exercise} {s.number}"))
    fig = plots.bars_by_group(
        [r.score for r in reps], [r.passed for r in reps], LIMIT_SCORE, groups
    )
    return plots.embed(fig, "svg", alt="form score of every rep")


def _sets(result: SessionResult) -> list[dict[str, object]]:
    out = []
    for s in result.sets:
        hold = s.target_hold_s is not None
        out.append(
            {
                "exercise": s.exercise,
                "number": s.number,
                "done": f"{s.hold_s or 0:.0f} s" if hold else s.count,
                "target": f"{s.target_hold_s:.0f} s" if hold else s.target_reps,
                "form": "" if s.score is None else f"{s.score:.0f}",
                "ended_by": s.ended_words,
            }
        )
    return out


def _reps(result: SessionResult) -> list[dict[str, object]]:
    return [
        {
            "set": f"{s.exercise} {s.number}",
            "number": k,
            "start_s": r.rep.start_s,
            "end_s": r.rep.end_s,
            "score": r.score,
            "passed": r.passed,
            "said": r.said or r.note,
        }
        for s in result.sets
        for k, r in enumerate(s.reps, 1)
    ]


def render_report(result: SessionResult, store: Store) -> str:
    """The session report as one HTML document; the progress plot comes from ``store``."""
    name = result.profile or "guest"
    scores = [s.score for s in result.sets if s.score is not None]
    latencies = sorted(result.cue_latencies())
    cards = [
        ("sets", str(len(result.sets))),
        ("reps", str(result.reps)),
        ("form score", f"{sum(scores) / len(scores):.0f}" if scores else "–"),
        ("status", result.status),
    ]
    if latencies:
        cards.append(("median cue delay", f"{latencies[len(latencies) // 2]:.2f} s"))
    progress, progress_error = None, ""
    if result.profile:
        try:
            progress = progress_plot_html(history(store, result.profile))
        except FormcoachError as e:  # the report must not fail because of a plot
            progress_error = str(e)
    reps = _reps(result)
    return render_page(
        "session.html",
        name=name,
        title=name.replace("_", " ").title(),
        when=f"{datetime.now():%A %d %B %Y, %H:%M}",
        card_items=cards,
        scores_figure=scores_plot_svg(result) if reps else None,
        sets=_sets(result),
        reps=reps,
        progress_figure=progress,
        progress_error=progress_error,
        heard=result.heard,
        said=result.said,
    )


def write_report(result: SessionResult, store: Store, folder: str | Path) -> Path:
    """Write ``session-<id>.html`` into ``folder`` and return its path."""
    path = Path(folder) / f"session-{result.session_id or 'none'}.html"
    return write_page(render_report(result, store), path)
