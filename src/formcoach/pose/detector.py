"""BlazePose's own person detector, run alone on squares of a frame to find a small person.

The pose model finds a person with this detector on the whole frame shrunk to 224x224, where
a person a sixth of the frame tall is a few dozen pixels and is missed. Run on a square tile
of the frame instead, the same detector finds the same person when the person's extent is
at least about a third of the tile's side (measured on the tuning clips: found in 97-100 %
of frames at a third, 24-100 % at a quarter, 0-100 % at a sixth).

The detector is the graph ``PoseDetectionCpu`` and the ``pose_detection.tflite`` weights
inside the mediapipe wheel: nothing is downloaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.quiet import quiet_stderr
from formcoach.pose.crop import Square, expose

__all__ = ["DETECTOR_INPUT", "PersonDetector", "Sighting"]

#: Side of the detector's square input, in pixels.
DETECTOR_INPUT = 224

_GRAPH = """
input_stream: "image"
output_stream: "detections"
node {
  calculator: "PoseDetectionCpu"
  input_stream: "IMAGE:image"
  output_stream: "DETECTIONS:detections"
}
"""


@dataclass(frozen=True)
class Sighting:
    """A person the detector found, in frame pixels.

    Attributes:
        center: (x, y) of the middle of the hips.
        extent: the body's extent (twice the hips-to-head-top distance the detector predicts).
        score: the detector's confidence in [0, 1].
    """

    center: tuple[float, float]
    extent: float
    score: float


class PersonDetector:
    """The BlazePose person detector on squares of a frame."""

    def __init__(self) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        try:
            # deferred: MediaPipe loads TensorFlow Lite, which only a search needs
            from mediapipe.python.solution_base import SolutionBase
        except ImportError as e:  # pragma: no cover - depends on the install
            raise FormcoachError(
                f"MediaPipe is not importable ({e})",
                "install formcoach with its pinned dependencies: "
                "pip install -c constraints.txt -e .",
            ) from None
        with quiet_stderr():
            self._graph = SolutionBase(graph_config=_GRAPH)
            self._graph.process(np.zeros((DETECTOR_INPUT, DETECTOR_INPUT, 3), np.uint8))

    def find(self, rgb: np.ndarray, square: Square) -> list[Sighting]:
        """People in ``square`` of the (H, W, 3) uint8 RGB frame, best first."""
        import cv2  # deferred: OpenCV comes with mediapipe, imported once it is needed

        tile = square.cut(rgb)
        interp = cv2.INTER_AREA if square.side > DETECTOR_INPUT else cv2.INTER_LINEAR
        tile = expose(cv2.resize(tile, (DETECTOR_INPUT, DETECTOR_INPUT), interpolation=interp))
        detections = self._graph.process(np.ascontiguousarray(tile)).detections or []
        found = []
        for d in detections:
            kp = d.location_data.relative_keypoints
            hips = np.array([kp[0].x, kp[0].y])
            top = np.array([kp[1].x, kp[1].y])
            center = square.to_frame(hips)
            found.append(
                Sighting(
                    (float(center[0]), float(center[1])),
                    float(2.0 * np.linalg.norm(top - hips) * square.side),
                    float(d.score[0]) if len(d.score) else 0.0,
                )
            )
        return sorted(found, key=lambda s: -s.score)

    def close(self) -> None:
        self._graph.close()
