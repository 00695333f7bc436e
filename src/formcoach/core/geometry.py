"""The plane geometry features are read with: a named joint's position (virtual ones too),
lengths and angles of image vectors, a segment's tilt from the floor's upright, and how far a
path bends out of a straight line.

Arrays are (..., 2) image vectors (or (..., J, 2) COMMON poses for :func:`joint_xy`), so the
same code serves one frame and a whole sequence; NaN where a point is unseen.
"""

from __future__ import annotations

import numpy as np

from formcoach.core.skeleton import COMMON_INDEX

__all__ = ["MAX_ROLL", "VIRTUAL_JOINTS", "angle", "bend", "floor_tilt", "joint_xy", "norm"]

VIRTUAL_JOINTS = {
    "mid_shoulder": ("left_shoulder", "right_shoulder"),
    "mid_hip": ("left_hip", "right_hip"),
}
_IDX = COMMON_INDEX


def joint_xy(xy: np.ndarray, name: str) -> np.ndarray:
    """(..., 2) position of a COMMON or virtual joint from (..., J, 2) COMMON coordinates."""
    if name in VIRTUAL_JOINTS:
        a, b = VIRTUAL_JOINTS[name]
        return 0.5 * (xy[..., _IDX[a], :] + xy[..., _IDX[b], :])
    return xy[..., _IDX[name], :]


def norm(v: np.ndarray) -> np.ndarray:
    return np.sqrt((v * v).sum(axis=-1))


def angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    # atan2 of cross and dot stays accurate near 0 and 180 degrees, where arccos does not
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = (u * v).sum(axis=-1)
    ang = np.degrees(np.arctan2(np.abs(cross), dot))
    return np.where((norm(u) > 0) & (norm(v) > 0), ang, np.nan)


#: The most a camera is rolled from level (degrees): a line through both feet tilted further
#: from the image's horizontal is no floor line (a foot is off the floor).
MAX_ROLL = 8.0


def _floor_up(seg: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(..., 2) the upward direction of the scene: the normal of the floor line ``c–d``
    pointing up the image (y < 0) where that line is at least as long as the measured segment
    ``seg`` (a floor line shorter than the segment tells its direction less well than the
    segment's own jitter allows) and within :data:`MAX_ROLL` of level, the image's vertical
    elsewhere."""
    f = d - c
    normal = np.stack([f[..., 1], -f[..., 0]], axis=-1)
    normal = np.where(normal[..., 1:] > 0, -normal, normal)
    with np.errstate(invalid="ignore"):
        level = angle(normal, np.array([0.0, -1.0])) <= MAX_ROLL
        use = ((norm(f) >= norm(seg)) & level)[..., None]  # NaN (unseen) compares False
    return np.where(use, normal, np.array([0.0, -1.0]))


def floor_tilt(seg: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(...,) degrees: the tilt of ``seg`` (..., 2) from the image's vertical or from the floor
    line ``c–d``'s normal, whichever is nearer upright (0 or 180)."""
    up = np.broadcast_to(np.array([0.0, -1.0]), seg.shape)
    image, floor = angle(seg, up), angle(seg, _floor_up(seg, c, d))
    lean = np.minimum(image, 180.0 - image)
    return np.where(np.minimum(floor, 180.0 - floor) < lean, floor, image)


def bend(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(...,) signed degrees ``b`` bends out of the line ``a–c``: + above it in the image
    (smaller y), - below; NaN where a point is unseen or ``a``, ``c`` coincide."""
    d = c - a
    up = np.where(d[..., :1] >= 0, 1.0, -1.0) * np.stack([d[..., 1], -d[..., 0]], axis=-1)
    side = np.sign(((b - a) * up).sum(axis=-1))  # up: the line's normal with y < 0
    out = side * (180.0 - angle(a - b, c - b))
    return np.where(norm(d) > 0, out, np.nan)
