"""formcoach: an offline AI personal trainer.

The public core: :class:`PoseSequence` and :class:`Pose` (poses over time and at one instant),
:class:`Skeleton` layouts and :class:`BodyPart` units, and :func:`read_poses` which turns any
pose source (video, camera, OpenPose folder, keypoint file) into a ``PoseSequence``.
"""

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import Pose, PoseSequence
from formcoach.core.skeleton import BODY_PARTS, COMMON, BodyPart, Skeleton

__version__ = "0.1.0"

__all__ = [
    "BODY_PARTS",
    "COMMON",
    "BodyPart",
    "FormcoachError",
    "Pose",
    "PoseSequence",
    "Skeleton",
    "__version__",
]
