"""espeak-ng through ctypes, from the ``espeakng-loader`` wheel (no system package).

Why ctypes rather than pyttsx3: pyttsx3 drives espeak through its own blocking event loop
(``runAndWait``) and plays or saves whole utterances; formcoach needs the samples themselves,
chunk by chunk as they are synthesised, so that playback (or a WAV file) can start on the first
chunk and the time to the first sample can be measured. espeak-ng's synchronous mode with a
synth callback gives exactly that with a dozen C declarations and no extra dependency.

espeak-ng keeps global state and is not thread-safe: one :class:`EspeakSynth` per process is
shared, and every call into the library holds :data:`_LOCK`.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from formcoach.core.errors import FormcoachError

__all__ = ["EspeakSynth", "espeak_synth"]

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_CHARS_UTF8 = 1
_ESPEAK_RATE = 1
_ESPEAK_PITCH = 3
_POS_CHARACTER = 1

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
_LOCK = threading.Lock()
_INSTANCE: EspeakSynth | None = None


def _load_library() -> tuple[ctypes.CDLL, Path]:
    try:
        import espeakng_loader  # deferred: optional (formcoach[voice])
    except ImportError:
        raise FormcoachError(
            "the offline voice needs the espeakng-loader package",
            "pip install 'formcoach[voice]'",
        ) from None
    lib_path = Path(espeakng_loader.get_library_path())
    data_path = Path(espeakng_loader.get_data_path())
    try:
        lib = ctypes.CDLL(str(lib_path))
    except OSError as e:
        raise FormcoachError(
            f"cannot load the espeak-ng library {lib_path} ({e})",
            "reinstall it: pip install --force-reinstall espeakng-loader",
        ) from None
    return lib, data_path


class EspeakSynth:
    """Streaming text-to-speech with espeak-ng (mono int16).

    Use :func:`espeak_synth` to get the shared instance.

    Args:
        voice: an espeak-ng voice name, e.g. ``"en-us"``, ``"en"``, ``"en-us+f3"``.
        rate: words per minute (80–450).
        pitch: 0–100 (50 is espeak's default).
        buffer_ms: length of each synthesised chunk; smaller starts playback sooner.
    """

    def __init__(
        self, voice: str = "en-us", rate: int = 165, pitch: int = 50, buffer_ms: int = 60
    ) -> None:
        if not 80 <= rate <= 450:
            raise ValueError(f"rate must be 80..450 words per minute, got {rate}")
        if not 0 <= pitch <= 100:
            raise ValueError(f"pitch must be 0..100, got {pitch}")
        if not 10 <= buffer_ms <= 1000:
            raise ValueError(f"buffer_ms must be 10..1000, got {buffer_ms}")
        self._lib, data_path = _load_library()
        lib = self._lib
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        # espeak_Initialize wants the folder that *contains* espeak-ng-data.
        rate_hz = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, buffer_ms, str(data_path.parent).encode(), 0
        )
        if rate_hz <= 0:
            raise FormcoachError(
                f"espeak-ng failed to start with its data in {data_path}",
                "reinstall it: pip install --force-reinstall espeakng-loader",
            )
        self.sample_rate = int(rate_hz)
        self._chunks: list[np.ndarray] | None = None
        self._sink = None
        self._callback = _SYNTH_CALLBACK(self._on_audio)  # keep a reference: C holds it
        lib.espeak_SetSynthCallback(self._callback)
        self.voice = ""
        self.configure(voice=voice, rate=rate, pitch=pitch)

    def configure(
        self, voice: str | None = None, rate: int | None = None, pitch: int | None = None
    ):
        """Change the voice, rate (words/min) or pitch of later utterances."""
        with _LOCK:
            if voice is not None and voice != self.voice:
                if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                    raise FormcoachError(
                        f"espeak-ng has no voice {voice!r}",
                        "use an English voice such as en-us, en, en-gb-x-rp or en-us+f3",
                    )
                self.voice = voice
            if rate is not None:
                self._lib.espeak_SetParameter(_ESPEAK_RATE, int(rate), 0)
            if pitch is not None:
                self._lib.espeak_SetParameter(_ESPEAK_PITCH, int(pitch), 0)

    def _on_audio(self, wav, numsamples, events) -> int:
        if numsamples > 0 and wav and self._sink is not None:
            chunk = np.ctypeslib.as_array(wav, shape=(numsamples,)).astype(np.int16, copy=True)
            return 1 if self._sink(chunk) is False else 0
        return 0

    def stream(self, text: str, on_chunk) -> None:
        """Synthesise ``text``, calling ``on_chunk(samples)`` for each chunk as it is ready.

        ``samples`` is a (n,) int16 array at :attr:`sample_rate`. ``on_chunk`` returning
        ``False`` stops the synthesis. Blocks until the text is spoken (synchronous mode).
        """
        data = text.encode("utf-8") + b"\0"
        buf = ctypes.create_string_buffer(data)
        with _LOCK:
            self._sink = on_chunk
            try:
                rc = self._lib.espeak_Synth(
                    buf, len(data), 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8, None, None
                )
            finally:
                self._sink = None
        if rc != 0:
            raise FormcoachError(f"espeak-ng could not speak {text!r} (error {rc})")

    def chunks(self, text: str) -> Iterator[np.ndarray]:
        """All chunks of ``text`` (synthesised first, then yielded)."""
        out: list[np.ndarray] = []
        self.stream(text, out.append)
        yield from out

    def synth(self, text: str) -> np.ndarray:
        """The whole utterance as one (n,) int16 array at :attr:`sample_rate`."""
        parts = list(self.chunks(text))
        return np.concatenate(parts) if parts else np.zeros(0, np.int16)


def espeak_synth(voice: str = "en-us", rate: int = 165, pitch: int = 50) -> EspeakSynth:
    """The process-wide espeak-ng synthesiser, set to ``voice``, ``rate`` and ``pitch``."""
    global _INSTANCE
    if _INSTANCE is None:
        _INSTANCE = EspeakSynth(voice=voice, rate=rate, pitch=pitch)
    else:
        _INSTANCE.configure(voice=voice, rate=rate, pitch=pitch)
    return _INSTANCE
