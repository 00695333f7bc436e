"""Is every setting of the offline recogniser in a flat region? Each one at x0.75 and x1.25.

For each setting (Silero's segment rules, the context given to the decoder, the search beams,
the keyword-spotting floors), the tune / validate figures of ``formcoach eval speech`` with the
setting scaled by 0.75 and 1.25, all others at their defaults. Beams are probability ratios
(1e-30): their exponent is scaled. Prints one JSON object per line, then a summary of the
largest change of the validation accuracy and of each class's recall.

Usage: python benchmarks/speech_sensitivity.py [--data ../shared/data] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from pathlib import Path


def _exponent(value: float, factor: float) -> float:
    return 10 ** (math.log10(value) * factor)


def variants() -> dict[str, tuple]:
    """name -> (Endpointing, SearchSettings, min_keyword_score)."""
    from formcoach.voice.recognizers import MIN_KEYWORD_SCORE, SearchSettings
    from formcoach.voice.utterance import Endpointing

    e, s, k = Endpointing(), SearchSettings(), dict(MIN_KEYWORD_SCORE)
    v = e.vad
    out = {"default": (e, s, k)}
    for f in (0.75, 1.25):
        out |= {
            f"context_s x{f}": (replace(e, context_s=e.context_s * f), s, k),
            f"vad.threshold x{f}": (replace(e, vad=replace(v, threshold=v.threshold * f)), s, k),
            f"vad.release x{f}": (replace(e, vad=replace(v, release=v.release * f)), s, k),
            f"vad.min_speech_s x{f}": (
                replace(e, vad=replace(v, min_speech_s=v.min_speech_s * f)),
                s,
                k,
            ),
            f"vad.min_silence_s x{f}": (
                replace(e, vad=replace(v, min_silence_s=v.min_silence_s * f)),
                s,
                k,
            ),
            f"vad.pad_s x{f}": (replace(e, vad=replace(v, pad_s=v.pad_s * f)), s, k),
            f"beam exponent x{f}": (e, replace(s, beam=_exponent(s.beam, f)), k),
            f"word_beam exponent x{f}": (e, replace(s, word_beam=_exponent(s.word_beam, f)), k),
            f"max_hmms_per_frame x{f}": (
                e,
                replace(s, max_hmms_per_frame=round(s.max_hmms_per_frame * f)),
                k,
            ),
            f"min_keyword_score x{f}": (e, s, {i: t * f for i, t in k.items()}),
        }
    out["no keyword floor"] = (e, s, {})
    out["pocketsphinx default beams"] = (e, SearchSettings(1e-48, 7e-29, 30000), k)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--only", nargs="*", default=[], help="only settings whose name has this")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from formcoach.core.paths import shared_data_dir
    from formcoach.eval.speech import generalisation
    from formcoach.voice.recognizers import PocketsphinxRecognizer

    data = args.data or shared_data_dir()
    if data is None or not (data / "speech").is_dir():
        sys.exit("no speech folder: pass --data DIR (with DIR/speech/{yes,no,other})")
    figures = {}
    for name, (endpointing, search, floors) in variants().items():
        if args.only and name != "default" and not any(o in name for o in args.only):
            continue
        rec = PocketsphinxRecognizer(endpointing, search=search, min_keyword_score=floors)
        g = generalisation(data / "speech", rec)
        figures[name] = {
            part: {
                "accuracy": round(f["accuracy"], 3),
                "recall": {c: round(r, 3) for c, r in f["recall"].items()},
                "wrong": f["wrong"],
                "ms_per_answer": round(f["mean_seconds"] * 1000),
            }
            for part, f in g.items()
        }
        print(json.dumps({"setting": name, **figures[name]}), flush=True)
    scaled = [f["validate"] for n, f in figures.items() if " x" in n]
    every = [f["validate"] for f in figures.values()]
    base = figures["default"]["validate"]
    print(
        json.dumps(
            {
                "largest_validation_change_x0.75_x1.25": largest_change(base, scaled),
                "largest_validation_change_any_variant": largest_change(base, every),
            }
        )
    )


def _figure(f: dict, key: str) -> float:
    return f["accuracy"] if key == "accuracy" else f["recall"][key]


def largest_change(base: dict, others: list[dict]) -> dict[str, float]:
    """The largest absolute change of the accuracy and of each class's recall."""
    keys = ["accuracy", *base["recall"]]
    return {
        k: round(max((abs(_figure(f, k) - _figure(base, k)) for f in others), default=0.0), 3)
        for k in keys
    }


if __name__ == "__main__":
    main()
