"""Network tables for other tools: flat tables and standard GMNS folders.

GeoJSON is in :mod:`corridors.reports.geojson`; GeoDataFrames, GeoPackage and
GeoParquet in :mod:`corridors.gis`.

A GMNS folder written by :func:`write_gmns` is what other GMNS readers expect
(AequilibraE's ``create_from_gmns``, gmnspy, frictionless): ``node_type`` and
``allowed_uses`` next to corridors' ``kind`` and ``mode``, every link's ``length``
filled (searoute's length for sea legs) and its ``geometry`` as WKT (the searoute path
for sea legs, the shape the network has for rail and road, else a straight line),
``use_definition.csv`` and ``use_group.csv`` for the uses, ``datapackage.json``
describing every column, and optionally integer ids with a crosswalk column.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from corridors import atomic
from corridors.network.geo import to_wkt_linestring
from corridors.network.gmns import split_uses
from corridors.network.model import Network
from corridors.network.schema import (
    CONFIG,
    CORRIDOR,
    LINK,
    MODES,
    NODE,
    USE_DEFINITION,
    USE_GROUP,
    VESSEL,
    Table,
)
from corridors.network.tables import LINE
from corridors.network.write import holds_data, write_table_csv

CROSSWALK = "corridors_id"
"""Column holding corridors' own id next to an integer GMNS id (``--integer-ids``)."""

GMNS_VERSION = "0.96"

USE_PCE: dict[str, float] = {"road": 2.0}
"""Passenger car equivalents of a corridors use on a road: a truck counts as 2.0 cars
(HCM 6th edition, basic freeway segments on level terrain); the other modes use no road (0)."""

USE_DESCRIPTIONS: dict[str, str] = {
    "rail": "Freight trains (container block trains, wagon groups, bulk).",
    "road": "Trucks.",
    "ferry": "Rail and truck ferries (Caspian, Black Sea).",
    "sea": "Container and bulk ships.",
    "pipeline": "Crude oil and gas pipelines.",
}

_GMNS_NODE_FIRST = ("node_id", "name", "x_coord", "y_coord", "node_type")
_GMNS_LINK_FIRST = (
    "link_id",
    "name",
    "from_node_id",
    "to_node_id",
    "directed",
    "geometry",
    "dir_flag",
    "length",
    "free_speed",
    "allowed_uses",
    "lanes",
)
_NOT_EXPORTED = frozenset({LINE, "km", "passages", "coords", "geometry_id"})

_FRICTIONLESS_TYPES = {
    "id": "string",
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "enum": "string",
    "tags": "string",
    "country": "string",
}


def network_tables(network: Network) -> dict[str, pd.DataFrame]:
    """Nodes, links (with computed km and passages) and vessels as flat tables."""
    links = network.links.drop(columns=[LINE, "coords"]).copy()
    links["corridors"] = [";".join(t) for t in links["corridors"]]
    links["sea_avoid"] = [";".join(t) for t in links["sea_avoid"]]
    links["passages"] = [";".join(t) for t in links["passages"]]
    nodes = network.nodes.drop(columns=[LINE]).copy()
    nodes["aliases"] = [";".join(t) for t in nodes["aliases"]]
    out = {"node": nodes, "link": links}
    if len(network.vessels):
        out["vessel"] = network.vessels.drop(columns=[LINE])
    return out


def _columns(frame: pd.DataFrame, first: tuple[str, ...], table: Table) -> list[str]:
    """GMNS columns first, then declared columns holding data, then undeclared ones."""
    cols = [c for c in first if c in frame]
    cols += [
        f.name
        for f in table.fields
        if f.name in frame
        and f.name not in cols
        and f.name not in _NOT_EXPORTED
        and holds_data(frame[f.name], f.default)
    ]
    cols += [c for c in frame.columns if c not in cols and c not in _NOT_EXPORTED]
    return cols


def gmns_tables(network: Network, *, integer_ids: bool = False) -> dict[str, pd.DataFrame]:
    """The network as standard GMNS tables (typed values, not yet text).

    Parameters
    ----------
    network : Network
        The network.
    integer_ids : bool
        Number nodes and links 1, 2, ... in table order (tools such as AequilibraE
        need integer ids) and keep corridors' ids in a ``corridors_id`` column.

    Returns
    -------
    dict of pandas.DataFrame
        ``config``, ``node``, ``link``, ``use_definition``, ``use_group`` and, when the
        network has them, ``vessel`` and ``corridor``.
    """
    nodes = network.nodes.copy()
    links = network.links.copy()
    vessels = network.vessels.copy()
    nodes["node_type"] = [
        t if t else k for t, k in zip(nodes["node_type"], nodes["kind"], strict=True)
    ]
    links["allowed_uses"] = [
        u if u else m for u, m in zip(links["allowed_uses"], links["mode"], strict=True)
    ]
    links["geometry"] = [to_wkt_linestring(c) for c in links["coords"]]
    links["dir_flag"] = 1.0
    # GMNS lanes are per direction: a single- or double-track line runs one train each
    # way, four tracks two (AequilibraE's reader also expects the column)
    tracks = links["tracks"].to_numpy(dtype=float)
    links["lanes"] = np.where(np.isnan(tracks), np.nan, np.maximum(1.0, np.floor(tracks / 2)))
    links["length"] = links["km"].to_numpy(dtype=float)
    if integer_ids:
        node_no = {nid: str(i) for i, nid in enumerate(nodes["node_id"], start=1)}
        link_no = {lid: str(i) for i, lid in enumerate(links["link_id"], start=1)}
        nodes[CROSSWALK] = nodes["node_id"]
        nodes["node_id"] = nodes["node_id"].map(node_no)
        links[CROSSWALK] = links["link_id"]
        links["link_id"] = links["link_id"].map(link_no)
        links["from_node_id"] = links["from_node_id"].map(node_no)
        links["to_node_id"] = links["to_node_id"].map(node_no)
        if len(vessels):
            vessels["link_id"] = vessels["link_id"].map(link_no)
    uses = sorted(
        {u for text in links["allowed_uses"] for u in split_uses(text)},
        key=lambda u: (MODES.index(u) if u in MODES else len(MODES), u),
    )
    use_definition = pd.DataFrame(
        {
            "use": uses,
            "persons_per_vehicle": 0.0,
            "pce": [USE_PCE.get(u, 0.0) for u in uses],
            "description": [USE_DESCRIPTIONS.get(u, "") for u in uses],
            "mode": [u if u in MODES else "" for u in uses],
        }
    )
    use_group = pd.DataFrame(
        {
            "use_group": ["freight"],
            "uses": [",".join(uses)],
            "description": ["Every use of the network: corridors models freight."],
        }
    )
    config = {f.name: network.config.get(f.name, f.default) for f in CONFIG.fields}
    config |= {
        "short_length": "m",
        "long_length": "km",
        "speed": "kph",
        "crs": "EPSG:4326",
        "geometry_field_format": "WKT",
        "version_number": GMNS_VERSION,
        "id_type": "integer" if integer_ids else "string",
    }
    out = {
        "config": pd.DataFrame([config]),
        "node": nodes,
        "link": links,
        "use_definition": use_definition,
        "use_group": use_group,
    }
    if len(vessels):
        out["vessel"] = vessels
    if len(network.corridors):
        out["corridor"] = network.corridors.copy()
    return out


