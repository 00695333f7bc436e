"""Audio plumbing: WAV files, resampling, frame energies and the sound card (if any).

Audio is a (n,) int16 numpy array plus a sample rate everywhere. ``sounddevice`` is optional:
it needs the system PortAudio library and a device, and raises ``OSError`` (PortAudio missing)
or ``sounddevice.PortAudioError`` (no device) otherwise; :func:`sounddevice_or_none` and
:func:`has_output_device` / :func:`has_input_device` turn all of that into ``None``/``False``
so that callers fall back to files and the console. Where the speech is in a recording is
:mod:`formcoach.voice.utterance`'s job (a voice activity detector, not energy thresholds).
"""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from formcoach.core.errors import FormcoachError
from formcoach.core.private import open_private

__all__ = [
    "frame_energy_db",
    "has_input_device",
    "has_output_device",
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


def _has_device(kind: str) -> bool:
    sd = sounddevice_or_none()
    if sd is None:
        return False
    try:
        info = sd.query_devices(kind=kind)
    except Exception:  # PortAudioError, ValueError: no default device of that kind
        return False
    key = "max_output_channels" if kind == "output" else "max_input_channels"
    return bool(info) and int(info.get(key, 0)) > 0


def has_output_device() -> bool:
    """True when sounddevice can play to a default output device."""
    return _has_device("output")


def has_input_device() -> bool:
    """True when sounddevice can record from a default input device."""
    return _has_device("input")
