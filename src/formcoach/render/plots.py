"""The plots of the reports and the app, drawn with matplotlib's object API.

No ``pyplot`` and no ``matplotlib.use``: every figure gets its own Agg canvas, so drawing a
plot never changes the backend or the state of the program that asked for it.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from markupsafe import Markup

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "BAD",
    "GOOD",
    "REFERENCE",
    "bars_by_group",
    "curves_grid",
    "embed",
    "heatmap",
    "histogram_by_group",
    "new_figure",
    "progress_panels",
    "to_bytes",
]

GOOD, BAD, REFERENCE = "#1a7f37", "#c62828", "#222222"
Format = Literal["png", "svg"]


def new_figure(width: float, height: float) -> Figure:
    """A figure on its own Agg canvas (inches)."""
    # deferred: matplotlib takes a third of a second to import; only plots need it
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure  # (deferred with the line above)

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def to_bytes(fig: Figure, fmt: Format = "png", dpi: int = 100) -> bytes:
    """PNG or SVG bytes of a figure."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', got {fmt!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi)
    return buf.getvalue()


def embed(fig: Figure, fmt: Format = "svg", alt: str = "plot", dpi: int = 100) -> Markup:
    """The figure as an HTML fragment: inline SVG, or a base64 PNG ``<img>``."""
    data = to_bytes(fig, fmt, dpi)
    if fmt == "svg":
        svg = data.decode("utf-8")
        return Markup(svg[svg.index("<svg") :])  # drop the XML prolog and doctype
    b64 = base64.b64encode(data).decode("ascii")
    return Markup('<img alt="{}" src="data:image/png;base64,{}">').format(alt, b64)


def _plain(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)


def bars_by_group(
    scores: Sequence[float | None],
    passed: Sequence[bool | None],
    limit: float,
    groups: Sequence[tuple[int, str]] = (),
    xlabel: str = "rep",
    title: str = "",
    size: tuple[float, float] = (8, 2.8),
) -> Figure:
    """One bar per rep (green passed, red failed), a dashed limit, labelled groups of reps.

    Args:
        scores: (N,) score of each rep, ``None`` where it was not judged (no bar).
        passed: (N,) its verdict.
        limit: the score of the limit of a good rep.
        groups: ``(last rep number, label)`` of consecutive groups (the sets).
    """
    fig = new_figure(*size)
    ax = fig.subplots()
    xs = [i + 1 for i, s in enumerate(scores) if s is not None]
    ys = [max(float(s), 1.5) for s in scores if s is not None]  # a zero still shows
    colors = [GOOD if p else BAD for s, p in zip(scores, passed, strict=True) if s is not None]
    ax.bar(xs, ys, color=colors, width=0.7)
    ax.axhline(limit, color="#888", lw=0.8, ls="--")
    start = 0.5
    for end, label in groups:
        ax.axvline(end + 0.5, color="#ccc", lw=0.8)
        ax.text((start + end + 0.5) / 2, 97, label, ha="center", va="top", fontsize=8)
        start = end + 0.5
    ax.set_ylim(0, 100)
    ax.set_ylabel("form score")
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    if len(scores) <= 30:
        ax.set_xticks(range(1, len(scores) + 1))
    _plain(ax)
    return fig


def histogram_by_group(
    groups: Sequence[tuple[str, Sequence[float]]],
    limit: float,
    xlabel: str = "form score",
    title: str = "",
    size: tuple[float, float] = (8, 2.8),
) -> Figure:
    """Stacked histograms of scores from 0 to 100 in steps of 5, one colour per group
    (e.g. per exercise), with a dashed line at the limit of a good rep.

    Args:
        groups: ``(label, (N,) scores)`` per group.
        limit: the score of the limit of a good rep.
    """
    fig = new_figure(*size)
    ax = fig.subplots()
    data = [np.asarray(v, float) for _, v in groups]
    labels = [f"{label} ({len(v)})" for label, v in groups]
    if data:
        ax.hist(data, bins=np.arange(0, 105, 5), stacked=True, label=labels)
        ax.legend(fontsize=8, frameon=False)
    ax.axvline(limit, color="#888", lw=0.8, ls="--")
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("reps")
    if title:
        ax.set_title(title)
    _plain(ax)
    return fig


