"""Audio plumbing: WAV files, resampling, frame energies and the sound card (if any).

Audio is a (n,) int16 numpy array plus a sample rate everywhere. The sound card is reached
through ``miniaudio`` (a core dependency whose wheel bundles its backends: no system library).
:func:`miniaudio_devices` lists its real devices (not the ``null`` ones that discard what they
play and record zeros); :class:`MiniaudioMicrophone` records through it. ``sounddevice`` is
only a fallback when installed: it needs the system PortAudio library and raises ``OSError``
or ``PortAudioError`` otherwise, which :func:`sounddevice_or_none` turns into ``None``.
:func:`has_output_device` / :func:`has_input_device` answer from miniaudio first, so that
callers fall back to files and the console only when there is no device. Where the speech is
in a recording is :mod:`formcoach.voice.utterance`'s job.
"""

from __future__ import annotations

import threading
import wave
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import miniaudio
import numpy as np
from scipy.signal import resample_poly

from formcoach.core.errors import FormcoachError
from formcoach.core.private import open_private

__all__ = [
    "MiniaudioMicrophone",
    "frame_energy_db",
    "has_input_device",
    "has_output_device",
    "miniaudio_devices",
    "read_wav",
    "resample",
    "sounddevice_or_none",
    "write_wav",
]


#: Sample rates (Hz) a WAV answer may have: speech needs at least the telephone band.
_SPEECH_RATES = (4000, 384_000)


