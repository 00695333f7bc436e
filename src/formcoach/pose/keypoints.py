"""Keypoint files made by other tools, each converted in one adapter into a PoseSequence.

Layouts (see ``../shared/data/README.md``):

- ``(T, 18, 3)`` ``.npy``: OpenPose COCO-18, (x, y, confidence) in pixels; confidence 0 = unseen.
- ``(T, 25, 3)`` ``.npy``: OpenPose BODY_25, same convention.
- ``(T, 17, 3)`` ``.npy``: the 17-point MediaPipe subset, (x, y, visibility) as fractions of
  the frame; scaled to pixels when the frame size is given.
- ``(T, 33, 3|4)`` ``.npy``: BlazePose landmarks, (x, y[, z], visibility) as fractions.
- ``(T, 104)`` ``.npy``: RepCount rows: 33 BlazePose (x, y, z), each min-max normalised per frame,
  then five angles; an all-zero row is a frame without a person.
- a folder of OpenPose ``--write_json`` files (``*_keypoints.json``), BODY_25 or COCO-18.
- ``.npz``: formcoach's own saved sequences.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import numpy as np

from formcoach.core.body import body_size
from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.core.skeleton import BLAZEPOSE_33, BODY_25, COCO_18, MP_17, Skeleton

__all__ = [
    "DEFAULT_FPS",
    "NobodyInFile",
    "from_openpose_array",
    "from_repcount",
    "load_keypoints",
    "load_openpose_folder",
]

#: Frame rate assumed for keypoint files that do not record one.
DEFAULT_FPS = 30.0

_LAYOUTS = (
    "(T, 18, 3) OpenPose COCO-18 pixels, (T, 25, 3) OpenPose BODY_25 pixels, "
    "(T, 17, 3) MediaPipe-17 normalised, (T, 33, 3|4) BlazePose normalised, "
    "(T, 104) RepCount rows, or a formcoach .npz"
)


def _times(n: int, fps: float) -> np.ndarray:
    return np.arange(n, dtype=np.float64) / fps


def from_openpose_array(
    arr: np.ndarray, skeleton: Skeleton, fps: float = DEFAULT_FPS, frame_size=None
) -> PoseSequence:
    """(T, J, 3) OpenPose (x, y, confidence) in pixels -> PoseSequence."""
    vis = np.clip(arr[..., 2], 0.0, 1.0)
    xy = np.where((vis > 0)[..., None], arr[..., :2], np.nan)
    return PoseSequence(xy, vis, _times(len(arr), fps), skeleton, frame_size, fps)


def _from_normalised(
    arr: np.ndarray, skeleton: Skeleton, fps: float, frame_size: tuple[int, int] | None
) -> PoseSequence:
    """(T, J, >=3) normalised (x, y, ..., visibility) -> PoseSequence (pixels if size known)."""
    xy = arr[..., :2].astype(np.float64)
    if frame_size is not None:
        xy = xy * np.array(frame_size, dtype=np.float64)
    vis = np.clip(arr[..., -1], 0.0, 1.0)
    seen = ~(arr[..., :2] == 0).all(axis=-1)
    vis = np.where(seen, np.maximum(vis, 1e-3), 0.0)
    return PoseSequence(xy, vis, _times(len(arr), fps), skeleton, frame_size, fps)


def from_repcount(arr: np.ndarray, fps: float = DEFAULT_FPS) -> PoseSequence:
    """RepCount ``(T, 104)`` rows -> PoseSequence on BlazePose-33.

    x and y were min-max normalised per frame, separately, so scale, position and the true
    aspect ratio are gone; angles computed from them are only approximately true angles.
    """
    lm = arr[:, :99].reshape(len(arr), 33, 3)
    present = ~(arr == 0).all(axis=1)
    vis = np.repeat(present[:, None], 33, axis=1).astype(np.float32)
    xy = np.where(present[:, None, None], lm[..., :2], np.nan)
    return PoseSequence(xy, vis, _times(len(arr), fps), BLAZEPOSE_33, None, fps)


def load_keypoints(
    path: str | Path, fps: float | None = None, frame_size: tuple[int, int] | None = None
) -> PoseSequence:
    """Read any supported keypoint file or OpenPose folder into a PoseSequence.

    Args:
        path: ``.npy``, ``.npz`` or a folder of OpenPose JSON files.
        fps: frame rate of the recording (keypoint files do not store one); 30 if omitted.
        frame_size: (width, height) of the recorded frames, to turn normalised coordinates
            into pixels; without it, normalised layouts keep their fractions as units.

    Raises:
        FormcoachError: missing file, or an array in none of the known layouts.
    """
    path = Path(path)
    if not path.exists():
        raise FormcoachError(f"no such file: {str(path)!r}", "check the path")
    if path.is_dir():
        return load_openpose_folder(path, fps or DEFAULT_FPS)
    if path.suffix == ".npz":
        seq = PoseSequence.load(path)
        if len(seq) == 0:
            raise FormcoachError(f"{str(path)!r} holds no frames", "pass a pose file with frames")
        seq = seq.replace(fps=fps, timestamps=_times(len(seq), fps)) if fps else seq
        return _someone_in(_sized(seq, frame_size), path)
    if path.suffix != ".npy":
        raise FormcoachError(f"{str(path)!r} is not a keypoint file", f"expected {_LAYOUTS}")
    arr = _read_npy(path)
    rate = fps or DEFAULT_FPS
    if arr.ndim == 0 or arr.shape[0] == 0:
        raise FormcoachError(
            f"{str(path)!r} holds no frames (shape {arr.shape})",
            "pass a keypoint file with at least one frame",
        )
    return _someone_in(_from_array(_unseen_garbage(arr), path, rate, frame_size), path)


def _sized(seq: PoseSequence, frame_size: tuple[int, int] | None) -> PoseSequence:
    """``seq`` with the frame size given for it: fractions of the frame (a torso no longer
    than the whole frame, :func:`~formcoach.core.body.body_size`) become pixels; pixels keep
    their values. A size the file already states wins."""
    if frame_size is None or seq.frame_size is not None:
        return seq
    if not body_size(seq) > 1.0:
        seq = seq.replace(xy=seq.xy * np.asarray(frame_size, dtype=seq.xy.dtype))
    return seq.replace(frame_size=frame_size)


def _read_npy(path: Path) -> np.ndarray:
    """The array in a ``.npy`` file, as float64, or a FormcoachError saying why not."""
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, MemoryError, zipfile.BadZipFile) as e:
        raise FormcoachError(
            f"cannot read {str(path)!r} as a numpy array ({e})"[:300],
            "pass a .npy file written by numpy.save",
        ) from None
    if not isinstance(arr, np.ndarray):
        arr.close()  # an .npz archive under a .npy name
        raise FormcoachError(
            f"{str(path)!r} is an .npz archive, not one array", "rename it to .npz"
        )
    if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.integer)):
        raise FormcoachError(
            f"{str(path)!r} holds {arr.dtype} values, not real numbers", f"expected {_LAYOUTS}"
        )
    return arr.astype(np.float64)


#: Coordinates or confidences beyond this are no measurement (pixels of any camera, or
#: fractions of a frame, are far smaller): such a joint is taken as unseen.
_ABSURD = 1e6


def _unseen_garbage(arr: np.ndarray) -> np.ndarray:
    """Joints (or RepCount rows) holding NaN, inf or absurd values become unseen (zeros)."""
    arr = arr.copy()
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(arr) | (np.abs(arr) > _ABSURD)
    if arr.ndim >= 2:
        arr[bad.any(axis=-1)] = 0.0  # the whole joint (or RepCount row)
    else:
        arr[bad] = 0.0
    return arr


class NobodyInFile(FormcoachError):
    """A keypoint file that is well formed but holds nobody: every joint of every frame unseen.

    Attributes:
        seq: what was read (every frame undetected), for a caller that takes such a file as a
            recording without reps (an evaluation over a data set).
    """

    def __init__(self, message: str, hint: str, seq: PoseSequence) -> None:
        super().__init__(message, hint)
        self.seq = seq


def _someone_in(seq: PoseSequence, path: Path) -> PoseSequence:
    if not seq.detected.any():
        raise NobodyInFile(
            f"nobody was detected in any of the {len(seq)} frames of {str(path)!r} (every joint is "
            "missing, zero or not a number)",
            "check that the file holds the keypoints of a person",
            seq,
        )
    return seq


def _from_array(
    arr: np.ndarray, path: Path, rate: float, frame_size: tuple[int, int] | None
) -> PoseSequence:
    """The adapter for the layout of ``arr`` (see the module's list)."""
    shape = arr.shape
    if arr.ndim == 2 and shape[1] == 104:
        return from_repcount(arr, rate)
    if arr.ndim == 3 and shape[2] == 3 and shape[1] == 18:
        return from_openpose_array(arr, COCO_18, rate, frame_size)
    if arr.ndim == 3 and shape[2] == 3 and shape[1] == 25:
        return from_openpose_array(arr, BODY_25, rate, frame_size)
    if arr.ndim == 3 and shape[2] == 3 and shape[1] == 17:
        return _from_normalised(arr, MP_17, rate, frame_size)
    if arr.ndim == 3 and shape[1] == 33 and shape[2] in (3, 4):
        return _from_normalised(arr, BLAZEPOSE_33, rate, frame_size)
    raise FormcoachError(
        f"{str(path)!r} has shape {shape}, which is no keypoint layout formcoach knows",
        f"expected {_LAYOUTS}",
    )


_FRAME_NO = re.compile(r"(\d+)_keypoints\.json$")


def load_openpose_folder(folder: str | Path, fps: float = DEFAULT_FPS) -> PoseSequence:
    """Read an OpenPose ``--write_json`` folder (one ``*_keypoints.json`` per frame).

    The layout (BODY_25 or COCO-18) is told from the number of values per person. When several
    people are in a frame, the largest one (by the box around their seen joints) is kept; a
    frame with nobody stays in place as missing.
    """
    folder = Path(folder)
    files = sorted(folder.glob("*_keypoints.json"), key=_frame_key)
    if not files:
        raise FormcoachError(
            f"{str(folder)!r} holds no OpenPose *_keypoints.json files",
            "run OpenPose with --write_json FOLDER, or pass a video or keypoint file",
        )
    frames: list[np.ndarray | None] = []
    skeleton: Skeleton | None = None
    for f in files:
        best = _largest_person(f)
        if best is not None:
            sk = BODY_25 if len(best) == 25 else COCO_18
            if skeleton is not None and sk is not skeleton:
                raise FormcoachError(
                    f"{str(folder)!r} mixes BODY_25 and COCO-18 files",
                    "pass the files of one OpenPose run",
                )
            skeleton = sk
        frames.append(best)
    if skeleton is None:
        raise FormcoachError(
            f"nobody was detected in any of the {len(files)} OpenPose files in {str(folder)!r}",
            "check that the person is in view, or pass the video itself",
        )
    j = len(skeleton)
    arr = np.stack([k if k is not None else np.zeros((j, 3)) for k in frames])
    return _someone_in(from_openpose_array(arr, skeleton, fps), folder)


def _largest_person(f: Path) -> np.ndarray | None:
    """The (J, 3) keypoints of the largest person in one OpenPose JSON file, or None.

    Values that are not finite numbers make that joint unseen; a file that is not OpenPose
    JSON is a FormcoachError.
    """
    try:
        people = json.loads(f.read_text(encoding="utf-8")).get("people", [])
        kps = [np.asarray(p.get("pose_keypoints_2d", []), dtype=np.float64) for p in people]
    except (OSError, ValueError, AttributeError, TypeError, RecursionError) as e:
        raise FormcoachError(
            f"cannot read OpenPose file {str(f)!r} ({type(e).__name__}: {e})"[:300],
            "pass the JSON files OpenPose wrote with --write_json",
        ) from None
    best, best_area = None, -1.0
    for kp in kps:
        if kp.size == 0:
            continue
        if kp.size not in (54, 75):
            raise FormcoachError(
                f"{str(f)!r}: a person has {kp.size} pose values",
                "expected 75 (BODY_25) or 54 (COCO-18): 3 values per joint",
            )
        kp = _unseen_garbage(kp.reshape(-1, 3))
        seen = kp[kp[:, 2] > 0, :2]
        area = float(np.ptp(seen[:, 0]) * np.ptp(seen[:, 1])) if len(seen) > 1 else 0.0
        if area > best_area:
            best, best_area = kp, area
    return best


def _frame_key(p: Path) -> tuple[int, str]:
    m = _FRAME_NO.search(p.name)
    return (int(m.group(1)) if m else -1, p.name)
