"""YAML read with the line of every key remembered, and errors that name the file and line.

:func:`read_yaml` parses a document into :class:`LineMap` / :class:`LineList` (a dict and a
list that know where they were written); :class:`FileContext` turns a schema problem into an
:class:`ExerciseFileError` pointing at that line.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from formcoach.core.errors import FormcoachError

__all__ = ["ExerciseFileError", "FileContext", "LineList", "LineMap", "read_yaml"]


class ExerciseFileError(FormcoachError):
    """An exercise file that cannot be read: which file, which line, what is wrong."""


class LineMap(dict):
    """A mapping that remembers the line of each key (1-based)."""

    lines: dict[str, int]
    line: int


class LineList(list):
    """A list that remembers the line it starts on (1-based)."""

    line: int


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        # an alias can build a cycle or a billion-element list from a few bytes: refuse them
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed here", mark
            )
        return super().compose_node(parent, index)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> LineMap:
    out = LineMap(loader.construct_mapping(node, deep=True))
    out.lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    out.line = node.start_mark.line + 1
    return out


def _construct_list(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_sequence(node, deep=True))
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


def read_yaml(text: str, where: str) -> Any:
    """Parse YAML text (safely) into line-remembering maps and lists.

    Raises:
        ExerciseFileError: malformed YAML, with the line.
    """
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ExerciseFileError(
            f"{where}{line}: not valid YAML ({problem})",
            "fix the file's indentation or quoting (a cue with a colon needs quotes)",
        ) from None


class FileContext:
    """Where we are in the file, for error messages."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Any, key: str | None, what: str) -> ExerciseFileError:
        line = None
        if isinstance(node, LineMap):
            line = node.lines.get(key, node.line) if key else node.line
        elif isinstance(node, LineList):
            line = node.line
        where = f"{self.path}, line {line}" if line else self.path
        return ExerciseFileError(
            f"{where}: {what}",
            "fix the exercise file (the schema is in formcoach.form.exercises.loader), "
            "or teach the exercise again with 'formcoach exercise teach'",
        )

    def get(self, m: LineMap, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in m:
            if default is ...:
                raise self.fail(m, None, f"missing key {key!r}")
            return default
        value = m[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(m, key, f"{key!r} must be a finite number, got {value}")
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(m, key, f"{key!r} must be a {names}, got {type(value).__name__}")
        return value

    def numbers(self, m: LineMap, key: str, value: Any) -> tuple[float, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(m, key, f"{key!r} must be a non-empty list of numbers")
        out = []
        for v in value:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise self.fail(m, key, f"{key!r} holds {v!r}, which is not a finite number")
            out.append(float(v))
        return tuple(out)

    def strings(self, m: LineMap, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = m.get(key, list(default))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(m, key, f"{key!r} must be a list of strings")
        return tuple(value)
