"""What a coached session produced: judged reps, sets, the session, as frozen records."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from typing import Any

from formcoach.core.rep import Rep
from formcoach.store.records import RepRecord

__all__ = [
    "RepOutcome",
    "SessionResult",
    "SetResult",
    "rep_record",
    "speech_dir_of",
    "with_voice_latency",
]


@dataclass(frozen=True)
class RepOutcome:
    """One repetition (or, for a hold, one judged stretch) and what the coach made of it.

    Attributes:
        rep: the repetition as the counter emitted it (frame indices into the source).
        verdict: the judge's verdict (a ``RepVerdict``), or ``None`` if it could not judge.
        note: why it was not judged (e.g. "too short to judge"), else "".
        said: what the coach said right after it ("" when it stayed quiet).
        cue_latency_s: seconds from the rep's last frame to that line's first audio, as a
            person in front of the camera would experience it; ``None`` when nothing was said.
        said_at: ``time.perf_counter()`` when the line was handed to the voice (to match it
            with the voice's own record of when its audio started).
    """

    rep: Rep
    verdict: Any | None = None
    note: str = ""
    said: str = ""
    cue_latency_s: float | None = None
    said_at: float | None = None

    @property
    def score(self) -> int | None:
        return None if self.verdict is None else int(self.verdict.score)

    @property
    def passed(self) -> bool | None:
        return None if self.verdict is None else bool(self.verdict.passed)

    @property
    def worst_part(self) -> str | None:
        if self.verdict is None or not self.verdict.worst:
            return None
        return str(self.verdict.worst[0])


#: :attr:`SetResult.ended_by` in words.
ENDED_WORDS = {
    "target": "target reached",
    "idle": "you stopped moving",
    "skip": "skipped",
    "stop": "session stopped",
    "end": "the recording ended",
}


@dataclass(frozen=True)
class SetResult:
    """One set of one exercise.

    Attributes:
        exercise: the exercise's name.
        number: 1-based set number within the exercise.
        target_reps: reps asked for (``None`` for a hold).
        target_hold_s: seconds of hold asked for (``None`` for reps).
        reps: the judged reps (or judged stretches of a hold), in order.
        hold_s: seconds held in position (holds only).
        ended_by: ``"target"``, ``"idle"`` (the person stopped), ``"skip"``, ``"stop"``,
            ``"end"`` (the source ran out).
    """

    exercise: str
    number: int
    target_reps: int | None
    target_hold_s: float | None
    reps: tuple[RepOutcome, ...] = ()
    hold_s: float | None = None
    ended_by: str = "target"

    @property
    def count(self) -> int:
        return len(self.reps) if self.target_hold_s is None else 0

    @property
    def ended_words(self) -> str:
        """How the set ended, in words for the summary and the report ("target" alone read as
        a column heading, "end" as an error)."""
        return ENDED_WORDS.get(self.ended_by, self.ended_by)

    @property
    def score(self) -> float | None:
        """Mean form score of the judged reps, ``None`` when none was judged."""
        scores = [r.score for r in self.reps if r.score is not None]
        return float(statistics.fmean(scores)) if scores else None


@dataclass(frozen=True)
class SessionResult:
    """A whole session.

    Attributes:
        profile: who trained.
        session_id: the database id (``None`` when nothing was stored).
        status: ``"finished"``, ``"declined"`` (not ready), ``"stopped"`` (stopped early),
            ``"interrupted"``.
        sets: every set, in order.
        said: every line the coach spoke, in order.
        heard: every answer, as ``(question, intent, how it came)`` (``"typed"``, ``"scripted
            words"``, ``"WAV yes.wav"``, ``"microphone"``; ``"no answer"``).
        report: path of the HTML report, when written.
        speech_dir: where spoken lines were written as WAV files, when they were.
    """

    profile: str | None
    session_id: int | None
    status: str
    sets: tuple[SetResult, ...] = ()
    said: tuple[str, ...] = ()
    heard: tuple[tuple[str, str, str], ...] = ()
    report: str | None = None
    speech_dir: str | None = None

    @property
    def reps(self) -> int:
        return sum(s.count for s in self.sets)

    def cue_latencies(self) -> list[float]:
        return [r.cue_latency_s for s in self.sets for r in s.reps if r.cue_latency_s is not None]


def rep_record(outcome: RepOutcome, number: int) -> RepRecord:
    """What the store keeps of a rep (its ``number`` in the set)."""
    v = outcome.verdict
    return RepRecord(
        number=number,
        start_s=outcome.rep.start_s,
        end_s=outcome.rep.end_s,
        start_frame=outcome.rep.start_frame,
        end_frame=outcome.rep.end_frame,
        score=None if v is None else float(v.score),
        passed=None if v is None else bool(v.passed),
        worst_part=outcome.worst_part,
        cue=outcome.said or None,
        part_distances={} if v is None else dict(v.distances),
    )


def with_voice_latency(s: SetResult, speaker: Any) -> SetResult:
    """Add the voice's own time-to-first-audio to each rep's cue latency, where known.

    A rep's line is found in the speaker's record by its text and the moment it was queued.
    """
    lines = getattr(speaker, "lines", [])
    reps = []
    for r in s.reps:
        text = " ".join(r.said.split())
        match = [
            ln
            for ln in lines
            if r.said_at is not None and ln.text == text and abs(ln.queued_at - r.said_at) < 0.05
        ]
        if r.cue_latency_s is not None and match and match[0].latency_s is not None:
            r = replace(r, cue_latency_s=r.cue_latency_s + match[0].latency_s)
        reps.append(r)
    return replace(s, reps=tuple(reps))


def speech_dir_of(speaker: Any) -> str | None:
    """The folder a speaker writes its WAV files to, if it writes any."""
    sink = getattr(speaker, "sink", None)
    folder = getattr(sink, "folder", None) or getattr(sink, "out_dir", None)
    return str(folder) if folder else None
