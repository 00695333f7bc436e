"""A person's progress drawn: form score per exercise over sessions, reps per session."""

from __future__ import annotations

from typing import Literal

from markupsafe import Markup

from formcoach.render import plots
from formcoach.store.history import History, local_time

__all__ = ["progress_figure", "progress_plot", "progress_plot_html"]


def progress_figure(h: History):
    """The two-panel progress figure of a history (a matplotlib ``Figure``)."""
    order = {s.id: k for k, s in enumerate(h.sessions)}
    labels = [local_time(s.started_at, "%b %d\n%H:%M") for s in h.sessions]
    scores: dict[str, list[tuple[int, float]]] = {}
    reps: dict[str, list[int]] = {}
    for exercise, points in h.exercises.items():
        scores[exercise] = [
            (order[p.session_id], p.mean_score) for p in points if p.mean_score is not None
        ]
        per_session = [0] * len(h.sessions)
        for p in points:
            per_session[order[p.session_id]] += p.reps
        reps[exercise] = per_session
    return plots.progress_panels(labels, scores, reps, f"{h.profile}: progress")


def progress_plot(h: History, fmt: Literal["png", "svg"] = "png", dpi: int = 100) -> bytes:
    """PNG or SVG bytes of :func:`progress_figure`."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', got {fmt!r}")
    return plots.to_bytes(progress_figure(h), fmt, dpi)


def progress_plot_html(h: History, fmt: Literal["png", "svg"] = "svg") -> Markup:
    """The progress plot as an HTML fragment: inline SVG (sharp at any size) or a PNG."""
    return plots.embed(progress_figure(h), fmt, alt=f"progress of {h.profile}")
