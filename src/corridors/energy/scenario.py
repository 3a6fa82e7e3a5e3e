"""Energy scenario files: what changes in the energy network, for which carrier and period.

Energy scenarios are YAML like the freight scenarios (``datasets/eurasia/scenarios``),
kept in their own folder, ``datasets/eurasia/energy_scenarios``, with ``kind: energy``.
They are read by the same machinery (:func:`corridors.scenarios.io.parse_model`), so a
misspelt key, a wrong type or an unknown node or link is reported with the file, line
and field, and a "did you mean" hint.

Example::

    name: cpc-outage-30d
    kind: energy
    carrier: crude
    year: 2024
    period_days: 30
    changes:
      - {node: novorossiysk_cpc, capacity_factor: 0.3333, source: "..."}
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corridors.datasets import eurasia_path
from corridors.energy.io import EnergyTables
from corridors.energy.problem import Change, Contract
from corridors.energy.schema import FLOW_UNIT
from corridors.energy.units import UNIT_BY_SYMBOL, UnitError, convert
from corridors.errors import Problem, ScenarioError, did_you_mean
from corridors.scenarios.io import SourceMap, parse_model
from corridors.yamlsafe import format_path, read_text

FOLDER = "energy_scenarios"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChangeSpec(_Strict):
    """One change to a node or a link (exactly one of ``node`` and ``link``)."""

    node: str | None = None
    link: str | None = None
    close: bool = False
    capacity_factor: float | None = Field(default=None, ge=0)
    add_vessels: int = Field(default=0, ge=-1000, le=1000)
    capacity: float | None = Field(default=None, ge=0)
    capacity_unit: str | None = None
    open_year: int | None = Field(default=None, ge=1900, le=2200)
    source: str = ""

    @model_validator(mode="after")
    def _one_target(self) -> ChangeSpec:
        if (self.node is None) == (self.link is None):
            msg = "give exactly one of node or link"
            raise ValueError(msg)
        if (self.capacity is None) != (self.capacity_unit is None):
            msg = "capacity and capacity_unit go together"
            raise ValueError(msg)
        return self


class ContractSpec(_Strict):
    """A stream bound to destinations: ``volume`` in ``unit`` a year from ``origin``."""

    id: str = Field(min_length=1)
    origin: str = Field(min_length=1)
    volume: float = Field(gt=0)
    unit: str = "Mt/yr"
    destinations: list[str] = Field(min_length=1)
    source: str = ""


class EnergyScenario(_Strict):
    """An energy scenario file.

    Attributes
    ----------
    name, description : str
    kind : "energy"
    carrier : {"crude", "gas", "power"}
    year : int
        Year modelled (planned elements open from their ``open_year``).
    period_days : float
        Length of the period, days (365 a year; 30 for a month-long outage).
    changes : list of ChangeSpec
    contracts : list of ContractSpec
    source : str
        Where the scenario's figures come from.
    """

    name: str = Field(min_length=1)
    description: str = ""
    kind: Literal["energy"] = "energy"
    carrier: Literal["crude", "gas", "power"] = "crude"
    year: int = Field(ge=1990, le=2100)
    period_days: float = Field(default=365.0, gt=0, le=366)
    changes: list[ChangeSpec] = Field(default_factory=list)
    contracts: list[ContractSpec] = Field(default_factory=list)
    source: str = ""


def shipped_energy_scenarios() -> dict[str, Path]:
    """Energy scenarios shipped with the Eurasian dataset, by name (file stem)."""
    folder = eurasia_path() / FOLDER
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def resolve_energy_scenario(name_or_path: str | Path) -> Path:
    """A scenario file path, or the shipped energy scenario of that name."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    shipped = shipped_energy_scenarios()
    if str(name_or_path) in shipped:
        return shipped[str(name_or_path)]
    hint = did_you_mean(str(name_or_path), shipped) or "shipped: " + ", ".join(shipped)
    raise ScenarioError(
        [Problem(str(name_or_path), None, None, None, "no such energy scenario", hint)],
        what="energy scenario",
    )


