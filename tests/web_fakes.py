"""Stand-ins for the web app's tests: fast parts, frames as the page sends them, and a page
that answers the server the way the training page does (driven through Starlette's client)."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from formcoach.pose.estimator import ReplayEstimator
from formcoach.session.settings import TrainingSettings
from formcoach.voice.recognizers import Heard
from formcoach.web.app import create_app
from formcoach.web.parts import LiveParts
from formcoach.web.settings import ServeSettings
from session_fakes import FakeCounter, FakeJudge, get_exercise, poses

ORIGIN = {"origin": "http://testserver"}
_JPEG = cv2.imencode(".jpg", np.zeros((480, 640, 3), np.uint8))[1].tobytes()


class QuietSynth:
    """A voice that says every line as 0.1 s of silence."""

    sample_rate = 16000

    def __init__(self) -> None:
        self.lines: list[str] = []

    def stream(self, text: str, on_chunk) -> None:
        self.lines.append(text)
        on_chunk(np.zeros(1600, np.int16))


class DeafRecognizer:
    """Hears nothing in any recording (answers come from the page's buttons)."""

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        return Heard("unknown", "", 0.0, "silence", "speech")


class Fakes:
    """The fake parts of one app, kept to look at afterwards."""

    def __init__(self, judge_passes: list[bool] | None = None, n_frames: int = 2000) -> None:
        self.synth = QuietSynth()
        self.counter = FakeCounter()
        self.judge = FakeJudge(list(judge_passes or []))
        self.seq = poses(n_frames)
        self.faces = None

    def parts(self, **changes: Any) -> LiveParts:
        values: dict[str, Any] = {
            "estimator": lambda: ReplayEstimator(self.seq),
            "get_exercise": get_exercise,
            "exercises": lambda: [get_exercise("curl"), get_exercise("plank")],
            "make_counter": lambda ex: self.counter,
            "make_judge": lambda ex: self.judge,
            "faces": lambda: self.faces,
            "photo_faces": lambda: self.faces,
            "synth": lambda: self.synth,
            "recognizer": DeafRecognizer,
            "training": TrainingSettings(countdown_s=1.0),
            "identify_timeout_s": 5.0,
        }
        values.update(changes)
        return LiveParts(**values)


def make_app(tmp_path: Path, fakes: Fakes, **settings: Any):
    return create_app(ServeSettings(db=tmp_path / "f.db", **settings), fakes.parts())


def frame_bytes(frame_id: int, fps: float = 30.0, jpeg: bytes = _JPEG) -> bytes:
    """A camera frame message as the page sends it."""
    return struct.pack("<BId", 1, frame_id, frame_id * 1000.0 / fps) + jpeg


class Page:
    """Plays the training page over a test WebSocket: sends frames one at a time (the next
    after the reply), reports every line played at once, answers questions by button."""

    def __init__(self, ws, answers: dict[str, str] | None = None) -> None:
        self.ws = ws
        self.answers = answers if answers is not None else {"ready": "yes"}
        self.messages: list[dict[str, Any]] = []
        self.next_id = 1

    def _handle(self, m: dict[str, Any]) -> None:
        self.messages.append(m)
        if m["type"] == "say":
            self.ws.send_json({"type": "played", "line": m["line"]})
            for key, answer in self.answers.items():
                if key in m["text"]:
                    self.ws.send_json({"type": "answer", "text": answer})

    def run(self, frames: int) -> list[dict[str, Any]]:
        """Send up to ``frames`` frames; stop at the session's end or error."""
        for _ in range(frames):
            frame_id = self.next_id
            self.next_id += 1
            self.ws.send_bytes(frame_bytes(frame_id))
            while True:
                m = self.ws.receive_json()
                self._handle(m)
                if m["type"] in ("end", "error"):
                    return self.messages
                if m["type"] == "frame" and m["id"] == frame_id:
                    break
        return self.messages

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == kind]
