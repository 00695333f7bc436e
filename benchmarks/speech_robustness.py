"""The offline recogniser on altered copies of the real recordings (synthetic conditions).

The copies are made here, in memory, from ../shared/data/speech and never saved: the word
inside 2 s of its own room background on each side (a microphone recording), quieter (x0.25)
and louder (x4, clipped), white noise at 20 dB SNR, and speed perturbation (x0.9, x1.1:
pitch and tempo together, as in Kaldi's recipes). These are NOT real-voice figures: they show
whether what the recogniser does on the real clips holds when the recording changes.
Prints one JSON object: per condition and part (tune / validate), accuracy and per-class
recall.

Usage: python benchmarks/speech_robustness.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

RATE = 16000


def conditions() -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    from formcoach.voice.audio import resample
    from formcoach.voice.utterance import background

    rng = np.random.default_rng(0)

    def clip(x: np.ndarray) -> np.ndarray:
        return np.clip(np.round(x), -32768, 32767).astype(np.int16)

    def room(x):
        bg = background(x, RATE, 2 * RATE)
        return np.concatenate([bg, x, bg])

    def noise_20db(x):
        power = float(np.mean(x.astype(np.float64) ** 2))
        return clip(x + rng.normal(0, np.sqrt(power / 100.0), len(x)))

    def speed(f):  # played f times faster: resample to 1/f of the samples
        return lambda x: resample(x, round(RATE * f), RATE)

    return {
        "as recorded": lambda x: x,
        "inside 2 s of room": room,
        "gain x0.25": lambda x: clip(x * 0.25),
        "gain x4 (clipped)": lambda x: clip(x.astype(np.float64) * 4),
        "white noise 20 dB SNR": noise_20db,
        "speed x0.9": speed(0.9),
        "speed x1.1": speed(1.1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from formcoach.core.paths import shared_data_dir
    from formcoach.eval.speech import FileResult, speech_files, speech_parts, summarise
    from formcoach.eval.splits import speech_speaker
    from formcoach.voice.audio import read_wav
    from formcoach.voice.recognizers import PocketsphinxRecognizer

    data = args.data or shared_data_dir()
    if data is None or not (data / "speech").is_dir():
        sys.exit("no speech folder: pass --data DIR (with DIR/speech/{yes,no,other})")
    files = speech_files(data / "speech")
    parts = speech_parts(files)
    clips = [(label, path, read_wav(path)[0]) for label, path in files]
    rec = PocketsphinxRecognizer()
    out = {}
    for name, alter in conditions().items():
        results = [FileResult(p, label, rec.recognize(alter(x), RATE)) for label, p, x in clips]
        out[name] = {}
        for part in ("tune", "validate"):
            s = summarise([r for r in results if parts[speech_speaker(r.path)] == part])
            out[name][part] = {
                "accuracy": round(s["accuracy"], 3),
                "recall": {c: round(v, 3) for c, v in s["recall"].items()},
                "false_yes": s["false_yes"],
            }
        print(json.dumps({"condition": name, **out[name]}), file=sys.stderr, flush=True)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
