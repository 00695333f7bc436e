"""A person's training history: sessions, volume, form over time, the part that needs work.

:func:`history` reads it from the :class:`~formcoach.store.Store`; :func:`progress_plot`
draws it (PNG or SVG bytes) and :func:`progress_plot_html` wraps that for an HTML report.
"""

from __future__ import annotations

import base64
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

from formcoach.core.skeleton import BODY_PARTS
from formcoach.store import SessionInfo, Store

__all__ = [
    "ExercisePoint",
    "History",
    "format_history",
    "history",
    "progress_plot",
    "progress_plot_html",
]


@dataclass(frozen=True)
class ExercisePoint:
    """One exercise in one session.

    Attributes:
        mean_score: mean 0-100 form score of its judged reps (``None``: none judged).
        pass_rate: share of judged reps that passed (``None``: none judged).
    """

    session_id: int
    started_at: str
    sets: int
    reps: int
    mean_score: float | None
    pass_rate: float | None
    hold_s: float | None = None


@dataclass(frozen=True)
class History:
    """Everything ``formcoach history`` shows.

    Attributes:
        exercises: {exercise: one point per session that trained it, oldest first}.
        cued_parts: {body part: failed reps it was the worst part of}, most frequent first.
    """

    profile: str
    sessions: list[SessionInfo]
    exercises: dict[str, list[ExercisePoint]]
    total_sets: int
    total_reps: int
    cued_parts: dict[str, int] = field(default_factory=dict)

    @property
    def most_cued_part(self) -> str | None:
        """The body part that most often needed a cue (``None`` when none did)."""
        return next(iter(self.cued_parts), None)

    def to_dict(self) -> dict:
        return {
            "profile": self.profile,
            "sessions": [asdict(s) for s in self.sessions],
            "total_sets": self.total_sets,
            "total_reps": self.total_reps,
            "exercises": {k: [asdict(p) for p in v] for k, v in self.exercises.items()},
            "cued_parts": self.cued_parts,
            "most_cued_part": self.most_cued_part,
        }


def history(store: Store, name: str) -> History:
    """The history of the profile ``name`` (FormcoachError when there is no such profile)."""
    profile = store.profile(name)
    sessions = store.sessions(profile.name)
    rows = store.reps_of(profile.name)
    per: dict[tuple[str, int], dict] = {}
    cued: Counter[str] = Counter()
    for r in rows:
        key = (r["exercise"], r["session_id"])
        d = per.setdefault(
            key,
            {
                "start": r["session_start"],
                "sets": set(),
                "reps": 0,
                "scores": [],
                "passed": [],
                "hold": [],
            },
        )
        if r["set_id"] not in d["sets"]:
            d["sets"].add(r["set_id"])
            if r["hold_s"] is not None:
                d["hold"].append(r["hold_s"])
        if r["number"] is None:
            continue
        d["reps"] += 1
        if r["score"] is not None:
            d["scores"].append(r["score"])
        if r["passed"] is not None:
            d["passed"].append(r["passed"])
        if r["passed"] is False and r["worst_part"]:
            cued[r["worst_part"]] += 1
    exercises: dict[str, list[ExercisePoint]] = defaultdict(list)
    for (exercise, sid), d in per.items():
        exercises[exercise].append(
            ExercisePoint(
                sid,
                d["start"],
                len(d["sets"]),
                d["reps"],
                round(statistics.fmean(d["scores"]), 1) if d["scores"] else None,
                round(sum(d["passed"]) / len(d["passed"]), 3) if d["passed"] else None,
                round(max(d["hold"]), 1) if d["hold"] else None,
            )
        )
    return History(
        profile.name,
        sessions,
        dict(sorted(exercises.items())),
        sum(s.sets for s in sessions),
        sum(s.reps for s in sessions),
        dict(cued.most_common()),
    )


