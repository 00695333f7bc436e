"""Fuzzing what the browser sends ``formcoach serve``: camera frame messages (header + JPEG),
microphone PCM, JSON messages and the training page's query.

A message from a page is untrusted input. Each decoder may refuse it only in the way the
socket handles (``ValueError``: the socket closes with 1003; ``FormcoachError`` for a query:
a page saying what is wrong), never with anything else, and never slowly (time limit per
example).
"""

from __future__ import annotations

import json
import struct
from datetime import timedelta
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcoach.core.errors import FormcoachError
from formcoach.web.frames import FRAME_HEADER, decode_jpeg, parse_frame
from formcoach.web.live import LiveRequest
from formcoach.web.protocol import FRAME, PCM, parse_pcm
from formcoach.web.socket import _dispatch

pytestmark = pytest.mark.timeout(300)

FUZZ = settings(
    max_examples=80,
    deadline=timedelta(seconds=2),  # a decoder that takes longer on a few bytes is hanging
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: a failure here is reproducible
    database=None,
)


def _jpeg(seed: int = 0) -> bytes:
    image = np.random.default_rng(seed).integers(0, 255, (48, 64, 3), np.uint8)
    ok, buf = cv2.imencode(".jpg", image)
    assert ok
    return buf.tobytes()


JPEG = _jpeg()


def _frame_or_refused(data: bytes) -> None:
    """What the socket does with a binary frame message: parse, then decode the JPEG."""
    try:
        frame = parse_frame(data)
    except ValueError:
        return
    image = decode_jpeg(frame.jpeg)
    assert image is None or (image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8)


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_as_a_frame_message_are_decoded_or_refused(data):
    _frame_or_refused(data)
    _frame_or_refused(bytes([FRAME]) + data)


@FUZZ
@given(
    frame_id=st.integers(0, 2**32 - 1),
    capture_ms=st.floats(allow_nan=True, allow_infinity=True),
    cut=st.integers(0, len(JPEG)),
    flips=st.lists(st.tuples(st.integers(0, len(JPEG) - 1), st.integers(0, 255)), max_size=8),
)
def test_a_damaged_jpeg_in_a_frame_message_is_decoded_or_dropped(frame_id, capture_ms, cut, flips):
    jpeg = bytearray(JPEG[:cut])
    for at, value in flips:
        if at < len(jpeg):
            jpeg[at] = value
    _frame_or_refused(FRAME_HEADER.pack(FRAME, frame_id, capture_ms) + bytes(jpeg))


def test_a_whole_frame_message_gives_its_header_and_pixels():
    data = FRAME_HEADER.pack(FRAME, 7, 1234.5) + JPEG
    frame = parse_frame(data)
    assert (frame.id, frame.capture_ms) == (7, 1234.5)
    assert decode_jpeg(frame.jpeg).shape == (48, 64, 3)
    with pytest.raises(ValueError):
        parse_frame(FRAME_HEADER.pack(FRAME, 7, 1234.5))  # a header without a picture


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_as_pcm_are_samples_or_refused(data):
    for message in (data, bytes([PCM]) + data):
        try:
            samples = parse_pcm(message)
        except ValueError:
            continue
        assert samples.dtype == np.int16 and samples.size == (len(message) - 1) // 2


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@FUZZ
@given(
    st.one_of(
        st.text(max_size=200),
        JSON_VALUES.map(json.dumps),
        st.fixed_dictionaries(
            {"type": st.sampled_from(["answer", "played", "other"])},
            optional={"text": JSON_VALUES, "line": JSON_VALUES},
        ).map(json.dumps),
    )
)
def test_any_text_message_is_taken_or_ignored(text):
    answers: list[str] = []
    played: list[int] = []
    # the parts of a live session a JSON message reaches
    session = SimpleNamespace(
        answers=SimpleNamespace(put=answers.append), speaker=SimpleNamespace(played=played.append)
    )
    _dispatch(session, text)  # must not raise
    assert all(isinstance(a, str) and len(a) <= 200 for a in answers)
    assert all(isinstance(n, int) for n in played)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["profile", "exercise", "reps", "sets", "hold", "other"]),
        st.text(max_size=12),
        max_size=6,
    )
)
def test_any_training_query_is_read_or_refused_with_a_reason(query):
    try:
        request = LiveRequest.from_query(query)
    except FormcoachError as e:
        assert e.message
        return
    assert isinstance(request.reps, int) and isinstance(request.sets, int)


def test_frame_header_layout_is_what_the_page_sends():
    # train.js writes: Uint8 kind, Uint32 id, Float64 capture time, little-endian, packed
    assert FRAME_HEADER.format == "<BId" and FRAME_HEADER.size == struct.calcsize("<BId")
