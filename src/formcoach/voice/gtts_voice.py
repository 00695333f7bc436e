"""gTTS (Google Translate's text-to-speech) as an optional online voice.

gTTS returns MP3; ``miniaudio`` (in the ``online`` extra, a self-contained wheel) decodes it to
16-bit PCM so the same sinks play it or write it as WAV.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np

from formcoach.core.errors import FormcoachError

__all__ = ["GttsSynth"]

_HINT_INSTALL = "pip install 'formcoach[online]'"
_HINT_OFFLINE = "check the network, or use the offline voice (--voice espeak)"


class GttsSynth:
    """Online speech with gTTS; checks the package and the network when made.

    Args:
        lang: gTTS language code.
        tld: Google domain for the accent (``"com"``, ``"co.uk"``...).
        check: synthesise a one-word probe now, so that a missing network fails here with a
            clear error instead of on the first cue.
    """

    sample_rate = 24000

    def __init__(self, lang: str = "en", tld: str = "com", check: bool = True) -> None:
        try:
            import gtts  # noqa: F401  (deferred: optional, formcoach[online])
            import miniaudio  # noqa: F401  (deferred: optional, formcoach[online])
        except ImportError as e:
            raise FormcoachError(
                f"the online voice needs {e.name or 'gTTS'} installed", _HINT_INSTALL
            ) from None
        self.lang, self.tld = lang, tld
        if check:
            self.synth("ok")

    def _mp3(self, text: str) -> bytes:
        from gtts import gTTS  # deferred: optional (formcoach[online])
        from gtts.tts import gTTSError  # (deferred with the line above)

        buf = io.BytesIO()
        try:
            gTTS(text, lang=self.lang, tld=self.tld).write_to_fp(buf)
        except (gTTSError, OSError) as e:
            raise FormcoachError(
                f"gTTS cannot reach Google's speech service ({e})", _HINT_OFFLINE
            ) from None
        except Exception as e:  # requests' ConnectionError and friends
            raise FormcoachError(f"gTTS failed ({type(e).__name__}: {e})", _HINT_OFFLINE) from None
        return buf.getvalue()

    def synth(self, text: str) -> np.ndarray:
        """The whole line as (n,) int16 at :attr:`sample_rate`."""
        import miniaudio  # deferred: optional (formcoach[online])

        mp3 = self._mp3(text)
        try:
            decoded = miniaudio.decode(
                mp3,
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=self.sample_rate,
            )
        except miniaudio.DecodeError as e:
            raise FormcoachError(f"cannot decode gTTS audio ({e})", _HINT_OFFLINE) from None
        return np.frombuffer(decoded.samples.tobytes(), dtype=np.int16).copy()

    def stream(self, text: str, on_chunk: Callable[[np.ndarray], object]) -> None:
        """gTTS returns whole files: one chunk per line."""
        on_chunk(self.synth(text))
