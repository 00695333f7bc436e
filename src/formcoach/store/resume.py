"""Where today's plan stopped when a session was cut short (a crash, a ``kill -9``).

The sets stored by today's sessions since the last one that finished are matched, in
order, against the day's plan. A set counts as done unless it is the last set of an
interrupted session and fell short of its target: then its reps (or held seconds) are what
the next session owes, and it continues that set.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from formcoach.store.records import WorkoutItem

__all__ = ["ItemProgress", "ResumeMixin"]


@dataclass(frozen=True)
class ItemProgress:
    """How far one item of the day's plan got.

    Attributes:
        sets_done: sets finished.
        cut_short: reps (or seconds held) of the next set before the session was cut; 0
            when the next set has not begun.
    """

    sets_done: int = 0
    cut_short: float = 0.0

    @property
    def started(self) -> bool:
        return self.sets_done > 0 or self.cut_short > 0


@dataclass(frozen=True)
class _StoredSet:
    exercise: str
    amount: float  # reps counted, or seconds held
    complete: bool


def _walk(items: Sequence[WorkoutItem], stored: list[_StoredSet]) -> list[ItemProgress]:
    out, pos = [], 0
    for item in items:
        done, cut = 0, 0.0
        while done < item.sets and pos < len(stored) and stored[pos].exercise == item.exercise:
            s = stored[pos]
            pos += 1
            if s.complete:
                done, cut = done + 1, 0.0
            else:
                cut += s.amount  # continued by the next session's first set
        out.append(ItemProgress(done, cut))
    return out


class ResumeMixin:
    """The resuming half of :class:`~formcoach.store.Store`."""

    def _rows(self, sql: str, params: Sequence | Mapping = ()) -> list[sqlite3.Row]: ...
    def profile(self, name: str) -> Any: ...

    def _sessions_to_resume(self, profile_id: int, today: date) -> list[sqlite3.Row]:
        rows = self._rows(
            "SELECT id, status, started_at FROM sessions WHERE profile_id = ? "
            "ORDER BY started_at, id",
            (profile_id,),
        )
        todays = [
            r for r in rows if datetime.fromisoformat(r["started_at"]).astimezone().date() == today
        ]
        tail: list[sqlite3.Row] = []
        for r in todays:
            tail = [] if r["status"] == "finished" else [*tail, r]
        return tail if tail and tail[-1]["status"] == "interrupted" else []

    def plan_progress(
        self, name: str, items: Sequence[WorkoutItem], today: date | None = None
    ) -> list[ItemProgress] | None:
        """How far today's plan got in the sessions cut short since the last finished one;
        ``None`` when there is nothing to resume (one entry per item of ``items`` otherwise).
        """
        sessions = self._sessions_to_resume(self.profile(name).id, today or date.today())
        stored: list[_StoredSet] = []
        for sess in sessions:
            rows = self._rows(
                """SELECT t.exercise, t.target_reps, t.target_hold_s, t.hold_s,
                          (SELECT count(*) FROM reps r WHERE r.set_id = t.id) AS reps
                   FROM sets t WHERE t.session_id = ? ORDER BY t.position""",
                (sess["id"],),
            )
            for k, r in enumerate(rows):
                hold = r["target_hold_s"] is not None
                amount = float(r["hold_s"] or 0.0) if hold else float(r["reps"])
                target = r["target_hold_s"] if hold else r["target_reps"]
                cut = sess["status"] == "interrupted" and k == len(rows) - 1
                complete = not cut or (target is not None and amount >= target)
                stored.append(_StoredSet(r["exercise"], amount, complete))
        progress = _walk(items, stored)
        return progress if any(p.started for p in progress) else None