_TABLES: dict[str, tuple[Table, tuple[str, ...]]] = {
    "config": (CONFIG, ()),
    "node": (NODE, _GMNS_NODE_FIRST),
    "link": (LINK, _GMNS_LINK_FIRST),
    "use_definition": (USE_DEFINITION, ()),
    "use_group": (USE_GROUP, ()),
    "vessel": (VESSEL, ()),
    "corridor": (CORRIDOR, ()),
}


def _schema(table: Table, columns: list[str], *, integer_ids: bool) -> dict[str, object]:
    """Frictionless table schema of the columns written, from the declarations."""
    declared = {f.name: f for f in table.fields}
    fields: list[dict[str, object]] = []
    for col in columns:
        f = declared.get(col)
        if col == CROSSWALK:
            fields.append(
                {"name": col, "type": "string", "description": "corridors' own id of the row."}
            )
            continue
        if col == "lanes" and table.name == "link":
            fields.append(
                {
                    "name": col,
                    "type": "integer",
                    "description": "GMNS lanes: rail tracks usable in each direction.",
                    "constraints": {"minimum": 0},
                }
            )
            continue
        if f is None:
            fields.append({"name": col, "type": "string", "description": "Undeclared column."})
            continue
        kind = _FRICTIONLESS_TYPES[f.type]
        if f.type == "id" and integer_ids and table.name in ("node", "link", "vessel"):
            kind = "string" if col == "vessel_id" else "integer"
        spec: dict[str, object] = {"name": col, "type": kind, "description": f.description}
        if f.unit:
            spec["unit"] = "km" if col == "length" else f.unit
        constraints: dict[str, object] = {}
        if f.required or col in ("length", "geometry"):
            constraints["required"] = True
        if f.minimum is not None:
            key = "exclusiveMinimum" if f.exclusive_minimum else "minimum"
            constraints[key] = f.minimum
        if f.maximum is not None:
            constraints["maximum"] = f.maximum
        if f.type == "enum" and f.choices and col not in ("long_length", "short_length"):
            constraints["enum"] = list(f.choices)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict[str, object] = {"fields": fields, "missingValues": [""]}
    if table.key is not None and table.key in columns:
        schema["primaryKey"] = [table.key]
    references = {
        "link": [("from_node_id", "node", "node_id"), ("to_node_id", "node", "node_id")],
        "vessel": [("link_id", "link", "link_id")],
    }.get(table.name, [])
    if references:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": res, "fields": [key]}}
            for col, res, key in references
        ]
    return schema


def write_gmns(
    network: Network, path: str | os.PathLike[str], *, integer_ids: bool = False
) -> Path:
    """Write the network as a standard GMNS folder with a ``datapackage.json``.

    The folder is written whole or not at all (:func:`corridors.atomic.atomic_folder`);
    :func:`corridors.network.read_network` reads it back to the same nodes, links and
    lengths.

    Parameters
    ----------
    network : Network
        The network.
    path : path-like
        Folder to write (replaced if it exists).
    integer_ids : bool
        Integer node and link ids with corridors' ids in ``corridors_id``.

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    tables = gmns_tables(network, integer_ids=integer_ids)
    resources: list[dict[str, object]] = []
    with atomic.atomic_folder(path) as tmp:
        for name, frame in tables.items():
            table, first = _TABLES[name]
            columns = _columns(frame, first, table)
            write_table_csv(frame, table, columns, tmp / table.filename)
            resources.append(
                {
                    "name": name,
                    "path": table.filename,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "encoding": "utf-8",
                    "description": table.description,
                    "schema": _schema(table, columns, integer_ids=integer_ids),
                }
            )
        package = {
            "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
            "name": str(network.name).lower().replace(" ", "-"),
            "title": f"{network.name}: corridors network in GMNS {GMNS_VERSION}",
            "description": "Written by corridors (corridors network export --format gmns). "
            "Lengths in km, speeds in km/h, coordinates in lon/lat (EPSG:4326).",
            "version": GMNS_VERSION,
            "resources": resources,
        }
        text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
        atomic.write_text(tmp / "datapackage.json", text)
    return Path(path)
