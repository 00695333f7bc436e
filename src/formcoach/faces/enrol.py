"""Enrolling a person: face encodings from photos or camera frames, checked, then stored."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.faces.gallery import TOLERANCE, Gallery
from formcoach.faces.images import load_image
from formcoach.faces.types import Face, FaceEncoder

__all__ = [
    "ENROL_JITTERS",
    "EnrolResult",
    "enrol",
    "face_from_image",
    "face_from_photo",
    "faces_from_frames",
]

#: Enrolment photos are described from this many jittered crops (dlib: "a higher number
#: makes the descriptor more accurate but slower"); done once per photo, ~0.6 s.
ENROL_JITTERS = 10
#: A second face at least this share of the largest one's area makes a photo ambiguous.
AMBIGUOUS_AREA = 0.5


def face_from_image(
    image: np.ndarray, encoder: FaceEncoder, what: str, jitters: int = ENROL_JITTERS
) -> Face:
    """The one clear face in a (H, W, 3) BGR image.

    Raises:
        FormcoachError: no face, or two faces of similar size (whose would it be?).
    """
    faces = encoder.faces(image, jitters=jitters, limit=2)
    if not faces:
        raise FormcoachError(
            f"no face found in {what}",
            "use a photo where the face is lit, turned to the camera and at least 80 pixels wide",
        )
    if len(faces) > 1 and faces[1].box.area >= AMBIGUOUS_AREA * faces[0].box.area:
        raise FormcoachError(
            f"{what} shows more than one face", "use a photo of this person alone (or crop it)"
        )
    return faces[0]


def face_from_photo(path: str | Path, encoder: FaceEncoder, jitters: int = ENROL_JITTERS) -> Face:
    """The one clear face in a photo file (see :func:`face_from_image`)."""
    return face_from_image(load_image(path), encoder, f"the photo {str(path)!r}", jitters)


def faces_from_frames(
    frames: Iterable[np.ndarray],
    encoder: FaceEncoder,
    want: int = 5,
    every: int = 3,
    tolerance: float = TOLERANCE,
) -> list[Face]:
    """``want`` face encodings of the one person in front of the camera.

    Takes every ``every``-th frame with exactly one clear face (so the captures differ a
    little: head turns, expressions), then keeps those that agree with their medoid.

    Raises:
        FormcoachError: too few clear faces before the frames ran out, or faces that do not
            agree (two people taking turns?).
    """
    got: list[Face] = []
    seen = clear = 0
    for image in frames:
        seen += 1
        faces = encoder.faces(image, limit=2)
        if not faces or (
            len(faces) > 1 and faces[1].box.area >= AMBIGUOUS_AREA * faces[0].box.area
        ):
            continue
        clear += 1
        if (clear - 1) % every == 0:
            got.append(faces[0])
            if len(got) >= want:
                break
    if len(got) < max(1, min(want, 2)):
        raise FormcoachError(
            f"saw one clear face in only {clear} of {seen} frames",
            "stand alone in front of the camera, face it in good light, and try again",
        )
    encs = np.stack([f.encoding for f in got])
    d = np.linalg.norm(encs[:, None] - encs[None], axis=2)
    medoid = int(np.argmin(d.sum(axis=1)))
    keep = [f for f, dist in zip(got, d[medoid], strict=True) if dist <= tolerance]
    if len(keep) < math.ceil(0.75 * len(got)):  # one odd capture in four is tolerated
        raise FormcoachError(
            "the faces seen do not look like one person",
            "make sure only the person to enrol is in view, and try again",
        )
    return keep


@dataclass(frozen=True)
class EnrolResult:
    """What an enrolment did."""

    name: str
    created: bool
    added: int
    total: int


def enrol(
    store,
    name: str,
    faces: Sequence[tuple[Face, str]],
    tolerance: float = TOLERANCE,
    force: bool = False,
) -> EnrolResult:
    """Store face encodings for a profile (created when new), after two safety checks.

    A face that matches *another* profile, or one that does not match the faces already
    enrolled for this profile, is refused unless ``force``: either is usually a wrong
    photo, and would make formcoach open the wrong person's history.

    Args:
        store: a :class:`~formcoach.store.Store`.
        name: the profile.
        faces: (face, where it came from) pairs.

    Raises:
        FormcoachError: no faces, or a safety check failed.
    """
    if not faces:
        raise FormcoachError("nothing to enrol", "pass --photo PHOTO or --camera N")
    existing = store.find_profile(name)
    shown = existing.name if existing else name
    others = Gallery(
        (n, e) for n, e in store.face_encodings() if existing is None or n != existing.name
    )
    own = Gallery(store.face_encodings(existing.name)) if existing else Gallery()
    for face, source in faces:
        if force:
            break
        m = others.match(face.encoding, tolerance)
        if m.known:
            raise FormcoachError(
                f"the face in {source} looks like {m.name!r}, who is already enrolled "
                f"(distance {m.distance:.2f} <= {tolerance})",
                f"check the photo; to enrol it as {shown!r} anyway, pass --force",
            )
        if len(own):
            d = min(own.distances(face.encoding).values())
            if d > tolerance:
                raise FormcoachError(
                    f"the face in {source} does not look like the {shown!r} already enrolled "
                    f"(distance {d:.2f} > {tolerance})",
                    "check the photo, or pass --force if it is really the same person",
                )
    with store.writer.transaction():
        created = existing is None
        profile = store.add_profile(name) if created else existing
        for face, source in faces:
            store.add_face(profile.name, face.encoding, source)
    return EnrolResult(profile.name, created, len(faces), len(store.face_encodings(profile.name)))