def read_wav(path: str | Path, sample_rate: int | None = 16000) -> tuple[np.ndarray, int]:
    """Read a PCM WAV file as mono int16.

    Args:
        path: a 8/16/32-bit PCM WAV file, any channel count (channels are averaged).
        sample_rate: resample to this rate; ``None`` keeps the file's rate.

    Returns:
        ``(samples (n,) int16, rate)``.
    """
    p = Path(path)
    try:
        with wave.open(str(p), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except FileNotFoundError:
        raise FormcoachError(f"no such audio file {p}", "check the path") from None
    except (wave.Error, EOFError, OSError, ValueError) as e:
        raise FormcoachError(
            f"cannot read {p} as a WAV file ({e})", "give a PCM WAV file (16-bit mono is best)"
        ) from None
    if not _SPEECH_RATES[0] <= rate <= _SPEECH_RATES[1]:
        raise FormcoachError(
            f"{p} is sampled at {rate} Hz, which cannot hold speech",
            "record at 8000-48000 Hz (16000 Hz mono 16-bit is best)",
        )
    raw = raw[: len(raw) // (width * channels) * (width * channels)]  # a cut last frame
    if width == 2:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32)
    elif width == 1:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) * 256.0
    elif width == 4:
        x = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 65536.0
    else:
        raise FormcoachError(f"{p} has {8 * width}-bit samples", "give a 16-bit PCM WAV file")
    if channels > 1:
        x = x[: len(x) // channels * channels].reshape(-1, channels).mean(axis=1)
    out = np.clip(np.round(x), -32768, 32767).astype(np.int16)
    if sample_rate is not None and sample_rate != rate:
        return resample(out, rate, sample_rate), sample_rate
    return out, rate


def write_wav(path: str | Path, samples: np.ndarray, sample_rate: int) -> Path:
    """Write (n,) int16 samples as a mono 16-bit WAV file, private to the user (mode 0600;
    missing parent folders are created 0700)."""
    p = Path(path)
    x = np.asarray(samples)
    if x.dtype != np.int16:
        x = np.clip(np.round(x), -32768, 32767).astype(np.int16)
    with open_private(p, "wb") as f, wave.open(f, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(x.astype("<i2").tobytes())
    return p


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Polyphase resampling of (n,) int16 audio from ``rate_in`` to ``rate_out`` Hz.

    An odd rate (4001 Hz) would need a filter of millions of taps; its ratio is rounded to
    one with terms below 1000 instead, a pitch error under 0.1 %, inaudible to recognition.
    """
    if rate_in == rate_out:
        return samples
    ratio = Fraction(int(rate_out), int(rate_in)).limit_denominator(1000)
    y = resample_poly(samples.astype(np.float32), ratio.numerator, ratio.denominator)
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def frame_energy_db(
    samples: np.ndarray, sample_rate: int, win_s: float = 0.025, hop_s: float = 0.010
) -> np.ndarray:
    """Energy of each frame in dB (re. one int16 step²), DC removed. Returns (frames,)."""
    n, h = int(win_s * sample_rate), int(hop_s * sample_rate)
    x = samples.astype(np.float64)
    if len(x) < n:
        x = np.pad(x, (0, n - len(x)))
    frames = np.lib.stride_tricks.sliding_window_view(x, n)[::h]
    frames = frames - frames.mean(axis=1, keepdims=True)
    return 10.0 * np.log10(np.mean(frames**2, axis=1) + 1.0)


def sounddevice_or_none():
    """The ``sounddevice`` module, or ``None`` when it, PortAudio or a sound card is missing."""
    try:
        import sounddevice  # deferred: optional, and it fails without the PortAudio library
    except (ImportError, OSError):
        return None
    return sounddevice


def _sounddevice_has(kind: str) -> bool:
    sd = sounddevice_or_none()
    if sd is None:
        return False
    try:
        info = sd.query_devices(kind=kind)
    except Exception:  # PortAudioError, ValueError: no default device of that kind
        return False
    key = "max_output_channels" if kind == "output" else "max_input_channels"
    return bool(info) and int(info.get(key, 0)) > 0


#: Device ids that are no device: ALSA's ``null`` plugin and PulseAudio's dummy sink.
_NULL_DEVICE_IDS = frozenset({b"null", b"auto_null"})


def miniaudio_devices(kind: str) -> list[dict]:
    """miniaudio's real ``"output"`` or ``"input"`` devices (its device info dicts).

    Empty when miniaudio runs on its NULL backend or only finds devices that discard what
    they play and record zeros (ALSA's ``null`` plugin on a machine without a sound card).
    """
    try:
        context = miniaudio.Devices()
        found = context.get_playbacks() if kind == "output" else context.get_captures()
    except miniaudio.MiniaudioError:
        return []
    if context.backend.lower() == "null":
        return []
    return [d for d in found if _device_id(d) not in _NULL_DEVICE_IDS]


def _device_id(device: dict) -> bytes:
    """The backend's own name of a device (``b"hw:0,0"``, ``b"null"``...)."""
    return bytes(miniaudio.ffi.buffer(device["id"])).split(b"\0", 1)[0]


def has_output_device() -> bool:
    """True when there is a speaker: miniaudio finds one, or else sounddevice does."""
    return bool(miniaudio_devices("output")) or _sounddevice_has("output")


def has_input_device() -> bool:
    """True when there is a microphone: miniaudio finds one, or else sounddevice does."""
    return bool(miniaudio_devices("input")) or _sounddevice_has("input")


class MiniaudioMicrophone:
    """The default microphone through miniaudio, shaped like the ``sounddevice`` module as
    :func:`formcoach.voice.utterance.record_until_silence` uses it.

    Args:
        backends: miniaudio backends to try (None: its default order; tests use
            ``[miniaudio.Backend.NULL]``, which records zeros with no sound card).
        buffer_s: audio kept while nobody reads; older audio is dropped (``overflowed``).
        stall_s: a read that gets no audio for this long raises ``OSError``.
    """

    def __init__(
        self,
        backends: Sequence[miniaudio.Backend] | None = None,
        buffer_s: float = 5.0,
        stall_s: float = 2.0,
    ) -> None:
        self.backends = list(backends) if backends else None
        self.buffer_s, self.stall_s = buffer_s, stall_s

    def InputStream(  # sounddevice's name, which this stands in for
        self, samplerate: int, channels: int = 1, dtype: str = "int16"
    ) -> MiniaudioInputStream:
        if dtype != "int16":
            raise ValueError(f"only int16 capture is supported, not {dtype}")
        return MiniaudioInputStream(self, int(samplerate), int(channels))


class MiniaudioInputStream:
    """One recording: a context manager whose ``read(n)`` returns ``(int16 (n, channels),
    overflowed)`` like ``sounddevice.InputStream.read``."""

    def __init__(self, mic: MiniaudioMicrophone, samplerate: int, channels: int) -> None:
        self.samplerate, self.channels = samplerate, channels
        self._mic = mic
        self._frame_bytes = 2 * channels
        self._max_bytes = int(mic.buffer_s * samplerate) * self._frame_bytes
        self._buffer = bytearray()
        self._overflowed = False
        self._ready = threading.Condition()
        self._device: miniaudio.CaptureDevice | None = None

    def __enter__(self) -> MiniaudioInputStream:
        self._device = miniaudio.CaptureDevice(
            input_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=self.channels,
            sample_rate=self.samplerate,
            buffersize_msec=20,
            backends=self._mic.backends,
            app_name="formcoach",
        )
        collect = self._collect()
        next(collect)
        self._device.start(collect)
        return self

    def __exit__(self, *exc) -> None:
        if self._device is not None:
            self._device.close()
            self._device = None

    def _collect(self):
        """miniaudio's capture callback: each period's bytes are sent in."""
        while True:
            data = yield
            with self._ready:
                self._buffer += data
                excess = len(self._buffer) - self._max_bytes
                if excess > 0:
                    del self._buffer[: excess + (-excess % self._frame_bytes)]
                    self._overflowed = True
                self._ready.notify_all()

    def read(self, frames: int) -> tuple[np.ndarray, bool]:
        """The next ``frames`` frames, waiting for them: ``((frames, channels) int16,
        overflowed since the last read)``. Raises ``OSError`` when the device stalls."""
        need = frames * self._frame_bytes
        with self._ready:
            while len(self._buffer) < need:
                if not self._ready.wait(self._mic.stall_s):
                    raise OSError(f"the microphone sent no audio for {self._mic.stall_s} s")
            data = bytes(self._buffer[:need])
            del self._buffer[:need]
            overflowed, self._overflowed = self._overflowed, False
        samples = np.frombuffer(data, dtype="<i2").astype(np.int16)
        return samples.reshape(frames, self.channels), overflowed
