"""Read a CSV table into typed columns, driven by its :class:`~corridors.network.schema.Table`.

Parsing is lazy: every problem (malformed row, missing required value, bad number,
value out of bounds, unknown choice, misspelt column) is collected as a
:class:`~corridors.errors.Problem` and the caller raises them together.
Columns the schema does not declare are kept as text, so a GMNS file's extra columns
survive a read-write round trip.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corridors.errors import Problem, did_you_mean
from corridors.network.countries import ISO_ALPHA2
from corridors.network.schema import Field, Table

LINE = "_line"
"""Name of the column holding each row's line number in its file."""

_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
_NUMERIC = frozenset({"int", "float"})


@dataclass(frozen=True, slots=True)
class ParsedTable:
    """A table read from text.

    Attributes
    ----------
    frame : pandas.DataFrame
        Declared columns, typed (numbers as float64 with NaN for blanks, text as str,
        tags as tuples of str, booleans as bool), then undeclared columns as text, and
        the line number of each row in column ``_line``.
    columns : tuple of str
        Column order as found in the file (after renaming aliases).
    """

    frame: pd.DataFrame
    columns: tuple[str, ...]


class TableFileError(ValueError):
    """A file that cannot be read as CSV text: binary, not UTF-8, badly quoted.

    Attributes
    ----------
    line : int or None
        Line of the file where reading failed (1-based), when known.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


MAX_FIELD_CHARS = 1_000_000
"""Longest cell accepted (characters); a longer one means a missing closing quote."""


def _decode(data: bytes) -> str:
    """Decode UTF-8 text (a byte-order mark is accepted), naming the line of a bad byte."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise TableFileError("binary data (a NUL byte), not a CSV text file", line=line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableFileError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line=line,
        ) from None


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read a CSV file into its header and ``(line number, cells)`` rows.

    Blank lines are skipped; a UTF-8 byte-order mark is accepted.

    Raises
    ------
    TableFileError
        The file is binary, not UTF-8, or not valid CSV (e.g. an unclosed quote),
        with the line where reading failed.
    OSError
        The file cannot be opened.
    """
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if any(len(c) > MAX_FIELD_CHARS for c in cells):
                raise TableFileError("a cell is too long (a quote not closed?)", line=line)
            if not cells or all(not c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            rows.append((line, cells))
    except csv.Error as exc:
        raise TableFileError(f"not valid CSV: {exc}", line=start) from None
    return header or [], rows


def read_table(
    path: Path,
    table: Table,
    *,
    problems: list[Problem],
    integer_ids: bool = False,
    rename_columns: Callable[[list[str]], list[str]] | None = None,
) -> ParsedTable | None:
    """Read and type one CSV table; file-level faults become problems.

    A missing, unreadable, binary, non-UTF-8, badly quoted, empty or header-only file
    is reported as a :class:`~corridors.errors.Problem` (with the line where reading
    failed) and ``None`` is returned, or an empty table for a header-only file.

    Parameters
    ----------
    path : Path
        The CSV file.
    table : Table
        Its declaration.
    problems : list of Problem
        Problems found are appended here (nothing is raised).
    integer_ids : bool
        Check that ``id`` fields hold integers.
    rename_columns : callable, optional
        Maps the header as found to the column names to parse (e.g. restoring
        names a shapefile cut short).

    Returns
    -------
    ParsedTable or None
        ``None`` when the file could not be read at all.
    """
    name = str(path)
    if not path.is_file():
        what = "is a folder, not a CSV file" if path.is_dir() else "file is missing"
        problems.append(Problem(name, None, None, None, what))
        return None
    try:
        header, rows = read_rows(path)
    except TableFileError as exc:
        problems.append(Problem(name, exc.line, None, None, str(exc)))
        return None
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"cannot read the file: {exc.strerror}"))
        return None
    if not header:
        problems.append(Problem(name, None, None, None, "file is empty (no header row)"))
        return None
    if rename_columns is not None:
        header = rename_columns(header)
    return parse_table(
        header, rows, table, filename=name, problems=problems, integer_ids=integer_ids
    )


def _parse_cell(
    raw: str, fld: Field, *, integer_ids: bool
) -> tuple[object, str | None, str | None]:
    """Parse one cell; return ``(value, error message or None, hint or None)``."""
    text = raw.strip()
    if text == "":
        if fld.required:
            return None, "a value is required", None
        if fld.type == "tags":
            return (), None, None
        if fld.type in _NUMERIC:
            return (math.nan if fld.default is None else float(fld.default)), None, None  # type: ignore[arg-type]
        if fld.type == "bool":
            return bool(fld.default), None, None
        return ("" if fld.default is None else str(fld.default)), None, None
    kind = fld.type
    if kind == "id":
        if integer_ids:
            try:
                int(text)
            except ValueError:
                return None, "config.csv says id_type=integer but this id is not an integer", None
        return text, None, None
    if kind == "str":
        return text, None, None
    if kind in _NUMERIC:
        try:
            number = float(text)
        except ValueError:
            return None, f"expected a number{' (' + fld.unit + ')' if fld.unit else ''}", None
        problem = fld.check(number)
        if problem is not None:
            return None, problem, None
        return number, None, None
    if kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True, None, None
        if low in _FALSE:
            return False, None, None
        return None, "expected true or false", None
    if kind == "enum":
        for choice in fld.choices:
            if text.lower() == choice.lower():
                return choice, None, None
        return None, "not one of " + ", ".join(fld.choices), did_you_mean(text, fld.choices)
    if kind == "country":
        code = text.upper()
        if len(code) == 2 and code in ISO_ALPHA2:
            return code, None, None
        return None, "not an ISO 3166-1 alpha-2 country code", None
    # tags
    words = tuple(w.strip() for w in text.split(";") if w.strip())
    if fld.choices:
        for w in words:
            if w not in fld.choices:
                return (
                    None,
                    f"{w!r} is not one of " + ", ".join(fld.choices),
                    did_you_mean(w, fld.choices),
                )
    return words, None, None


def parse_table(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    table: Table,
    *,
    filename: str,
    problems: list[Problem],
    integer_ids: bool = False,
) -> ParsedTable:
    """Type the cells of a table according to its declaration.

    Parameters
    ----------
    header : list of str
        Column names as found in the file.
    rows : list of (int, list of str)
        Line number and cells of each data row.
    table : Table
        The declaration to parse against.
    filename : str
        File name used in problem reports.
    problems : list of Problem
        Problems found are appended here (nothing is raised).
    integer_ids : bool
        Check that ``id`` fields hold integers (``config.csv`` ``id_type=integer``).

    Returns
    -------
    ParsedTable
        Rows with problems keep ``None``/NaN in the offending cells.
    """
    declared = {f.name: f for f in table.fields}
    alias_of = {a: f.name for f in table.fields for a in f.aliases}
    names: list[str] = []
    seen: set[str] = set()
    for col in header:
        name = col
        if col not in declared and col in alias_of and alias_of[col] not in header:
            name = alias_of[col]
        if name in seen:
            problems.append(Problem(filename, 1, name, None, "column appears twice"))
        seen.add(name)
        names.append(name)
    extras = [n for n in names if n not in declared]
    unknown = [n for n in extras if n not in table.other_gmns_fields]
    for fld in table.fields:
        if fld.name in seen:
            continue
        close = did_you_mean(fld.name, unknown, n=1, cutoff=0.75)
        if close is not None:
            wrong = close.split("'")[1]
            problems.append(
                Problem(filename, 1, wrong, None, "unknown column", f"did you mean {fld.name!r}?")
            )
        elif fld.required:
            problems.append(Problem(filename, 1, fld.name, None, "required column is missing"))

    width = len(names)
    data: dict[str, list[object]] = {f.name: [] for f in table.fields}
    extra_data: dict[str, list[object]] = {n: [] for n in extras}
    lines: list[int] = []
    for line, cells in rows:
        if len(cells) != width:
            problems.append(
                Problem(
                    filename,
                    line,
                    None,
                    None,
                    f"row has {len(cells)} fields but the header has {width}",
                    "check for an unquoted comma or a missing value",
                )
            )
            continue
        lines.append(line)
        by_name = dict(zip(names, cells, strict=True))
        for fld in table.fields:
            raw = by_name.get(fld.name, "")
            value, error, hint = _parse_cell(raw, fld, integer_ids=integer_ids)
            if error is not None:
                problems.append(Problem(filename, line, fld.name, raw.strip(), error, hint))
                value = math.nan if fld.type in _NUMERIC else ("" if fld.type != "tags" else ())
            data[fld.name].append(value)
        for n in extras:
            extra_data[n].append(by_name[n])

    columns: dict[str, object] = {}
    for fld in table.fields:
        values = data[fld.name]
        if fld.type in _NUMERIC:
            columns[fld.name] = np.asarray(values, dtype=np.float64)
        elif fld.type == "bool":
            columns[fld.name] = np.asarray([bool(v) for v in values], dtype=bool)
        elif fld.type == "tags":
            arr = np.empty(len(values), dtype=object)
            arr[:] = [tuple(v) if isinstance(v, tuple) else () for v in values]
            columns[fld.name] = arr
        else:
            columns[fld.name] = pd.array(
                ["" if v is None else str(v) for v in values], dtype=object
            )
    for n in extras:
        columns[n] = pd.array([str(v) for v in extra_data[n]], dtype=object)
    columns[LINE] = np.asarray(lines, dtype=np.int64)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(lines)))
    return ParsedTable(frame=frame, columns=tuple(names))


def format_value(value: object, fld: Field | None) -> str:
    """Format a typed value back to CSV text (inverse of parsing)."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if (fld is not None and fld.type == "int") or float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value)


def read_table_file(path: Path, table: Table, *, problems: list[Problem]) -> pd.DataFrame:
    """The typed frame of :func:`read_table`, or an empty frame when the file cannot be read.

    File-level faults (missing, binary, badly quoted, ...) are appended to ``problems``.
    """
    parsed = read_table(path, table, problems=problems)
    return parsed.frame if parsed is not None else pd.DataFrame(columns=[*table.names, LINE])


def read_node_link_tables(
    folder: Path,
    node_table: Table,
    link_table: Table,
    *,
    check: Callable[[pd.DataFrame, pd.DataFrame], list[Problem]],
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Read a folder's node and link tables and check them together.

    The cross-table ``check`` runs only when both files parse, so its messages never
    speak of rows that could not be read.

    Returns
    -------
    nodes, links : DataFrame
        The typed frames (empty where a file cannot be read).
    problems : list of Problem
        Every problem found, each with file, line and field; empty when all is well.
    """
    problems: list[Problem] = []
    nodes = read_table_file(folder / node_table.filename, node_table, problems=problems)
    links = read_table_file(folder / link_table.filename, link_table, problems=problems)
    if not problems:
        problems.extend(check(nodes, links))
    return nodes, links, problems
