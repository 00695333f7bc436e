"""Poses of small, far-away people: real clips shrunk into a larger canvas, before and after.

Each clip of ``videos/`` is shrunk so that the person's extent is ``share`` of the frame height
(:mod:`formcoach.eval.canvas`), optionally darkened, and run through the whole-frame model
alone (``before``: BlazePose as it was) and through :class:`~formcoach.pose.estimator.BlazePose`
with its zoom (``after``), frame by frame on the same canvases. The truth is the full-size
run's landmarks (the pose cache) mapped into the canvas.

Figures per clip: the share of frames with a pose before and after (and in the full-size run),
the median landmark error after, in torso lengths of the true pose, over the twelve limb joints
the full-size run saw (visibility >= 0.5), and the time per frame of both and of the bare
model on the full-size frames.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.skeleton import BLAZEPOSE_33, COMMON_JOINTS
from formcoach.eval.canvas import DistantScene
from formcoach.eval.splits import Part, clip_source, split
from formcoach.pose.cache import cached_poses
from formcoach.pose.estimator import BlazePose
from formcoach.pose.video import Frame, VideoFile
from formcoach.pose.zoom import ZoomSettings

__all__ = [
    "ClipFigures",
    "Setup",
    "as_rows",
    "clip_parts",
    "landmark_error",
    "measure_clip",
    "measure_clips",
    "summarise",
]

_LIMBS = [
    f"{s}_{j}"
    for j in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
    for s in ("left", "right")
]
_LIMB_IDX = np.array([BLAZEPOSE_33.index(n) for n in _LIMBS])
_COMMON_IDX = BLAZEPOSE_33.common_indices()
#: A true landmark counts when the full-size run saw it at least this clearly.
SEEN = 0.5


@dataclass(frozen=True)
class Setup:
    """How the clips are made small.

    Attributes:
        share: the person's extent over the canvas height.
        dark: 30 % brightness with sensor noise (a dark gym).
        seconds: only the first this many seconds of each clip (``None``: all of it).
        canvas_size: (width, height) of the canvas; default each clip's own frame size.
        nobody: leave the person out (the canvas background alone): what a search that
            finds nobody costs.
    """

    share: float = 0.15
    dark: bool = False
    seconds: float | None = 10.0
    canvas_size: tuple[int, int] | None = None
    nobody: bool = False


@dataclass(frozen=True)
class ClipFigures:
    """What one shrunk clip gave (see the module's docstring); times in ms per frame, of
    the bare model on the canvas (``before``), the zoomed one on the canvas (``after``) and
    the bare model on the full-size frame (``full_size``, the cost of a person it tracks)."""

    clip: str
    part: Part
    frames: int
    scale: float
    share_full_size: float
    share_before: float
    share_after: float
    error_after: float
    ms_before: float
    ms_after: float
    ms_full_size: float


def landmark_error(found: np.ndarray, truth: np.ndarray, truth_vis: np.ndarray) -> float:
    """Median distance of the seen limb joints of (33, 2) ``found`` from (33, 2) ``truth``,
    in torso lengths of the truth; NaN when no torso length or no seen joint."""
    common = np.full((len(COMMON_JOINTS), 2), np.nan)
    present = _COMMON_IDX >= 0
    common[present] = truth[_COMMON_IDX[present]]
    unit = float(body_unit(common))
    seen = _LIMB_IDX[truth_vis[_LIMB_IDX] >= SEEN]
    if not np.isfinite(unit) or unit <= 0 or seen.size == 0:
        return float("nan")
    return float(np.median(np.linalg.norm(found[seen] - truth[seen], axis=1)) / unit)


def _median(values: list[float]) -> float:
    """Median of the finite values; NaN when there are none."""
    finite = [v for v in values if np.isfinite(v)]
    return float(np.median(finite)) if finite else float("nan")


def _timed(call, *args):
    t0 = time.perf_counter()
    out = call(*args)
    return out, time.perf_counter() - t0


def measure_clip(
    video: Path, setup: Setup = Setup(), zoom: ZoomSettings = ZoomSettings(), part: Part = "tune"
) -> ClipFigures:
    """Run the first ``setup.seconds`` of ``video``, made small, before and after."""
    import cv2  # deferred: OpenCV comes with mediapipe, imported once it is needed

    truth = cached_poses(video, progress=False)
    scene = DistantScene.for_clip(video.name, truth, setup.share, setup.dark, setup.canvas_size)
    scene = dataclasses.replace(scene, with_person=not setup.nobody)
    fps = truth.fps or 30.0
    limit = None if setup.seconds is None else max(1, round(setup.seconds * fps))
    seconds = np.zeros(3)  # before, after, full size
    found_before, found_after, errors = [], [], []
    with BlazePose(zoom=None) as bare, BlazePose(zoom=None) as full, BlazePose(zoom=zoom) as zoomed:
        for frame in VideoFile(video, prefetch=0, max_frames=limit):
            canvas = scene.render(frame.image, seed=frame.index)
            rgb = cv2.cvtColor(canvas, cv2.COLOR_BGR2RGB)
            before, t_before = _timed(bare.process_rgb, rgb)
            pose, t_after = _timed(zoomed, Frame(canvas, frame.timestamp, frame.index, rgb))
            _, t_full = _timed(full.process_rgb, cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB))
            seconds += (t_before, t_after, t_full)
            found_before.append(before is not None)
            found_after.append(pose.detected)
            i = frame.index
            if pose.detected and truth.detected[i]:
                true_xy = scene.map_points(truth.xy[i])
                errors.append(landmark_error(pose.xy, true_xy, truth.visibility[i]))
    n = len(found_after)
    ms = np.round(1000 * seconds / n, 2)
    return ClipFigures(
        clip=video.name,
        part=part,
        frames=n,
        scale=round(scene.scale, 4),
        share_full_size=round(float(truth.detected[:n].mean()), 3),
        share_before=round(float(np.mean(found_before)), 3),
        share_after=round(float(np.mean(found_after)), 3),
        error_after=round(_median(errors), 3),
        ms_before=float(ms[0]),
        ms_after=float(ms[1]),
        ms_full_size=float(ms[2]),
    )


def clip_parts(names: list[str]) -> dict[str, Part]:
    """Each clip's part of the fixed split (by source)."""
    by_source = split((clip_source(n), "clips") for n in names)
    return {n: by_source[clip_source(n)] for n in names}


def measure_clips(
    videos: list[Path],
    setup: Setup = Setup(),
    zoom: ZoomSettings = ZoomSettings(),
    parts: tuple[Part, ...] = ("tune", "validate"),
) -> list[ClipFigures]:
    """:func:`measure_clip` over the clips of the chosen parts of the split."""
    part_of = clip_parts([v.name for v in videos])
    return [
        measure_clip(v, setup, zoom, part_of[v.name]) for v in videos if part_of[v.name] in parts
    ]


def summarise(figures: list[ClipFigures]) -> dict[str, dict[str, float]]:
    """Per part: mean shares over clips, median of the clips' errors, and the time ratio."""
    out: dict[str, dict[str, float]] = {}
    for part in sorted({f.part for f in figures}):
        fs = [f for f in figures if f.part == part]
        before, after, full = (
            sum(getattr(f, f"ms_{k}") * f.frames for f in fs)
            for k in ("before", "after", "full_size")
        )
        out[part] = {
            "clips": len(fs),
            "share_full_size": round(float(np.mean([f.share_full_size for f in fs])), 3),
            "share_before": round(float(np.mean([f.share_before for f in fs])), 3),
            "share_after": round(float(np.mean([f.share_after for f in fs])), 3),
            "clips_with_pose_in_most_frames": sum(f.share_after > 0.5 for f in fs),
            "median_error_after": round(_median([f.error_after for f in fs]), 3),
            "fps_ratio_vs_bare": round(before / after, 3),
            "fps_ratio_vs_bare_full_size": round(full / after, 3),
        }
    return out


def as_rows(figures: list[ClipFigures]) -> list[dict[str, object]]:
    return [asdict(f) for f in figures]
