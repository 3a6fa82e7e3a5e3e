"""Read and check the relief tables of a dataset folder (the only reader in corridors.relief)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corridors.errors import Problem, ProblemsError, did_you_mean
from corridors.network.tables import LINE, read_node_link_tables
from corridors.relief.schema import RELIEF_LINK, RELIEF_NODE


class ReliefDataError(ProblemsError, ValueError):
    """The relief tables are malformed or inconsistent (file, line and field named)."""


@dataclass(frozen=True)
class ReliefTables:
    """The relief tables, typed and checked (columns of :mod:`corridors.relief.schema`)."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    folder: Path


def check_relief_tables(nodes: pd.DataFrame, links: pd.DataFrame) -> list[Problem]:
    """Rules across rows and tables; returns the problems found."""
    problems: list[Problem] = []
    nfile, lfile = RELIEF_NODE.filename, RELIEF_LINK.filename
    ids: set[str] = set()
    for rec in nodes.to_dict("records"):
        nid, line = str(rec["node_id"]), int(rec[LINE])
        if nid in ids:
            problems.append(Problem(nfile, line, "node_id", nid, "node id used twice"))
        ids.add(nid)
        if rec["kind"] == "depot" and math.isnan(rec["dispatch_t_day"]):
            problems.append(Problem(nfile, line, "dispatch_t_day", None, "a depot needs it"))
    seen: set[str] = set()
    for rec in links.to_dict("records"):
        lid, line = str(rec["link_id"]), int(rec[LINE])
        if lid in seen:
            problems.append(Problem(lfile, line, "link_id", lid, "link id used twice"))
        seen.add(lid)
        for col in ("from_node_id", "to_node_id"):
            nid = str(rec[col])
            if nid not in ids:
                problems.append(
                    Problem(lfile, line, col, nid, "unknown node", did_you_mean(nid, ids))
                )
        if math.isnan(rec["length_km"]) or math.isnan(rec["speed_kmh"]):
            missing = "length_km" if math.isnan(rec["length_km"]) else "speed_kmh"
            problems.append(Problem(lfile, line, missing, None, "length and speed are needed"))
    return problems


def read_relief_tables(folder: str | Path) -> ReliefTables:
    """Read ``relief_node.csv`` and ``relief_link.csv``.

    Raises
    ------
    ReliefDataError
        Every problem of both tables, each with file, line and field.
    """
    path = Path(folder)
    nodes, links, problems = read_node_link_tables(
        path, RELIEF_NODE, RELIEF_LINK, check=check_relief_tables
    )
    if problems:
        raise ReliefDataError(problems, what=f"relief tables in {path}")
    return ReliefTables(nodes=nodes, links=links, folder=path)
