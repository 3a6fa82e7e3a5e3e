"""The parts every TNTP file shares: metadata lines ``<KEY> value`` and numbers."""

from __future__ import annotations

import re

from corridors.errors import Problem

META = re.compile(r"^\s*<([^>]+)>\s*(.*?)\s*$")
"""A metadata line ``<KEY> value``."""


def number(text: str) -> float | None:
    """The number in ``text``, or ``None`` when it is not one."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value


def read_metadata(
    lines: list[str], fname: str, problems: list[Problem]
) -> tuple[dict[str, str], int]:
    """Metadata keys (upper case) and values, and the index of the first line after them.

    A line that is neither metadata nor a comment, or a missing ``<END OF METADATA>``,
    is added to ``problems``.
    """
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = META.match(line)
        if m is None:
            if line.strip() and not line.lstrip().startswith("~"):
                problems.append(
                    Problem(
                        fname,
                        i + 1,
                        None,
                        line.strip()[:40],
                        "expected a metadata line <KEY> value",
                        "end the metadata with <END OF METADATA>",
                    )
                )
                return meta, i
            continue
        key = m.group(1).strip().upper()
        if key == "END OF METADATA":
            return meta, i + 1
        meta[key] = m.group(2).split("~")[0].strip()
    problems.append(Problem(fname, None, None, None, "no <END OF METADATA> line"))
    return meta, len(lines)


def meta_int(
    meta: dict[str, str], key: str, fname: str, problems: list[Problem], *, required: bool = True
) -> int | None:
    """The non-negative integer of metadata ``key`` (``None`` and a problem if bad or missing)."""
    if key not in meta:
        if required:
            problems.append(Problem(fname, None, key, None, f"missing metadata <{key}>"))
        return None
    value = number(meta[key])
    if value is None or value != int(value) or value < 0:
        problems.append(Problem(fname, None, key, meta[key], "must be a non-negative integer"))
        return None
    return int(value)
