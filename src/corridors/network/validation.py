"""Rules a planner would check on a network, applied lazily.

Each rule looks at the typed tables and appends a :class:`~corridors.errors.Problem`
per offending cell; :func:`check_network_tables` runs them all so that one pass lists
every problem. Per-cell type and bound checks come from the schema in
:mod:`corridors.network.tables`; these are the rules across fields, rows and tables.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from corridors.errors import Problem, did_you_mean
from corridors.network.geo import great_circle_km, parse_wkt_linestring
from corridors.network.tables import LINE

LENGTH_TOLERANCE = 0.99
"""A link may be at most 1 % shorter than the great circle (rounding of coordinates)."""

SCHEDULED_MODES = ("ferry", "sea")
LENGTH_OPTIONAL_MODES = ("ferry", "sea")


def _line(row: Mapping[Hashable, Any]) -> int | None:
    value = row.get(LINE)
    return None if value is None or pd.isna(value) else int(value)


def _rows(frame: pd.DataFrame, mask: pd.Series) -> list[dict[Hashable, Any]]:
    """The rows of ``frame`` where ``mask`` holds, as dicts (none: no pandas work)."""
    return frame[mask].to_dict("records") if mask.any() else []


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def check_unique_ids(frame: pd.DataFrame, key: str, filename: str) -> list[Problem]:
    """Ids are unique within a table."""
    problems: list[Problem] = []
    ids = frame[key]
    dup = ids.duplicated(keep="first") & (ids != "")
    for row in _rows(frame, dup):
        first = frame.loc[ids == row[key], LINE].iloc[0]
        problems.append(
            Problem(
                filename, _line(row), key, row[key], f"duplicate id (first used on line {first})"
            )
        )
    return problems


def check_links_reference_nodes(
    links: pd.DataFrame,
    node_ids: pd.Series,
    filename: str,
) -> list[Problem]:
    """Every link starts and ends at a node of node.csv, and not at the same node."""
    known = set(node_ids)
    problems: list[Problem] = []
    for col in ("from_node_id", "to_node_id"):
        bad = ~links[col].isin(known) & (links[col] != "")
        for row in _rows(links, bad):
            problems.append(
                Problem(
                    filename,
                    _line(row),
                    col,
                    row[col],
                    "no node with this id in node.csv",
                    did_you_mean(str(row[col]), known),
                )
            )
    loops = (links["from_node_id"] == links["to_node_id"]) & (links["from_node_id"] != "")
    for row in _rows(links, loops):
        problems.append(
            Problem(
                filename,
                _line(row),
                "to_node_id",
                row["to_node_id"],
                "link starts and ends at the same node",
            )
        )
    return problems


def check_link_lengths(links: pd.DataFrame, nodes: pd.DataFrame, filename: str) -> list[Problem]:
    """Lengths exist where needed and are not below the great-circle distance (on land)."""
    problems: list[Problem] = []
    xy = nodes.set_index("node_id")[["x_coord", "y_coord"]]
    xy = xy[~xy.index.duplicated()]
    ok = links["from_node_id"].isin(xy.index) & links["to_node_id"].isin(xy.index)
    sub = links[ok]
    a = xy.loc[sub["from_node_id"]].to_numpy()
    b = xy.loc[sub["to_node_id"]].to_numpy()
    gc = dict(
        zip(sub.index, great_circle_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]).tolist(), strict=True)
    )
    for idx, row in zip(links.index, links.to_dict("records"), strict=True):
        length = row["length"]
        if pd.isna(length):
            if row["mode"] not in LENGTH_OPTIONAL_MODES and row["mode"] != "":
                problems.append(
                    Problem(
                        filename,
                        _line(row),
                        "length",
                        "",
                        f"a {row['mode']} link needs a length in km",
                        "only sea and ferry links may leave it blank (searoute computes it)",
                    )
                )
            continue
        # sea lengths run between the maritime network's points nearest the ports
        # (searoute), which may be shorter than the great circle between the ports
        at_sea = row["mode"] in LENGTH_OPTIONAL_MODES
        if idx in gc and not at_sea and length < LENGTH_TOLERANCE * gc[idx]:
            problems.append(
                Problem(
                    filename,
                    _line(row),
                    "length",
                    _fmt(length),
                    f"shorter than the great-circle distance between its nodes ({gc[idx]:.0f} km)",
                    "check the length or the node coordinates",
                )
            )
    return problems


def check_link_attributes(links: pd.DataFrame, filename: str) -> list[Problem]:
    """Mode-specific fields: gauge on rail only, a speed or a time, passages on sea only."""
    problems: list[Problem] = []
    for row in links.to_dict("records"):
        line = _line(row)
        mode = row["mode"]
        if mode == "":
            continue
        has_gauge = not pd.isna(row["gauge_mm"])
        if mode == "rail" and not has_gauge:
            problems.append(
                Problem(
                    filename,
                    line,
                    "gauge_mm",
                    "",
                    "a rail link needs its gauge",
                    "1435 (standard) or 1520 (Russian)",
                )
            )
        if mode != "rail" and has_gauge:
            problems.append(
                Problem(
                    filename,
                    line,
                    "gauge_mm",
                    _fmt(row["gauge_mm"]),
                    f"gauge is for rail links only, this one is {mode}",
                    "leave gauge_mm blank",
                )
            )
        if mode != "rail" and not pd.isna(row["tracks"]):
            problems.append(
                Problem(
                    filename,
                    line,
                    "tracks",
                    _fmt(row["tracks"]),
                    f"tracks are for rail links only, this one is {mode}",
                )
            )
        if pd.isna(row["free_speed"]) and pd.isna(row["time_h"]):
            problems.append(
                Problem(
                    filename,
                    line,
                    "free_speed",
                    "",
                    "the link needs a speed (free_speed) or a fixed time (time_h)",
                )
            )
        if row["sea_avoid"] and mode not in ("sea", "ferry"):
            problems.append(
                Problem(
                    filename,
                    line,
                    "sea_avoid",
                    ";".join(row["sea_avoid"]),
                    "sea passages apply to sea and ferry links only",
                )
            )
        geometry = row.get("geometry", "")
        if isinstance(geometry, str) and geometry.strip():
            try:
                parse_wkt_linestring(geometry)
            except ValueError as exc:
                problems.append(Problem(filename, line, "geometry", geometry[:40], str(exc)))
    return problems


def check_status(frame: pd.DataFrame, filename: str) -> list[Problem]:
    """Planned elements say when they open."""
    problems: list[Problem] = []
    planned = (frame["status"] == "planned") & frame["open_year"].isna()
    for row in _rows(frame, planned):
        problems.append(
            Problem(
                filename, _line(row), "open_year", "", "a planned element needs its opening year"
            )
        )
    return problems


def check_tags(links: pd.DataFrame, corridor_ids: set[str] | None, filename: str) -> list[Problem]:
    """Corridor tags on links are declared in corridor.csv (when it exists)."""
    if not corridor_ids:
        return []
    problems: list[Problem] = []
    for row in links.to_dict("records"):
        for tag in row["corridors"]:
            if tag not in corridor_ids:
                problems.append(
                    Problem(
                        filename,
                        _line(row),
                        "corridors",
                        tag,
                        "corridor not declared in corridor.csv",
                        did_you_mean(tag, corridor_ids),
                    )
                )
    return problems


def check_vessels(vessels: pd.DataFrame, links: pd.DataFrame, filename: str) -> list[Problem]:
    """Ships serve an existing ferry or sea link and carry something."""
    problems: list[Problem] = []
    modes = dict(zip(links["link_id"], links["mode"], strict=True))
    for row in vessels.to_dict("records"):
        link = row["link_id"]
        if link == "":
            continue
        if link not in modes:
            problems.append(
                Problem(
                    filename,
                    _line(row),
                    "link_id",
                    link,
                    "no link with this id in link.csv",
                    did_you_mean(str(link), modes),
                )
            )
        elif modes[link] not in SCHEDULED_MODES:
            problems.append(
                Problem(
                    filename,
                    _line(row),
                    "link_id",
                    link,
                    f"a vessel must serve a ferry or sea link, this one is {modes[link]}",
                )
            )
        caps = [row[c] for c in ("capacity_wagons", "capacity_teu", "capacity_trucks")]
        if all(pd.isna(c) or c == 0 for c in caps):
            problems.append(
                Problem(
                    filename,
                    _line(row),
                    "capacity_wagons",
                    "",
                    "a vessel needs a capacity in wagons, TEU or trucks",
                )
            )
    return problems


def check_network_tables(
    *,
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    vessels: pd.DataFrame | None,
    corridors: pd.DataFrame | None,
    files: Mapping[str, str],
) -> list[Problem]:
    """Run every cross-field and cross-table rule; return all problems found.

    Parameters
    ----------
    nodes, links, vessels, corridors : pandas.DataFrame
        Typed tables as produced by :func:`corridors.network.tables.parse_table`.
    files : mapping
        Table name (``node``, ``link``, ...) to the file name used in reports.
    """
    problems: list[Problem] = []
    nf, lf = files["node"], files["link"]
    rules: list[Callable[[], list[Problem]]] = [
        lambda: check_unique_ids(nodes, "node_id", nf),
        lambda: check_unique_ids(links, "link_id", lf),
        lambda: check_links_reference_nodes(links, nodes["node_id"], lf),
        lambda: check_link_lengths(links, nodes, lf),
        lambda: check_link_attributes(links, lf),
        lambda: check_status(links, lf),
        lambda: check_status(nodes, nf),
    ]
    corridor_ids: set[str] | None = None
    if corridors is not None and len(corridors):
        corridor_ids = set(corridors["corridor_id"])
        rules.append(lambda: check_unique_ids(corridors, "corridor_id", files["corridor"]))
    rules.append(lambda: check_tags(links, corridor_ids, lf))
    if vessels is not None and len(vessels):
        rules.append(lambda: check_unique_ids(vessels, "vessel_id", files["vessel"]))
        rules.append(lambda: check_vessels(vessels, links, files["vessel"]))
    for rule in rules:
        problems.extend(rule())
    return problems


def connected_components(nodes: pd.DataFrame, links: pd.DataFrame) -> np.ndarray:
    """Component label of each node when links are taken as undirected."""
    from scipy.sparse import coo_matrix  # noqa: PLC0415
    from scipy.sparse.csgraph import connected_components as cc  # noqa: PLC0415

    index = {nid: i for i, nid in enumerate(nodes["node_id"])}
    u = np.asarray([index[x] for x in links["from_node_id"]], dtype=np.int64)
    v = np.asarray([index[x] for x in links["to_node_id"]], dtype=np.int64)
    n = len(index)
    mat = coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n)).tocsr()
    _, labels = cc(mat, directed=False)
    return np.asarray(labels)
