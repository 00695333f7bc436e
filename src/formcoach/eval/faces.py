"""``formcoach eval faces``: enrol, verify, reject and count faces on a labelled folder.

The folder holds photos and ``labels.csv`` with columns ``file, people, role``: ``enroll``
(enrol that person from it), ``verify`` (another photo of an enrolled person: must be
identified), ``unknown`` (a person never enrolled: must be rejected), ``multi`` (several
people, ``;``-separated: every face must be found).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.faces.enrol import ENROL_JITTERS
from formcoach.faces.gallery import TOLERANCE, Gallery
from formcoach.faces.images import load_image
from formcoach.faces.types import FaceEncoder

__all__ = ["ROLES", "FaceEvaluation", "evaluate_faces", "read_labels"]

ROLES = ("enroll", "verify", "unknown", "multi")


@dataclass(frozen=True)
class LabelRow:
    file: str
    people: tuple[str, ...]
    role: str


def read_labels(folder: Path) -> list[LabelRow]:
    """The rows of ``folder/labels.csv``.

    Raises:
        FormcoachError: missing file or columns, an unknown role, a missing photo.
    """
    path = Path(folder) / "labels.csv"
    if not path.is_file():
        raise FormcoachError(
            f"no labels.csv in {str(folder)!r}",
            "give a folder laid out like ../shared/data/faces (labels.csv: file, people, role)",
        )
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        cols = {c.strip() for c in reader.fieldnames or []}
        if not {"file", "people", "role"} <= cols:
            raise FormcoachError(
                f"{path} has columns {sorted(cols)}", "it needs the columns file, people, role"
            )
        rows = []
        for k, r in enumerate(reader, start=2):
            r = {key.strip(): (v or "").strip() for key, v in r.items() if key}
            role = r["role"].lower()
            if role not in ROLES:
                raise FormcoachError(
                    f"{path}, line {k}: unknown role {r['role']!r}", f"use one of {ROLES}"
                )
            if not (Path(folder) / r["file"]).is_file():
                raise FormcoachError(
                    f"{path}, line {k}: no such photo {r['file']!r}", "fix the file name"
                )
            people = tuple(p.strip() for p in r["people"].split(";") if p.strip())
            rows.append(LabelRow(r["file"], people, role))
    return rows


@dataclass
class FaceEvaluation:
    """Figures and per-photo details of one evaluation."""

    verify_correct: int = 0
    verify_total: int = 0
    unknown_rejected: int = 0
    unknown_total: int = 0
    multi_found: int = 0
    multi_expected: int = 0
    multi_detected: int = 0
    enrolled: list[str] = field(default_factory=list)
    enrol_failures: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        def share(a: int, n: int) -> float | None:
            return round(a / n, 4) if n else None

        return {
            "verify_accuracy": share(self.verify_correct, self.verify_total),
            "unknown_rejection": share(self.unknown_rejected, self.unknown_total),
            "multi_faces_found": self.multi_found,
            "multi_faces_expected": self.multi_expected,
            "multi_faces_detected": self.multi_detected,
            "n_verify": self.verify_total,
            "n_unknown": self.unknown_total,
            "enrolled": self.enrolled,
            "enrol_failures": self.enrol_failures,
        }


def evaluate_faces(
    folder: str | Path, encoder: FaceEncoder, tolerance: float = TOLERANCE
) -> FaceEvaluation:
    """Enrol the ``enroll`` rows, then score the ``verify``, ``unknown`` and ``multi`` rows.

    A ``multi`` photo's faces count as found when each enrolled person listed is identified
    on a distinct face, and each person not enrolled is matched by a further face that
    identifies as nobody; faces of people not listed do not count.
    """
    folder = Path(folder)
    rows = read_labels(folder)
    ev = FaceEvaluation()
    entries = []
    for r in (r for r in rows if r.role == "enroll"):
        faces = encoder.faces(load_image(folder / r.file), jitters=ENROL_JITTERS, limit=1)
        if not faces or len(r.people) != 1:
            ev.enrol_failures.append(r.file)
            ev.rows.append({"file": r.file, "role": r.role, "ok": False, "faces": len(faces)})
            continue
        entries.append((r.people[0], faces[0].encoding))
        ev.enrolled.append(r.people[0])
        ev.rows.append({"file": r.file, "role": r.role, "ok": True, "faces": 1})
    gallery = Gallery(entries)
    for r in rows:
        if r.role in ("enroll",):
            continue
        image = load_image(folder / r.file)
        limit = None if r.role == "multi" else 1
        matches = [
            gallery.match(f.encoding, tolerance, f.box) for f in encoder.faces(image, limit=limit)
        ]
        detail = {
            "file": r.file,
            "role": r.role,
            "expected": list(r.people),
            "got": [m.name for m in matches],
            "distances": [round(m.distance, 3) for m in matches],
            "faces": len(matches),
        }
        if r.role == "verify":
            ok = bool(matches) and matches[0].name == (r.people[0] if r.people else None)
            ev.verify_total += 1
            ev.verify_correct += ok
        elif r.role == "unknown":
            ok = not matches or matches[0].name is None
            ev.unknown_total += 1
            ev.unknown_rejected += ok
        else:
            found = _multi_found(r.people, [m.name for m in matches], set(gallery.names))
            ev.multi_found += found
            ev.multi_expected += len(r.people)
            ev.multi_detected += len(matches)
            ok = found == len(r.people)
        detail["ok"] = ok
        ev.rows.append(detail)
    return ev


def _multi_found(people: tuple[str, ...], got: list[str | None], enrolled: set[str]) -> int:
    remaining = list(got)
    found = 0
    for person in (p for p in people if p in enrolled):
        if person in remaining:
            remaining.remove(person)
            found += 1
    unknown_faces = sum(1 for g in remaining if g is None)
    strangers = sum(1 for p in people if p not in enrolled)
    return found + min(strangers, unknown_faces)
