"""The fixed tuning / validation split of every dev set.

Constants are chosen on the tuning part only; the figures formcoach reports are those of the
validation part. The split is a pure function of names, so it never changes between runs or
machines and needs no file of its own:

- a *group* is what must not straddle the split (a speaker, a clip, a video source, a person);
- a *stratum* is what must be balanced across it (an exercise class, a label);
- within each stratum the groups are ordered by a salted SHA-1 of their name and the first
  half (rounded down) is the tuning part, the rest the validation part; a stratum with a
  single group goes to validation.

The dev sets and their groups (see :func:`part_of` helpers below):

- RepCount-A poses: the clip, within its class;
- real clips (``videos/``): the source repository, so that a camera and a person never
  straddle the split;
- Pose Trainer, mp17, pushfit: the file, within exercise and label; a file holding the same
  recording as an earlier one goes with it (:mod:`formcoach.eval.recordings`; two such pairs);
- speech: the speaker (the hex id in the file name), within yes / no / other.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

__all__ = [
    "PARTS",
    "Part",
    "clip_source",
    "speech_speaker",
    "split",
]

Part = Literal["tune", "validate"]
PARTS: tuple[Part, Part] = ("tune", "validate")
_SALT = "formcoach-split-v1:"


def _rank(name: str) -> str:
    return hashlib.sha1((_SALT + name).encode()).hexdigest()


def split(items: Iterable[tuple[str, str]]) -> dict[str, Part]:
    """Assign every group to a part.

    Args:
        items: ``(group, stratum)`` pairs; a group seen in several strata keeps the part of
            the first one.

    Returns:
        group -> ``"tune"`` or ``"validate"``.
    """
    strata: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for group, stratum in items:
        if group not in seen:
            seen.add(group)
            strata[stratum].append(group)
    out: dict[str, Part] = {}
    for groups in strata.values():
        ordered = sorted(groups, key=_rank)
        n_tune = len(ordered) // 2
        for i, g in enumerate(ordered):
            out[g] = "tune" if i < n_tune else "validate"
    return out


def clip_source(file: str) -> str:
    """The source of a clip in ``videos/`` (``quva__013_weights_floor.mp4`` -> ``quva``)."""
    return Path(file).name.split("__", 1)[0]


def speech_speaker(path: str | Path) -> str:
    """The speaker of a recording in ``speech/``: the hex id of Speech Commands names
    (``bed__62581901_nohash_0.wav`` and ``62581901_nohash_0.wav`` -> ``62581901``), else the
    name's first word (``tflm_yes_1000ms.wav`` -> ``tflm``)."""
    stem = Path(path).stem.split("__")[-1]
    return stem.split("_", 1)[0]
