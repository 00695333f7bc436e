"""Reading photos for enrolment and evaluation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError

__all__ = ["load_image"]


def load_image(path: str | Path) -> np.ndarray:
    """A photo as (H, W, 3) uint8 BGR, turned upright by its EXIF orientation.

    Grey and RGBA images are converted; any format OpenCV reads works (JPEG, PNG, WebP, BMP…).

    Raises:
        FormcoachError: the file is missing or is not an image.
    """
    import cv2  # deferred: OpenCV's import takes 0.2 s; only reading an image needs it

    p = Path(path)
    if not p.is_file():
        raise FormcoachError(f"no such photo: {str(p)!r}", "check the path")
    # imdecode on the bytes: works for any path (cv2.imread fails on some non-ASCII names).
    data = np.fromfile(str(p), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise FormcoachError(
            f"cannot read {str(p)!r} as an image",
            "pass a photo in a common format (JPEG, PNG, WebP, BMP)",
        )
    return image
