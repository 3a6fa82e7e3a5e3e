"""Standard GMNS on reading: units, coordinate systems, uses, node types, shapes.

A GMNS folder written by another tool differs from a corridors folder in ways that are
not errors: lengths in miles or feet, coordinates in a projected CRS, ``allowed_uses``
instead of ``mode``, ``node_type`` instead of ``kind``, shapes in ``geometry.csv``,
tables corridors does not use (lanes, movements, signals), column names cut to ten
characters by a shapefile. The functions here turn such a folder into the tables
corridors works with and say what they did, as notes for the reader's report.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from corridors.errors import Problem, did_you_mean
from corridors.network.geo import parse_wkt_linestring, polyline_km, to_wkt_linestring
from corridors.network.schema import (
    GMNS_TABLES,
    MODES,
    NODE_KINDS,
    NON_FREIGHT_USES,
    USE_MODES,
    Table,
)
from corridors.network.tables import LINE

LONLAT_CRS = frozenset({"EPSG:4326", "4326", "WGS84", "WGS 84", "OGC:CRS84", "CRS84"})
"""Spellings of WGS 84 lon/lat, recognised without loading pyproj."""

SHAPEFILE_NAME_LENGTH = 10
"""Shapefiles (dBase) cut column names to ten characters."""

HANDLED_TABLES = frozenset({"config", "node", "link", "geometry", "use_definition", "use_group"})
"""GMNS tables corridors reads (or, for ``use_group``, writes and does not need); the
other GMNS tables present are listed as not used."""

Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def crs_code(value: object) -> str:
    """Normalise a ``crs`` cell: a bare number is an EPSG code (``4326`` -> ``EPSG:4326``)."""
    text = str(value or "").strip() or "EPSG:4326"
    if re.fullmatch(r"\d{4,6}", text):
        return f"EPSG:{text}"
    return text


def lonlat_transform(crs: str) -> Transform | None:
    """A function from ``crs`` coordinates to lon/lat (WGS 84), or ``None`` if already so.

    Raises
    ------
    ValueError
        If pyproj does not know the CRS.
    """
    if crs.upper() in LONLAT_CRS:
        return None
    from pyproj import CRS, Transformer  # noqa: PLC0415  (only for projected data)
    from pyproj.exceptions import CRSError  # noqa: PLC0415

    try:
        source = CRS.from_user_input(crs)
    except CRSError as exc:
        msg = f"unknown coordinate reference system ({exc})"
        raise ValueError(msg) from None
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    transformer = Transformer.from_crs(source, CRS.from_epsg(4326), always_xy=True)

    def transform(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = transformer.transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    return transform


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


def split_uses(text: object) -> tuple[str, ...]:
    """The uses of an ``allowed_uses`` cell (``auto, bike`` or ``walk;bike``), lower case."""
    return tuple(w.strip().lower() for w in re.split(r"[;,]", str(text or "")) if w.strip())


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


def derive_link_modes(
    links: pd.DataFrame,
    *,
    use_modes: Mapping[str, str],
    filename: str,
    problems: list[Problem],
) -> tuple[pd.DataFrame, list[str]]:
    """Give links without a ``mode`` the mode of their ``allowed_uses``.

    A link allowing only uses that carry no freight (walk, bike) is left out; a use
    that is neither a known use nor defined in ``use_definition.csv`` is a problem.

    Returns
    -------
    tuple
        The links kept and notes on what was derived or left out.
    """
    modes: list[str] = []
    keep = np.ones(len(links), dtype=bool)
    left_out: dict[str, int] = {}
    derived = 0
    known = {**USE_MODES, **use_modes}
    for i, (mode, uses_text, line) in enumerate(
        zip(links["mode"], links["allowed_uses"], links[LINE], strict=True)
    ):
        if mode:
            modes.append(mode)
            continue
        uses = split_uses(uses_text)
        if not uses:
            problems.append(
                Problem(
                    filename,
                    int(line),
                    "mode",
                    "",
                    "the link needs a mode or allowed_uses",
                    "one of " + ", ".join(MODES),
                )
            )
            modes.append("")
            continue
        unknown = [u for u in uses if u not in known and u not in NON_FREIGHT_USES]
        for u in unknown:
            problems.append(
                Problem(
                    filename,
                    int(line),
                    "allowed_uses",
                    u,
                    "unknown use: not a GMNS use corridors knows nor defined in use_definition.csv",
                    did_you_mean(u, [*known, *NON_FREIGHT_USES]),
                )
            )
        found = {known[u] for u in uses if u in known}
        if not found:
            if not unknown:
                keep[i] = False
                key = ", ".join(uses)
                left_out[key] = left_out.get(key, 0) + 1
            modes.append("")
            continue
        derived += 1
        modes.append(next(m for m in MODES if m in found))
    links = links.assign(mode=pd.array(modes, dtype=object))[keep].reset_index(drop=True)
    notes: list[str] = []
    if derived:
        notes.append(f"{derived} link modes derived from allowed_uses")
    notes.extend(
        f"{n} links allowing only {uses} carry no freight: left out"
        for uses, n in sorted(left_out.items())
    )
    return links, notes


def use_modes_of(uses: pd.DataFrame) -> dict[str, str]:
    """Mode of each use in ``use_definition.csv``: its ``mode`` column, else its name."""
    out: dict[str, str] = {}
    for use, mode in zip(uses["use"], uses["mode"], strict=True):
        key = str(use).strip().lower()
        if mode:
            out[key] = str(mode)
        elif key in USE_MODES:
            out[key] = USE_MODES[key]
    return out


def attach_geometry(
    links: pd.DataFrame,
    shapes: Mapping[str, str],
    *,
    filename: str,
    problems: list[Problem],
) -> None:
    """Fill blank link geometries from ``geometry.csv`` by ``geometry_id``.

    A shape drawn from the to-node to the from-node (``dir_flag`` -1), on the link or
    in ``geometry.csv``, is reversed and its ``dir_flag`` set to 1, so every geometry
    runs from the link's from-node.
    """
    out = list(links["geometry"])
    flags = links["dir_flag"].to_numpy(dtype=float).copy()
    for i, (wkt, gid, flag, line) in enumerate(
        zip(links["geometry"], links["geometry_id"], flags, links[LINE], strict=True)
    ):
        shape = wkt
        if not wkt and gid:
            if gid not in shapes:
                problems.append(
                    Problem(
                        filename,
                        int(line),
                        "geometry_id",
                        gid,
                        "no shape with this id in geometry.csv",
                        did_you_mean(gid, shapes),
                    )
                )
                continue
            shape = shapes[gid]
        if shape and flag == -1:
            with contextlib.suppress(ValueError):  # a bad shape is reported by the rules
                shape = to_wkt_linestring(parse_wkt_linestring(shape)[::-1])
                flags[i] = 1.0
        out[i] = shape
    links["geometry"] = pd.array(out, dtype=object)
    links["dir_flag"] = flags


def to_lonlat(
    nodes: pd.DataFrame, links: pd.DataFrame, transform: Transform, *, filename: str
) -> list[Problem]:
    """Convert node coordinates and link geometries to lon/lat, in place."""
    lon, lat = transform(nodes["x_coord"].to_numpy(), nodes["y_coord"].to_numpy())
    nodes["x_coord"], nodes["y_coord"] = lon, lat
    problems: list[Problem] = []
    out = list(links["geometry"])
    for i, (wkt, line) in enumerate(zip(links["geometry"], links[LINE], strict=True)):
        if not wkt:
            continue
        try:
            xy = np.asarray(parse_wkt_linestring(wkt))
        except ValueError as exc:
            problems.append(Problem(filename, int(line), "geometry", wkt[:40], str(exc)))
            out[i] = ""
            continue
        lo, la = transform(xy[:, 0], xy[:, 1])
        out[i] = to_wkt_linestring(list(zip(lo.tolist(), la.tolist(), strict=True)))
    links["geometry"] = pd.array(out, dtype=object)
    return problems


def check_lonlat(nodes: pd.DataFrame, filename: str) -> list[Problem]:
    """Coordinates are a longitude and a latitude (after any conversion)."""
    problems: list[Problem] = []
    for x, y, line in zip(nodes["x_coord"], nodes["y_coord"], nodes[LINE], strict=True):
        for col, value, limit in (("x_coord", x, 180.0), ("y_coord", y, 90.0)):
            if math.isfinite(value) and abs(value) > limit:
                problems.append(
                    Problem(
                        filename,
                        int(line),
                        col,
                        f"{value:g}",
                        f"not a {'longitude' if col == 'x_coord' else 'latitude'} "
                        f"(must be within +-{limit:g} degrees)",
                        "projected coordinates need their crs in config.csv",
                    )
                )
    return problems


def fill_lengths_from_geometry(links: pd.DataFrame, nodes: pd.DataFrame) -> int:
    """Blank lengths take the length of the link's shape, km; returns how many.

    A shape that stops short of its nodes is extended to them, so the length is never
    shorter than the straight line between the nodes.
    """
    xy = {
        nid: (float(x), float(y))
        for nid, x, y in zip(nodes["node_id"], nodes["x_coord"], nodes["y_coord"], strict=True)
    }
    length = links["length"].to_numpy(dtype=float).copy()
    filled = 0
    for i, (value, wkt, a, b) in enumerate(
        zip(length, links["geometry"], links["from_node_id"], links["to_node_id"], strict=True)
    ):
        if not (math.isnan(value) and wkt):
            continue
        try:
            shape = parse_wkt_linestring(wkt)
        except ValueError:
            continue  # reported by the geometry rule
        ends = [xy[a]] if a in xy else []
        tail = [xy[b]] if b in xy else []
        length[i] = polyline_km([*ends, *shape, *tail])
        filled += 1
    links["length"] = length
    return filled


def scale(frame: pd.DataFrame, columns: Iterable[str], factor: float) -> None:
    """Multiply numeric columns by a unit factor, in place."""
    for col in columns:
        frame[col] = frame[col].to_numpy(dtype=float) * factor


LENGTH_RATIO_LIMIT = 3.0
"""A link longer than three times its shape is suspicious (a typo or a wrong unit)."""


def length_warnings(
    links: pd.DataFrame, *, given: np.ndarray, unit: str, filename: str
) -> list[Problem]:
    """Warn about lengths far longer than the link's shape.

    When most links are off by the same factor, one warning names the unit the lengths
    look like (GMNS files often give feet while ``config.csv`` says ``mile``).

    Parameters
    ----------
    links : pandas.DataFrame
        Links with lengths in km and lon/lat geometries.
    given : numpy.ndarray of bool
        Which lengths were given in the file (not computed).
    unit : str
        The ``long_length`` of ``config.csv``.
    filename : str
        File named in the warnings.
    """
    from corridors.network.schema import LENGTH_UNITS  # noqa: PLC0415

    rows: list[tuple[int, float, float]] = []
    for ok, length, wkt, line in zip(
        given, links["length"], links["geometry"], links[LINE], strict=True
    ):
        if not ok or not wkt:
            continue
        try:
            shape = polyline_km(parse_wkt_linestring(wkt))
        except ValueError:
            continue
        if shape > 0:
            rows.append((int(line), float(length), shape))
    if not rows:
        return []
    ratios = np.array([length / shape for _, length, shape in rows])
    off = ratios > LENGTH_RATIO_LIMIT
    if off.mean() >= 0.7:
        median = float(np.median(ratios[off]))
        size = LENGTH_UNITS.get(unit, 1.0)
        for name, other in LENGTH_UNITS.items():
            if 0.67 < median * other / size < 1.5:
                return [
                    Problem(
                        filename,
                        None,
                        "length",
                        None,
                        f"{int(off.sum())} of {len(rows)} lengths are about {median:,.0f} "
                        f"times the length of their shapes: they look like {name}, "
                        f"not {unit}",
                        f"set long_length={name} in config.csv",
                    )
                ]
    return [
        Problem(
            filename,
            line,
            "length",
            f"{length:g}",
            f"{length / shape:,.1f} times the length of the link's shape ({shape:.3g} km)",
            "check the length and long_length in config.csv",
        )
        for (line, length, shape), bad in zip(rows, off, strict=True)
        if bad
    ]
