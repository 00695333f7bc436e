"""The report of one analysed recording: plots first, then the rep-by-rep table.

One self-contained HTML file (``templates/analysis.html``): what a person would rather look
at than read -

- the score of every rep against the limit of a correct rep;
- how far each body part was from the reference in every rep (a heat map);
- each judged feature's curve in every rep against the reference rep;
- the table: time, score, verdict, what to fix.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from markupsafe import Markup

from formcoach.analysis import Analysis
from formcoach.core.features import feature
from formcoach.core.words import counted
from formcoach.form.verdict import score_from_deviation
from formcoach.render import plots
from formcoach.render.html import render_page, write_page

__all__ = ["render_report", "write_report"]

#: The score of a rep exactly at the limit of a good one.
LIMIT_SCORE = score_from_deviation(1.0)


def _unit(a: Analysis) -> str:
    return "stretch" if a.exercise.static else "rep"


def _score_plot(a: Analysis) -> Markup | None:
    judged = a.judged
    if not judged:
        return None
    fig = plots.bars_by_group(
        [r.verdict.score if r.verdict else None for r in judged],
        [bool(r.verdict and r.verdict.passed) for r in judged],
        LIMIT_SCORE,
        xlabel=_unit(a),
        title="Score of every " + ("stretch of the hold" if a.exercise.static else "rep"),
        size=(9, 3),
    )
    return plots.embed(fig, "png", dpi=110)


def _parts_plot(a: Analysis) -> Markup | None:
    judged = [r for r in a.judged if r.verdict]
    if not judged:
        return None
    parts = sorted({p for r in judged for p in r.verdict.distances})
    m = np.full((len(parts), len(judged)), np.nan)
    for j, r in enumerate(judged):
        for i, p in enumerate(parts):
            m[i, j] = r.verdict.distances.get(p, np.nan)
    fig = plots.heatmap(
        m,
        [p.replace("_", " ") for p in parts],
        [str(r.rep.number) for r in judged],
        _unit(a),
        "How far each body part was from the reference (1 = limit of a good rep)",
    )
    return plots.embed(fig, "png", dpi=110)


def _curves_plot(a: Analysis) -> Markup | None:
    judged = [r for r in a.judged if r.curves is not None]
    keys = sorted({k for r in judged for k in r.curves.curves})
    if not keys:
        return None
    ref = a.judge.reference_curves(a.view.facing)
    defs = a.exercise.feature_defs()
    panels = []
    for key in keys:
        base = key.split("@")[0]
        curves = [
            (r.curves.curves[key], bool(r.verdict and r.verdict.passed))
            for r in judged
            if key in r.curves.curves
        ]
        rc = ref.get(key)
        if rc is None:
            rc = next((v for k, v in ref.items() if k.split("@")[0] == base), None)
        f = defs.get(base)
        unit = "degrees" if f is not None and feature(f.resolved("left")).is_angle else ""
        side = f" ({key.split('@')[1]})" if "@" in key else ""
        panels.append((f"{base.replace('.', ': ').replace('_', ' ')}{side}", unit, curves, rc))
    fig = plots.curves_grid(panels, "Each body part's movement against the reference")
    return plots.embed(fig, "png", dpi=110)


def _advice(a: Analysis) -> str:
    """The most frequent correction over the failed reps."""
    cues = Counter(r.verdict.cue for r in a.judged if r.verdict and not r.verdict.passed)
    if not cues:
        return ""
    cue, n = cues.most_common(1)[0]
    return f"{cue} ({n} of {counted(len(a.judged), 'rep')})"


def _rows(a: Analysis) -> list[dict[str, object]]:
    rows = []
    for r in a.results:
        v = r.verdict
        rows.append(
            {
                "number": r.rep.number,
                "start_s": r.rep.start_s,
                "end_s": r.rep.end_s,
                "judged": v is not None,
                "score": v.score if v else None,
                "passed": v.passed if v else None,
                "worst": ", ".join(p.replace("_", " ") for p in v.worst) if v else "",
                "text": v.cue if v else (r.error or ""),
            }
        )
    return rows


def _none(a: Analysis) -> str:
    """The "good" card with nothing judged: say so only when there was something to judge."""
    return "none judged" if a.results else "–"


def render_report(a: Analysis) -> str:
    """The report as one HTML document (a string)."""
    s = a.summary()
    cards = [
        (
            "held" if a.exercise.static else "reps",
            f"{a.held_s:.0f} s" if a.exercise.static else str(s["reps"]),
        ),
        ("good", f"{s['passed']} of {len(a.judged)}" if a.judged else _none(a)),
        ("mean score", "–" if s["mean_score"] is None else f"{s['mean_score']:.0f}"),
        ("camera", a.view.facing),
    ]
    figures = [f for f in (_score_plot(a), _parts_plot(a), _curves_plot(a)) if f]
    return render_page(
        "analysis.html",
        title=a.exercise.title,
        source=a.source,
        duration_s=s["duration_s"],
        frames=s["frames"],
        card_items=cards,
        advice=_advice(a),
        notes=[n for n in (a.nothing_found(),) if n] + a.notes(),
        figures=figures,
        unit=_unit(a),
        rows=_rows(a),
        limit=LIMIT_SCORE,
        reference="your demonstration" if a.exercise.taught else "formcoach generic",
    )


def write_report(a: Analysis, path: str | Path) -> Path:
    """Write the report to ``path`` (.html); returns the path."""
    return write_page(render_report(a), path)
