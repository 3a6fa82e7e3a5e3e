"""Read and check the energy tables of a dataset folder.

This is the only module of :mod:`corridors.energy` that reads files. Every problem of
both tables (malformed cells, NaN or negative numbers, unknown units, links naming
unknown nodes, a barrel figure without a crude grade, a capacity whose unit does not
fit the carrier) is collected and raised together as :class:`EnergyDataError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from corridors.energy.schema import ENERGY_LINK, ENERGY_NODE
from corridors.energy.units import UNIT_BY_SYMBOL
from corridors.errors import Problem, ProblemsError, did_you_mean
from corridors.network.tables import LINE, read_node_link_tables

_DIMENSION = {
    "crude": ("mass", "oil_volume"),
    "gas": ("gas_volume",),
    "power": ("electric_energy",),
}


class EnergyDataError(ProblemsError, ValueError):
    """The energy tables are malformed or inconsistent (file, line and field named)."""


@dataclass(frozen=True)
class EnergyTables:
    """The energy tables of a dataset, typed and checked.

    Attributes
    ----------
    nodes, links : pandas.DataFrame
        Typed columns as declared in :mod:`corridors.energy.schema`, plus ``_line``.
    folder : Path
        Folder they were read from.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    folder: Path


def _check_quantity(
    problems: list[Problem],
    *,
    file: str,
    line: int,
    carrier: str,
    value: float,
    unit: str,
    grade: str,
    what: str,
) -> None:
    """A quantity needs a rate unit fitting the carrier, and a grade for barrels."""
    if math.isnan(value):
        if unit:
            problems.append(Problem(file, line, what, None, f"{what}_unit given without {what}"))
        return
    if not unit:
        problems.append(
            Problem(file, line, f"{what}_unit", None, f"a unit is required with {what}")
        )
        return
    u = UNIT_BY_SYMBOL[unit]
    if not u.rate:
        problems.append(
            Problem(file, line, f"{what}_unit", unit, "expected a rate (per year, day or MW)")
        )
    if carrier in _DIMENSION and u.dimension not in _DIMENSION[carrier]:
        problems.append(Problem(file, line, f"{what}_unit", unit, f"not a unit of {carrier}"))
    if u.dimension == "oil_volume" and not grade:
        problems.append(
            Problem(
                file,
                line,
                "crude_grade",
                None,
                f"a barrel {what} needs the crude grade (its density)",
            )
        )


class _Row:
    """Attribute access to one record of a typed table."""

    def __init__(self, record: dict[Any, Any]) -> None:
        self._record = record

    def __getattr__(self, name: str) -> Any:
        return self._record[name]


def check_energy_tables(nodes: pd.DataFrame, links: pd.DataFrame) -> list[Problem]:
    """Rules across rows and tables; returns the problems found."""
    problems: list[Problem] = []
    nfile, lfile = ENERGY_NODE.filename, ENERGY_LINK.filename
    carriers: dict[str, tuple[str, ...]] = {}
    for rec in nodes.to_dict("records"):
        row = _Row(rec)
        line = int(rec[LINE])
        nid = str(row.node_id)
        if nid in carriers:
            problems.append(Problem(nfile, line, "node_id", nid, "node id used twice"))
        carriers[nid] = tuple(row.carrier)
        carrier = row.carrier[0] if len(row.carrier) == 1 else ""
        if not math.isnan(row.supply) and len(row.carrier) != 1:
            problems.append(
                Problem(nfile, line, "carrier", ";".join(row.carrier), "a supply needs one carrier")
            )
        _check_quantity(
            problems,
            file=nfile,
            line=line,
            carrier=carrier,
            value=row.supply,
            unit=str(row.supply_unit),
            grade=str(row.crude_grade),
            what="supply",
        )
        _check_quantity(
            problems,
            file=nfile,
            line=line,
            carrier=carrier,
            value=row.capacity,
            unit=str(row.capacity_unit),
            grade=str(row.crude_grade),
            what="capacity",
        )
        if row.status == "planned" and math.isnan(row.open_year):
            problems.append(
                Problem(nfile, line, "open_year", None, "a planned node needs open_year")
            )
    seen: set[str] = set()
    for rec in links.to_dict("records"):
        row = _Row(rec)
        line = int(rec[LINE])
        lid = str(row.link_id)
        if lid in seen:
            problems.append(Problem(lfile, line, "link_id", lid, "link id used twice"))
        seen.add(lid)
        for col in ("from_node_id", "to_node_id"):
            nid = str(getattr(row, col))
            if nid not in carriers:
                problems.append(
                    Problem(lfile, line, col, nid, "unknown node", did_you_mean(nid, carriers))
                )
            elif row.carrier and row.carrier not in carriers[nid]:
                problems.append(
                    Problem(lfile, line, col, nid, f"node does not handle {row.carrier}")
                )
        _check_quantity(
            problems,
            file=lfile,
            line=line,
            carrier=str(row.carrier),
            value=row.capacity,
            unit=str(row.capacity_unit),
            grade=str(row.crude_grade),
            what="capacity",
        )
        vessel_cols = ("vessels", "cargo_t", "trips_per_year")
        given = [c for c in vessel_cols if not math.isnan(getattr(row, c))]
        if given and len(given) != len(vessel_cols):
            missing = [c for c in vessel_cols if c not in given]
            problems.append(
                Problem(
                    lfile, line, missing[0], None, "vessels, cargo_t and trips_per_year go together"
                )
            )
        if given and row.carrier != "crude":
            problems.append(Problem(lfile, line, "vessels", None, "vessel lifts carry crude only"))
        if given and not math.isnan(row.capacity):
            problems.append(
                Problem(
                    lfile, line, "capacity", None, "give a capacity or the vessel fields, not both"
                )
            )
        if row.status == "planned" and math.isnan(row.open_year):
            problems.append(
                Problem(lfile, line, "open_year", None, "a planned link needs open_year")
            )
    return problems


def read_energy_tables(folder: str | Path) -> EnergyTables:
    """Read ``energy_node.csv`` and ``energy_link.csv`` from a dataset folder.

    Raises
    ------
    EnergyDataError
        Every problem of both tables, each with file, line and field.
    """
    path = Path(folder)
    nodes, links, problems = read_node_link_tables(
        path, ENERGY_NODE, ENERGY_LINK, check=check_energy_tables
    )
    if problems:
        raise EnergyDataError(problems, what=f"energy tables in {path}")
    return EnergyTables(nodes=nodes, links=links, folder=path)


__all__ = [
    "EnergyDataError",
    "EnergyTables",
    "check_energy_tables",
    "read_energy_tables",
]
