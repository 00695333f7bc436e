"""The optional window: the camera image with the skeleton, the count and the last cue."""

from __future__ import annotations

import os
from collections.abc import Callable

from formcoach.pose.draw import draw_pose, draw_text
from formcoach.pose.pipeline import Step

__all__ = ["LiveWindow", "can_show_window"]


def can_show_window() -> bool:
    """True when a display is attached (an X11 or Wayland session)."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class LiveWindow:
    """An OpenCV window updated with every frame; Esc or q closes it (training goes on)."""

    def __init__(self, title: str = "formcoach") -> None:
        self.title = title
        self.open = True
        #: called each frame for the lines shown in the corner (e.g. the last cue)
        self.status_source: Callable[[], list[str]] = lambda: []

    def __call__(self, step: Step) -> None:
        if not self.open or step.image is None:
            return
        import cv2  # deferred: OpenCV's import takes 0.2 s; only the window needs it

        image = draw_pose(step.image.copy(), step.pose)
        draw_text(image, [line[:60] for line in self.status_source()])
        cv2.imshow(self.title, image)
        if cv2.waitKey(1) & 0xFF in (27, ord("q")):
            cv2.destroyWindow(self.title)
            self.open = False

    def close(self) -> None:
        if self.open:
            import cv2  # deferred: OpenCV's import takes 0.2 s; only the window needs it

            cv2.destroyAllWindows()
            self.open = False
