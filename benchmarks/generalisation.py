"""Tuning part beside validation part, for everything formcoach measures on dev material.

Every dev set is split once, by a fixed rule (:mod:`formcoach.eval.splits`): RepCount-A by clip
within class, the raw clips by source, the labelled form sets by file within exercise and label
(frame-level files by contiguous run), speech by speaker. Constants are chosen on the tuning
part only; the validation part says what a new user can expect. A large gap between the two is
a setting fitted to the tuning material.

- counting: :func:`formcoach.eval.counting.generalisation` (MAE, OBO, under / over counts;
  RepCount also with each clip's exercise known, as a session counts);
- judging: :func:`formcoach.eval.form.generalisation` (the built-in verdicts a user gets:
  correct pass rate, fault catch rate, balanced accuracy; also leave one exercise out and the
  judging limit at x0.75 / x1.25);
- speech: :func:`formcoach.eval.speech.generalisation` (accuracy and per-class recall).

Usage: python benchmarks/generalisation.py [--data ../shared/data] [--only counting|form|speech]
[--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

AREAS = ("counting", "form", "speech")


def measure(data: Path, area: str) -> dict:
    """The JSON-able tune / validate figures of one area."""
    if area == "counting":
        from formcoach.eval.counting import generalisation

        return generalisation(data, progress=False)
    if area == "form":
        from formcoach.eval.form import generalisation

        return generalisation(data)
    from formcoach.eval.speech import generalisation

    return generalisation(data / "speech")


def _fmt(x: object) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def _counting_lines(result: dict) -> list[str]:
    out = []
    for name, parts in result.items():
        cells = [
            f"{p}: n={s['n']} MAE={_fmt(s['mae'])} OBO={_fmt(s['obo'])} "
            f"under={s['under']} over={s['over']}"
            for p, s in parts.items()
        ]
        out.append(f"counting {name:<14} " + " | ".join(cells))
    return out


def _form_lines(result: dict) -> list[str]:
    out = []
    skip = {"leave_one_exercise_out", "sensitivity", "settings"}
    for data_set, exercises in result.items():
        if data_set in skip:
            continue
        for exercise, parts in exercises.items():
            cells = []
            for p in ("tune", "validate"):
                s = parts.get(p)
                if s is None:
                    cells.append(f"{p}: -")
                    continue
                cells.append(
                    f"{p}: pass {_fmt(s['correct_pass_rate'])} caught "
                    f"{_fmt(s['fault_catch_rate'])} balanced {_fmt(s['balanced_accuracy'])}"
                )
            out.append(f"form {data_set}/{exercise:<16} " + " | ".join(cells))
    return out


def _speech_lines(result: dict) -> list[str]:
    out = []
    for p in ("tune", "validate"):
        s = result[p]
        recall = " ".join(f"{k}={_fmt(v)}" for k, v in s.get("recall", {}).items())
        out.append(f"speech {p:<8} accuracy={_fmt(s.get('accuracy'))} recall {recall}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--only", choices=AREAS, action="append", help="repeat for several")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data folder at {args.data}: pass --data ../shared/data", file=sys.stderr)
        return 2
    results: dict[str, object] = {}
    for area in args.only or AREAS:
        t0 = time.perf_counter()
        results[area] = measure(args.data, area)
        print(f"{area}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    lines = {"counting": _counting_lines, "form": _form_lines, "speech": _speech_lines}
    for area, result in results.items():
        print("\n".join(lines[area](result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
