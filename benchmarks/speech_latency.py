"""How soon a spoken cue starts, and how long recognising an answer takes.

Prints one JSON object:

- ``cue``: seconds from ``Speaker.say()`` to the first audio sample being ready (an idle
  speaker, espeak-ng, the WAV-file sink), median over the runs, per cue line; the reference
  is the bare synthesis of the whole line measured in the same run (``first_over_full`` is
  how much of that wait streaming saves). The session's target is a cue starting <= 1 s
  after the rep ends.
- ``recognition``: seconds per answer for the offline recogniser on ../shared/data/speech (if
  present: Silero voice detection, the transcript, the keyword check where one applies),
  against a bare pocketsphinx decode with its default beams of the same untrimmed clips in the
  same run (what the recogniser decoded with before its beams were narrowed), and the voice
  detector's share.

Usage: python benchmarks/speech_latency.py [--runs 7] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

CUES = [
    "Good rep!",
    "Keep your elbows close to your body.",
    "Set two of three: ten curls. Rest for sixty seconds when you are done.",
]


def cue_latency(runs: int) -> dict:
    from formcoach.voice.espeak import espeak_synth
    from formcoach.voice.speaker import QueuedSpeaker, WavFolderSink

    synth = espeak_synth()
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        speaker = QueuedSpeaker(synth, WavFolderSink(tmp, echo=None))
        for text in CUES:
            first, full = [], []
            for _ in range(runs):
                t = time.perf_counter()
                synth.synth(text)
                full.append(time.perf_counter() - t)
                speaker.say(text)
                speaker.wait()
                first.append(speaker.lines[-1].latency_s)
            out[text] = {
                "say_to_first_audio_s": statistics.median(first),
                "max_s": max(first),
                "full_synthesis_s": statistics.median(full),
                "first_over_full": statistics.median(first) / statistics.median(full),
            }
        speaker.close()
    return out


def recognition(data: Path | None, runs: int) -> dict | None:
    import pocketsphinx

    from formcoach.eval.speech import speech_files
    from formcoach.voice.audio import read_wav
    from formcoach.voice.recognizers import PocketsphinxRecognizer
    from formcoach.voice.vad import silero_vad

    if data is None or not (data / "speech").is_dir():
        return None
    clips = [read_wav(p)[0] for _, p in speech_files(data / "speech")]
    rec = PocketsphinxRecognizer()
    rec.recognize(clips[0], 16000)  # load the models outside the timing
    default = pocketsphinx.Decoder(loglevel="FATAL")  # pocketsphinx's own beams
    vad = silero_vad()

    def per_clip(fn) -> float:
        t = time.perf_counter()
        for x in clips:
            fn(x)
        return (time.perf_counter() - t) / len(clips)

    def default_decode(x) -> None:
        default.start_utt()
        default.process_raw(x.astype("<i2").tobytes(), full_utt=True)
        default.end_utt()

    rounds = max(1, runs // 3)
    ours = [per_clip(lambda x: rec.recognize(x, 16000)) for _ in range(rounds)]
    bare = [per_clip(default_decode) for _ in range(rounds)]
    voice = [per_clip(vad.probabilities) for _ in range(rounds)]
    return {
        "clips": len(clips),
        "seconds_per_answer": statistics.median(ours),
        "vad_seconds_per_answer": statistics.median(voice),
        "default_beam_decode_seconds_per_answer": statistics.median(bare),
        "ratio_to_default_beam_decode": statistics.median(ours) / statistics.median(bare),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from formcoach.core.paths import shared_data_dir

    data = args.data or shared_data_dir()
    result = {"cue": cue_latency(args.runs), "recognition": recognition(data, args.runs)}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
