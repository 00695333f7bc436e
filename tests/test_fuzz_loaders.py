"""Every loader of outside input, fuzzed: only formcoach's own error escapes, nothing hangs.

Each property feeds a loader arbitrary input of its kind (random arrays of any dtype and
shape, random bytes, random JSON values, YAML texts mutated from a real exercise, CSV texts
with random columns, random WAV headers and samples, random image bytes) and asserts that it
either returns a value of the promised type or raises :class:`FormcoachError`, within a
deadline per example. (The web app's WebSocket frame decoder is on another branch; its fuzz
test belongs beside it.)
"""

from __future__ import annotations

import csv
import io
import json
import struct
import wave
from datetime import timedelta
from importlib import resources

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from formcoach.core.errors import FormcoachError
from formcoach.core.pose import PoseSequence
from formcoach.eval.counting import find_clips
from formcoach.eval.form import read_labels
from formcoach.form.exercises import Exercise, load_exercise
from formcoach.pose.keypoints import load_keypoints, load_openpose_folder
from formcoach.voice.audio import read_wav

pytestmark = pytest.mark.timeout(300)

FUZZ = settings(
    max_examples=60,
    deadline=timedelta(seconds=5),  # a loader that takes longer on a few bytes is hanging
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: a failure here is reproducible
    database=None,  # so nothing is written into the checkout
)

DTYPES = st.sampled_from(
    ["<f8", "<f4", "<f2", ">f8", "<i8", "<i4", "|u1", "|i1", "|b1", "<c16", "<U3", "|S2", "<M8[s]"]
)
SHAPES = st.one_of(
    st.sampled_from(
        [(0,), (0, 18, 3), (1, 18, 3), (3, 25, 3), (4, 17, 3), (2, 33, 4), (5, 104), (2, 33, 3)]
    ),
    hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6),
)
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True, width=64)


