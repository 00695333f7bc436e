"""Face descriptor distances on a labelled photo folder: the measurements behind TOLERANCE.

Usage: python benchmarks/face_distances.py ../shared/data/faces [--json]

For every pair of single-face photos (roles enroll, verify, unknown) it prints the distance
between their descriptors, split into same-person and different-person pairs; then, for each
verify photo, how the distance to the same person's enrolment photo grows as the photo is
shrunk until the face is only a few dozen pixels wide, JPEG-compressed hard, or blurred (what a
cheap webcam two metres away gives), against the nearest other person. dlib's documented
operating point (0.6, LFW) is printed beside formcoach's TOLERANCE.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from pathlib import Path

import cv2
import numpy as np

from formcoach.faces import PHOTO, TOLERANCE, DlibFaces, load_image

FACE_SIDES = (120, 80, 60, 50, 40, 30)


def _encode(encoder: DlibFaces, image: np.ndarray):
    faces = encoder.faces(image, limit=1)
    return (faces[0].encoding, faces[0].box.width) if faces else (None, 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    args = ap.parse_args()
    rows = list(csv.DictReader((args.folder / "labels.csv").open(newline="")))
    encoder = DlibFaces(PHOTO)
    photos = {}
    for r in rows:
        if r["role"] == "multi":
            continue
        image = load_image(args.folder / r["file"])
        enc, side = _encode(encoder, image)
        if enc is not None:
            photos[r["file"]] = {
                "person": r["people"],
                "role": r["role"],
                "enc": enc,
                "side": side,
                "image": image,
            }
    pairs = []
    for (a, pa), (b, pb) in itertools.combinations(photos.items(), 2):
        d = float(np.linalg.norm(pa["enc"] - pb["enc"]))
        pairs.append({"a": a, "b": b, "same": pa["person"] == pb["person"], "distance": d})
    same = [p["distance"] for p in pairs if p["same"]]
    diff = [p["distance"] for p in pairs if not p["same"]]

    enrolled = {f: p for f, p in photos.items() if p["role"] == "enroll"}
    degraded = []
    for f, p in photos.items():
        if p["role"] != "verify":
            continue
        refs = [q for q in enrolled.values() if q["person"] == p["person"]]
        others = [q for q in photos.values() if q["person"] != p["person"]]
        variants = [(f"face {s}px", s) for s in FACE_SIDES] + [
            ("jpeg q15", "jpeg"),
            ("blur 5px", "blur"),
        ]
        for label, how in variants:
            img = p["image"]
            if how == "jpeg":
                _, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 15])
                img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
            elif how == "blur":
                img = cv2.GaussianBlur(img, (0, 0), 2.5)
            else:
                k = how / p["side"]
                if k >= 1:
                    continue
                img = cv2.resize(img, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
            enc, side = _encode(encoder, img)
            if enc is None:
                degraded.append({"file": f, "variant": label, "found": False})
                continue
            d_same = min(float(np.linalg.norm(enc - q["enc"])) for q in refs)
            d_other = min(float(np.linalg.norm(enc - q["enc"])) for q in others)
            degraded.append(
                {
                    "file": f,
                    "variant": label,
                    "found": True,
                    "face_px": side,
                    "same": round(d_same, 3),
                    "nearest_other": round(d_other, 3),
                }
            )
    out = {
        "tolerance": TOLERANCE,
        "dlib_documented": 0.6,
        "same_person": {
            "n": len(same),
            "min": min(same, default=None),
            "max": max(same, default=None),
        },
        "different_people": {
            "n": len(diff),
            "min": min(diff, default=None),
            "max": max(diff, default=None),
        },
        "pairs": pairs,
        "degraded": degraded,
    }
    if args.json:
        json.dump(out, sys.stdout, default=float)
        print()
        return
    for p in sorted(pairs, key=lambda p: p["distance"]):
        print(f"{'same' if p['same'] else 'diff'} {p['distance']:.3f}  {p['a']}  {p['b']}")
    print(f"same person: {len(same)} pairs, {min(same):.3f}-{max(same):.3f}")
    print(f"different people: {len(diff)} pairs, {min(diff):.3f}-{max(diff):.3f}")
    for d in degraded:
        if d["found"]:
            print(
                f"{d['file']:32s} {d['variant']:12s} face {d['face_px']:4d}px  same "
                f"{d['same']:.3f}  nearest other {d['nearest_other']:.3f}"
            )
        else:
            print(f"{d['file']:32s} {d['variant']:12s} no face found")
    print(f"TOLERANCE {TOLERANCE} (dlib documents 0.6 on LFW)")


if __name__ == "__main__":
    main()
