"""Choose the keyword-spotting floors of the offline recogniser on the tuning speakers only.

For every tuning recording whose transcript names an answer, the keyword-spotting score per
frame of the answer is measured (``PocketsphinxRecognizer.answer_score``: the best of the
phrase heard and the intent's one-word phrases). Per
intent, the floor is midway between the weakest true answer and the strongest other word heard
as that intent; an intent that no other word was heard as gets no floor. Prints one JSON
object: the scores, the chosen floors, and the floor in the code for comparison.

Usage: python benchmarks/speech_thresholds.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def tuning_scores(speech_dir: Path) -> list[dict]:
    from formcoach.eval.speech import speech_files
    from formcoach.voice.audio import read_wav
    from formcoach.voice.recognizers import PocketsphinxRecognizer
    from formcoach.voice.utterance import cut_speech

    rec = PocketsphinxRecognizer(min_keyword_score={})  # no floor while measuring
    rows = []
    for label, path in speech_files(speech_dir, part="tune"):
        x, _ = read_wav(path)
        speech = cut_speech(x, rec.endpointing)
        if speech is None:
            continue
        text, _ = rec.transcribe(speech)
        intent, phrase = rec.intent_of(text)
        if intent == "unknown":
            continue
        score = rec.answer_score(speech, intent, phrase)
        rows.append(
            {"file": f"{label}/{path.name}", "label": label, "intent": intent, "text": text,
             "phrase": phrase, "score": round(score, 2)}
        )  # fmt: skip
    return rows


def floors(rows: list[dict]) -> dict[str, float]:
    """intent -> midway between its weakest true and its strongest false answer."""
    out = {}
    for intent in sorted({r["intent"] for r in rows}):
        true = [r["score"] for r in rows if r["intent"] == intent and r["label"] == intent]
        false = [r["score"] for r in rows if r["intent"] == intent and r["label"] != intent]
        if false and true:
            out[intent] = round((min(true) + max(false)) / 2, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from formcoach.core.paths import shared_data_dir
    from formcoach.voice.recognizers import MIN_KEYWORD_SCORE

    data = args.data or shared_data_dir()
    if data is None or not (data / "speech").is_dir():
        sys.exit("no speech folder: pass --data DIR (with DIR/speech/{yes,no,other})")
    rows = tuning_scores(data / "speech")
    print(
        json.dumps(
            {"tuning_answers": rows, "floors": floors(rows), "in_code": MIN_KEYWORD_SCORE},
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
