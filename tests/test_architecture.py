"""The engines read no files (docs/architecture.md: data tables -> network -> engines).

Every module of the engine packages is parsed (not imported) and checked for the ways
code reads a file: a call of a reading function or method, an import of a file format's
module, or a call of a reader of the data edge (the TNTP, network, demand, relief,
energy and scenario readers). An engine may name a reader only to re-export it, so that
an old import path keeps working (``corridors.assignment.tntp`` re-exports
``corridors.tntp``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "corridors"
ENGINES = ("routing", "assignment", "simulation", "flows")

READ_CALLS = frozenset(
    {
        "open",
        "read_text",
        "read_bytes",
        "read_csv",
        "read_parquet",
        "read_feather",
        "read_table",
        "read_excel",
        "read_json",
        "read_fwf",
        "loadtxt",
        "genfromtxt",
        "fromfile",
        "safe_load",
        "glob",
        "rglob",
        "iterdir",
        "listdir",
        "scandir",
    }
)
"""Functions and methods that read files or list folders."""

FORMAT_MODULES = ("csv", "json", "pickle", "yaml", "tomllib", "duckdb", "pyarrow")
"""Modules of file formats an engine has no business importing."""

READER_MODULES = (
    "corridors.tntp",
    "corridors.network.io",
    "corridors.demand.reader",
    "corridors.relief.io",
    "corridors.energy.io",
    "corridors.scenarios.io",
    "corridors.yamlsafe",
    "corridors.network.sea_cache",
)
"""The data edge: modules that read files into tables and objects."""


def _engine_modules() -> list[Path]:
    return sorted(p for e in ENGINES for p in (SRC / e).rglob("*.py"))


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def file_reads(source: str, where: str) -> list[str]:
    """How the module ``source`` reads files: one line per read, naming its place."""
    tree = ast.parse(source)
    found: list[str] = []
    from_readers: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_under(alias.name, FORMAT_MODULES):
                    found.append(f"{where}:{node.lineno} imports {alias.name}")
                if _is_under(alias.name, READER_MODULES):
                    found.append(f"{where}:{node.lineno} imports the reader {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            if _is_under(node.module, FORMAT_MODULES):
                found.append(f"{where}:{node.lineno} imports {node.module}")
            if _is_under(node.module, READER_MODULES):
                from_readers.update(a.asname or a.name for a in node.names)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in READ_CALLS:
            found.append(f"{where}:{node.lineno} calls {name}()")
        elif isinstance(node.func, ast.Name) and name in from_readers and name[:1].islower():
            found.append(f"{where}:{node.lineno} calls the reader {name}()")
    return found


def test_the_engine_packages_are_found() -> None:
    modules = _engine_modules()
    names = {p.relative_to(SRC).as_posix() for p in modules}
    assert {"routing/paths.py", "assignment/tntp.py", "simulation/engine.py"} <= names
    assert len(modules) > 40


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from pathlib import Path\nPath('x').read_text()\n", "m.py:2 calls read_text()"),
        ("import pandas as pd\npd.read_csv('x.csv')\n", "m.py:2 calls read_csv()"),
        ("with open('x') as fh:\n    pass\n", "m.py:1 calls open()"),
        ("import json\n", "m.py:1 imports json"),
        ("from yaml import safe_load\n", "m.py:1 imports yaml"),
        (
            "from corridors.tntp import read_tntp\nnet = read_tntp('f')\n",
            "m.py:2 calls the reader read_tntp()",
        ),
        ("import corridors.network.io\n", "m.py:1 imports the reader corridors.network.io"),
    ],
)
def test_each_way_of_reading_a_file_is_caught(source: str, expected: str) -> None:
    assert file_reads(source, "m.py") == [expected]


def test_a_reexported_reader_is_allowed() -> None:
    source = "from corridors.tntp import TntpNetwork, read_tntp\n__all__ = ['read_tntp']\n"
    assert file_reads(source, "m.py") == []


def test_engines_read_no_files() -> None:
    found = [
        line
        for path in _engine_modules()
        for line in file_reads(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    ]
    assert found == []
