"""A speech recogniser in a child process, so decoding never holds up the caller's threads.

pocketsphinx keeps Python's global interpreter lock while it decodes: measured here, a 3.5 s
recording took ~6 s to decode on a busy CPU, and a thread of the same process waiting 1 ms in
a loop was held up for 6.8 s. A live session decoding its microphone on a thread would stop
reading its camera that long. :class:`ProcessRecognizer` does the decoding in one child
process (spawned, so it shares nothing with the caller's threads) and only waits for it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from formcoach.core.errors import FormcoachError
from formcoach.voice.recognizers import Heard, PocketsphinxRecognizer, Recognizer

__all__ = ["ProcessRecognizer"]

_RECOGNIZER: Recognizer | None = None  # the child's own recogniser


def _start(factory: Callable[[], Recognizer]) -> None:
    global _RECOGNIZER
    _RECOGNIZER = factory()


def _recognize(samples: np.ndarray, sample_rate: int) -> Heard:
    assert _RECOGNIZER is not None
    return _RECOGNIZER.recognize(samples, sample_rate)


class ProcessRecognizer:
    """A :class:`~formcoach.voice.recognizers.Recognizer` that decodes in a child process.

    Args:
        factory: makes the real recogniser in the child (a picklable callable: a class or a
            module-level function).

    Calls from several threads are served one after another. :meth:`close` ends the child.
    """

    def __init__(self, factory: Callable[[], Recognizer] = PocketsphinxRecognizer) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(factory,),
        )

    def recognize(self, samples: np.ndarray, sample_rate: int) -> Heard:
        """``samples``: (n,) int16 mono audio at ``sample_rate``.

        Raises:
            FormcoachError: the child process died.
        """
        x = np.ascontiguousarray(samples, dtype=np.int16)
        try:
            return self._pool.submit(_recognize, x, int(sample_rate)).result()
        except BrokenProcessPool:
            raise FormcoachError(
                "the speech recogniser's process stopped", "answer with the buttons, or restart"
            ) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
