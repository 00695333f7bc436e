"""Evaluating the counter on labelled folders, in the two layouts of ``../shared/data``.

- **RepCount** (``counting/repcount``): ``labels.json`` (a list of ``{file, count,
  boundaries, ...}``) and ``poses/*.npy`` keypoint rows. Only ``file``, ``count`` and
  ``boundaries`` are read: the class label is never looked at.
- **Videos** (``videos``): ``ground_truth.csv`` with ``file`` and ``gt_count`` (rows without a
  count are skipped) and the clips beside it; poses come from the pose cache
  (:func:`formcoach.pose.cache.cached_poses`), so the model runs once per clip.

Scores are the RepCount-A ones: MAE is the mean of ``|predicted - true| / true`` and OBO the
share of clips with ``|predicted - true| <= 1``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.rep import ExerciseHint, Rep

__all__ = [
    "CountEval",
    "CountItem",
    "LabelledClip",
    "evaluate_counting",
    "find_clips",
    "load_clip",
]

LAYOUT_HINT = (
    "pass a folder with labels.json and poses/*.npy (RepCount layout) or with "
    "ground_truth.csv and the video clips (videos layout)"
)


@dataclass(frozen=True)
class LabelledClip:
    """One labelled clip.

    Attributes:
        file: path relative to the folder, as the labels name it.
        path: the file itself.
        count: the true number of repetitions.
        kind: ``"keypoints"`` (RepCount rows) or ``"video"``.
        ends: labelled end frame of each rep, when the labels give them (RepCount).
    """

    file: str
    path: Path
    count: int
    kind: str
    ends: tuple[int, ...] = ()


@dataclass(frozen=True)
class CountItem:
    """The result on one clip: the true and predicted counts and the reps found."""

    file: str
    true: int
    predicted: int
    reps: tuple[Rep, ...] = field(default=(), repr=False)

    @property
    def error(self) -> float:
        """``|predicted - true| / true`` (``|predicted|`` when the truth is 0)."""
        return abs(self.predicted - self.true) / max(self.true, 1)

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "true": self.true, "predicted": self.predicted}


@dataclass(frozen=True)
class CountEval:
    """Scores over a folder."""

    items: tuple[CountItem, ...]

    @property
    def n(self) -> int:
        return len(self.items)

    @property
    def mae(self) -> float:
        return sum(i.error for i in self.items) / self.n if self.items else float("nan")

    @property
    def obo(self) -> float:
        if not self.items:
            return float("nan")
        return sum(abs(i.predicted - i.true) <= 1 for i in self.items) / self.n

    def as_dict(self) -> dict[str, object]:
        """What ``formcoach eval counting --json`` prints."""
        return {
            "n": self.n,
            "mae": round(self.mae, 4),
            "obo": round(self.obo, 4),
            "items": [i.as_dict() for i in self.items],
        }


def find_clips(root: str | Path) -> list[LabelledClip]:
    """The labelled clips of a folder in either layout.

    Raises:
        FormcoachError: the folder is missing, in neither layout, or its labels are unreadable.
    """
    root = Path(root)
    if not root.is_dir():
        raise FormcoachError(f"no such folder: {str(root)!r}", LAYOUT_HINT)
    if (root / "labels.json").is_file():
        return _repcount_clips(root)
    if (root / "ground_truth.csv").is_file():
        return _video_clips(root)
    raise FormcoachError(f"{str(root)!r} has neither labels.json nor ground_truth.csv", LAYOUT_HINT)


def _repcount_clips(root: Path) -> list[LabelledClip]:
    try:
        rows = json.loads((root / "labels.json").read_text())
        clips = []
        for row in rows:
            bounds = [int(b) for b in row.get("boundaries") or []]
            clips.append(
                LabelledClip(
                    str(row["file"]),
                    root / str(row["file"]),
                    int(row["count"]),
                    "keypoints",
                    tuple(bounds[1::2]),
                )
            )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise FormcoachError(
            f"cannot read {str(root / 'labels.json')!r} ({e})",
            "expected a list of objects with 'file' and 'count'",
        ) from None
    return clips


def _video_clips(root: Path) -> list[LabelledClip]:
    try:
        with (root / "ground_truth.csv").open(newline="") as f:
            rows = list(csv.DictReader(f))
        clips = [
            LabelledClip(r["file"], root / r["file"], int(r["gt_count"]), "video")
            for r in rows
            if (r.get("gt_count") or "").strip()
        ]
    except (OSError, ValueError, KeyError, TypeError, csv.Error) as e:
        raise FormcoachError(
            f"cannot read {str(root / 'ground_truth.csv')!r} ({e})",
            "expected columns 'file' and 'gt_count'",
        ) from None
    return clips


def load_clip(clip: LabelledClip) -> PoseSequence:
    """The raw poses of a clip (from the pose cache for videos)."""
    if clip.kind == "video":
        from formcoach.pose.cache import cached_poses

        return cached_poses(clip.path, progress=False)
    from formcoach.pose.keypoints import load_keypoints

    return load_keypoints(clip.path)


def evaluate_counting(
    root: str | Path,
    exercise: ExerciseHint | None = None,
    progress: bool | None = None,
    on_item: Callable[[CountItem], None] | None = None,
) -> CountEval:
    """Count every labelled clip of ``root`` and score the counts.

    Args:
        root: a folder in the RepCount or the videos layout.
        exercise: counts every clip as this exercise; ``None`` is class-agnostic.
        progress: show a progress bar (default: when stderr is a terminal).
        on_item: called with each clip's result as soon as it is known.
    """
    import warnings

    from formcoach.core.progress import progress_bar
    from formcoach.counting.counter import CountWarning, count_reps

    clips = find_clips(root)
    if not clips:
        raise FormcoachError(f"{str(root)!r} lists no clip with a count", LAYOUT_HINT)
    items = []
    with progress_bar(len(clips), "counting reps", progress) as advance:
        for clip in clips:
            seq = load_clip(clip)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CountWarning)
                reps = count_reps(seq, exercise)
            item = CountItem(clip.file, clip.count, len(reps), tuple(reps))
            items.append(item)
            if on_item is not None:
                on_item(item)
            advance(1)
    return CountEval(tuple(items))
