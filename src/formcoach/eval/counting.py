"""Evaluating the counter on labelled folders, in the two layouts of ``../shared/data``.

- **RepCount** (``counting/repcount``): ``labels.json`` (a list of ``{file, count, cls,
  boundaries, ...}``) and ``poses/*.npy`` keypoint rows.
- **Videos** (``videos``): ``ground_truth.csv`` with ``file`` and ``gt_count`` (rows without a
  count are skipped) and the clips beside it; poses come from the pose cache
  (:func:`formcoach.pose.cache.cached_poses`), so the model runs once per clip.

By default the counter never sees a class label: clips are counted class-agnostically. With
``known=True`` each RepCount clip is counted as its class's built-in exercise, as a session
counts, where the user's workout names the exercise. The class (or,
for the videos, the source) also places a clip in the fixed tuning / validation split of
:mod:`formcoach.eval.splits` -- RepCount by clip within class, the videos by source, so a
camera and a person never straddle the split -- and groups the report.

Scores are the RepCount-A ones: MAE is the mean of ``|predicted - true| / true`` and OBO the
share of clips with ``|predicted - true| <= 1``; ``under`` and ``over`` count the clips
counted too low and too high (a counter that generalises has no bias either way).
"""

from __future__ import annotations

import csv
import json
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.progress import progress_bar
from formcoach.core.rep import ExerciseHint, Rep
from formcoach.counting import CountSettings, CountWarning, count_reps
from formcoach.eval.splits import Part, clip_source, split
from formcoach.form.exercises import get_exercise
from formcoach.pose.cache import cached_poses
from formcoach.pose.cleaning import CleanSettings
from formcoach.pose.keypoints import load_keypoints

__all__ = [
    "CountEval",
    "CountItem",
    "LabelledClip",
    "evaluate_counting",
    "find_clips",
    "generalisation",
    "load_clip",
]

