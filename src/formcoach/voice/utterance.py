"""Finding the utterance: where the speech is in a recording or a live microphone stream.

Speech is found by the Silero voice activity detector (:mod:`formcoach.voice.vad`), not by
energy thresholds: silence, steady noise, a hum or a door knock have no speech segment and never
reach the recogniser, whatever their level.

The recogniser is then given the speech with ``context_s`` of the recording around it.
pocketsphinx normalises its features over what it is given: a short word inside seconds of
silence, or cut with no silence after it, decodes worse. Where the recording is too short for
that context (a clip cut tight around the word), the missing part is the recording's own
background (its quietest 10 ms frames), never digital silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice.audio import frame_energy_db, sounddevice_or_none
from formcoach.voice.vad import SAMPLE_RATE, VadSettings, VadStream, speech_segments

__all__ = ["Endpointing", "background", "cut_speech", "record_until_silence", "speech_region"]


@dataclass(frozen=True)
class Endpointing:
    """Where the answer is in a recording.

    Attributes:
        vad: how Silero's speech probabilities become segments (the model's own defaults).
        context_s: recording kept (or background added) on each side of the speech for the
            recogniser.
    """

    vad: VadSettings = field(default_factory=VadSettings)
    context_s: float = 0.5

    def __post_init__(self) -> None:
        if self.context_s < 0:
            raise ValueError(f"context_s must be >= 0 s, got {self.context_s}")


def speech_region(
    samples: np.ndarray, settings: Endpointing | None = None
) -> tuple[int, int] | None:
    """The ``(start, stop)`` sample range from the first to the last speech segment of (n,)
    int16 16 kHz audio (without context), or ``None`` when there is no speech."""
    settings = settings or Endpointing()
    if len(samples) == 0:
        return None
    segments = speech_segments(samples, settings.vad)
    if not segments:
        return None
    return segments[0][0], segments[-1][1]


def background(samples: np.ndarray, sample_rate: int, n: int) -> np.ndarray:
    """``n`` samples of the recording's own background: its quietest 10 ms frames, tiled."""
    hop = int(0.010 * sample_rate)
    if n <= 0 or len(samples) < hop:
        return np.zeros(max(n, 0), np.int16)
    db = frame_energy_db(samples, sample_rate, win_s=0.010, hop_s=0.010)
    quiet = np.sort(np.argsort(db)[: max(1, len(db) // 10)])
    bg = np.concatenate([samples[i * hop : (i + 1) * hop] for i in quiet])
    return np.resize(bg, n).astype(np.int16)


def cut_speech(samples: np.ndarray, settings: Endpointing | None = None) -> np.ndarray | None:
    """The speech of (n,) int16 16 kHz audio with ``context_s`` around it, or ``None``.

    Returns:
        (m,) int16: the speech region, ``context_s`` of the recording before and after it,
        completed with the recording's background where the recording is shorter.
    """
    settings = settings or Endpointing()
    region = speech_region(samples, settings)
    if region is None:
        return None
    start, stop = region
    pad = int(settings.context_s * SAMPLE_RATE)
    need_before = max(0, pad - start)
    need_after = max(0, pad - (len(samples) - stop))
    speech = samples[max(0, start - pad) : stop + pad]
    if not (need_before or need_after):
        return speech.astype(np.int16)
    bg = background(samples, SAMPLE_RATE, need_before + need_after)
    return np.concatenate([bg[:need_before], speech, bg[need_before:]]).astype(np.int16)


def record_until_silence(
    wait_s: float = 6.0,
    max_s: float = 8.0,
    silence_s: float = 0.8,
    settings: VadSettings | None = None,
    sd=None,
    vad: VadStream | None = None,
) -> np.ndarray:
    """Record 16 kHz audio from the default microphone: wait for speech, stop after a pause.

    Every 32 ms block goes through the Silero detector as it arrives. Speech starts at the
    first block at or above the detector's threshold; the recording ends ``silence_s`` after
    the last speech block, ``wait_s`` after the start if nobody spoke, or at ``max_s``.

    Returns:
        (n,) int16 at 16 kHz (may hold no speech; the recogniser decides).
    """
    settings = settings or VadSettings()
    sd = sd or sounddevice_or_none()
    if sd is None:
        raise FormcoachError(
            "no microphone: sounddevice or the PortAudio library is missing",
            "answer by typing, or pass WAV files as answers",
        )
    vad = vad or VadStream()
    blocks: list[np.ndarray] = []
    started, quiet, t = False, 0.0, 0.0
    block = 512
    try:
        with sd.InputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16") as stream:
            while t < max_s:
                data, _ = stream.read(block)
                x = np.asarray(data, dtype=np.int16).reshape(-1)
                blocks.append(x)
                t += len(x) / SAMPLE_RATE
                probs = vad.push(x)
                if len(probs) and float(probs.max()) >= settings.threshold:
                    started, quiet = True, 0.0
                elif started:
                    quiet += len(x) / SAMPLE_RATE
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
