"""Labelled form material, read into pose sequences, each item in its tuning or validation part.

Three layouts (see ``../shared/data/README.md``):

- **labelled files** (``labels.csv``: ``file, exercise, label``; Pose Trainer, mp17, pushfit): one
  recording per file, correct or incorrect. A ``clips.csv`` (``file, width, height, fps``) next
  to it gives each recording's frame size and rate. Split by file within exercise and label.
- **clips** (``ground_truth.csv``, ``videos/``): real videos run through the pose model once
  (:func:`formcoach.pose.cache.cached_poses`), labelled correct / incorrect where its
  ``form_label`` column says so. Split by source, as for counting.
- **frame-level files** (``*.csv`` with a ``label`` column and ``<joint>_x/_y/_z/_v`` columns;
  ``framelevel/``): one row per frame. A run of consecutive frames with one label is a
  contiguous block: that is the unit judged and split (within file and label), never single
  frames. What each label means is the data set's own (:data:`FRAME_LABELS`).
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import COMMON, COMMON_JOINTS
from formcoach.eval.recordings import repeats
from formcoach.eval.splits import Part, clip_source, split
from formcoach.form.exercises import Exercise, get_exercise, match_exercise
from formcoach.pose.cache import cached_poses
from formcoach.pose.keypoints import NobodyInFile, load_keypoints

__all__ = [
    "FRAME_LABELS",
    "FrameRun",
    "LabelledFile",
    "is_frame_level",
    "read_clips",
    "read_frame_level",
    "read_labels",
]

#: Frame-level files: file stem -> (exercise, label -> the cues that name its fault; an empty
#: tuple for correct form, None for a label that says nothing about form).
FRAME_LABELS: dict[str, tuple[str, dict[str, tuple[str, ...] | None]]] = {
    "bicep_curl_test": (
        "bicep curl",
        {"C": (), "L": ("Stand tall: don't lean back as you curl.",)},
    ),
    "lunge_knee_over_toe_test": (
        "lunge",
        {"C": (), "L": ("Keep your front knee over your ankle, not past your toes.",)},
    ),
    "plank_test": (
        "plank",
        {
            "C": (),
            "H": ("Lower your hips: keep one straight line.",),
            "L": ("Lift your hips: don't let them sag.",),
        },
    ),
    "squat_stage_test": ("squat", {"up": None, "down": None}),
}

#: Frame-level coordinates are fractions of a frame of unknown size; 16:9 is assumed.
FRAME_LEVEL_ASPECT = 16 / 9


@dataclass(frozen=True, eq=False)
class LabelledFile:
    """One labelled recording: its poses and whether its form is correct.

    Attributes:
        file: its name in the data set.
        exercise: the data set's exercise name (``"shoulderpress"``).
        correct: the label (None: a clip without a form label).
        seq: the raw poses.
        part: ``"tune"`` or ``"validate"``.
    """

    file: str
    exercise: str
    correct: bool | None
    seq: PoseSequence
    part: Part = "validate"


def _clip_info(folder: Path) -> dict[str, tuple[tuple[int, int] | None, float | None]]:
    """``clips.csv``: file -> (frame size, fps)."""
    path = folder / "clips.csv"
    if not path.is_file():
        return {}
    out = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            w, h, fps = row.get("width"), row.get("height"), row.get("fps")
            size = (int(float(w)), int(float(h))) if w and h else None
            out[row["file"]] = (size, float(fps) if fps else None)
    return out


def _label_rows(folder: Path) -> list[dict[str, str]]:
    labels = folder / "labels.csv"
    if not labels.is_file():
        raise FormcoachError(
            f"{str(folder)!r} has no labels.csv",
            "pass a folder laid out like ../shared/data/form/posetrainer "
            "(labels.csv with columns file, exercise, label)",
        )
    try:
        with labels.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = {"file", "exercise", "label"} - set(reader.fieldnames or ())
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise FormcoachError(f"cannot read {labels} ({e})", "save it as UTF-8 CSV") from None
    if missing:
        raise FormcoachError(
            f"{labels} lacks the column(s) {', '.join(sorted(missing))}",
            "labels.csv needs the columns file, exercise, label",
        )
    for row in rows:
        label = (row["label"] or "").strip().lower()
        if label not in ("correct", "incorrect") or not (row["file"] or "").strip():
            raise FormcoachError(
                f"{labels}: label {row['label']!r} for {row['file']!r}",
                "every row needs a file and the label correct or incorrect",
            )
        row["exercise"] = row["exercise"] or ""
    if not rows:
        raise FormcoachError(f"{labels} lists no files", "add rows: file, exercise, label")
    return rows


def read_labels(
    folder: str | Path, frame_size: tuple[int, int] | None = None, fps: float | None = None
) -> list[LabelledFile]:
    """Read ``labels.csv`` (``file, exercise, label``) and the pose files it names.

    Frame size and rate come from ``clips.csv`` when it lists the file, else from the
    arguments. Each file is put in its part: by file, within exercise and label; a file that
    repeats an earlier file's recording (:func:`formcoach.eval.recordings.repeats`) goes with it.

    Raises:
        FormcoachError: no labels.csv, missing columns, an unknown label or a missing file.
    """
    folder = Path(folder)
    rows = _label_rows(folder)
    info = _clip_info(folder)
    parts = split(
        (r["file"], f"{r['exercise'].strip()}:{r['label'].strip().lower()}") for r in rows
    )
    seqs = {}
    for row in rows:
        size, rate = info.get(row["file"], (None, None))
        try:
            seq = load_keypoints(
                folder / row["file"], fps=rate or fps, frame_size=size or frame_size
            )
        except NobodyInFile as e:  # a recording of nobody: judged as one without a rep
            seq = e.seq
        seqs[row["file"]] = seq
    for again, first in repeats(seqs.items()).items():  # one recording, one part
        parts[again] = parts[first]
    out = []
    for row in rows:
        correct = row["label"].strip().lower() == "correct"
        out.append(
            LabelledFile(
                row["file"], row["exercise"].strip(), correct, seqs[row["file"]], parts[row["file"]]
            )
        )
    return out


def read_clips(folder: str | Path) -> list[LabelledFile]:
    """Clips of ``ground_truth.csv`` that name a built-in exercise, with their poses (pose
    cache): correct / incorrect where ``form_label`` says so, else ``correct=None``. Split by
    source over every clip of the file, as counting splits them."""
    folder = Path(folder)
    with (folder / "ground_truth.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    parts = split((clip_source(r["file"]), "clips") for r in rows)
    out = []
    for row in rows:
        ex = match_exercise(row.get("exercise", ""))
        if ex is None:
            continue
        label = (row.get("form_label") or "").strip().lower()
        correct = {"correct": True, "incorrect": False}.get(label)
        seq = cached_poses(folder / row["file"])
        out.append(
            LabelledFile(row["file"], ex.name, correct, seq, parts[clip_source(row["file"])])
        )
    return out


@dataclass(frozen=True, eq=False)
class FrameRun:
    """A run of consecutive frames with one label in a frame-level file.

    Attributes:
        file: the file's stem.
        exercise: the built-in exercise.
        label: the data set's label.
        cues: the cues that name its fault (empty: correct form; None: no form label).
        start: its first frame in the file.
        seq: its poses (COMMON skeleton, 30 fps assumed).
        part: ``"tune"`` or ``"validate"``.
    """

    file: str
    exercise: Exercise
    label: str
    cues: tuple[str, ...] | None
    start: int
    seq: PoseSequence
    part: Part = "validate"


def is_frame_level(path: Path) -> bool:
    """A CSV whose header has a ``label`` column and joint coordinates."""
    if path.suffix != ".csv" or not path.is_file():
        return False
    with path.open(newline="") as fh:
        header = next(csv.reader(fh), [])
    return "label" in header and any(h.endswith("_x") for h in header)


def _frames(path: Path) -> tuple[list[str], PoseSequence]:
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    xy = np.full((len(rows), len(COMMON_JOINTS), 2), np.nan)
    vis = np.zeros((len(rows), len(COMMON_JOINTS)))
    for t, r in enumerate(rows):
        for j, n in enumerate(COMMON_JOINTS):
            if f"{n}_x" in r:
                xy[t, j] = (float(r[f"{n}_x"]) * FRAME_LEVEL_ASPECT, float(r[f"{n}_y"]))
                vis[t, j] = min(1.0, max(1e-3, float(r[f"{n}_v"])))
    seq = PoseSequence(xy, vis, np.arange(len(rows)) / 30.0, COMMON)
    return [r["label"].strip() for r in rows], seq


def _by_movement(runs: list[tuple[str, int, int]], rest: str) -> list[tuple[str, int, int]]:
    """Runs of a file labelled by stage only (``up``/``down``), regrouped into stretches cut
    in the middle of each run of the ``rest`` stage: one movement each, labelled ``"stage"``."""
    cuts = [0] + [(a + b) // 2 for lab, a, b in runs if lab == rest][1:] + [runs[-1][2]]
    return [("stage", a, b) for a, b in itertools.pairwise(cuts) if b > a]


def read_frame_level(path: str | Path) -> list[FrameRun]:
    """The runs of a frame-level file, each in its part (by run, within file and label). A
    file labelled by stage only is cut into one stretch per movement instead.

    Raises:
        FormcoachError: a file whose labels formcoach does not know the meaning of.
    """
    path = Path(path)
    if path.stem not in FRAME_LABELS:
        raise FormcoachError(
            f"{path.name}: formcoach does not know what its labels mean",
            f"frame-level files it knows: {', '.join(sorted(FRAME_LABELS))}",
        )
    name, meaning = FRAME_LABELS[path.stem]
    exercise = get_exercise(name)
    labels, seq = _frames(path)
    runs: list[tuple[str, int, int]] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            runs.append((labels[start], start, i))
            start = i
    if all(meaning.get(lab) is None for lab, _a, _b in runs):
        runs = _by_movement(runs, labels[0])
    parts = split((f"{path.stem}@{a}", f"{path.stem}:{lab}") for lab, a, _b in runs)
    return [
        FrameRun(path.stem, exercise, lab, meaning.get(lab), a, seq[a:b], parts[f"{path.stem}@{a}"])
        for lab, a, b in runs
    ]
