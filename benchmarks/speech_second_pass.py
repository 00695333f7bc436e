"""Would a second, constrained pass recover answers the free transcript misses? (Not shipped.)

For every recording (as recorded and under the synthetic conditions of
``speech_robustness.py``) whose free transcript names no answer, a grammar of the answer
phrases (:data:`formcoach.voice.intents.PHRASES`, yes and no) competes with the transcript
itself in one JSGF search: ``/1/ <yes> | /1/ <no> | /margin/ <transcript>``. The answer is
taken only if it wins although the transcript's branch carries ``margin`` times the prior
weight: a likelihood-ratio test of the answer against what the free decode heard, with the
margin as its threshold. Counted per part (tune / validate) and margin: the answers missed by
the transcript that the pass recovers with the right intent, and the other words (and noises)
it turns into a yes or a no.

Usage: python benchmarks/speech_second_pass.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MARGINS = (1.0, 100.0, 10000.0, 100000000.0)


def grammar(transcript: str, margin: float) -> str:
    from formcoach.voice.intents import PHRASES

    def alternatives(intent: str) -> str:
        return " | ".join(sorted(p for p, i in PHRASES.items() if i == intent and len(p) > 1))

    heard = transcript or "<NULL>"
    return (
        "#JSGF V1.0;\ngrammar compete;\n"
        f"public <s> = /1/ <yes> | /1/ <no> | /{margin:.1f}/ <heard>;\n"
        f"<yes> = {alternatives('yes')};\n<no> = {alternatives('no')};\n<heard> = {heard};\n"
    )


def constrained(rec, speech, transcript: str, margin: float) -> str:
    """The intent the competing grammar decodes ("unknown" when the transcript wins)."""
    from formcoach.voice.intents import find_intent

    d = rec._ensure()  # the recogniser's own decoder (same model, beams and features)
    d.add_jsgf_string("compete", grammar(transcript, margin))
    d.activate_search("compete")
    try:
        d.reinit_feat()
        d.start_utt()
        d.process_raw(speech.astype("<i2").tobytes(), full_utt=True)
        d.end_utt()
        hyp = d.hyp()
    finally:
        d.activate_search("_default")
    return find_intent(hyp.hypstr if hyp else "", typed=False)[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent / "src"), str(here)]
    from formcoach.core.paths import shared_data_dir
    from formcoach.eval.speech import speech_files, speech_parts
    from formcoach.eval.splits import speech_speaker
    from formcoach.voice.audio import read_wav
    from formcoach.voice.recognizers import PocketsphinxRecognizer
    from formcoach.voice.utterance import cut_speech
    from speech_robustness import conditions

    data = args.data or shared_data_dir()
    if data is None or not (data / "speech").is_dir():
        sys.exit("no speech folder: pass --data DIR (with DIR/speech/{yes,no,other})")
    files = speech_files(data / "speech")
    parts = speech_parts(files)
    rec = PocketsphinxRecognizer()
    counts = {
        p: {"missed_answers": 0, "other_unheard": 0, "recovered": {}, "made_an_answer": {}}
        for p in ("tune", "validate")
    }
    for name, alter in conditions().items():
        for label, path in files:
            speech = cut_speech(alter(read_wav(path)[0]), rec.endpointing)
            if speech is None:
                continue
            transcript, _ = rec.transcribe(speech)
            if rec.intent_of(transcript)[0] != "unknown":
                continue
            c = counts[parts[speech_speaker(path)]]
            c["missed_answers" if label != "other" else "other_unheard"] += 1
            for m in MARGINS:
                intent = constrained(rec, speech, transcript, m)
                key = "recovered" if label != "other" else "made_an_answer"
                hit = intent == label if label != "other" else intent in ("yes", "no")
                c[key][f"{m:g}"] = c[key].get(f"{m:g}", 0) + int(hit)
                if hit:
                    print(f"{name}: {label}/{path.name} {transcript!r} -> {intent} at {m:g}",
                          file=sys.stderr)  # fmt: skip
    print(json.dumps(counts, indent=1))


if __name__ == "__main__":
    main()
