"""Enrolled faces and the decision "who is this?", with the tolerance behind it.

Tolerance: dlib documents 0.6 as the distance at which its ResNet descriptor separates
same-person from different-person pairs on LFW (99.38 % pair accuracy), a balanced operating
point; face_recognition's author suggests trying 0.5 when false matches matter, and users
report false matches at 0.6 for faces under-represented in dlib's training data. A trainer
that opens somebody else's profile corrupts two histories, while one that fails to recognise
you just looks again (the live loop sees many frames, see :class:`Vote`), so formcoach takes
the strict side. Measured on the dev photos (``python benchmarks/face_distances.py
../shared/data/faces``): the same person 0.07-0.41, and at most 0.45 when the face is shrunk
to 30-45 pixels, blurred or JPEG-compressed hard; different people 0.70-0.90, and at least
0.65 under the same degradations. 0.55 sits in the middle of that gap (0.45-0.65), 0.10 from
each side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from formcoach.faces.types import ENCODING_SIZE, FaceBox, FaceEncoder, Match

__all__ = ["TOLERANCE", "Gallery", "Vote", "identify", "identify_all"]

#: Largest descriptor distance still taken as the same person.
TOLERANCE = 0.55


class Gallery:
    """The enrolled faces: one or more (128,) encodings per profile name.

    Args:
        entries: (name, encoding) pairs; a name may repeat (several photos of one person).
    """

    def __init__(self, entries: Iterable[tuple[str, np.ndarray]] = ()) -> None:
        names: list[str] = []
        rows: list[np.ndarray] = []
        for name, enc in entries:
            e = np.asarray(enc, dtype=np.float64).reshape(-1)
            if e.shape != (ENCODING_SIZE,):
                raise ValueError(
                    f"encoding of {name!r}: expected {ENCODING_SIZE} numbers, got {e.shape}"
                )
            names.append(name)
            rows.append(e)
        self._names = np.array(names, dtype=object)
        self._encodings = np.stack(rows) if rows else np.zeros((0, ENCODING_SIZE))
        self.names: tuple[str, ...] = tuple(dict.fromkeys(names))

    @classmethod
    def from_store(cls, store) -> Gallery:
        """Every encoding in a :class:`~formcoach.store.Store`."""
        return cls(store.face_encodings())

    def __len__(self) -> int:
        return len(self._names)

    def distances(self, encoding: np.ndarray) -> dict[str, float]:
        """Distance from a (128,) encoding to each profile's nearest enrolled encoding."""
        if not len(self._names):
            return {}
        d = np.linalg.norm(self._encodings - np.asarray(encoding, dtype=np.float64), axis=1)
        out: dict[str, float] = {}
        for name, dist in zip(self._names, d, strict=True):
            out[name] = min(out.get(name, np.inf), float(dist))
        return out

    def match(
        self, encoding: np.ndarray, tolerance: float = TOLERANCE, box: FaceBox | None = None
    ) -> Match:
        """The nearest profile when it is within ``tolerance``, else an unknown face."""
        ranked = sorted(self.distances(encoding).items(), key=lambda kv: kv[1])
        if not ranked:
            return Match(None, float("inf"), box)
        (best, dist), runner = ranked[0], (ranked[1] if len(ranked) > 1 else None)
        if dist <= tolerance:
            return Match(best, dist, box, runner)
        return Match(None, dist, box, (best, dist))


def identify(
    image: np.ndarray, encoder: FaceEncoder, gallery: Gallery, tolerance: float = TOLERANCE
) -> Match:
    """Who the largest face in a (H, W, 3) BGR image is (``Match.box`` is None: no face)."""
    faces = encoder.faces(image, limit=1)
    if not faces:
        return Match(None, float("inf"))
    face = max(faces, key=lambda f: f.box.area)
    return gallery.match(face.encoding, tolerance, face.box)


def identify_all(
    image: np.ndarray, encoder: FaceEncoder, gallery: Gallery, tolerance: float = TOLERANCE
) -> list[Match]:
    """A match for every face in the image, largest first."""
    return [gallery.match(f.encoding, tolerance, f.box) for f in encoder.faces(image)]


@dataclass
class Vote:
    """Decide who is in front of the camera from several frames, not one.

    Feed it one :class:`Match` per frame; it decides once ``needed`` frames with a face
    agree (a name, or "unknown"), ignoring frames without a face. One odd frame (motion
    blur, a turned head) therefore neither logs somebody in nor turns them away.

    Attributes:
        needed: agreeing frames required.
    """

    needed: int = 3

    def __post_init__(self) -> None:
        if self.needed < 1:
            raise ValueError(f"needed must be at least 1, got {self.needed}")
        self._counts: Counter[str | None] = Counter()
        self._best: dict[str | None, Match] = {}

    def add(self, match: Match) -> Match | None:
        """Count one frame's match; return the decided match once there is one."""
        if not match.face_found:
            return None
        self._counts[match.name] += 1
        best = self._best.get(match.name)
        if best is None or match.distance < best.distance:
            self._best[match.name] = match
        return self.decision

    @property
    def decision(self) -> Match | None:
        """The match seen in ``needed`` frames (the closest of them), or ``None`` yet."""
        for name, n in self._counts.most_common():
            if n >= self.needed:
                return self._best[name]
        return None

    def reset(self) -> None:
        self._counts.clear()
        self._best.clear()
