"""Faces found and described by dlib: HOG detector, 5-point alignment, ResNet descriptor.

The weights come from the ``face-recognition-models`` package; they are located on disk
without importing it (it imports ``pkg_resources``, which new setuptools no longer has).
dlib itself comes from the prebuilt ``dlib-bin`` wheel. Both are the ``face`` extra.
"""

from __future__ import annotations

import importlib.util
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.faces.types import Face, FaceBox

__all__ = ["LIVE", "PHOTO", "DetectSettings", "DlibFaces", "MissingFaceSupport", "model_dir"]

_MODELS = {
    "landmarks": "shape_predictor_5_face_landmarks.dat",
    "resnet": "dlib_face_recognition_resnet_model_v1.dat",
    "cnn": "mmod_human_face_detector.dat",
}
#: The HOG detector's sliding window: faces smaller than this (pixels) need upsampling.
HOG_WINDOW = 80


class MissingFaceSupport(FormcoachError, ImportError):
    """dlib or the face models are not installed."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"face recognition needs {what}, which is not installed",
            "install it with: pip install 'formcoach[face]'",
        )


def model_dir() -> Path:
    """The folder holding dlib's face model files (from ``face-recognition-models``).

    Raises:
        MissingFaceSupport: the package is not installed or its files are missing.
    """
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise MissingFaceSupport("the 'face-recognition-models' package")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    missing = [f for f in _MODELS.values() if not (folder / f).is_file()]
    if missing:
        raise MissingFaceSupport(f"the model files {missing} (in {folder})")
    return folder


@lru_cache(maxsize=1)
def _dlib_models() -> dict:
    try:
        import dlib  # optional: the [face] extra
    except ImportError:
        raise MissingFaceSupport("dlib (the 'dlib-bin' package)") from None
    folder = model_dir()
    return {
        "hog": dlib.get_frontal_face_detector(),
        "landmarks": dlib.shape_predictor(str(folder / _MODELS["landmarks"])),
        "resnet": dlib.face_recognition_model_v1(str(folder / _MODELS["resnet"])),
        "cnn_path": str(folder / _MODELS["cnn"]),
        "dlib": dlib,
    }


@dataclass(frozen=True)
class DetectSettings:
    """How hard to look for faces.

    Attributes:
        min_face: smallest face side (pixels of the input image) to look for; sets how much
            the image is upsampled for the 80-pixel HOG window. Below about 40 pixels the
            descriptor degrades quickly anyway.
        max_side: larger images are shrunk to this longest side before detection (speed).
        max_upsample: at most this many doublings.
        pixel_budget: never run the detector on more pixels than this (time bound).
        min_score: HOG margin a detection needs (0 is dlib's default; higher is stricter).
        retry_upsampled: when nothing is found, look once more one doubling higher.
        cnn_fallback: when HOG still finds nothing, try dlib's CNN (MMOD) detector. It sees
            turned and partly hidden faces HOG misses, but takes seconds per photo on a CPU:
            for enrolment photos and evaluation, not for the live loop.
    """

    min_face: int = 40
    max_side: int = 1600
    max_upsample: int = 2
    pixel_budget: int = 4_200_000
    min_score: float = 0.0
    retry_upsampled: bool = True
    cnn_fallback: bool = False

    def __post_init__(self) -> None:
        if self.min_face < 10:
            raise ValueError(f"min_face must be at least 10 pixels, got {self.min_face}")
        if self.max_side < 100:
            raise ValueError(f"max_side must be at least 100 pixels, got {self.max_side}")
        if not 0 <= self.max_upsample <= 3:
            raise ValueError(f"max_upsample must be in 0..3, got {self.max_upsample}")

    def plan(self, height: int, width: int) -> tuple[float, int]:
        """(shrink factor, upsample count) for an image of this size."""
        scale = min(1.0, self.max_side / max(height, width))
        pixels = height * width * scale * scale
        up = 0
        while (
            HOG_WINDOW / (scale * 2**up) > self.min_face
            and up < self.max_upsample
            and pixels * 4 ** (up + 1) <= self.pixel_budget
        ):
            up += 1
        return scale, up


#: For camera frames: 40-pixel faces and up, about 130 ms for a 640x480 frame on one core.
LIVE = DetectSettings()
#: For photos (enrolment, evaluation): smaller faces (group photos), more pixels, and the CNN
#: detector when HOG finds nothing. Seconds per photo at worst.
PHOTO = DetectSettings(min_face=30, pixel_budget=8_000_000, cnn_fallback=True)


class DlibFaces:
    """The default :class:`~formcoach.faces.types.FaceEncoder`: dlib HOG + ResNet descriptor.

    Args:
        settings: detection settings.

    Raises:
        MissingFaceSupport: dlib or the model files are not installed (on first use).
    """

    def __init__(self, settings: DetectSettings = DetectSettings()) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._cnn = None

    def detect(self, image: np.ndarray) -> list[FaceBox]:
        """Every face in a (H, W, 3) uint8 BGR image, largest first, in its pixels (none in
        an image smaller than the detector's smallest face, such as a 1x1 photo)."""
        if np.ndim(image) >= 2 and min(np.shape(image)[:2]) < MIN_IMAGE_PX:
            return []
        rgb = _rgb(image)
        h, w = rgb.shape[:2]
        s = self.settings
        scale, up = s.plan(h, w)
        work = rgb if scale == 1.0 else _resize(rgb, scale)
        boxes = self._hog(work, up)
        pixels = work.shape[0] * work.shape[1]
        can_retry = up < s.max_upsample and pixels * 4 ** (up + 1) <= 4 * s.pixel_budget
        if not boxes and s.retry_upsampled and can_retry:
            boxes = self._hog(work, up + 1)
        if not boxes and s.cnn_fallback:
            boxes = self._mmod(work)
        boxes = [b.scaled(1.0 / scale) for b in boxes] if scale != 1.0 else boxes
        # Boxes may reach a little past the border: kept as they are, since the landmark
        # model was trained on the detector's boxes. Only boxes mostly outside are dropped.
        boxes = [b for b in boxes if _inside_share(b, w, h) >= 0.5]
        return sorted(boxes, key=lambda b: -b.area)

    def faces(self, image: np.ndarray, *, jitters: int = 1, limit: int | None = None) -> list[Face]:
        """Every face (or the ``limit`` largest) with its (128,) descriptor, largest first."""
        if jitters < 1:
            raise ValueError(f"jitters must be at least 1, got {jitters}")
        boxes = self.detect(image)[:limit]
        if not boxes:
            return []
        models = _dlib_models()
        dlib = models["dlib"]
        rgb = _rgb(image)
        out = []
        with self._lock:
            for b in boxes:
                rect = dlib.rectangle(b.left, b.top, b.right - 1, b.bottom - 1)
                shape = models["landmarks"](rgb, rect)
                enc = models["resnet"].compute_face_descriptor(rgb, shape, jitters)
                out.append(Face(b, np.asarray(enc, dtype=np.float64)))
        return out

    def _hog(self, rgb: np.ndarray, upsample: int) -> list[FaceBox]:
        models = _dlib_models()
        with self._lock:
            rects, scores, _ = models["hog"].run(rgb, upsample, self.settings.min_score)
        return [
            FaceBox(r.left(), r.top(), r.right() + 1, r.bottom() + 1, float(sc))
            for r, sc in zip(rects, scores, strict=True)
            if sc >= self.settings.min_score
        ]

    def _mmod(self, rgb: np.ndarray) -> list[FaceBox]:
        models = _dlib_models()
        with self._lock:
            if self._cnn is None:
                self._cnn = models["dlib"].cnn_face_detection_model_v1(models["cnn_path"])
            # The CNN's window is also about 80 pixels: upsample small images once.
            up = 1 if max(rgb.shape[:2]) <= 800 else 0
            found = self._cnn(rgb, up)
        return [
            FaceBox(
                d.rect.left(),
                d.rect.top(),
                d.rect.right() + 1,
                d.rect.bottom() + 1,
                float(d.confidence),
            )
            for d in found
        ]


#: Sides below this hold no face dlib can find even upsampled (its HOG window is 80 pixels).
MIN_IMAGE_PX = 20


def _rgb(image: np.ndarray) -> np.ndarray:
    a = np.asarray(image)
    if a.ndim == 2:
        a = np.repeat(a[:, :, None], 3, axis=2)
    if a.ndim != 3 or a.shape[2] not in (3, 4) or a.shape[0] < 8 or a.shape[1] < 8:
        raise ValueError(f"expected a (H, W, 3) BGR image, got shape {a.shape}")
    if a.dtype != np.uint8:
        raise ValueError(f"expected uint8 pixels, got {a.dtype}")
    return np.ascontiguousarray(a[:, :, 2::-1])


def _resize(rgb: np.ndarray, scale: float) -> np.ndarray:
    import cv2  # deferred: OpenCV's import takes 0.2 s; only resizing needs it

    h, w = rgb.shape[:2]
    size = (max(1, math.floor(w * scale)), max(1, math.floor(h * scale)))
    return np.ascontiguousarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA))


def _inside_share(b: FaceBox, w: int, h: int) -> float:
    iw = max(0, min(w, b.right) - max(0, b.left))
    ih = max(0, min(h, b.bottom) - max(0, b.top))
    return iw * ih / b.area
