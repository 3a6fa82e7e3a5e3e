"""Read and write a network folder of GMNS-style CSV tables.

A network folder holds ``config.csv`` (read first), ``node.csv`` and ``link.csv``,
and optionally ``vessel.csv`` and ``corridor.csv``. Every table is parsed against its
declaration in :mod:`corridors.network.schema`; all problems in all files are collected
and raised together as one :class:`~corridors.errors.NetworkError`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from corridors.errors import NetworkError, Problem
from corridors.network import gmns
from corridors.network.geo import parse_wkt_linestring
from corridors.network.model import Network
from corridors.network.schema import (
    CONFIG,
    CORRIDOR,
    GMNS_EXTRA_TABLES,
    LENGTH_UNITS,
    LINK,
    NETWORK_TABLES,
    NODE,
    SPEED_UNITS,
    VESSEL,
    Table,
)
from corridors.network.sea import SeaRequest
from corridors.network.sea_cache import cached_sea_legs
from corridors.network.tables import LINE, ParsedTable, read_table
from corridors.network.validation import check_network_tables

logger = logging.getLogger(__name__)


def _read_table(
    folder: Path,
    table: Table,
    problems: list[Problem],
    *,
    integer_ids: bool = False,
    notes: list[str] | None = None,
) -> ParsedTable | None:
    path = folder / table.filename
    if not path.exists() and not table.required:
        return None

    def full_names(header: list[str]) -> list[str]:
        fixed, renamed = gmns.full_column_names(header, table)
        if notes is not None:
            notes.extend(renamed)
        return fixed

    return read_table(
        path, table, problems=problems, integer_ids=integer_ids, rename_columns=full_names
    )


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({f.name: pd.Series(dtype=object) for f in table.fields} | {LINE: []})


def _frame(parsed: ParsedTable | None, table: Table) -> pd.DataFrame:
    return parsed.frame if parsed is not None else _empty(table)


def _unbounded_coordinates(table: Table) -> Table:
    """The node table without degree bounds on x/y (checked after projecting to lon/lat)."""
    fields = tuple(
        replace(f, minimum=None, maximum=None) if f.name in ("x_coord", "y_coord") else f
        for f in table.fields
    )
    return replace(table, fields=fields)


def _first_per_cell(problems: list[Problem]) -> list[Problem]:
    """Keep the first problem of each cell.

    A value that failed to parse is not reported again by the rules that then find it
    missing.
    """
    seen: set[tuple[str, int | None, str | None]] = set()
    out: list[Problem] = []
    for p in problems:
        key = (p.file, p.row, p.column)
        if p.row is not None and p.column is not None and key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


@dataclass(frozen=True)
class NetworkReading:
    """What reading a network folder found.

    Attributes
    ----------
    network : Network or None
        The network, or ``None`` when there are problems.
    problems : tuple of Problem
        Errors: the network cannot be used until they are fixed.
    warnings : tuple of Problem
        Suspicious values that do not stop the reading (a length far longer than the
        link's shape, lengths that look like another unit).
    notes : tuple of str
        What the reader did: units converted, coordinates projected to lon/lat, modes
        and lengths derived, links carrying no freight left out, tables not used.
    """

    network: Network | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


def read_network(path: str | os.PathLike[str], *, name: str | None = None) -> Network:
    """Read, validate and assemble a network folder (corridors or standard GMNS).

    Parameters
    ----------
    path : path-like
        Folder holding ``node.csv``, ``link.csv`` and optionally ``config.csv``,
        ``vessel.csv``, ``corridor.csv``, ``geometry.csv`` and ``use_definition.csv``.
    name : str, optional
        Name of the network (default: ``dataset_name`` from config, else the folder).

    Returns
    -------
    Network
        The validated network with sea legs computed; lengths in km, speeds in km/h,
        coordinates in lon/lat (WGS 84) whatever the folder's units and CRS. Warnings
        and notes of the reading are logged (see :func:`inspect_network`).

    Raises
    ------
    NetworkError
        Listing every problem in every file (file, line, field, value, hint).
    """
    reading = inspect_network(path, name=name)
    if reading.network is None:
        raise NetworkError(reading.problems, what=str(path))
    for note in reading.notes:
        logger.info("%s: %s", path, note)
    for warning in reading.warnings:
        logger.warning("%s", warning)
    return reading.network


def _config(folder: Path, problems: list[Problem], notes: list[str]) -> dict[str, object]:
    config: dict[str, object] = {f.name: f.default for f in CONFIG.fields}
    if not (folder / CONFIG.filename).is_file():
        notes.append("no config.csv: lengths in km, speeds in km/h, coordinates in lon/lat")
        return config
    parsed = _read_table(folder, CONFIG, problems)
    if parsed is not None:
        frame = parsed.frame
        if len(frame) != 1:
            problems.append(
                Problem(
                    str(folder / CONFIG.filename),
                    None,
                    None,
                    None,
                    f"expected exactly one row of settings, found {len(frame)}",
                )
            )
        if len(frame):
            row = frame.iloc[0]
            config.update({f.name: row[f.name] for f in CONFIG.fields})
            config[LINE] = int(row[LINE])
        config["_columns"] = parsed.columns
    return config


def inspect_network(path: str | os.PathLike[str], *, name: str | None = None) -> NetworkReading:
    """Read a network folder and report every problem, warning and note.

    The same reading as :func:`read_network`, which raises on problems; this returns
    them (``corridors network check`` prints them).

    Parameters
    ----------
    path : path-like
        The folder.
    name : str, optional
        Name of the network.

    Returns
    -------
    NetworkReading
    """
    folder = Path(path)
    if not folder.is_dir():
        return NetworkReading(
            None,
            (
                Problem(
                    str(folder),
                    None,
                    None,
                    None,
                    "not a folder of network tables",
                    "give the folder that holds node.csv and link.csv",
                ),
            ),
        )
    problems: list[Problem] = []
    notes: list[str] = []
    config = _config(folder, problems, notes)
    cfg_file = str(folder / CONFIG.filename)
    cfg_line = config.pop(LINE, None)
    cfg_columns = cast("tuple[str, ...]", config.pop("_columns", CONFIG.names))
    crs = gmns.crs_code(config.get("crs"))
    transform: gmns.Transform | None = None
    try:
        transform = gmns.lonlat_transform(crs)
    except ValueError as exc:
        problems.append(Problem(cfg_file, cfg_line, "crs", str(config.get("crs")), str(exc)))  # type: ignore[arg-type]
    integer_ids = config.get("id_type") == "integer"
    node_table = NODE if transform is None else _unbounded_coordinates(NODE)
    tables = (node_table, LINK, VESSEL, CORRIDOR)
    parsed = {
        t.name: _read_table(
            folder, t, problems, integer_ids=integer_ids and t.name in ("node", "link"), notes=notes
        )
        for t in (*tables, *GMNS_EXTRA_TABLES)
    }
    if parsed["node"] is None or parsed["link"] is None:
        return NetworkReading(None, tuple(problems), (), tuple(notes))
    frames = {t.name: _frame(parsed[t.name], t) for t in (*tables, *GMNS_EXTRA_TABLES)}
    nodes, links = frames["node"], frames["link"]
    files = {t.name: str(folder / t.filename) for t in (*NETWORK_TABLES, *GMNS_EXTRA_TABLES)}
    gmns.derive_node_columns(nodes)
    links, derived = gmns.derive_link_modes(
        links,
        use_modes=gmns.use_modes_of(frames["use_definition"]),
        filename=files["link"],
        problems=problems,
    )
    notes.extend(derived)
    shapes = frames["geometry"]
    gmns.attach_geometry(
        links,
        dict(zip(shapes["geometry_id"], shapes["geometry"], strict=True)),
        filename=files["link"],
        problems=problems,
    )
    if transform is not None:
        problems.extend(gmns.to_lonlat(nodes, links, transform, filename=files["link"]))
        problems.extend(gmns.check_lonlat(nodes, files["node"]))
        notes.append(f"coordinates converted from {crs} to lon/lat (WGS 84)")
    long_length, speed = str(config["long_length"]), str(config["speed"])
    if LENGTH_UNITS.get(long_length, 1.0) != 1.0:
        gmns.scale(links, ["length"], LENGTH_UNITS[long_length])
        notes.append(f"lengths converted from {long_length} to km")
    if SPEED_UNITS.get(speed, 1.0) != 1.0:
        gmns.scale(links, ["free_speed"], SPEED_UNITS[speed])
        notes.append(f"speeds converted from {speed} to km/h")
    given = ~links["length"].isna().to_numpy()
    if filled := gmns.fill_lengths_from_geometry(links, nodes):
        notes.append(f"{filled} blank lengths taken from the link shapes")
    config |= {"crs": "EPSG:4326", "long_length": "km", "speed": "kph"}
    problems.extend(
        check_network_tables(
            nodes=nodes,
            links=links,
            vessels=frames["vessel"],
            corridors=frames["corridor"],
            files=files,
        )
    )
    if ignored := gmns.ignored_tables(folder):
        notes.append("GMNS tables not used: " + ", ".join(ignored))
    if problems:
        return NetworkReading(None, tuple(_first_per_cell(problems)), (), tuple(notes))
    warnings = gmns.length_warnings(links, given=given, unit=long_length, filename=files["link"])
    order = {k: p.columns for k, p in parsed.items() if p is not None}
    order["config"] = tuple(cfg_columns)
    net_name = name or str(config.get("dataset_name") or "") or folder.name
    network = build_network(
        nodes=nodes,
        links=links,
        vessels=frames["vessel"],
        corridors=frames["corridor"],
        config=config,
        name=net_name,
        column_order=order,
    )
    return NetworkReading(network, (), tuple(warnings), tuple(notes))


def build_network(
    *,
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    vessels: pd.DataFrame | None = None,
    corridors: pd.DataFrame | None = None,
    config: dict[str, object] | None = None,
    name: str = "network",
    column_order: dict[str, tuple[str, ...]] | None = None,
) -> Network:
    """Assemble a :class:`Network` from typed tables and derive link geometry.

    Sea and ferry links without a length get theirs, their geometry and their passages
    from searoute; other links are drawn as their WKT geometry or a straight line.
    """
    links = links.copy()
    xy = {
        nid: (float(x), float(y))
        for nid, x, y in zip(nodes["node_id"], nodes["x_coord"], nodes["y_coord"], strict=True)
    }
    km = links["length"].to_numpy(dtype=float).copy()
    passages: list[tuple[str, ...]] = [()] * len(links)
    coords: list[list[tuple[float, float]]] = [[]] * len(links)
    requests: list[SeaRequest] = []
    at_sea: list[int] = []
    geometries = [str(g or "") for g in links["geometry"]]
    for i, row in enumerate(links.itertuples(index=False)):
        a, b = xy[str(row.from_node_id)], xy[str(row.to_node_id)]
        geometry = str(getattr(row, "geometry", "") or "")
        coords[i] = parse_wkt_linestring(geometry) if geometry else [a, b]
        if row.mode in ("sea", "ferry"):
            at_sea.append(i)
            requests.append((a, b, tuple(str(p) for p in row.sea_avoid)))  # type: ignore[union-attr]
    if requests:
        try:
            legs = cached_sea_legs(requests)
        except ValueError as exc:
            raise NetworkError(
                [Problem("link.csv", None, "sea_avoid", None, str(exc))], what=name
            ) from exc
        for i, leg in zip(at_sea, legs, strict=True):
            if np.isnan(km[i]):
                km[i] = leg.km
            passages[i] = leg.passages
            if not geometries[i]:
                coords[i] = leg.coords
    links["km"] = km
    links["passages"] = pd.Series(passages, index=links.index, dtype=object)
    links["coords"] = pd.Series(coords, index=links.index, dtype=object)
    return Network(
        nodes=nodes.reset_index(drop=True),
        links=links.reset_index(drop=True),
        vessels=(vessels if vessels is not None else _empty(VESSEL)).reset_index(drop=True),
        corridors=(corridors if corridors is not None else _empty(CORRIDOR)).reset_index(drop=True),
        config=dict(config or {}),
        name=name,
        column_order=dict(column_order or {}),
    )
