"""Speech evaluation on a folder laid out like ``../shared/data/speech``.

``DIR/yes/*.wav``, ``DIR/no/*.wav``, ``DIR/other/*.wav``: a yes must be heard as yes, a no as
no, and anything in ``other`` (other words, noise, silence) counts as right when it is heard as
neither yes nor no — a trainer that hears "bird" as "yes" starts a set nobody asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.voice.audio import read_wav
from formcoach.voice.recognizers import Heard, Recognizer

__all__ = ["CLASSES", "FileResult", "evaluate_speech", "is_correct", "speech_files", "summarise"]

CLASSES = ("yes", "no", "other")


@dataclass(frozen=True)
class FileResult:
    """One file's label and what was heard."""

    path: Path
    label: str
    heard: Heard

    @property
    def correct(self) -> bool:
        return is_correct(self.label, self.heard.intent)


def is_correct(label: str, intent: str) -> bool:
    """yes→yes, no→no, other→anything but yes or no."""
    if label == "other":
        return intent not in ("yes", "no")
    return intent == label


def speech_files(root: str | Path) -> list[tuple[str, Path]]:
    """``(label, path)`` for every WAV under ``root/{yes,no,other}``, sorted."""
    root = Path(root)
    if not root.is_dir():
        raise FormcoachError(f"{root} is not a folder", "give a folder with yes/, no/, other/")
    found = [(c, p) for c in CLASSES for p in sorted((root / c).glob("*.wav"))]
    if not found:
        raise FormcoachError(
            f"no WAV files in {root}/yes, {root}/no or {root}/other",
            "lay the folder out like ../shared/data/speech",
        )
    return found


def evaluate_speech(
    root: str | Path,
    recognizer: Recognizer,
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Recognise every file under ``root``; ``on_result`` is called after each."""
    results = []
    for label, path in speech_files(root):
        samples, rate = read_wav(path)
        r = FileResult(path, label, recognizer.recognize(samples, rate))
        results.append(r)
        if on_result is not None:
            on_result(r)
    return results


def summarise(results: list[FileResult]) -> dict:
    """``{"n", "accuracy", "per_class": {label: {"n", "correct", "accuracy", "heard_as"}},
    "false_yes", "mean_seconds", "wrong": [file, ...]}``."""
    per_class = {}
    for c in CLASSES:
        rs = [r for r in results if r.label == c]
        if not rs:
            continue
        heard_as: dict[str, int] = {}
        for r in rs:
            heard_as[r.heard.intent] = heard_as.get(r.heard.intent, 0) + 1
        ok = sum(r.correct for r in rs)
        per_class[c] = {
            "n": len(rs),
            "correct": ok,
            "accuracy": ok / len(rs),
            "heard_as": dict(sorted(heard_as.items())),
        }
    n = len(results)
    return {
        "n": n,
        "accuracy": sum(r.correct for r in results) / n if n else 0.0,
        "per_class": per_class,
        "false_yes": sum(r.label != "yes" and r.heard.intent == "yes" for r in results),
        "mean_seconds": sum(r.heard.seconds for r in results) / n if n else 0.0,
        "wrong": [f"{r.label}/{r.path.name}" for r in results if not r.correct],
    }
