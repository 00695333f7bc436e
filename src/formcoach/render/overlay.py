"""The analysis drawn on the video: each body part coloured by its verdict, the cue as text.

During a rep (and for a moment after it, while the cue is read) every judged body part is
green when it stayed close to the reference, amber near the limit, red beyond it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from formcoach.analysis import Analysis, RepResult
from formcoach.form.judge import RepVerdict
from formcoach.pose.draw import OverlayWriter, blank_frame, draw_pose, draw_text
from formcoach.pose.sources import KEYPOINT_SUFFIXES, is_camera
from formcoach.pose.video import VideoFile

__all__ = ["part_colors", "write_overlay"]

GREEN, AMBER, RED = (90, 180, 60), (40, 190, 240), (70, 70, 220)  # BGR
#: How long a rep's colours and cue stay on screen after it ends, seconds.
LINGER_S = 1.5


def part_colors(v: RepVerdict) -> dict[str, tuple[int, int, int]]:
    """BGR colour per judged body part: green (< 0.7 of the limit), amber, red (beyond)."""
    out = {}
    for part, d in v.distances.items():
        out[part] = GREEN if d < 0.7 else AMBER if d <= 1.0 else RED
    return out


def _active(a: Analysis) -> list[RepResult | None]:
    """For each frame, the rep whose verdict is shown then (during it, and lingering after)."""
    t = a.poses.timestamps
    shown: list[RepResult | None] = [None] * len(t)
    for r in a.results:
        if r.verdict is None:
            continue
        until = r.rep.end_s + LINGER_S
        for i in range(r.rep.start_frame, len(t)):
            if t[i] > until:
                break
            shown[i] = r
    return shown


def _frames(source: str, a: Analysis) -> Iterator[np.ndarray]:

    path = Path(source)
    if not is_camera(source) and path.is_file() and path.suffix.lower() not in KEYPOINT_SUFFIXES:
        with VideoFile(path) as video:
            for frame in video:
                yield frame.image.copy()
        return
    for i in range(len(a.poses)):
        yield blank_frame(a.poses.frame_size, a.poses.xy[i])


def write_overlay(a: Analysis, source: str, path: str | Path) -> Path:
    """Write the annotated video (VP8 .webm); returns its path."""
    shown = _active(a)
    fps = a.poses.frame_rate()
    total = len(a.results)
    with OverlayWriter(path, fps) as writer:
        for i, image in enumerate(_frames(source, a)):
            if i >= len(a.poses):
                break
            r = shown[i]
            colors = part_colors(r.verdict) if r and r.verdict else None
            draw_pose(image, a.poses[i], part_colors=colors)
            lines = [f"{a.exercise.title}"]
            if r and r.verdict:
                label = "stretch" if a.exercise.static else "rep"
                lines.append(f"{label} {r.rep.number}/{total}  score {r.verdict.score}")
                lines.append(r.verdict.cue)
            draw_text(image, lines)
            writer.write(image)
    return Path(path)
