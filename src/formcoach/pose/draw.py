"""Drawing poses on frames and writing overlay videos a browser can play (VP8 WebM)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose
from formcoach.core.private import create_private_file
from formcoach.core.quiet import quiet_stderr
from formcoach.core.skeleton import BODY_PARTS

__all__ = ["DEFAULT_COLOR", "OverlayWriter", "blank_frame", "draw_pose", "draw_text"]

#: BGR colour of bones when no body part has a colour of its own.
DEFAULT_COLOR = (255, 200, 0)
_JOINT_COLOR = (255, 255, 255)


def blank_frame(frame_size: tuple[int, int] | None, xy: np.ndarray | None = None) -> np.ndarray:
    """A dark (H, W, 3) canvas for sources without images, big enough to hold ``xy``."""
    if frame_size is None:
        w = h = 480
        if xy is not None and np.isfinite(xy).any():
            hi = np.nanmax(xy.reshape(-1, 2), axis=0)
            w, h = (int(v) + 20 if v > 2 else 480 for v in hi)
        frame_size = (w, h)
    return np.full((frame_size[1], frame_size[0], 3), 24, np.uint8)


def _part_of_edge(a: str | None, b: str | None) -> str | None:
    for name, part in BODY_PARTS.items():
        if a in part.joints and b in part.joints:
            return name
    return None


def draw_pose(
    image: np.ndarray,
    pose: Pose,
    part_colors: dict[str, tuple[int, int, int]] | None = None,
    thickness: int | None = None,
) -> np.ndarray:
    """Draw the skeleton of ``pose`` onto ``image`` in place and return it.

    Args:
        image: (H, W, 3) uint8 BGR frame.
        pose: joints in the image's pixel coordinates.
        part_colors: BGR colour per body part name (e.g. green for a good part, red for the
            one to fix); bones of other parts use :data:`DEFAULT_COLOR`.
        thickness: line width in pixels (default scales with the image).
    """
    import cv2  # deferred: OpenCV's import takes 0.2 s; only drawing needs it

    h, w = image.shape[:2]
    t = thickness or max(2, round(min(h, w) / 160))
    xy, seen = pose.xy, pose.visibility > 0
    scale = np.array([w, h], np.float32) if np.nanmax(np.abs(xy), initial=0) <= 1.5 else 1.0
    pts = xy * scale
    common = pose.skeleton.common
    for a, b in pose.skeleton.edges:
        if not (seen[a] and seen[b]):
            continue
        color = DEFAULT_COLOR
        if part_colors:
            part = _part_of_edge(common[a], common[b])
            color = part_colors.get(part, DEFAULT_COLOR) if part else DEFAULT_COLOR
        p, q = pts[a].astype(int), pts[b].astype(int)
        cv2.line(image, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), color, t, cv2.LINE_AA)
    for j in np.flatnonzero(seen):
        c = pts[j]
        cv2.circle(image, (int(c[0]), int(c[1])), t + 1, _JOINT_COLOR, -1, cv2.LINE_AA)
    return image


def draw_text(image: np.ndarray, lines: list[str], corner: str = "top-left") -> np.ndarray:
    """Write lines of text with a dark backing box at a corner of ``image`` (in place)."""
    import cv2  # deferred: OpenCV's import takes 0.2 s; only drawing needs it

    h, w = image.shape[:2]
    s = max(0.45, min(h, w) / 600)
    th = max(1, round(s * 2))
    y = int(28 * s)
    for line in lines:
        (tw, tht), _ = cv2.getTextSize(line, cv2.FONT_HERSHEY_SIMPLEX, s, th)
        x = 8 if corner == "top-left" else w - tw - 8
        cv2.rectangle(image, (x - 4, y - tht - 6), (x + tw + 4, y + 6), (0, 0, 0), -1)
        cv2.putText(
            image, line, (x, y), cv2.FONT_HERSHEY_SIMPLEX, s, (255, 255, 255), th, cv2.LINE_AA
        )
        y += tht + 14
    return image


class OverlayWriter:
    """Writes frames to a VP8 ``.webm`` file (browsers play it; OpenCV here cannot write H.264).

    The frame size is taken from the first frame written. Use as a context manager.
    """

    def __init__(self, path: str | Path, fps: float | None) -> None:
        self.path = Path(path)
        if self.path.suffix.lower() != ".webm":
            raise FormcoachError(
                f"overlay file {str(self.path)!r} must end in .webm",
                "formcoach writes VP8 WebM, which browsers play; name the file OUT.webm",
            )
        create_private_file(self.path)  # OpenCV then writes into it, keeping mode 0600
        self.fps = fps if fps and fps > 0 else 30.0
        self._writer = None
        self.frames = 0

    def write(self, image: np.ndarray) -> None:
        import cv2  # deferred: OpenCV's import takes 0.2 s; only drawing needs it

        if self._writer is None:
            h, w = image.shape[:2]
            fourcc = cv2.VideoWriter_fourcc(*"VP80")
            with quiet_stderr():  # FFmpeg notes that WebM stores the tag differently: harmless
                self._writer = cv2.VideoWriter(str(self.path), fourcc, self.fps, (w, h))
            if not self._writer.isOpened():
                raise FormcoachError(
                    f"cannot write {str(self.path)!r}", "check that the folder is writable"
                )
        self._writer.write(image)
        self.frames += 1

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def __enter__(self) -> OverlayWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
