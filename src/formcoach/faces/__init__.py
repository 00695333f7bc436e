"""Who is in front of the camera: face detection, 128-d descriptors, enrolment, matching.

The encoder is a small protocol (:class:`FaceEncoder`): :class:`DlibFaces` (dlib HOG detector
and ResNet descriptor; the ``face`` extra) in real use, :class:`FixedFaces` in tests.
A :class:`Gallery` holds the enrolled encodings and decides "who is this?" with
:data:`TOLERANCE`. Encodings stay in the local database: nothing here talks to a network.
"""

from formcoach.faces.dlib_faces import LIVE, PHOTO, DetectSettings, DlibFaces, MissingFaceSupport
from formcoach.faces.fixed import FixedFaces, face_at
from formcoach.faces.gallery import TOLERANCE, Gallery, Vote, identify, identify_all
from formcoach.faces.images import load_image
from formcoach.faces.types import ENCODING_SIZE, Face, FaceBox, FaceEncoder, Match

__all__ = [
    "ENCODING_SIZE",
    "LIVE",
    "PHOTO",
    "TOLERANCE",
    "DetectSettings",
    "DlibFaces",
    "Face",
    "FaceBox",
    "FaceEncoder",
    "FixedFaces",
    "Gallery",
    "Match",
    "MissingFaceSupport",
    "Vote",
    "face_at",
    "identify",
    "identify_all",
    "load_image",
]