def _array(draw, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return draw(
            hnp.arrays(dt, shape, elements=st.floats(allow_nan=True, width=dt.itemsize * 8))
        )
    return draw(hnp.arrays(dt, shape))


@st.composite
def keypoint_arrays(draw) -> np.ndarray:
    return _array(draw, draw(DTYPES), draw(SHAPES))


def _check(load, *args, **kwargs):
    """Call a loader; anything but a result or a FormcoachError fails the property."""
    try:
        return load(*args, **kwargs)
    except FormcoachError as e:
        assert str(e).strip(), "an error must say what is wrong"
        return None


@FUZZ
@given(arr=keypoint_arrays(), fps=st.one_of(st.none(), st.floats(1, 240)))
def test_npy_keypoint_files(tmp_path, arr, fps):
    path = tmp_path / "k.npy"
    np.save(path, arr, allow_pickle=False)
    seq = _check(load_keypoints, path, fps=fps)
    if seq is not None:
        assert isinstance(seq, PoseSequence) and len(seq) > 0 and seq.detected.any()
        assert np.isfinite(seq.timestamps).all()


@FUZZ
@given(blob=st.binary(max_size=400), suffix=st.sampled_from([".npy", ".npz"]))
def test_keypoint_files_of_random_bytes(tmp_path, blob, suffix):
    path = tmp_path / f"k{suffix}"
    for data in (blob, b"\x93NUMPY\x01\x00" + blob, b"PK\x03\x04" + blob):
        path.write_bytes(data)
        _check(load_keypoints, path)


NPZ_KEYS = st.sampled_from(
    ["xy", "visibility", "timestamps", "joints", "skeleton", "frame_size", "fps", "extra"]
)


@FUZZ
@given(
    keys=st.lists(NPZ_KEYS, min_size=0, max_size=8, unique=True),
    data=st.data(),
    t=st.integers(0, 4),
)
def test_npz_pose_files(tmp_path, keys, data, t):
    arrays = {}
    for k in keys:
        shape = data.draw(
            st.sampled_from([(t, 33, 2), (t, 33), (t,), (33,), (), (2,), (t, 3, 2)]), label=k
        )
        dtype = data.draw(st.sampled_from(["<f8", "<f4", "<i4", "<U12", "|b1"]), label=k + "dt")
        arrays[k] = _array(data.draw, dtype, shape)
    path = tmp_path / "p.npz"
    np.savez(path, **arrays)
    seq = _check(load_keypoints, path)
    if seq is not None:
        assert isinstance(seq, PoseSequence) and seq.detected.any()


JSON = st.recursive(
    st.none() | st.booleans() | ANY_FLOAT | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=40,
)
PERSON = st.fixed_dictionaries(
    {
        "pose_keypoints_2d": st.one_of(
            st.lists(ANY_FLOAT, min_size=54, max_size=54),
            st.lists(ANY_FLOAT, min_size=75, max_size=75),
            JSON,
        )
    }
)
OPENPOSE_DOC = st.one_of(JSON, st.fixed_dictionaries({"people": st.lists(PERSON, max_size=3)}))


@FUZZ
@given(docs=st.lists(OPENPOSE_DOC, min_size=1, max_size=4), raw=st.binary(max_size=50))
def test_openpose_json_folders(tmp_path, docs, raw):
    folder = tmp_path / "op"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for k, doc in enumerate(docs):
        (folder / f"clip_{k:012d}_keypoints.json").write_text(json.dumps(doc))
    if raw:
        (folder / f"clip_{len(docs):012d}_keypoints.json").write_bytes(raw)
    seq = _check(load_openpose_folder, folder)
    if seq is not None:
        assert seq.detected.any()


def _builtin_yaml() -> str:
    return (resources.files("formcoach.form.exercises") / "builtin" / "squat.yaml").read_text()


@st.composite
def mutated_yaml(draw) -> str:
    """A real exercise file with lines dropped, duplicated, swapped or garbled."""
    lines = _builtin_yaml().splitlines()
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "garble", "retype", "anchor", "indent"]))
        if action == "drop":
            lines.pop(k)
        elif action == "dup":
            lines.insert(k, lines[k])
        elif action == "garble":
            lines[k] = draw(st.text(max_size=30))
        elif action == "retype" and ":" in lines[k]:
            key = lines[k].split(":", 1)[0]
            value = draw(
                st.sampled_from(["[]", "{}", "7", ".nan", "-.inf", "null", "'x'", "[[1]]"])
            )
            lines[k] = f"{key}: {value}"
        elif action == "anchor" and ":" in lines[k]:
            lines[k] = lines[k].replace(":", ": &a", 1) + "\nloop: *a"
        elif action == "indent":
            lines[k] = "  " * draw(st.integers(1, 4)) + lines[k]
        if not lines:
            break
    return "\n".join(lines)


@FUZZ
@given(text=st.one_of(mutated_yaml(), st.text(max_size=200)))
def test_yaml_exercise_files(tmp_path, text):
    ex = _check(load_exercise, tmp_path / "x.yaml", "user", text)
    if ex is not None:
        assert isinstance(ex, Exercise)


@FUZZ
@given(blob=st.binary(max_size=300))
def test_yaml_exercise_files_of_random_bytes(tmp_path, blob):
    path = tmp_path / "x.yaml"
    path.write_bytes(blob)
    _check(load_exercise, path, "user")


CSV_COLUMNS = st.lists(
    st.sampled_from(["file", "exercise", "label", "gt_count", "form_label", "x", ""]),
    max_size=5,
)


