"""The two tables of a batch, one row at a time: a row per recording and a row per rep.

Rows are plain dicts of str / int / float / bool / None, so they travel between processes and
machines cheaply and become Parquet or CSV columns as they are. Each body part's distance from
the reference gets its own column, ``dist_<part>`` (empty where an exercise has no such part).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formcoach.analysis import Analysis
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import Rep

__all__ = [
    "DISTANCE_PREFIX",
    "VIDEO_COLUMNS",
    "RecordingRows",
    "analysis_rows",
    "count_rows",
    "error_row",
]

DISTANCE_PREFIX = "dist_"

#: The columns of ``videos.parquet``, in order. ``assumed_fps`` is the frame rate a keypoint
#: file (which stores none) was timed at because none was given; empty when the rate was known.
VIDEO_COLUMNS = (
    "path",
    "person",
    "content_hash",
    "settings",
    "exercise",
    "status",
    "error",
    "frames",
    "frames_with_pose",
    "duration_s",
    "view",
    "reps",
    "judged",
    "passed",
    "mean_score",
    "held_s",
    "chunks",
    "seconds",
    "overlay",
    "assumed_fps",
)


@dataclass(frozen=True)
class RecordingRows:
    """What one finished recording adds to the tables.

    Attributes:
        video: its row of ``videos.parquet``.
        reps: its rows of ``reps.parquet`` (none for an error).
    """

    video: dict[str, object]
    reps: list[dict[str, object]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.video["status"] == "ok"


def error_row(head: dict[str, object], error: str, seconds: float) -> RecordingRows:
    """The row of a recording that could not be analysed, saying why.

    Args:
        head: its identifying fields (path, person, content_hash, settings, exercise).
        error: what went wrong and what to do.
        seconds: the time spent before it failed.
    """
    row = dict.fromkeys(VIDEO_COLUMNS) | head
    row.update(status="error", error=error, seconds=round(seconds, 3), chunks=0)
    return RecordingRows(row)


def _pose_figures(raw: PoseSequence) -> dict[str, object]:
    return {
        "frames": len(raw),
        "frames_with_pose": int(raw.detected.sum()),
        "duration_s": round(raw.duration, 3),
    }


def _rep_row(path: str, digest: str, rep: Rep) -> dict[str, object]:
    return {
        "video": path,
        "content_hash": digest,
        "index": rep.number,
        "start_s": round(rep.start_s, 3),
        "end_s": round(rep.end_s, 3),
        "start_frame": rep.start_frame,
        "end_frame": rep.end_frame,
        "score": None,
        "passed": None,
        "worst": None,
        "cue": None,
    }


def analysis_rows(a: Analysis, raw: PoseSequence, head: dict[str, object]) -> RecordingRows:
    """The rows of an analysed recording.

    Args:
        a: the analysis.
        raw: the poses it was made from (frames with a person are counted on these).
        head: the row's identifying fields (path, person, content_hash, settings, exercise)
            and what the job measured itself (seconds, chunks, overlay).
    """
    s = a.summary()
    row = dict.fromkeys(VIDEO_COLUMNS) | head
    row.update(
        status="ok",
        **_pose_figures(raw),
        view=a.view.facing,
        reps=s["reps"],
        judged=s["judged"],
        passed=s["passed"],
        mean_score=s["mean_score"],
        held_s=s.get("held_s"),
    )
    reps = []
    for r in a.results:
        rep = _rep_row(str(head["path"]), str(head["content_hash"]), r.rep)
        v = r.verdict
        if v is None:
            rep["cue"] = r.error
        else:
            rep.update(score=v.score, passed=v.passed, worst=", ".join(v.worst), cue=v.cue)
            rep.update({DISTANCE_PREFIX + p: round(float(d), 4) for p, d in v.distances.items()})
        reps.append(rep)
    return RecordingRows(row, reps)


def count_rows(raw: PoseSequence, reps: list[Rep], head: dict[str, object]) -> RecordingRows:
    """The rows of a recording counted without an exercise (``auto``): reps, no judgement."""
    row = dict.fromkeys(VIDEO_COLUMNS) | head
    row.update(status="ok", **_pose_figures(raw), reps=len(reps), judged=0, passed=0)
    path, digest = str(head["path"]), str(head["content_hash"])
    return RecordingRows(row, [_rep_row(path, digest, r) for r in reps])
