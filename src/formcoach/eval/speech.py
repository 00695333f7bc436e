"""Speech evaluation on a folder laid out like ``../shared/data/speech``.

``DIR/yes/*.wav``, ``DIR/no/*.wav``, ``DIR/other/*.wav``: a yes must be heard as yes, a no as
no, and anything in ``other`` (other words, noise, silence) counts as right when it is heard as
neither yes nor no — a trainer that hears "bird" as "yes" starts a set nobody asked for.

The folder is split by speaker (:func:`formcoach.eval.splits.split` over
:func:`~formcoach.eval.splits.speech_speaker`): constants are chosen on the ``tune`` part and
the figures reported are those of the ``validate`` part (:func:`generalisation`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from formcoach.core.errors import FormcoachError
from formcoach.eval.splits import speech_speaker, split
from formcoach.voice.audio import read_wav
from formcoach.voice.recognizers import Heard, PocketsphinxRecognizer, Recognizer

__all__ = [
    "CLASSES",
    "PARTS",
    "FileResult",
    "evaluate_speech",
    "generalisation",
    "is_correct",
    "speech_files",
    "speech_parts",
    "summarise",
]

CLASSES = ("yes", "no", "other")
PARTS = ("tune", "validate", "all")


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


def speech_files(root: str | Path, part: str = "all") -> list[tuple[str, Path]]:
    """``(label, path)`` for every WAV under ``root/{yes,no,other}``, sorted.

    Args:
        root: the folder.
        part: ``"tune"``, ``"validate"`` (the speakers of that part) or ``"all"``.
    """
    if part not in PARTS:
        raise FormcoachError(f"unknown part {part!r}", f"use one of {', '.join(PARTS)}")
    root = Path(root)
    if not root.is_dir():
        raise FormcoachError(f"{root} is not a folder", "give a folder with yes/, no/, other/")
    found = [(c, p) for c in CLASSES for p in sorted((root / c).glob("*.wav"))]
    if not found:
        raise FormcoachError(
            f"no WAV files in {root}/yes, {root}/no or {root}/other",
            "lay the folder out like ../shared/data/speech",
        )
    if part == "all":
        return found
    parts = speech_parts(found)
    return [(c, p) for c, p in found if parts[speech_speaker(p)] == part]


def speech_parts(files: list[tuple[str, Path]]) -> dict[str, str]:
    """speaker -> ``"tune"`` or ``"validate"``: the fixed split by speaker of ``files``."""
    return split((speech_speaker(p), "all") for _, p in files)


def evaluate_speech(
    root: str | Path,
    recognizer: Recognizer,
    on_result: Callable[[FileResult], None] | None = None,
    part: str = "all",
) -> list[FileResult]:
    """Recognise every file of ``part`` under ``root``; ``on_result`` is called after each."""
    results = []
    for label, path in speech_files(root, part):
        samples, rate = read_wav(path)
        r = FileResult(path, label, recognizer.recognize(samples, rate))
        results.append(r)
        if on_result is not None:
            on_result(r)
    return results


def summarise(results: list[FileResult]) -> dict:
    """``{"n", "accuracy", "per_class": {label: {"n", "correct", "accuracy", "heard_as"}},
    "recall": {label: accuracy}, "confusion": {label: {heard: n}}, "false_yes",
    "mean_seconds", "wrong": [file, ...]}``.

    ``heard_as``/``confusion`` count what each class was heard as, with every intent that is
    neither yes nor no folded into ``"other"`` for the confusion counts."""
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
    confusion = {
        c: {
            h: sum(_heard_class(r.heard.intent) == h for r in results if r.label == c)
            for h in CLASSES
        }
        for c in per_class
    }
    return {
        "n": n,
        "accuracy": sum(r.correct for r in results) / n if n else 0.0,
        "per_class": per_class,
        "recall": {c: v["accuracy"] for c, v in per_class.items()},
        "confusion": confusion,
        "false_yes": sum(r.label != "yes" and r.heard.intent == "yes" for r in results),
        "mean_seconds": sum(r.heard.seconds for r in results) / n if n else 0.0,
        "wrong": [f"{r.label}/{r.path.name}" for r in results if not r.correct],
    }


def _heard_class(intent: str) -> str:
    return intent if intent in ("yes", "no") else "other"


def generalisation(
    data_dir: str | Path,
    recognizer: Recognizer | None = None,
) -> dict:
    """The recogniser on the tuning and the validation speakers of ``data_dir``.

    Args:
        data_dir: a folder laid out like ``../shared/data/speech``.
        recognizer: default: the offline
            :class:`~formcoach.voice.recognizers.PocketsphinxRecognizer`.

    Returns:
        ``{"tune": summary, "validate": summary}``, each a :func:`summarise` dict (overall
        accuracy, per-class recall, confusion counts) plus ``"speakers"``.
    """
    if recognizer is None:
        recognizer = PocketsphinxRecognizer()
    files = speech_files(data_dir)
    parts = speech_parts(files)
    results = evaluate_speech(data_dir, recognizer)
    out = {}
    for part in ("tune", "validate"):
        mine = [r for r in results if parts[speech_speaker(r.path)] == part]
        out[part] = {
            **summarise(mine),
            "speakers": sorted({speech_speaker(r.path) for r in mine}),
        }
    return out
