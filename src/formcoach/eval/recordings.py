"""Files of a dev set that hold the same recording: one a re-trim of the other.

A split by file puts such a pair on both sides (Pose Trainer's ``shoulderpressgood19``, a
validation file, is ``shoulderpressgood18`` of the tuning part one frame later; mp17's
``pushup_incorrect_014`` is ``pushup_incorrect_008`` with five frames more), so the validation
part would re-measure what was tuned. Two runs of a pose model on two takes never give the
same numbers, so the test is exact: a file repeats an earlier one when at least half of its
frames with a person in them are, number for number, frames of the earlier file. Look-alike
takes of the same person (a fixed camera, reps a few pixels apart) are not caught here:
``benchmarks/split_leaks.py`` lists them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from formcoach.core.pose import PoseSequence

__all__ = ["repeats"]


def _frames(seq: PoseSequence) -> list[bytes]:
    """The raw bytes of each frame of ``seq`` with a joint seen (xy (T, J, 2))."""
    seen = np.isfinite(seq.xy).any(axis=(1, 2))
    return [seq.xy[i].tobytes() for i in np.flatnonzero(seen)]


def repeats(named: Iterable[tuple[str, PoseSequence]]) -> dict[str, str]:
    """``name -> first``: each file whose recording an earlier one (in the order given)
    already holds, mapped to the first file of that recording.

    Args:
        named: ``(name, poses)`` in a fixed order (a labels file's rows).
    """
    owner: dict[bytes, str] = {}
    out: dict[str, str] = {}
    for name, seq in named:
        frames = _frames(seq)
        shared = Counter(owner[f] for f in frames if f in owner)
        if shared:
            first, n = shared.most_common(1)[0]
            if 2 * n >= len(frames):
                out[name] = out.get(first, first)
        for f in frames:
            owner.setdefault(f, name)
    return out
