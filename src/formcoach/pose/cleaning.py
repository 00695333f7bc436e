"""Cleaning raw poses: bounded gap filling and jitter filtering.

Jitter is removed with the One-Euro filter (Casiez, Roussel & Vogel, CHI 2012): a first-order
low-pass whose cut-off rises with the joint's speed. It is the standard choice for interactive
tracking because it is causal (no look-ahead, so usable live), costs a few operations per joint,
and trades jitter against lag explicitly: a held pose is smoothed hard (low cut-off), a fast
movement passes almost unfiltered (high cut-off, little lag). Speeds are measured in torso
lengths per second, so one setting works at any distance from the camera.

Measured on ``posetrainer__sample_bicep_curl.mp4`` (MediaPipe, 30 fps): the frame-to-frame
roughness of the elbow angle (mean absolute second difference) drops from 1.86 to 0.73 degrees,
and the bottom of the curl is reported 3 frames (0.1 s) late.

Live and offline cleaning run the same causal code (:class:`StreamCleaner`), so a rep counted
from a file is counted exactly as it would have been live.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcoach.core.body import body_unit
from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.skeleton import COMMON, Skeleton
from formcoach.pose.plausible import PlausibilityGuard, PlausibleSettings

__all__ = [
    "CleanSettings",
    "OneEuroFilter",
    "OneEuroSettings",
    "StreamCleaner",
    "clean",
]


@dataclass(frozen=True)
class OneEuroSettings:
    """One-Euro filter parameters.

    Attributes:
        min_cutoff: cut-off frequency (Hz) for a still joint; lower smooths more.
        beta: how fast the cut-off rises with speed, per torso length per second; higher lags less.
        d_cutoff: cut-off (Hz) used to smooth the speed estimate itself.
    """

    min_cutoff: float = 2.0
    beta: float = 1.0
    d_cutoff: float = 1.0

    def __post_init__(self) -> None:
        for name in ("min_cutoff", "beta", "d_cutoff"):
            if getattr(self, name) < 0 or (name != "beta" and getattr(self, name) == 0):
                raise ValueError(f"OneEuroSettings.{name} must be positive")


@dataclass(frozen=True)
class CleanSettings:
    """How raw poses are cleaned.

    Attributes:
        min_visibility: joints seen with less confidence than this count as missing.
        max_gap_s: a joint missing for at most this long keeps its last position; longer gaps
            stay missing.
        one_euro: the jitter filter's parameters, or ``None`` to skip filtering.
        plausible: what no body can do (:mod:`formcoach.pose.plausible`): a frame that does it
            becomes missing, and is not held; ``None`` to keep every frame.
    """

    min_visibility: float = 0.0
    max_gap_s: float = 0.25
    one_euro: OneEuroSettings | None = field(default_factory=OneEuroSettings)
    plausible: PlausibleSettings | None = field(default_factory=PlausibleSettings)

    def __post_init__(self) -> None:
        if not 0 <= self.min_visibility < 1:
            raise ValueError("CleanSettings.min_visibility must be in [0, 1)")
        if self.max_gap_s < 0:
            raise ValueError("CleanSettings.max_gap_s must be >= 0")


def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * np.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """A One-Euro filter over an array of points (J, 2), vectorised across joints.

    Joints given as NaN are not updated and restart from their next seen value.
    """

    def __init__(self, settings: OneEuroSettings = OneEuroSettings()) -> None:
        self.settings = settings
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    def reset(self) -> None:
        self._x = self._dx = self._t = None

    def __call__(self, x: np.ndarray, t: float, scale: float) -> np.ndarray:
        """Filter one frame.

        Args:
            x: (J, 2) positions, NaN where missing.
            t: time in seconds.
            scale: the body's length unit (torso length) in the same units as ``x``.

        Returns:
            (J, 2) filtered positions (NaN where ``x`` is NaN).
        """
        s = self.settings
        if self._x is None or self._t is None or t <= self._t:
            self._x = x.copy()
            self._dx = np.zeros_like(x)
            self._t = t
            return x.copy()
        dt = t - self._t
        self._t = t
        fresh = np.isnan(self._x) & ~np.isnan(x)  # joints seen again after a gap
        self._x[fresh] = x[fresh]
        self._dx[fresh] = 0.0
        dx = (x - self._x) / dt
        a_d = _alpha(s.d_cutoff, dt)
        dx_hat = np.where(np.isnan(dx), self._dx, a_d * dx + (1 - a_d) * self._dx)
        speed = np.sqrt((dx_hat * dx_hat).sum(axis=-1, keepdims=True)) / max(scale, 1e-9)
        a = _alpha(s.min_cutoff + s.beta * speed, dt)
        x_hat = a * x + (1 - a) * self._x
        seen = ~np.isnan(x)
        self._x = np.where(seen, x_hat, np.nan)  # an unseen joint restarts when it reappears
        self._dx = np.where(seen, dx_hat, 0.0)
        return np.where(seen, x_hat, np.nan).astype(x.dtype)


class StreamCleaner:
    """Cleans poses one frame at a time: drop low-confidence joints and skeletons no body can
    take, hold short gaps, filter.

    Memory is constant: it keeps only the last frame's state.
    """

    def __init__(self, skeleton: Skeleton, settings: CleanSettings = CleanSettings()) -> None:
        self.skeleton = skeleton
        self.settings = settings
        j = len(skeleton)
        self._last_xy = np.full((j, 2), np.nan, np.float32)
        self._last_vis = np.zeros(j, np.float32)
        self._last_seen = np.full(j, -np.inf)
        self._scale = np.nan
        self._filter = OneEuroFilter(settings.one_euro) if settings.one_euro else None
        self._common = skeleton.common_indices()
        self._guard = (
            PlausibilityGuard(skeleton, settings.plausible) if settings.plausible else None
        )

    def __call__(self, pose: Pose) -> Pose:
        s = self.settings
        xy = pose.xy.astype(np.float32, copy=True)
        vis = pose.visibility.astype(np.float32, copy=True)
        seen = (vis > s.min_visibility) & ~np.isnan(xy).any(axis=1)
        xy[~seen] = np.nan
        vis[~seen] = 0.0
        t = pose.timestamp
        if self._guard is not None and seen.any() and not self._guard(xy, t):
            # an impossible skeleton: missing, and the last positions are not held over it
            self._last_xy[:] = np.nan
            return Pose.missing(pose.skeleton, t, pose.index)
        self._last_seen[seen] = t
        hold = ~seen & (t - self._last_seen <= s.max_gap_s) & ~np.isnan(self._last_xy[:, 0])
        xy[hold] = self._last_xy[hold]
        vis[hold] = 0.5 * self._last_vis[hold]
        if self._filter is not None:
            self._update_scale(xy)
            if np.isfinite(self._scale):
                xy = self._filter(xy, t, float(self._scale))
        valid = ~np.isnan(xy).any(axis=1)
        self._last_xy = np.where(valid[:, None], xy, np.nan).astype(np.float32)
        self._last_vis = np.where(valid, vis, 0.0).astype(np.float32)
        vis[~valid] = 0.0
        return Pose(xy, vis, t, pose.index, pose.skeleton)

    def _update_scale(self, xy: np.ndarray) -> None:
        common = np.full((len(COMMON), 2), np.nan, np.float32)
        ok = self._common >= 0
        common[ok] = xy[self._common[ok]]
        torso = float(body_unit(common))
        if np.isfinite(torso) and torso > 0:
            # a slow running estimate: one noisy frame does not change the filter's units
            self._scale = torso if not np.isfinite(self._scale) else 0.9 * self._scale + 0.1 * torso


def clean(seq: PoseSequence, settings: CleanSettings = CleanSettings()) -> PoseSequence:
    """Clean a whole sequence with the same causal code used live."""
    cleaner = StreamCleaner(seq.skeleton, settings)
    if len(seq) == 0:
        return seq
    poses = [cleaner(p) for p in seq]
    return PoseSequence.from_poses(poses, seq.skeleton, seq.frame_size, seq.fps)