@FUZZ
@given(
    columns=CSV_COLUMNS,
    rows=st.lists(st.lists(st.text(max_size=10), max_size=6), max_size=5),
    raw=st.one_of(st.none(), st.binary(max_size=80)),
)
def test_labels_csv(tmp_path, columns, rows, raw):
    folder = tmp_path / "labelled"
    folder.mkdir(exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows(rows)
    for name in ("labels.csv", "ground_truth.csv"):
        target = folder / name
        if raw is not None:
            target.write_bytes(raw)
        else:
            target.write_text(buf.getvalue())
        _check(read_labels, folder) if name == "labels.csv" else _check(find_clips, folder)
        target.unlink()


@FUZZ
@given(doc=JSON)
def test_repcount_labels_json(tmp_path, doc):
    folder = tmp_path / "rc"
    folder.mkdir(exist_ok=True)
    (folder / "labels.json").write_text(json.dumps(doc))
    _check(find_clips, folder)


def _wav_bytes(channels: int, width: int, rate: int, frames: bytes) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return buf.getvalue()


@FUZZ
@given(
    channels=st.integers(1, 6),
    width=st.integers(1, 4),
    rate=st.integers(1, 192_000),
    frames=st.binary(max_size=4000),
    cut=st.integers(0, 60),
    junk=st.binary(max_size=100),
)
def test_wav_answers(tmp_path, channels, width, rate, frames, cut, junk):
    path = tmp_path / "a.wav"
    good = _wav_bytes(channels, width, rate, frames)
    header_lies = good[:40] + struct.pack("<I", 2**31) + good[44:]  # a data size it lacks
    for blob in (good, good[: len(good) - cut], junk, b"RIFF" + junk, header_lies):
        path.write_bytes(blob)
        got = _check(read_wav, path)
        if got is not None:
            samples, sr = got
            assert samples.dtype == np.int16 and samples.ndim == 1 and sr == 16000


@pytest.fixture(scope="module")
def recognizer():
    pytest.importorskip("pocketsphinx")
    from formcoach.voice.recognizers import PocketsphinxRecognizer

    return PocketsphinxRecognizer()


@settings(FUZZ, max_examples=25)
@given(
    samples=hnp.arrays(np.int16, st.integers(0, 24000)),
    rate=st.sampled_from([8000, 16000, 44100]),
)
def test_wav_answers_are_recognised_or_rejected(tmp_path, recognizer, samples, rate):
    """A WAV answer of any length and content is heard as some intent, never a crash."""
    from formcoach.voice.listener import ScriptListener

    path = tmp_path / "answer.wav"
    path.write_bytes(_wav_bytes(1, 2, rate, samples.tobytes()))
    heard = _check(ScriptListener([str(path)], recognizer).listen)
    if heard is not None:
        assert isinstance(heard.intent, str)


def _image_bytes(draw) -> bytes:
    import cv2

    h, w = draw(st.integers(1, 64)), draw(st.integers(1, 64))
    img = draw(hnp.arrays(np.uint8, (h, w, draw(st.sampled_from([1, 3, 4])))))
    ok, enc = cv2.imencode(draw(st.sampled_from([".jpg", ".png", ".bmp", ".webp"])), img)
    return enc.tobytes() if ok else b""


@st.composite
def image_files(draw) -> bytes:
    blob = _image_bytes(draw)
    how = draw(st.sampled_from(["whole", "cut", "random", "corrupt"]))
    if how == "cut":
        return blob[: draw(st.integers(0, max(len(blob) - 1, 0)))]
    if how == "random":
        return draw(st.binary(max_size=300))
    if how == "corrupt" and blob:
        k = draw(st.integers(0, len(blob) - 1))
        return blob[:k] + bytes([blob[k] ^ 0xFF]) + blob[k + 1 :]
    return blob


@FUZZ
@given(blob=image_files())
def test_uploaded_images(tmp_path, blob):
    from formcoach.faces.images import load_image

    path = tmp_path / "photo.jpg"
    path.write_bytes(blob)
    image = _check(load_image, path)
    if image is not None:
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3


@pytest.fixture(scope="module")
def face_model():
    pytest.importorskip("dlib")
    from formcoach.faces import PHOTO, DlibFaces

    return DlibFaces(PHOTO)


@settings(FUZZ, max_examples=20)
@given(blob=image_files())
def test_uploaded_images_that_are_not_faces(tmp_path, face_model, blob):
    """Enrolling from any image gives a face or says there is none: never a crash."""
    from formcoach.faces.enrol import face_from_photo

    path = tmp_path / "photo.jpg"
    path.write_bytes(blob)
    _check(face_from_photo, path, face_model, 1)