def _check_refs(
    spec: EnergyScenario, tables: EnergyTables, smap: SourceMap
) -> tuple[list[Problem], list[Change], list[Contract]]:
    problems: list[Problem] = []
    node_ids = [str(n) for n in tables.nodes["node_id"]]
    link_ids = [str(n) for n in tables.links["link_id"]]
    carrier_nodes = {
        str(r["node_id"]) for r in tables.nodes.to_dict("records") if spec.carrier in r["carrier"]
    }
    grades = {str(r["node_id"]): str(r["crude_grade"]) for r in tables.nodes.to_dict("records")}
    markets = {
        str(r["node_id"])
        for r in tables.nodes.to_dict("records")
        if r["kind"] == "market" and spec.carrier in r["carrier"]
    }

    def bad(path: tuple[str | int, ...], value: str, msg: str, choices: list[str]) -> None:
        problems.append(
            Problem(
                smap.file,
                smap.line(path),
                format_path(path),
                value,
                msg,
                did_you_mean(value, choices),
            )
        )

    changes: list[Change] = []
    for i, ch in enumerate(spec.changes):
        if ch.node is not None and ch.node not in node_ids:
            bad(("changes", i, "node"), ch.node, "unknown energy node", node_ids)
        if ch.link is not None and ch.link not in link_ids:
            bad(("changes", i, "link"), ch.link, "unknown energy link", link_ids)
        if ch.capacity_unit is not None and ch.capacity_unit not in UNIT_BY_SYMBOL:
            bad(
                ("changes", i, "capacity_unit"),
                ch.capacity_unit,
                "unknown unit",
                list(UNIT_BY_SYMBOL),
            )
        changes.append(
            Change(
                target="node" if ch.node is not None else "link",
                id=ch.node if ch.node is not None else str(ch.link),
                close=ch.close,
                capacity_factor=ch.capacity_factor,
                add_vessels=ch.add_vessels,
                capacity=ch.capacity,
                capacity_unit=ch.capacity_unit,
                open_year=ch.open_year,
            )
        )
    contracts: list[Contract] = []
    flow_unit = FLOW_UNIT[spec.carrier]
    for i, c in enumerate(spec.contracts):
        if c.origin not in carrier_nodes:
            bad(
                ("contracts", i, "origin"),
                c.origin,
                f"unknown {spec.carrier} node",
                sorted(carrier_nodes),
            )
        for j, d in enumerate(c.destinations):
            if d not in markets:
                bad(
                    ("contracts", i, "destinations", j),
                    d,
                    f"not a {spec.carrier} market",
                    sorted(markets),
                )
        volume = 0.0
        target = f"{flow_unit}/yr" if flow_unit != "MWh" else "TWh/yr"
        try:
            volume = convert(c.volume, c.unit, target, crude=grades.get(c.origin) or None)
            volume = volume * 1e6 if flow_unit == "MWh" else volume
        except UnitError as exc:
            problems.append(
                Problem(
                    smap.file,
                    smap.line(("contracts", i, "unit")),
                    format_path(("contracts", i, "unit")),
                    c.unit,
                    str(exc),
                )
            )
        contracts.append(Contract(c.id, c.origin, volume, tuple(c.destinations)))
    return problems, changes, contracts


def read_energy_scenario(
    path: str | Path, tables: EnergyTables
) -> tuple[EnergyScenario, list[Change], list[Contract]]:
    """Read an energy scenario and check it against the energy tables.

    Returns
    -------
    (EnergyScenario, changes, contracts)
        The file's content, and its changes and contracts ready for
        :func:`corridors.energy.problem.build_problem` (volumes in flow units a year).

    Raises
    ------
    ScenarioError
        Every problem, each with the file, line and field.
    """
    p = Path(path)
    text = read_text(p)
    spec, smap = parse_model(text, EnergyScenario, file=p.name)
    problems, changes, contracts = _check_refs(spec, tables, smap)
    if problems:
        raise ScenarioError(problems, what=p.name)
    return spec, changes, contracts
