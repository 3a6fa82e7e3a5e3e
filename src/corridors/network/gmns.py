"""Standard GMNS on reading: units, coordinate systems, uses, node types, shapes.

A GMNS folder written by another tool differs from a corridors folder in ways that are
not errors: lengths in miles or feet, coordinates in a projected CRS, ``allowed_uses``
instead of ``mode``, ``node_type`` instead of ``kind``, shapes in ``geometry.csv``,
tables corridors does not use (lanes, movements, signals), column names cut to ten
characters by a shapefile. The functions here turn such a folder into the tables
corridors works with and say what they did, as notes for the reader's report: this
module the column names, tables and node types, :mod:`~corridors.network.gmns_crs` the
coordinates, :mod:`~corridors.network.gmns_uses` the uses as modes and
:mod:`~corridors.network.gmns_shapes` the shapes and lengths (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from corridors.network.gmns_crs import (
    LONLAT_CRS,
    Transform,
    check_lonlat,
    crs_code,
    lonlat_transform,
    to_lonlat,
)
from corridors.network.gmns_shapes import (
    LENGTH_RATIO_LIMIT,
    attach_geometry,
    fill_lengths_from_geometry,
    length_warnings,
)
from corridors.network.gmns_uses import derive_link_modes, split_uses, use_modes_of
from corridors.network.schema import GMNS_TABLES, NODE_KINDS, Table

__all__ = [
    "HANDLED_TABLES",
    "LENGTH_RATIO_LIMIT",
    "LONLAT_CRS",
    "SHAPEFILE_NAME_LENGTH",
    "Transform",
    "attach_geometry",
    "check_lonlat",
    "crs_code",
    "derive_link_modes",
    "derive_node_columns",
    "fill_lengths_from_geometry",
    "full_column_names",
    "ignored_tables",
    "length_warnings",
    "lonlat_transform",
    "scale",
    "split_uses",
    "to_lonlat",
    "use_modes_of",
]

SHAPEFILE_NAME_LENGTH = 10
"""Shapefiles (dBase) cut column names to ten characters."""

HANDLED_TABLES = frozenset({"config", "node", "link", "geometry", "use_definition", "use_group"})
"""GMNS tables corridors reads (or, for ``use_group``, writes and does not need); the
other GMNS tables present are listed as not used."""


def full_column_names(header: list[str], table: Table) -> tuple[list[str], list[str]]:
    """Restore declared column names a shapefile cut to ten characters.

    ``from_node_`` becomes ``from_node_id`` when exactly one declared column starts
    with it and that column is not in the header already.

    Returns
    -------
    tuple
        The header and a note per renamed column.
    """
    names = set(header)
    out: list[str] = []
    notes: list[str] = []
    for col in header:
        if len(col) == SHAPEFILE_NAME_LENGTH and col not in table.names:
            fits = [n for n in table.names if n.startswith(col) and n not in names]
            if len(fits) == 1:
                notes.append(f"{table.filename}: column {col!r} read as {fits[0]!r}")
                out.append(fits[0])
                names.add(fits[0])
                continue
        out.append(col)
    return out, notes


def ignored_tables(folder: Path) -> list[str]:
    """GMNS tables present in ``folder`` that corridors does not read."""
    return sorted(
        f"{name}.csv"
        for name in GMNS_TABLES
        if name not in HANDLED_TABLES and (folder / f"{name}.csv").is_file()
    )


def derive_node_columns(nodes: pd.DataFrame) -> None:
    """Fill blank ``kind`` from ``node_type`` (else ``junction``) and blank names from ids."""
    kinds = [
        k if k else (t.strip().lower() if t.strip().lower() in NODE_KINDS else "junction")
        for k, t in zip(nodes["kind"], nodes["node_type"], strict=True)
    ]
    nodes["kind"] = pd.array(kinds, dtype=object)
    names = [n if n else str(i) for n, i in zip(nodes["name"], nodes["node_id"], strict=True)]
    nodes["name"] = pd.array(names, dtype=object)


def scale(frame: pd.DataFrame, columns: Iterable[str], factor: float) -> None:
    """Multiply numeric columns by a unit factor, in place."""
    for col in columns:
        frame[col] = frame[col].to_numpy(dtype=float) * factor
