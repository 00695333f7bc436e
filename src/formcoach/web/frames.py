"""The page's camera as a frame source: JPEG frames pushed in over the WebSocket.

The page sends a frame only after the reply to the previous one (one frame in flight), so the
slot here holds at most one frame. The coach's thread takes it, decodes it and runs it through
the same pose pipeline as a local camera. While the coach is not reading frames (it is asking
a question, or the session is over) a frame is taken back unanswered after a moment, so the
page never waits on it: like a camera, frames nobody reads are dropped.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from formcoach.pose.frames import Frame

__all__ = ["FRAME_HEADER", "EncodedFrame", "PushedFrames", "decode_jpeg", "parse_frame"]

#: A frame message: kind byte 1, the page's frame id (uint32), its capture time in
#: milliseconds on the page's clock (float64), then the JPEG bytes. Little-endian.
FRAME_HEADER = struct.Struct("<BId")


@dataclass(frozen=True, eq=False)
class EncodedFrame:
    """A camera frame as the page sent it.

    Attributes:
        id: the page's number for it (increasing).
        capture_ms: when the camera captured it, milliseconds on the page's clock.
        jpeg: the JPEG bytes.
    """

    id: int
    capture_ms: float
    jpeg: bytes


def parse_frame(data: bytes) -> EncodedFrame:
    """Split a frame message into its header and JPEG.

    Raises:
        ValueError: too short, or not a frame message.
    """
    if len(data) <= FRAME_HEADER.size:
        raise ValueError(f"a frame message needs more than {FRAME_HEADER.size} bytes")
    kind, frame_id, capture_ms = FRAME_HEADER.unpack_from(data)
    if kind != 1:
        raise ValueError(f"not a frame message (kind {kind})")
    return EncodedFrame(frame_id, capture_ms, bytes(data[FRAME_HEADER.size :]))


def decode_jpeg(jpeg: bytes) -> np.ndarray | None:
    """(H, W, 3) uint8 BGR pixels of a JPEG, or ``None`` when it does not decode."""
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return image if image is not None and image.ndim == 3 else None


class PushedFrames:
    """A live :class:`~formcoach.pose.video.FrameSource` whose frames are pushed in.

    Args:
        on_drop: told ``(frame id, reason)`` of a taken frame that could not be used (it
            does not decode), so its sender gets an answer all the same.
        fps: the nominal frame rate (the page's camera asks for 30).

    Timestamps are the page's capture times in seconds from its first frame; frame indices
    are the page's frame ids.
    """

    live = True
    frame_count = None

    def __init__(
        self, on_drop: Callable[[int, str], None] | None = None, fps: float = 30.0
    ) -> None:
        self.fps: float | None = fps
        self.frame_size: tuple[int, int] = (640, 480)
        self._on_drop = on_drop or (lambda frame_id, reason: None)
        self._cond = threading.Condition()
        self._slot: EncodedFrame | None = None
        self._closed = False
        self._t0_ms: float | None = None
        self._last_t = -1.0

    def push(self, frame: EncodedFrame) -> EncodedFrame | None:
        """Offer the newest frame; returns the untaken one it replaced, if any."""
        with self._cond:
            if self._closed:
                return frame
            replaced, self._slot = self._slot, frame
            self._cond.notify_all()
        return replaced

    def take_back(self, frame_id: int) -> bool:
        """Withdraw the frame ``frame_id`` if nobody took it yet; True when withdrawn."""
        with self._cond:
            if self._slot is not None and self._slot.id == frame_id:
                self._slot = None
                return True
        return False

    def _next_encoded(self) -> EncodedFrame | None:
        with self._cond:
            while self._slot is None and not self._closed:
                self._cond.wait()
            if self._closed:
                return None
            frame, self._slot = self._slot, None
            return frame

    def _timestamp(self, capture_ms: float) -> float:
        if self._t0_ms is None:
            self._t0_ms = capture_ms
        t = (capture_ms - self._t0_ms) / 1000.0
        t = max(t, self._last_t + 1e-3)  # time never runs backwards for the counter
        self._last_t = t
        return t

    def __iter__(self) -> Iterator[Frame]:
        while (encoded := self._next_encoded()) is not None:
            image = decode_jpeg(encoded.jpeg)
            if image is None:
                self._on_drop(encoded.id, "the frame is not a JPEG image")
                continue
            self.frame_size = (image.shape[1], image.shape[0])
            rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
            yield Frame(image, self._timestamp(encoded.capture_ms), encoded.id, rgb)

    def close(self) -> None:
        """End the stream: the consumer's iteration stops."""
        with self._cond:
            self._closed = True
            self._slot = None
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed
