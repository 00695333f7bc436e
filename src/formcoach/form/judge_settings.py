"""How repetitions are judged (:class:`JudgeSettings`, the settings of
:class:`~formcoach.form.judge.FormJudge`)."""

from __future__ import annotations

from dataclasses import dataclass

from formcoach.core.view import FRONT_SHOULDER_RATIO
from formcoach.pose.glitches import GlitchSettings

__all__ = ["JudgeSettings"]


@dataclass(frozen=True)
class JudgeSettings:
    """How repetitions are judged.

    Attributes:
        samples: N, samples per curve (rep and reference).
        band: Sakoe-Chiba band as a share of N: how far in time DTW may shift a sample.
        max_missing: a feature missing in more than this share of a rep's frames is not judged.
        min_frames: fewer frames show no shape (start, far point, end); duration decides.
        min_duration_s: a rep shorter than this (in seconds) is too short to judge.
        median_threshold: the seed's verdict passes when the median part deviation is at most
            this (in tolerances).
        limit: a rep passes when its worst part deviates at most this much (in tolerances).
        cue_strength: for a taught exercise, how far a deviation must match one of its cues (in
            tolerances) for that cue to be said rather than a generic one.
        profile: in a side view, judge bilateral features on the ``"near"`` side (by the pose
            model's visibility) or on the ``"best"`` side seen (the one closer to the
            reference: pose models often guess or swap the far side in profile; a built-in
            exercise's level faults, where the rep got to, on the side that shows it).
        phase_check: also try the rep cut half a cycle later (second half first) and keep it
            when it is much closer to the reference: a counter that took the turning point for
            the rest position cuts bottom-to-bottom instead of top-to-top.
        glitches: what counts as a pose-model glitch (a joint teleporting for a moment and
            coming back): such stretches are bridged before a rep is measured, looking at up
            to ``glitches.max_duration_s`` of the stream around the rep; ``None`` keeps every
            position as the pose model gave it.
        oblique_ratio: a side view whose shoulder width is at least this share of the torso
            length is turned towards the camera: the parts judged from the front (knees
            caving in) are judged in it too. Shoulders seen square-on measure about 0.6-0.9,
            in profile 0-0.2; a three-quarter view (45 degrees) measures about 0.65 and is
            already a front view (:data:`~formcoach.core.features.FRONT_SHOULDER_RATIO`).
            A side view below that is within 30 degrees of profile, where a sideways
            movement shows at less than half its size and the depth between the knees
            passes for their width, so by default no side view is.
        around_share: how much of the stream around a rep (a share of the rep's duration, each
            way; after it, never past the frame that emitted it) shows how far a ``"value"``
            feature went at rest, when the counter cut the rep inside it
            (:mod:`formcoach.form.around`).
    """

    samples: int = 40
    band: float = 0.25
    max_missing: float = 0.3
    min_frames: int = 3
    min_duration_s: float = 0.25
    median_threshold: float = 1.0
    limit: float = 1.0
    cue_strength: float = 0.5
    profile: str = "best"
    phase_check: bool = True
    glitches: GlitchSettings | None = GlitchSettings()
    oblique_ratio: float = FRONT_SHOULDER_RATIO
    around_share: float = 0.5

    def __post_init__(self) -> None:
        if self.samples < 8:
            raise ValueError("JudgeSettings.samples must be at least 8")
        if not 0 < self.band <= 1:
            raise ValueError("JudgeSettings.band must be in (0, 1]")
        if not 0 <= self.max_missing < 1:
            raise ValueError("JudgeSettings.max_missing must be in [0, 1)")
        if self.limit <= 0 or self.median_threshold <= 0:
            raise ValueError("JudgeSettings thresholds must be positive")
        if self.profile not in ("near", "best"):
            raise ValueError("JudgeSettings.profile must be 'near' or 'best'")
        if self.oblique_ratio < 0 or self.around_share < 0:
            raise ValueError("JudgeSettings.oblique_ratio and around_share must be >= 0")

    @property
    def window(self) -> int:
        """dtaidistance's ``window`` argument (it allows ``|i-j| <= window-1``)."""
        return max(1, round(self.band * self.samples)) + 1
