"""Read YAML safely: bounded in size, depth and alias expansion, with plain messages.

Every YAML file corridors reads (scenarios, measure catalogues) goes through
:func:`read_yaml_text` or :func:`load_with_lines`. On top of PyYAML's safe loader
(which never runs code) it refuses, with one :class:`~corridors.errors.Problem` naming
the file and line instead of a traceback or a hang:

- a text larger than :attr:`YamlLimits.max_bytes`;
- nesting deeper than :attr:`YamlLimits.max_depth` (PyYAML would recurse until a
  ``RecursionError``);
- a document that expands to more than :attr:`YamlLimits.max_values` values through
  aliases ("billion laughs": a few lines that expand to gigabytes);
- an alias that contains itself (a recursive structure);
- a tag the safe loader does not know, such as ``!!python/name:os.system``;
- a key that is not a plain value, and a key written twice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from corridors.errors import Problem, ProblemsError

__all__ = [
    "YamlError",
    "YamlLimits",
    "format_path",
    "load_with_lines",
    "read_text",
    "read_yaml_text",
]

PathKey = tuple[str | int, ...]


class YamlError(ProblemsError, ValueError):
    """A YAML text that cannot be read safely or is not valid YAML."""


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """Limits of a YAML document.

    Attributes
    ----------
    max_bytes : int
        Largest text read, bytes (scenario files are a few kB).
    max_depth : int
        Deepest nesting of mappings and sequences.
    max_values : int
        Most values (mappings, sequences and scalars) after expanding aliases.
    """

    max_bytes: int = 4_000_000
    max_depth: int = 64
    max_values: int = 200_000


DEFAULT_LIMITS = YamlLimits()

_KNOWN_TAGS = frozenset(t for t in yaml.SafeLoader.yaml_constructors if t is not None)


def _problem(file: str, line: int | None, message: str, hint: str | None = None) -> YamlError:
    return YamlError([Problem(file, line, None, None, message, hint)], what=file)


def read_text(path: str | os.PathLike[str], *, limits: YamlLimits = DEFAULT_LIMITS) -> str:
    """Read a YAML file's UTF-8 text, refusing files over ``limits.max_bytes``.

    Raises
    ------
    YamlError
        The file is too large or not UTF-8 text.
    OSError
        The file cannot be opened (missing, a folder, no permission).
    """
    p = Path(path)
    size = p.stat().st_size
    if size > limits.max_bytes:
        raise _problem(
            str(p), None, f"file is too large ({size:,} bytes; at most {limits.max_bytes:,})"
        )
    data = p.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(str(p), line, "not UTF-8 text; save the file as UTF-8") from None


def format_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """Format a path of keys and indices as ``measures[0].capex_usd``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _line(node_or_event: Any) -> int | None:
    mark = getattr(node_or_event, "start_mark", None)
    return None if mark is None else int(mark.line) + 1


def _check_events(text: str, *, file: str, limits: YamlLimits) -> None:
    """Scan the event stream (no recursion): depth, tags, syntax."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    raise _problem(
                        file,
                        _line(event),
                        f"nested more than {limits.max_depth} levels deep",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            tag = getattr(event, "tag", None)
            if tag is not None and isinstance(event, yaml.NodeEvent) and tag not in _KNOWN_TAGS:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise _problem(
                    file,
                    _line(event),
                    f"unsupported YAML tag {shown!r}",
                    "write plain values (text, numbers, lists, mappings) without tags",
                )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise _problem(file, line, f"not valid YAML: {problem}") from None


def load_with_lines(
    text: str, *, file: str, limits: YamlLimits = DEFAULT_LIMITS
) -> tuple[Any, dict[PathKey, int]]:
    """Parse YAML text into plain values and the line each path was written on.

    Parameters
    ----------
    text : str
        The YAML document.
    file : str
        File name used in messages.
    limits : YamlLimits
        Size, depth and expansion limits.

    Returns
    -------
    value : Any
        Plain Python values (dict, list, str, int, float, bool, None, dates).
    lines : dict
        Path (keys and indices, e.g. ``("measures", 0, "capex_usd")``) to 1-based line;
        for a mapping entry the line of its key. ``()`` is the document's first line.

    Raises
    ------
    YamlError
        Invalid YAML, a limit exceeded, a recursive alias, an unknown tag, a key that
        is not a plain value or a key written twice (all in one error for keys).
    """
    if len(text.encode("utf-8")) > limits.max_bytes:
        raise _problem(file, None, f"text is too large (at most {limits.max_bytes:,} bytes)")
    _check_events(text, file=file, limits=limits)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # pragma: no cover - the event scan finds these first
        raise _problem(file, None, f"not valid YAML: {exc}") from None
    lines: dict[PathKey, int] = {}
    if root is None:
        return None, lines
    problems: list[Problem] = []
    constructor = yaml.SafeLoader("")
    count = 0
    ancestors: set[int] = set()

    def scalar(node: yaml.Node) -> Any:
        try:
            return constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise _problem(file, _line(node), f"bad value: {problem}") from None

    def walk(node: yaml.Node, path: PathKey) -> Any:
        nonlocal count
        count += 1
        if count > limits.max_values:
            raise _problem(
                file,
                _line(node),
                f"the document expands to more than {limits.max_values:,} values",
                "aliases (*name) repeat what they point to; write the values out",
            )
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            return scalar(node)
        if id(node) in ancestors:
            raise _problem(
                file,
                _line(node),
                "an alias refers to a value that contains it (a recursive structure)",
            )
        ancestors.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                items = []
                for i, item in enumerate(node.value):
                    lines[(*path, i)] = _line(item) or 0
                    items.append(walk(item, (*path, i)))
                return items
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _problem(file, _line(key_node), "a key must be a plain value")
                key = scalar(key_node)
                if not isinstance(key, str | int):
                    key = str(key)
                sub = (*path, key)
                if key in out:
                    problems.append(
                        Problem(file, _line(key_node), format_path(sub), None, "key written twice")
                    )
                lines[sub] = _line(key_node) or 0
                out[key] = walk(value_node, sub)
            return out
        finally:
            ancestors.discard(id(node))

    lines[()] = _line(root) or 1
    value = walk(root, ())
    if problems:
        raise YamlError(problems, what=file)
    return value, lines


def read_yaml_text(text: str, *, file: str, limits: YamlLimits = DEFAULT_LIMITS) -> Any:
    """Parse YAML text into plain values (see :func:`load_with_lines`)."""
    return load_with_lines(text, file=file, limits=limits)[0]
