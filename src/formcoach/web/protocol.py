"""The messages between the training page and the server (JSON text, binary frames and PCM).

Page -> server:

- binary, kind 1: a camera frame (:data:`formcoach.web.frames.FRAME_HEADER` + JPEG);
- binary, kind 2: microphone PCM, 16 kHz mono int16 little-endian, after the kind byte;
- ``{"type": "answer", "text": "yes"}``: a button pressed or a line typed;
- ``{"type": "played", "line": 3}``: line 3 of the coach's speech finished playing.

Server -> page: ``hello`` (the skeleton to draw), ``frame`` (the reply to a camera frame: its
landmarks), ``state`` (the coach's state), ``say`` (a line and the URL of its audio),
``cue`` (which frame a line's rep ended on, when that came after the line), ``hush`` (stop
speaking), ``listen`` (start/stop sending PCM), ``log``, ``error``, ``end``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from formcoach.core.skeleton import Skeleton
from formcoach.pose.draw import edge_parts
from formcoach.pose.pipeline import Step
from formcoach.render.overlay import LINGER_S, part_grades
from formcoach.session.results import RepOutcome
from formcoach.session.state import CoachState

__all__ = [
    "FRAME",
    "PCM",
    "frame_message",
    "hello_message",
    "parse_pcm",
    "skipped_message",
    "state_message",
]

#: Kind bytes of binary messages.
FRAME, PCM = 1, 2


def parse_pcm(data: bytes) -> np.ndarray:
    """(n,) int16 samples of a PCM message.

    Raises:
        ValueError: not a PCM message, or an odd number of bytes.
    """
    if not data or data[0] != PCM or (len(data) - 1) % 2:
        raise ValueError("a PCM message is the kind byte 2 and 16-bit samples")
    return np.frombuffer(data, dtype="<i2", offset=1).astype(np.int16)


def hello_message(skeleton: Skeleton) -> dict[str, Any]:
    """What the page needs to draw: the bones, each with its body part."""
    parts = edge_parts(skeleton)
    return {
        "type": "hello",
        "edges": [[a, b, part] for (a, b), part in zip(skeleton.edges, parts, strict=True)],
        "linger_s": LINGER_S,
    }


def frame_message(step: Step, frame_size: tuple[int, int]) -> dict[str, Any]:
    """The reply to a camera frame: its landmarks as fractions of the frame, or ``None``."""
    pose = step.raw
    landmarks = None
    if pose.detected:
        w, h = frame_size
        xy = pose.xy / np.array([w, h], np.float32)
        rows = np.column_stack([xy, pose.visibility]).round(4)
        landmarks = np.where(np.isfinite(rows), rows, 0.0).tolist()
    return {"type": "frame", "id": pose.index, "pose": landmarks}


def skipped_message(frame_id: int, reason: str = "") -> dict[str, Any]:
    """The reply to a camera frame nobody looked at."""
    return {"type": "frame", "id": frame_id, "pose": None, "skipped": reason or True}


def _rep(outcome: RepOutcome | None, number: int) -> dict[str, Any] | None:
    if outcome is None:
        return None
    v = outcome.verdict
    return {
        "number": number,
        "end_frame": outcome.rep.end_frame,
        "passed": outcome.passed,
        "score": outcome.score,
        "worst": outcome.worst_part,
        "grades": part_grades(v) if v is not None else {},
        "said": outcome.said,
    }


def state_message(state: CoachState) -> dict[str, Any]:
    """The coach's state for the page."""
    return {
        "type": "state",
        "phase": state.phase,
        "profile": state.profile,
        "exercise": state.exercise,
        "set_number": state.set_number,
        "sets": state.sets,
        "target_reps": state.target_reps,
        "target_hold_s": state.target_hold_s,
        "count": state.count,
        "held_s": state.held_s,
        "countdown": state.countdown,
        "rest_s": state.rest_s,
        "said": state.said,
        "last_rep": _rep(state.last_rep, state.count),
        "session_id": state.session_id,
    }
