"""Audio plumbing: WAV files, resampling, speech endpointing and the sound card (if any).

Audio is a (n,) int16 numpy array plus a sample rate everywhere. ``sounddevice`` is optional:
it needs the system PortAudio library and a device, and raises ``OSError`` (PortAudio missing)
or ``sounddevice.PortAudioError`` (no device) otherwise; :func:`sounddevice_or_none` and
:func:`has_output_device` / :func:`has_input_device` turn all of that into ``None``/``False``
so that callers fall back to files and the console.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.core.private import open_private

__all__ = [
    "Endpointing",
    "background",
    "cut_speech",
    "frame_energy_db",
    "has_input_device",
    "has_output_device",
    "read_wav",
    "record_until_silence",
    "resample",
    "sounddevice_or_none",
    "speech_region",
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
    from scipy.signal import resample_poly

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


@dataclass(frozen=True)
class Endpointing:
    """Where the speech is in a recording, from frame energies.

    A frame is speech when its energy is ``margin_db`` above the recording's noise floor (its
    10th-percentile frame) and above ``min_level_db`` in absolute terms. Steady noise and
    silence have no such frames; a recording needs ``min_speech_s`` of them to count as
    speech. So a recording must hold some quiet around the answer (a microphone recording
    always does; a file cut tightly inside the word, with nothing quieter than the word,
    reads as steady noise). The speech region is padded by ``pad_s`` of context on each
    side: the recogniser normalises its features over what it is given, and ~0.5 s of
    context around a short word decoded best (see ``formcoach.voice.recognizers``).
    """

    margin_db: float = 12.0
    min_level_db: float = 20.0
    min_speech_s: float = 0.08
    pad_s: float = 0.5

    def __post_init__(self) -> None:
        if self.margin_db <= 0 or self.min_speech_s <= 0 or self.pad_s < 0:
            raise ValueError(f"margin_db, min_speech_s must be > 0 and pad_s >= 0, got {self}")


def _speech_frames(samples: np.ndarray, rate: int, settings: Endpointing) -> np.ndarray:
    db = frame_energy_db(samples, rate)
    floor = float(np.percentile(db, 10))
    return np.flatnonzero(db > max(floor + settings.margin_db, settings.min_level_db))


def speech_region(
    samples: np.ndarray, sample_rate: int, settings: Endpointing | None = None
) -> tuple[int, int] | None:
    """The ``(start, stop)`` sample range holding the speech (padded), or ``None`` if none."""
    settings = settings or Endpointing()
    if len(samples) == 0:
        return None
    hop = int(0.010 * sample_rate)
    idx = _speech_frames(samples, sample_rate, settings)
    if len(idx) * hop / sample_rate < settings.min_speech_s:
        return None
    pad = int(settings.pad_s * sample_rate)
    start = max(0, int(idx[0]) * hop - pad)
    stop = min(len(samples), (int(idx[-1]) + 1) * hop + int(0.025 * sample_rate) + pad)
    return start, stop


def background(samples: np.ndarray, sample_rate: int, n: int) -> np.ndarray:
    """``n`` samples of the recording's own background: its quietest 10 ms frames, tiled."""
    hop = int(0.010 * sample_rate)
    if n <= 0 or len(samples) < hop:
        return np.zeros(max(n, 0), np.int16)
    db = frame_energy_db(samples, sample_rate, win_s=0.010, hop_s=0.010)
    quiet = np.sort(np.argsort(db)[: max(1, len(db) // 10)])
    bg = np.concatenate([samples[i * hop : (i + 1) * hop] for i in quiet])
    return np.resize(bg, n).astype(np.int16)


def cut_speech(
    samples: np.ndarray, sample_rate: int, settings: Endpointing | None = None
) -> np.ndarray | None:
    """The speech with ``pad_s`` of context each side, or ``None`` when there is no speech.

    Where the recording is too short for the context (a clip cut tight around the word), the
    missing context is the recording's own background (:func:`background`).
    """
    settings = settings or Endpointing()
    region = speech_region(samples, sample_rate, settings)
    if region is None:
        return None
    start, stop = region
    hop = int(0.010 * sample_rate)
    loud = _speech_frames(samples, sample_rate, settings)
    pad = int(settings.pad_s * sample_rate)
    need_before = max(0, pad - int(loud[0]) * hop)
    need_after = max(0, pad - (len(samples) - (int(loud[-1]) + 1) * hop))
    parts = [samples[start:stop]]
    if need_before or need_after:
        bg = background(samples, sample_rate, need_before + need_after)
        parts = [bg[:need_before], samples[start:stop], bg[need_before:]]
    return np.concatenate(parts).astype(np.int16)


def sounddevice_or_none():
    """The ``sounddevice`` module, or ``None`` when it, PortAudio or a sound card is missing."""
    try:
        import sounddevice
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


def record_until_silence(
    sample_rate: int = 16000,
    wait_s: float = 6.0,
    max_s: float = 8.0,
    silence_s: float = 0.8,
    margin_db: float = 12.0,
    sd=None,
) -> np.ndarray:
    """Record from the default microphone: wait for speech, stop after a pause.

    Listens in 30 ms blocks. The noise floor is learnt from the first 0.3 s; speech starts
    when a block is ``margin_db`` above it. Recording ends ``silence_s`` after the last speech
    block, ``wait_s`` after the start if nobody spoke, or at ``max_s`` in any case.

    Returns:
        (n,) int16 at ``sample_rate`` (may hold no speech; the recogniser decides).
    """
    sd = sd or sounddevice_or_none()
    if sd is None:
        raise FormcoachError(
            "no microphone: sounddevice or the PortAudio library is missing",
            "answer by typing, or pass WAV files as answers",
        )
    block = int(0.03 * sample_rate)
    blocks: list[np.ndarray] = []
    floor: float | None = None
    started = False
    quiet = 0.0
    t = 0.0
    try:
        with sd.InputStream(samplerate=sample_rate, channels=1, dtype="int16") as stream:
            while t < max_s:
                data, _ = stream.read(block)
                x = np.asarray(data, dtype=np.int16).reshape(-1)
                blocks.append(x)
                t += len(x) / sample_rate
                level = float(frame_energy_db(x, sample_rate, win_s=0.03, hop_s=0.03).max())
                if t <= 0.3:
                    floor = level if floor is None else min(floor, level)
                    continue
                loud = level > (floor if floor is not None else 0.0) + margin_db
                if loud:
                    started, quiet = True, 0.0
                elif started:
                    quiet += len(x) / sample_rate
                    if quiet >= silence_s:
                        break
                if not started and t >= wait_s:
                    break
    except Exception as e:  # PortAudioError and friends
        raise FormcoachError(
            f"cannot record from the microphone ({e})",
            "check the input device, or answer by typing",
        ) from None
    return np.concatenate(blocks) if blocks else np.zeros(0, np.int16)
