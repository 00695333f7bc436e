"""Who is in front of the camera: wait for a person, then recognise their face.

The largest face decides (the trainee stands closest); several frames must agree
(:class:`~formcoach.faces.Vote`) so one blurred frame neither logs someone in nor turns them
away. Face detection is slow next to the pose model, so only a few frames a second are
examined; a live camera drops the frames in between instead of lagging.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.faces import Face, FaceEncoder, Gallery, Vote, load_image
from formcoach.pose.pipeline import Step
from formcoach.session.feed import Feed

__all__ = ["Identity", "identify_from_feed", "identify_from_photo"]


@dataclass(frozen=True)
class Identity:
    """The outcome of identification.

    Attributes:
        name: the recognised profile, or ``None`` for a stranger.
        face: the largest face seen (to enrol a stranger), ``None`` when no face was seen.
        distance: distance to the nearest enrolled face.
        how: ``"photo"`` or ``"camera"``.
    """

    name: str | None
    face: Face | None
    distance: float
    how: str


def identify_from_photo(path: str | Path, encoder: FaceEncoder, gallery: Gallery) -> Identity:
    """Recognise the largest face of a photo.

    Raises:
        FormcoachError: the photo cannot be read or shows no face.
    """
    faces = encoder.faces(load_image(path), limit=1)
    if not faces:
        raise FormcoachError(
            f"no face found in {str(path)!r}",
            "use a photo where the face is clearly visible, or pass --profile NAME",
        )
    face = max(faces, key=lambda f: f.box.area)
    m = gallery.match(face.encoding, box=face.box)
    return Identity(m.name, face, m.distance, "photo")


#: Seconds without a person before asking them to step in, and without a face before asking
#: them to face the camera.
ASK_STEP_IN_S, ASK_FACE_S = 3.0, 5.0


def _steps(feed: Feed, timeout_s: float) -> Iterator[Step]:
    """The feed's steps for ``timeout_s`` seconds of source time.

    Raises:
        FormcoachError: the source ended first.
    """
    t0 = None
    while True:
        step = feed.next()
        if step is None:
            raise FormcoachError(
                "the video ended before anyone could be recognised",
                "pass --profile NAME or --face PHOTO",
            )
        t0 = step.pose.timestamp if t0 is None else t0
        yield step
        if step.pose.timestamp - t0 > timeout_s:
            return


class _Once:
    """Says each line at most once."""

    def __init__(self, say: Callable[[str], object]) -> None:
        self.say = say
        self.said: set[str] = set()

    def __call__(self, line: str) -> None:
        if line not in self.said:
            self.said.add(line)
            self.say(line)


def identify_from_feed(
    feed: Feed,
    encoder: FaceEncoder,
    gallery: Gallery,
    say: Callable[[str], object],
    timeout_s: float = 20.0,
    every_s: float = 0.3,
    votes: int = 3,
) -> Identity:
    """Wait for a person, then recognise them from several frames of the feed.

    Args:
        feed: the camera (or a video standing in for it).
        encoder: the face model.
        gallery: the enrolled faces.
        say: speaks a line (to ask the person to step in or face the camera).
        timeout_s: seconds of source time to wait for a decision.
        every_s: look for faces this often.
        votes: frames that must agree.

    Raises:
        FormcoachError: the source ended, or no face was seen before the timeout.
    """
    vote = Vote(votes)
    t0 = t_face = None
    largest: Face | None = None
    ask_once = _Once(say)
    for step in _steps(feed, timeout_s):
        t = step.pose.timestamp
        t0 = t if t0 is None else t0
        if not step.raw.detected:
            if t - t0 > ASK_STEP_IN_S:
                ask_once("Please step in front of the camera.")
            continue
        if step.image is None or (t_face is not None and t - t_face < every_s):
            continue
        t_face = t
        faces = encoder.faces(step.image, limit=1)
        if not faces:
            if t - t0 > ASK_FACE_S:
                ask_once("Please face the camera for a moment so I can see who you are.")
            continue
        face = max(faces, key=lambda f: f.box.area)
        if largest is None or face.box.area >= largest.box.area:
            largest = face
        decided = vote.add(gallery.match(face.encoding, box=face.box))
        if decided is not None:
            return Identity(decided.name, largest, decided.distance, "camera")
    if largest is None:
        raise FormcoachError(
            f"no face was seen in {timeout_s:.0f} s",
            "face the camera in good light, or pass --profile NAME",
        )
    m = gallery.match(largest.encoding, box=largest.box)
    return Identity(m.name, largest, m.distance, "camera")
