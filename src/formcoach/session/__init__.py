"""The coached session: face login, spoken dialogue, the workout of the day, spoken feedback.

:class:`Coach` runs the scenario with everything injected; :func:`formcoach.session.run`
builds the real parts (camera or video, MediaPipe, the counter, the judge, espeak-ng,
pocketsphinx, dlib, SQLite) and runs it.
"""

from formcoach.session.coach import Coach, SessionConfig
from formcoach.session.results import RepOutcome, SessionResult, SetResult
from formcoach.session.training import TrainingSettings

__all__ = [
    "Coach",
    "RepOutcome",
    "SessionConfig",
    "SessionResult",
    "SetResult",
    "TrainingSettings",
]
