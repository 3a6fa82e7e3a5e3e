"""Energy studies: where a carrier flows, at what cost, what binds (``corridors energy``).

A study reads the energy tables and a scenario, builds the flow problem
(:mod:`corridors.energy.problem`), solves it with the flow engine (:mod:`corridors.flows`)
and returns rows ready to print, write as JSON or CSV, or draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridors.datasets import eurasia_path
from corridors.energy.flow_rows import CommodityFlow, ElementFlow, summarise
from corridors.energy.io import EnergyTables, read_energy_tables
from corridors.energy.problem import MARKET, Change, Contract, build_problem
from corridors.energy.scenario import read_energy_scenario, resolve_energy_scenario
from corridors.energy.schema import CARRIER_VALUE, CARRIERS, FLOW_UNIT
from corridors.energy.units import convert, grade, parse_quantity
from corridors.errors import (
    Problem,
    ScenarioError,
    UnknownPlaceError,
    close_choices,
    did_you_mean,
)
from corridors.flows import solve
from corridors.flows.paths import decompose

DEFAULT_YEAR = 2024


@dataclass(frozen=True)
class EnergyFlowStudy:
    """The result of ``corridors energy flow``.

    Attributes
    ----------
    carrier : str
    year : int
    period_days : float
    scenario : str or None
    links, nodes : list of ElementFlow
        Flows in the carrier's flow unit over the period.
    commodities : list of CommodityFlow
    bbl_per_t : dict of str to float
        Barrels per tonne of each crude commodity (supply-weighted over its grades).
    coords : dict of str to (float, float)
        Node positions (lon, lat), for maps.
    routes : list of dict
        Paths of a routed volume (``corridors energy route``), else empty.
    """

    carrier: str
    year: int
    period_days: float
    scenario: str | None
    links: list[ElementFlow]
    nodes: list[ElementFlow]
    commodities: list[CommodityFlow]
    bbl_per_t: dict[str, float]
    coords: dict[str, tuple[float, float]]
    routes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unit_key(self) -> str:
        """Suffix of the JSON quantity keys: ``t``, ``bcm`` or ``mw`` (average power)."""
        return {"crude": "t", "gas": "bcm", "power": "mw"}[self.carrier]

    def _scale(self) -> float:
        """Flow unit over the period -> reported unit (MWh -> average MW)."""
        return 1.0 / (self.period_days * 24.0) if self.carrier == "power" else 1.0

    @property
    def price_key(self) -> str:
        """Key of the shadow price: ``shadow_price_usd_t``, ``_usd_bcm`` or ``_usd_mwh``."""
        return "shadow_price_usd_" + FLOW_UNIT[self.carrier].lower()

    def element_row(self, e: ElementFlow) -> dict[str, Any]:
        """One link or node as a JSON-ready row."""
        s, u = self._scale(), self.unit_key
        return {
            "id": e.id,
            "name": e.name,
            "kind": e.kind,
            "mode": e.mode or None,
            "from": e.source,
            "to": e.target,
            f"flow_{u}": e.flow * s,
            f"capacity_{u}": None if math.isinf(e.capacity) else e.capacity * s,
            "utilisation": None if not math.isfinite(e.utilisation) else e.utilisation,
            self.price_key: e.shadow_price,
            "status": e.status,
            f"flow_{u}_by_commodity": {k: v * s for k, v in e.by_commodity.items()},
        }

    def commodity_row(self, c: CommodityFlow) -> dict[str, Any]:
        """One commodity as a JSON-ready row."""
        s, u = self._scale(), self.unit_key
        per_unit = c.cost_per_unit
        row: dict[str, Any] = {
            "id": c.id,
            f"supply_{u}": c.supply * s,
            f"delivered_{u}": c.delivered * s,
            f"stranded_{u}": sum(c.stranded.values()) * s,
            f"stranded_{u}_by_node": {k: v * s for k, v in c.stranded.items()},
            f"sold_{u}_by_market": {k: v * s for k, v in c.sold_at.items()},
            "cost_usd": c.cost_usd,
            "cost_usd_" + FLOW_UNIT[self.carrier].lower(): per_unit
            if math.isfinite(per_unit)
            else None,
        }
        if c.id in self.bbl_per_t and math.isfinite(per_unit):
            row["cost_usd_bbl"] = per_unit / self.bbl_per_t[c.id]
        return row

    def binding(self) -> list[ElementFlow]:
        """Links and nodes at capacity or with a positive shadow price, dearest first."""
        out = [
            e
            for e in (*self.links, *self.nodes)
            if math.isfinite(e.capacity)
            and (e.shadow_price > 1e-9 or (e.capacity > 0 and e.flow >= e.capacity * (1 - 1e-7)))
        ]
        return sorted(out, key=lambda e: (-e.shadow_price, e.id))

    def to_dict(self) -> dict[str, Any]:
        """The whole study as JSON-ready data."""
        return {
            "carrier": self.carrier,
            "year": self.year,
            "period_days": self.period_days,
            "scenario": self.scenario,
            "unit": {"t": "t", "bcm": "bcm", "mw": "MW (average over the period)"}[self.unit_key],
            "value_usd_per_unit_unmoved": CARRIER_VALUE[self.carrier].value_usd,
            "commodities": [self.commodity_row(c) for c in self.commodities],
            "binding": [e.id for e in self.binding()],
            "links": [self.element_row(e) for e in self.links],
            "nodes": [self.element_row(e) for e in self.nodes],
            "routes": self.routes,
        }


def _tables(folder: str | Path | None) -> EnergyTables:
    return read_energy_tables(eurasia_path() if folder is None else folder)


def _check_carrier(carrier: str) -> None:
    if carrier not in CARRIERS:
        hint = did_you_mean(carrier, CARRIERS) or "use " + ", ".join(CARRIERS)
        raise ScenarioError(
            [Problem("--commodity", None, None, carrier, "unknown energy commodity", hint)],
            what="command line",
        )


def _bbl_per_t(tables: EnergyTables, supplies: dict[str, dict[str, float]]) -> dict[str, float]:
    grades = {str(r["node_id"]): str(r["crude_grade"]) for r in tables.nodes.to_dict("records")}
    out: dict[str, float] = {}
    for cid, sup in supplies.items():
        total = sum(sup.values())
        known = [(grades.get(n, ""), v) for n, v in sup.items() if grades.get(n)]
        if total > 0 and known:
            out[cid] = sum(grade(g).bbl_per_t * v for g, v in known) / sum(v for _, v in known)
    return out


def find_node(tables: EnergyTables, text: str, *, carrier: str | None = None) -> str:
    """The id of the energy node ``text`` names (id or name, any case).

    Raises
    ------
    UnknownPlaceError
        No node matches; the closest ids and names are suggested.
    """
    rows = [
        r for r in tables.nodes.to_dict("records") if carrier is None or carrier in r["carrier"]
    ]
    key = text.strip().casefold()
    for r in rows:
        if key in (str(r["node_id"]).casefold(), str(r["name"]).casefold()):
            return str(r["node_id"])
    starts = [r for r in rows if str(r["name"]).casefold().startswith(key + " ")]
    if len(starts) == 1:
        return str(starts[0]["node_id"])
    choices = [str(r["node_id"]) for r in rows] + [str(r["name"]) for r in rows]
    raise UnknownPlaceError(text, close_choices(text, choices))


def energy_flow(
    *,
    carrier: str | None = None,
    year: int | None = None,
    scenario: str | Path | None = None,
    folder: str | Path | None = None,
    extra_contracts: tuple[Contract, ...] = (),
) -> EnergyFlowStudy:
    """Where a carrier flows in a year, at what cost, and what binds.

    Parameters
    ----------
    carrier : {"crude", "gas", "power"}, optional
        Default: the scenario's, else crude.
    year : int, optional
        Default: the scenario's, else 2024.
    scenario : str or Path, optional
        A shipped energy scenario name (``cpc-outage-30d``) or a YAML file.
    folder : str or Path, optional
        Dataset folder with ``energy_node.csv`` and ``energy_link.csv``; default the
        shipped Eurasian dataset.
    extra_contracts : tuple of Contract
        Streams added to the scenario's (used by :func:`energy_route`).

    Returns
    -------
    EnergyFlowStudy
    """
    tables = _tables(folder)
    changes: list[Change] = []
    contracts: list[Contract] = []
    period = 365.0
    name: str | None = None
    if scenario is not None:
        spec, changes, contracts = read_energy_scenario(resolve_energy_scenario(scenario), tables)
        if carrier is not None and carrier != spec.carrier:
            raise ScenarioError(
                [
                    Problem(
                        str(scenario),
                        None,
                        "carrier",
                        spec.carrier,
                        f"the scenario is about {spec.carrier}, not {carrier}",
                    )
                ],
                what="energy scenario",
            )
        carrier, period, name = spec.carrier, spec.period_days, spec.name
        year = spec.year if year is None else year
    carrier = carrier or "crude"
    _check_carrier(carrier)
    year = DEFAULT_YEAR if year is None else year
    ep = build_problem(
        tables,
        carrier=carrier,
        year=year,
        period_days=period,
        changes=changes,
        contracts=[*contracts, *extra_contracts],
    )
    result = solve(ep.problem)
    names = dict(zip(tables.links["link_id"], tables.links["name"], strict=True))
    names |= dict(zip(tables.nodes["node_id"], tables.nodes["name"], strict=True))
    modes = dict(zip(tables.links["link_id"], tables.links["mode"], strict=True))
    modes |= dict(zip(tables.nodes["node_id"], tables.nodes["kind"], strict=True))
    links, nodes, comms = summarise(ep, result, names=names, modes=modes)
    supplies = {c.id: dict(c.supply) for c in ep.problem.commodities}
    coords = {
        str(r["node_id"]): (float(r["x_coord"]), float(r["y_coord"]))
        for r in tables.nodes.to_dict("records")
    }
    routes: list[dict[str, Any]] = []
    arc_cost = {a.id: a.cost for a in ep.problem.arcs}
    node_cost = {n.id: n.cost for n in ep.problem.nodes}
    bpt = _bbl_per_t(tables, supplies)
    for c in extra_contracts:
        cid = f"{carrier}:{c.id}"
        for path, amount in decompose(
            result, commodity=cid, source=c.origin, sink=f"{MARKET}:{c.id}"
        ):
            real = [a for a in path if not a.startswith("sell:")]
            heads = [ep.problem.arcs[[x.id for x in ep.problem.arcs].index(a)].head for a in real]
            usd_t = sum(arc_cost[a] for a in real) + sum(node_cost[h] for h in heads)
            usd_t += node_cost.get(c.origin, 0.0)
            row: dict[str, Any] = {
                "links": real,
                "via": [names.get(a, a) for a in real],
                "market": heads[-1] if heads else c.origin,
                "flow_" + ("mw" if carrier == "power" else FLOW_UNIT[carrier].lower()): amount
                / ((period * 24.0) if carrier == "power" else 1.0),
                "cost_usd_" + FLOW_UNIT[carrier].lower(): usd_t,
            }
            if cid in bpt:
                row["cost_usd_bbl"] = usd_t / bpt[cid]
            routes.append(row)
    return EnergyFlowStudy(
        carrier=carrier,
        year=year,
        period_days=period,
        scenario=name,
        links=links,
        nodes=nodes,
        commodities=comms,
        bbl_per_t=bpt,
        coords=coords,
        routes=routes,
    )


def energy_route(
    *,
    origin: str,
    volume: str,
    carrier: str | None = None,
    year: int | None = None,
    scenario: str | Path | None = None,
    folder: str | Path | None = None,
) -> EnergyFlowStudy:
    """How a volume from one place reaches a market, alongside everything else that flows.

    The volume (``"2.2Mt"`` a year, ``"300kb/d"``, ``"500MW"``) is taken out of the
    origin's own supply and routed as its own commodity to any market; its paths, with
    cost per flow unit (and per barrel for crude), are in :attr:`EnergyFlowStudy.routes`.

    Raises
    ------
    UnknownPlaceError
        ``origin`` names no energy node.
    corridors.energy.units.UnitError
        The volume cannot be read or converted.
    """
    carrier = carrier or "crude"
    _check_carrier(carrier)
    tables = _tables(folder)
    node = find_node(tables, origin, carrier=carrier)
    number, unit = parse_quantity(volume)
    grades = {str(r["node_id"]): str(r["crude_grade"]) for r in tables.nodes.to_dict("records")}
    flow_unit = FLOW_UNIT[carrier]
    target = {"t": "t", "bcm": "bcm", "MWh": "TWh"}[flow_unit]
    if unit.rate:
        target += "/yr"
    amount = convert(number, unit.symbol, target, crude=grades.get(node) or None)
    if flow_unit == "MWh":
        amount *= 1e6
    markets = tuple(
        str(r["node_id"])
        for r in tables.nodes.to_dict("records")
        if r["kind"] == "market" and carrier in r["carrier"]
    )
    return energy_flow(
        carrier=carrier,
        year=year,
        scenario=scenario,
        folder=folder,
        extra_contracts=(Contract("route", node, amount, markets),),
    )
