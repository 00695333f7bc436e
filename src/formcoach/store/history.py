"""A person's training history: sessions, volume, form over time, the part that needs work.

:func:`history` reads it from the :class:`~formcoach.store.Store`; :func:`format_history` prints
it; :mod:`formcoach.render.progress` draws it.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime

from formcoach.core.skeleton import BODY_PARTS
from formcoach.core.words import counted
from formcoach.store import SessionInfo, Store

__all__ = [
    "ExercisePoint",
    "History",
    "format_history",
    "history",
    "local_time",
    "spoken_part",
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


def local_time(ts: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time (ISO 8601) in the local time zone, formatted; ``"-"`` when absent."""
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
    total = [counted(len(h.sessions), "session"), counted(h.total_sets, "set")]
    lines = [f"{h.profile}: {', '.join(total)}, {counted(h.total_reps, 'rep')}"]
    if not h.sessions:
        lines.append("No sessions yet: start one with 'formcoach session'.")
        return "\n".join(lines)
    lines.append("")
    lines.append(f"{'session':>7}  {'started':16}  {'status':11}  {'sets':>4}  {'reps':>4}")
    for s in h.sessions:
        lines.append(
            f"{s.id:>7}  {local_time(s.started_at):16}  {s.status:11}  {s.sets:>4}  {s.reps:>4}"
        )
    for exercise, points in h.exercises.items():
        lines.append("")
        lines.append(f"{exercise}: form score per session")
        for p in points:
            score = f"{p.mean_score:5.1f}" if p.mean_score is not None else "    -"
            passed = f"{100 * p.pass_rate:3.0f}% passed" if p.pass_rate is not None else ""
            hold = f"  held {p.hold_s:g} s" if p.hold_s is not None else ""
            lines.append(
                f"  {local_time(p.started_at):16}  {counted(p.sets, 'set'):7}"
                f"  {counted(p.reps, 'rep'):>8}  score {score}"
                f"  {passed}{hold}"
            )
    lines.append("")
    if h.most_cued_part:
        n = h.cued_parts[h.most_cued_part]
        part = spoken_part(h.most_cued_part)
        lines.append(f"Needs the most work: {part} ({counted(n, 'failed rep')})")
    else:
        lines.append("No failed reps so far.")
    return "\n".join(lines)
