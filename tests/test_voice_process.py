"""Speech decoded in a child process leaves the caller's threads running."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from formcoach.voice.audio import read_wav
from formcoach.voice.process import ProcessRecognizer


@pytest.mark.realdata
def test_decoding_in_a_child_process_hears_yes_and_never_stops_the_other_threads(shared_data):
    yes, rate = read_wav(shared_data / "speech" / "yes" / "6a27a9bf_nohash_0.wav")
    quiet = np.zeros(rate // 2, np.int16)
    audio = np.concatenate([quiet, yes, quiet, yes, quiet])
    recognizer = ProcessRecognizer()
    try:
        heard: list[str] = []
        thread = threading.Thread(
            target=lambda: heard.extend(recognizer.recognize(audio, rate).intent for _ in range(2))
        )
        thread.start()
        longest, last = 0.0, time.perf_counter()
        while thread.is_alive():  # a camera loop: wakes every 5 ms
            time.sleep(0.005)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now
        assert heard == ["yes", "yes"]
        # in-process, pocketsphinx held this loop for as long as it decoded (seconds)
        assert longest < 0.5
    finally:
        recognizer.close()