LAYOUT_HINT = (
    "pass a folder with labels.json and poses/*.npy (RepCount layout) or with "
    "ground_truth.csv and the video clips (videos layout)"
)
Which = Literal["tune", "validate", "all"]
PART_HINT = "use --part tune, validate or all"
KNOWN_HINT = (
    "counting with the exercise known needs the RepCount layout, whose classes name the "
    "exercise; count the videos class-agnostically"
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
        group: what must not straddle the split (the clip, or the video's source).
        stratum: what the split balances and the report groups by (the class, or the source).
    """

    file: str
    path: Path
    count: int
    kind: str
    ends: tuple[int, ...] = ()
    group: str = ""
    stratum: str = ""


@dataclass(frozen=True)
class CountItem:
    """The result on one clip: the true and predicted counts and the reps found."""

    file: str
    true: int
    predicted: int
    reps: tuple[Rep, ...] = field(default=(), repr=False)
    stratum: str = ""

    @property
    def error(self) -> float:
        """``|predicted - true| / true`` (``|predicted|`` when the truth is 0)."""
        return abs(self.predicted - self.true) / max(self.true, 1)

    def as_dict(self) -> dict[str, str | int]:
        return {"file": self.file, "true": self.true, "predicted": self.predicted}


@dataclass(frozen=True)
class CountEval:
    """Scores over a set of clips."""

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

    @property
    def under(self) -> int:
        """Clips counted too low."""
        return sum(i.predicted < i.true for i in self.items)

    @property
    def over(self) -> int:
        """Clips counted too high."""
        return sum(i.predicted > i.true for i in self.items)

    def by_stratum(self) -> dict[str, CountEval]:
        """The scores of each class (RepCount) or source (videos), sorted by name."""
        groups: dict[str, list[CountItem]] = defaultdict(list)
        for i in self.items:
            groups[i.stratum].append(i)
        return {k: CountEval(tuple(v)) for k, v in sorted(groups.items())}

    def scores(self) -> dict[str, float | int]:
        """n, MAE, OBO, under and over, rounded for printing."""
        return {
            "n": self.n,
            "mae": round(self.mae, 4),
            "obo": round(self.obo, 4),
            "under": self.under,
            "over": self.over,
        }

    def as_dict(self) -> dict[str, object]:
        """What ``formcoach eval counting --json`` prints."""
        return {
            **self.scores(),
            "strata": {k: v.scores() for k, v in self.by_stratum().items()},
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
            file = str(row["file"])
            cls = str(row.get("cls") or "all")
            ends = tuple(bounds[1::2])
            clips.append(
                LabelledClip(file, root / file, int(row["count"]), "keypoints", ends, file, cls)
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
        clips = []
        for r in rows:
            if not (r.get("gt_count") or "").strip():
                continue
            source = clip_source(r["file"])
            clips.append(
                LabelledClip(
                    r["file"], root / r["file"], int(r["gt_count"]), "video", (), source, source
                )
            )
    except (OSError, ValueError, KeyError, TypeError, csv.Error) as e:
        raise FormcoachError(
            f"cannot read {str(root / 'ground_truth.csv')!r} ({e})",
            "expected columns 'file' and 'gt_count'",
        ) from None
    return clips


def parts(clips: Iterable[LabelledClip]) -> dict[str, Part]:
    """file -> ``"tune"`` or ``"validate"``: the fixed split of :mod:`formcoach.eval.splits`
    (RepCount by clip within class; videos by source, all sources in one stratum)."""
    clips = list(clips)
    by_group = split((c.group, c.stratum if c.kind == "keypoints" else "videos") for c in clips)
    return {c.file: by_group[c.group] for c in clips}


def load_clip(clip: LabelledClip) -> PoseSequence:
    """The raw poses of a clip (from the pose cache for videos)."""
    if clip.kind == "video":
        return cached_poses(clip.path, progress=False)
    return load_keypoints(clip.path)


def evaluate_counting(
    root: str | Path,
    exercise: ExerciseHint | None = None,
    progress: bool | None = None,
    on_item: Callable[[CountItem], None] | None = None,
    part: Which = "all",
    settings: CountSettings | None = None,
    clean_settings: CleanSettings | None = None,
    known: bool = False,
) -> CountEval:
    """Count every labelled clip of ``root`` (or of one part of its split) and score.

    Args:
        root: a folder in the RepCount or the videos layout.
        exercise: counts every clip as this exercise; ``None`` is class-agnostic.
        progress: show a progress bar (default: when stderr is a terminal).
        on_item: called with each clip's result as soon as it is known.
        part: ``"tune"``, ``"validate"`` or ``"all"`` clips.
        settings: the counter's settings (its defaults when omitted).
        clean_settings: how the raw poses are cleaned (the pipeline's defaults when omitted).
        known: count each clip as the built-in exercise its class names (RepCount layout
            only; overrides ``exercise``).

    Raises:
        FormcoachError: the folder is unusable, lists no clip, ``part`` is unknown, or
            ``known`` is asked of clips whose class names no built-in exercise.
    """
    if part not in ("tune", "validate", "all"):
        raise FormcoachError(f"unknown part {part!r}", PART_HINT)
    clips = find_clips(root)
    if part != "all":
        where = parts(clips)
        clips = [c for c in clips if where[c.file] == part]
    if not clips:
        raise FormcoachError(f"{str(root)!r} lists no clip with a count", LAYOUT_HINT)
    if known and any(c.kind != "keypoints" for c in clips):
        raise FormcoachError(f"{str(root)!r} is in the videos layout", KNOWN_HINT)
    hints = {c.stratum: get_exercise(c.stratum) for c in clips} if known else {}
    items = []
    with progress_bar(len(clips), "counting reps", progress) as advance:
        for clip in clips:
            seq = load_clip(clip)
            hint = hints.get(clip.stratum, exercise)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CountWarning)
                reps = count_reps(seq, hint, settings, clean_settings)
            item = CountItem(clip.file, clip.count, len(reps), tuple(reps), clip.stratum)
            items.append(item)
            if on_item is not None:
                on_item(item)
            advance(1)
    return CountEval(tuple(items))


def generalisation(
    data_dir: Path, settings: CountSettings | None = None, progress: bool | None = None
) -> dict[str, dict[str, dict[str, object]]]:
    """Counting on the tuning and the validation part of each dev set (class-agnostic, and
    RepCount also with each clip's exercise known).

    Args:
        data_dir: the shared material (``../shared/data``): ``counting/repcount`` and
            ``videos`` are read.
        settings: the counter's settings (its defaults when omitted).
        progress: show a progress bar (default: when stderr is a terminal).

    Returns:
        ``{"repcount": {"tune": S, "validate": S}, "clips": {...}, "repcount_known": {...}}``,
        where ``S`` holds ``n``, ``mae``, ``obo``, ``under``, ``over`` and ``strata`` (the
        same per class for RepCount, per source for the clips); ``repcount_known`` counts each
        clip as its class's built-in exercise, as a session does. JSON-able.
    """
    out: dict[str, dict[str, dict[str, object]]] = {}
    sets = (("repcount", "counting/repcount"), ("clips", "videos"), ("repcount_known", ""))
    for name, folder in sets:
        root = Path(data_dir) / (folder or "counting/repcount")
        where = parts(find_clips(root))
        result = evaluate_counting(
            root, progress=progress, settings=settings, known=name == "repcount_known"
        )
        out[name] = {}
        for p in ("tune", "validate"):
            chosen = CountEval(tuple(i for i in result.items if where[i.file] == p))
            scores = chosen.scores()
            strata = {k: v.scores() for k, v in chosen.by_stratum().items()}
            out[name][p] = {**scores, "strata": strata}
    return out
