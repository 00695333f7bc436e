"""Who and what is in view during a set: the person leaving and the camera disappearing.

Either pauses the set (no counting, no idle timeout) and is said once; its return is
welcomed. A camera that never comes back ends the set, said too.
"""

from __future__ import annotations

from collections.abc import Callable

from formcoach.pose.pipeline import Step

__all__ = ["Presence"]

CAMERA_LOST = "I've lost the camera. I'll wait for it to come back."
CAMERA_BACK = "The camera is back. Let's continue."
CAMERA_GONE = "The camera did not come back, so we'll stop here. Everything you did is saved."
PERSON_GONE = "I can't see you. I'll wait until you're back."
PERSON_BACK = "Welcome back. Let's continue."


class Presence:
    """Follows the person and the camera frame by frame; speaks when either comes or goes.

    Args:
        speak: says a line (never blocks).
        absent_s: seconds without a person before saying so.
    """

    def __init__(self, speak: Callable[[str], None], absent_s: float) -> None:
        self.speak = speak
        self.absent_s = absent_s
        self.t_seen: float | None = None
        self.person_gone = False
        self.camera_lost = False

    @property
    def waiting(self) -> bool:
        """True while the set waits for the person or the camera."""
        return self.person_gone or self.camera_lost

    def update(self, step: Step, person: bool = True) -> bool:
        """Take one frame's step; True while the camera is lost (nothing to count).

        ``person=False`` follows only the camera (a hold times the person itself)."""
        t = step.pose.timestamp
        if step.lost:
            if not self.camera_lost:
                self.speak(CAMERA_LOST)
                self.camera_lost = True
            return True
        if self.camera_lost:
            self.speak(CAMERA_BACK)
            self.camera_lost = False
            self.t_seen = t  # the person's absence is timed from the camera's return
        if not person:
            return False
        if step.raw.detected:
            self.t_seen = t
            if self.person_gone:
                self.speak(PERSON_BACK)
                self.person_gone = False
        elif self.t_seen is not None and t - self.t_seen > self.absent_s and not self.person_gone:
            self.speak(PERSON_GONE)
            self.person_gone = True
        return False

    def source_ended(self) -> None:
        """The source ran out: if the camera was lost, say it did not come back."""
        if self.camera_lost:
            self.speak(CAMERA_GONE)
            self.camera_lost = False
