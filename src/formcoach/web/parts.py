"""The models and engines a live web session is built from, as factories (fakes in tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from formcoach.core.errors import FormcoachError
from formcoach.faces import LIVE, PHOTO, DlibFaces, FaceEncoder
from formcoach.form.exercises import get_exercise, list_exercises
from formcoach.pose.estimator import BlazePose, PoseEstimator
from formcoach.session.run import default_parts
from formcoach.session.settings import TrainingSettings
from formcoach.session.training import RepJudge, StreamingCounter
from formcoach.voice.espeak import espeak_synth
from formcoach.voice.process import ProcessRecognizer
from formcoach.voice.recognizers import Recognizer
from formcoach.voice.speaker import Synthesizer

__all__ = ["LiveParts"]


def _live_faces() -> FaceEncoder | None:
    """dlib's face model set for camera frames, or ``None`` when it is not installed."""
    try:
        return DlibFaces(LIVE)
    except FormcoachError:
        return None


def _photo_faces() -> FaceEncoder | None:
    """dlib's face model set for enrolment photos, or ``None`` when it is not installed."""
    try:
        return DlibFaces(PHOTO)
    except FormcoachError:
        return None


def _counter(exercise: Any) -> StreamingCounter:
    return default_parts()[0](exercise)


def _judge(exercise: Any) -> RepJudge:
    return default_parts()[1](exercise)


@dataclass(frozen=True)
class LiveParts:
    """Factories of everything a live session needs; the defaults are the real ones.

    Attributes:
        estimator: a new pose model (one per session: it tracks one person).
        get_exercise: an exercise by name (unknown names raise ``FormcoachError``).
        exercises: every exercise of the library (for the pages' lists).
        make_counter: exercise -> streaming rep counter.
        make_judge: exercise -> judge.
        faces: the face model for logging in by face (``None``: profiles are picked).
        photo_faces: the face model for enrolment photos and snapshots.
        synth: the voice.
        recognizer: speech to intent, made once per server and shared by its sessions (the
            default decodes in a child process: see :mod:`formcoach.voice.process`).
        training: how sets run (the same defaults as ``formcoach session``).
        identify_timeout_s: how long to look for a known face.
    """

    estimator: Callable[[], PoseEstimator] = BlazePose
    get_exercise: Callable[[str], Any] = get_exercise
    exercises: Callable[[], list[Any]] = list_exercises
    make_counter: Callable[[Any], StreamingCounter] = _counter
    make_judge: Callable[[Any], RepJudge] = _judge
    faces: Callable[[], FaceEncoder | None] = _live_faces
    photo_faces: Callable[[], FaceEncoder | None] = _photo_faces
    synth: Callable[[], Synthesizer] = espeak_synth
    recognizer: Callable[[], Recognizer] = ProcessRecognizer
    training: TrainingSettings = field(default_factory=TrainingSettings)
    identify_timeout_s: float = 30.0
