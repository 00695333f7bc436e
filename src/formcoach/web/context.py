"""What every request of the server shares: its settings, parts and the state of the moment."""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from formcoach.core.private import private_dir
from formcoach.faces import FaceEncoder
from formcoach.store import Store
from formcoach.voice.recognizers import Recognizer
from formcoach.web.analyse import AnalysisJobs
from formcoach.web.parts import LiveParts
from formcoach.web.registry import LiveProfiles
from formcoach.web.settings import ServeSettings
from formcoach.web.speech import AudioShelf

__all__ = ["ServerContext"]


@dataclass(eq=False)
class ServerContext:
    """The server's shared state (one per app).

    Attributes:
        settings: how it runs.
        parts: the models of live sessions.
        shelf: spoken lines waiting for their pages.
        profiles: who is training now.
        jobs: recordings being analysed.
        work_dir: uploads and overlays while they are needed.
        recognizer: the speech recogniser every session shares.
    """

    settings: ServeSettings
    parts: LiveParts
    shelf: AudioShelf = field(default_factory=AudioShelf)
    profiles: LiveProfiles = field(default_factory=LiveProfiles)
    work_dir: Path = field(init=False)
    jobs: AnalysisJobs = field(init=False)
    recognizer: Recognizer = field(init=False)

    def __post_init__(self) -> None:
        if self.settings.work_dir is not None:
            self.work_dir = private_dir(self.settings.work_dir)
            self._tmp = None
        else:
            self._tmp = tempfile.TemporaryDirectory(prefix="formcoach-serve-")
            self.work_dir = Path(self._tmp.name)
        self.jobs = AnalysisJobs(self.work_dir, self.parts.get_exercise)
        self.recognizer = self.parts.recognizer()

    def store(self) -> Store:
        """A connection to the database for one request (close it: use ``with``)."""
        return Store(self.settings.db, validate_exercise=self.parts.get_exercise)

    @functools.cached_property
    def photo_faces(self) -> FaceEncoder | None:
        """The face model for enrolment photos (loaded on first use), or ``None``."""
        return self.parts.photo_faces()

    def close(self) -> None:
        self.jobs.close()
        close = getattr(self.recognizer, "close", None)
        if close is not None:
            close()
        if self._tmp is not None:
            self._tmp.cleanup()
