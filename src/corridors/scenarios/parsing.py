"""YAML with line numbers into pydantic models: every error names its file and line.

YAML is composed into nodes (which carry their line numbers) and turned into plain
Python values while recording, for every path (``("measures", 0, "capex_usd")``),
the line it was written on. Pydantic's errors are then mapped back to those lines, so
a mistake is reported as ``scenario.yaml, line 12, field 'measures[0].capex_usd':
...``. Unknown fields get a "did you mean" hint from the fields the model declares.
Used for scenario files, measure catalogues and energy scenarios.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from corridors.errors import Problem, ScenarioError, did_you_mean
from corridors.yamlsafe import YamlError, format_path, load_with_lines

PathKey = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SourceMap:
    """Lines of a YAML document: where each path was written.

    Attributes
    ----------
    file : str
        File name used in messages.
    lines : dict
        Path (tuple of keys and indices) to line number (1-based). For a mapping
        entry the line is that of its key.
    """

    file: str
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int | None:
        """Line of ``path``, or of its nearest written ancestor."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)


def compose_with_lines(text: str, *, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain values and the line of every path.

    Parameters
    ----------
    text : str
        YAML document.
    file : str
        File name used in error messages.

    Returns
    -------
    value, SourceMap

    Raises
    ------
    ScenarioError
        The text is not valid YAML, or a mapping repeats a key.
    """
    try:
        value, lines = load_with_lines(text, file=file)
    except YamlError as exc:
        raise ScenarioError(exc.problems, what=file) from None
    return value, SourceMap(file, lines)


def _unwrap(annotation: Any) -> list[Any]:
    """Candidate types inside ``X | None``, ``list[X]``, ``dict[K, X]``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                out.append(arg)
        return out
    return [annotation]


def _model_at(root: type[BaseModel], path: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path``."""
    current: Any = root
    for part in path:
        candidates = _unwrap(current)
        nxt: Any = None
        for cand in candidates:
            origin = typing.get_origin(cand)
            if isinstance(part, int) and origin is list:
                nxt = typing.get_args(cand)[0]
            elif origin is dict:
                nxt = typing.get_args(cand)[1]
            elif isinstance(cand, type) and issubclass(cand, BaseModel) and isinstance(part, str):
                fld = cand.model_fields.get(part)
                if fld is not None:
                    nxt = fld.annotation
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def validation_problems(
    exc: ValidationError, model: type[BaseModel], smap: SourceMap
) -> list[Problem]:
    """Turn a pydantic :class:`ValidationError` into problems with line numbers."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
        kind = err["type"]
        value = err.get("input")
        shown = None if isinstance(value, dict | list) else (None if value is None else str(value))
        hint = None
        msg = str(err["msg"])
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            name = str(loc[-1])
            msg = f"unknown field {name!r}"
            shown = None
            retired: dict[str, str] = getattr(parent, "RETIRED_FIELDS", {})
            if name in retired:
                msg = f"{name!r} is no longer a field here"
                hint = retired[name]
            elif parent is not None:
                hint = did_you_mean(name, parent.model_fields) or (
                    "known fields: " + ", ".join(parent.model_fields)
                )
        elif kind == "missing":
            msg = "a value is required"
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
        problems.append(
            Problem(smap.file, smap.line(loc), format_path(loc) or None, shown, msg, hint)
        )
    return problems


def parse_model(text: str, model: type[M], *, file: str) -> tuple[M, SourceMap]:
    """Parse YAML ``text`` into ``model``; raise every problem with its line.

    Raises
    ------
    ScenarioError
        Invalid YAML, unknown or misspelt fields, wrong types or values.
    """
    data, smap = compose_with_lines(text, file=file)
    return validate_data(data, model, smap), smap


def validate_data(data: Any, model: type[M], smap: SourceMap) -> M:
    """Validate plain values composed from a YAML text (:func:`compose_with_lines`).

    Raises
    ------
    ScenarioError
        Not a mapping at the top, unknown or misspelt fields, wrong types or values,
        each with the line of ``smap``.
    """
    if not isinstance(data, dict):
        problem = Problem(
            smap.file, smap.line(()), None, None, "expected a mapping of fields at the top"
        )
        raise ScenarioError([problem], what=smap.file)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, model, smap), what=smap.file) from None
