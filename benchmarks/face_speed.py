"""Time to identify the person in one camera frame, against bare dlib on the same frame.

Usage: python benchmarks/face_speed.py ../shared/data/faces/obama.jpg [--runs 7]

The photo is placed in 640x480 and 1280x720 frames (the face about a fifth of the frame
height, as a person standing back from a webcam). Reference: dlib's HOG detector with one
upsampling, the 5-point landmarks and one descriptor, called directly. Prints one JSON object
with medians in milliseconds and formcoach's ratio to the reference.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from formcoach.faces import LIVE, DlibFaces, Gallery, identify, load_image
from formcoach.faces.dlib_faces import _dlib_models


def _frame(photo: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    k = (h / 1.6) / photo.shape[0]
    small = cv2.resize(photo, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
    frame = np.full((h, w, 3), 90, np.uint8)
    sh, sw = small.shape[:2]
    y, x = (h - sh) // 2, (w - sw) // 2
    frame[y : y + sh, x : x + sw] = small[: h - y, : w - x]
    return frame


def _median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("photo", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    photo = load_image(args.photo)
    encoder = DlibFaces(LIVE)
    models = _dlib_models()
    gallery = Gallery([("someone", np.zeros(128))])
    out = {}
    for size in ((640, 480), (1280, 720)):
        frame = _frame(photo, size)
        rgb = np.ascontiguousarray(frame[:, :, ::-1])

        def bare(rgb=rgb):
            rects = models["hog"](rgb, 1)
            if len(rects):
                r = max(rects, key=lambda r: r.area())
                shape = models["landmarks"](rgb, r)
                models["resnet"].compute_face_descriptor(rgb, shape, 1)

        def ours(frame=frame):
            identify(frame, encoder, gallery)

        ref, mine = _median_ms(bare, args.runs), _median_ms(ours, args.runs)
        face = encoder.faces(frame, limit=1)
        out[f"{size[0]}x{size[1]}"] = {
            "face_px": face[0].box.width if face else None,
            "dlib_ms": round(ref, 1),
            "formcoach_ms": round(mine, 1),
            "ratio": round(mine / ref, 3),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