def heatmap(
    values: np.ndarray, rows: Sequence[str], columns: Sequence[str], xlabel: str, title: str
) -> Figure:
    """(R, C) values from 0 (good) to 2 (twice the limit) as a green-amber-red grid."""
    from matplotlib.colors import LinearSegmentedColormap  # deferred with matplotlib

    cmap = LinearSegmentedColormap.from_list("dev", [GOOD, "#f0d060", BAD])
    fig = new_figure(9, 0.9 + 0.45 * len(rows))
    ax = fig.subplots()
    im = ax.imshow(values, aspect="auto", cmap=cmap, vmin=0, vmax=2)
    ax.set_yticks(range(len(rows)), list(rows))
    ax.set_xticks(range(len(columns)), list(columns))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.025)
    return fig


def curves_grid(
    panels: Sequence[tuple[str, str, Sequence[tuple[np.ndarray, bool]], np.ndarray | None]],
    title: str,
) -> Figure:
    """Small multiples of curves over 0-100 % of a rep against a reference.

    Args:
        panels: ``(title, y label, [(curve, passed), ...], reference or None)`` per panel;
            each curve is (N,) samples over the rep.
    """
    from matplotlib.lines import Line2D  # deferred with matplotlib

    cols = 3 if len(panels) > 4 else 2 if len(panels) > 1 else 1
    rows = int(np.ceil(len(panels) / cols))
    fig = new_figure(4.2 * cols, 2.8 * rows + 0.6)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for ax, (name, ylabel, curves, ref) in zip(axes, panels, strict=False):
        for c, ok in curves:
            ax.plot(np.linspace(0, 100, len(c)), c, color=GOOD if ok else BAD, alpha=0.55, lw=1.2)
        if ref is not None:
            ax.plot(np.linspace(0, 100, len(ref)), ref, color=REFERENCE, lw=2.5)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("% of the rep")
        if ylabel:
            ax.set_ylabel(ylabel)
        _plain(ax)
    for ax in axes[len(panels) :]:
        ax.axis("off")
    handles = [
        Line2D([], [], color=REFERENCE, lw=2.5, label="reference"),
        Line2D([], [], color=GOOD, label="good rep"),
        Line2D([], [], color=BAD, label="rep to fix"),
    ]
    fig.suptitle(title)
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    return fig


def progress_panels(
    labels: Sequence[str],
    scores: dict[str, list[tuple[int, float]]],
    reps: dict[str, list[int]],
    title: str,
) -> Figure:
    """Form score per exercise over sessions (top) and reps per session, stacked (bottom).

    Args:
        labels: (S,) a label per session, in time order.
        scores: exercise -> ``(session index, mean score)`` points.
        reps: exercise -> (S,) reps in each session.
    """
    fig = new_figure(8, 5.5)
    ax_score, ax_reps = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    bottom = np.zeros(len(labels))
    for k, exercise in enumerate(reps):
        color = f"C{k % 10}"
        if scores.get(exercise):
            xs, ys = zip(*scores[exercise], strict=True)
            ax_score.plot(xs, ys, marker="o", label=exercise, color=color)
        ax_reps.bar(range(len(labels)), reps[exercise], bottom=bottom, label=exercise, color=color)
        bottom = bottom + np.asarray(reps[exercise])
    ax_score.set_ylim(0, 100)
    ax_score.set_ylabel("form score (0-100)")
    ax_score.set_title(title)
    ax_score.grid(alpha=0.3)
    if reps:
        ax_score.legend(loc="lower right", fontsize="small")
    ax_reps.set_ylabel("reps")
    ax_reps.set_xticks(range(len(labels)), list(labels), fontsize="small")
    if not labels:
        ax_score.text(
            0.5, 0.5, "no sessions yet", ha="center", va="center", transform=ax_score.transAxes
        )
    return fig