def _local(ts: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not ts:
        return "-"
    try:
        return datetime.fromisoformat(ts).astimezone().strftime(fmt)
    except ValueError:
        return ts


def spoken_part(part: str) -> str:
    """``"left_arm"`` -> ``"left arm"`` (the body part's spoken name without "your")."""
    bp = BODY_PARTS.get(part)
    return bp.spoken.removeprefix("your ") if bp else part.replace("_", " ")


def format_history(h: History) -> str:
    """The history as a few plain-text tables."""
    lines = [f"{h.profile}: {len(h.sessions)} sessions, {h.total_sets} sets, {h.total_reps} reps"]
    if not h.sessions:
        lines.append("No sessions yet: start one with 'formcoach session'.")
        return "\n".join(lines)
    lines.append("")
    lines.append(f"{'session':>7}  {'started':16}  {'status':11}  {'sets':>4}  {'reps':>4}")
    for s in h.sessions:
        lines.append(
            f"{s.id:>7}  {_local(s.started_at):16}  {s.status:11}  {s.sets:>4}  {s.reps:>4}"
        )
    for exercise, points in h.exercises.items():
        lines.append("")
        lines.append(f"{exercise}: form score per session")
        for p in points:
            score = f"{p.mean_score:5.1f}" if p.mean_score is not None else "    -"
            passed = f"{100 * p.pass_rate:3.0f}% passed" if p.pass_rate is not None else ""
            hold = f"  held {p.hold_s:g} s" if p.hold_s is not None else ""
            lines.append(
                f"  {_local(p.started_at):16}  {p.sets} sets  {p.reps:>3} reps  score {score}"
                f"  {passed}{hold}"
            )
    lines.append("")
    if h.most_cued_part:
        n = h.cued_parts[h.most_cued_part]
        lines.append(f"Needs the most work: {spoken_part(h.most_cued_part)} ({n} failed reps)")
    else:
        lines.append("No failed reps so far.")
    return "\n".join(lines)


def progress_plot(h: History, fmt: Literal["png", "svg"] = "png", dpi: int = 100) -> bytes:
    """Two panels: form score per exercise over sessions, and reps per session (stacked).

    Returns PNG or SVG bytes (matplotlib, no display needed).
    """
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', got {fmt!r}")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    order = {s.id: k for k, s in enumerate(h.sessions)}
    labels = [_local(s.started_at, "%b %d\n%H:%M") for s in h.sessions]
    fig = Figure(figsize=(8, 5.5), layout="constrained")
    FigureCanvasAgg(fig)
    ax_score, ax_reps = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    bottom = [0] * len(h.sessions)
    for k, (exercise, points) in enumerate(h.exercises.items()):
        color = f"C{k % 10}"
        scored = [(order[p.session_id], p.mean_score) for p in points if p.mean_score is not None]
        if scored:
            xs, ys = zip(*scored, strict=True)
            ax_score.plot(xs, ys, marker="o", label=exercise, color=color)
        reps = [0] * len(h.sessions)
        for p in points:
            reps[order[p.session_id]] += p.reps
        ax_reps.bar(range(len(reps)), reps, bottom=bottom, label=exercise, color=color)
        bottom = [a + b for a, b in zip(bottom, reps, strict=True)]
    ax_score.set_ylim(0, 100)
    ax_score.set_ylabel("form score (0-100)")
    ax_score.set_title(f"{h.profile}: progress")
    ax_score.grid(alpha=0.3)
    if h.exercises:
        ax_score.legend(loc="lower right", fontsize="small")
    ax_reps.set_ylabel("reps")
    ax_reps.set_xticks(range(len(labels)), labels, fontsize="small")
    if not h.sessions:
        ax_score.text(
            0.5, 0.5, "no sessions yet", ha="center", va="center", transform=ax_score.transAxes
        )
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi)
    return buf.getvalue()


def progress_plot_html(h: History, fmt: Literal["png", "svg"] = "svg") -> str:
    """The progress plot as an HTML fragment for a self-contained report.

    SVG is inlined (sharp at any size); PNG becomes a base64 ``<img>``.
    """
    data = progress_plot(h, fmt)
    alt = f"progress of {h.profile}"
    if fmt == "svg":
        svg = data.decode("utf-8")
        svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype
        return f'<figure class="progress" aria-label="{alt}">{svg}</figure>'
    b64 = base64.b64encode(data).decode("ascii")
    return f'<figure class="progress"><img alt="{alt}" src="data:image/png;base64,{b64}"></figure>'
