"""The energy layer as a flow problem: one carrier, one year, one period.

:func:`build_problem` turns the energy tables (with a scenario's changes and contracts)
into a :class:`~corridors.flows.FlowProblem` in the carrier's flow unit (tonnes of crude,
bcm of gas, MWh of electricity) over ``period_days``. Capacities and supplies are
converted from the units the data publishes (:mod:`corridors.energy.units`) to the flow
unit a year, then scaled to the period.

Commodities: each supplying country's output is one commodity (``crude:KZ``,
``crude:AZ``), so Azerbaijan's own crude and Kazakh crude share BTC; a contract (the
2.2 Mt KazMunayGas-SOCAR agreement) is its own commodity that may only be sold at the
contract's destinations. Whatever is sold at any ``market`` node counts as delivered;
what cannot reach one is stranded and costs the carrier's value
(:data:`~corridors.energy.schema.CARRIER_VALUES`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from corridors.energy.io import EnergyTables
from corridors.energy.schema import CARRIER_VALUE
from corridors.energy.units import convert
from corridors.flows import Commodity, FlowArc, FlowNode, FlowProblem

MARKET = "__market__"
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True, slots=True)
class Change:
    """A change to one node or link, in a scenario.

    Attributes
    ----------
    target : {"node", "link"}
    id : str
    close : bool
        Capacity 0 (the element stays in the results, with its shadow price).
    capacity_factor : float or None
        Multiplies the capacity (e.g. 1/3 with two of three moorings out).
    add_vessels : int
        Ships added to a vessel lift.
    capacity : float or None
        A new capacity, in ``capacity_unit``.
    capacity_unit : str or None
    open_year : int or None
        A new opening year.
    """

    target: str
    id: str
    close: bool = False
    capacity_factor: float | None = None
    add_vessels: int = 0
    capacity: float | None = None
    capacity_unit: str | None = None
    open_year: int | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    """A stream that must be sold at given destinations (a supply agreement).

    Attributes
    ----------
    id : str
    origin : str
        Supply node; the contract's volume is taken out of its general supply.
    volume : float
        Flow units a year.
    destinations : tuple of str
        Market nodes where the stream may be sold.
    """

    id: str
    origin: str
    volume: float
    destinations: tuple[str, ...]


@dataclass(frozen=True)
class EnergyProblem:
    """A flow problem built from the energy tables, with what is needed to read it back.

    Attributes
    ----------
    problem : FlowProblem
    carrier : str
    year : int
    period_days : float
    link_ids, node_ids : tuple of str
        The real links and nodes (virtual market arcs left out).
    status : dict of str to str
        ``operating``, ``closed``, ``not open in YEAR`` per link and node id.
    """

    problem: FlowProblem
    carrier: str
    year: int
    period_days: float
    link_ids: tuple[str, ...]
    node_ids: tuple[str, ...]
    status: dict[str, str] = field(default_factory=dict)


def _per_year(value: float, unit: str, grade: str, carrier: str) -> float:
    """A published rate in the carrier's flow unit a year."""
    target = {"crude": "t/yr", "gas": "bcm/yr", "power": "TWh/yr"}[carrier]
    out = convert(value, unit, target, crude=grade or None)
    return out * 1e6 if carrier == "power" else out  # TWh -> MWh


def _open(status: str, open_year: float, year: int) -> bool:
    if status == "closed":
        return False
    return not (status == "planned" and (math.isnan(open_year) or open_year > year))


def build_problem(
    tables: EnergyTables,
    *,
    carrier: str,
    year: int,
    period_days: float = DAYS_PER_YEAR,
    changes: Sequence[Change] = (),
    contracts: Sequence[Contract] = (),
) -> EnergyProblem:
    """The flow problem of one carrier in one year over a period.

    Parameters
    ----------
    tables : EnergyTables
        Checked energy tables.
    carrier : {"crude", "gas", "power"}
    year : int
        Planned elements open from their ``open_year``.
    period_days : float
        Length of the period modelled, days (365: a year; 30: a month-long outage).
    changes : sequence of Change
        Scenario changes (ids are checked by the scenario reader).
    contracts : sequence of Contract
        Streams bound to destinations, volumes in flow units a year.

    Returns
    -------
    EnergyProblem
    """
    scale = period_days / DAYS_PER_YEAR
    value = CARRIER_VALUE[carrier].value_usd
    by_target: dict[tuple[str, str], list[Change]] = {}
    for ch in changes:
        by_target.setdefault((ch.target, ch.id), []).append(ch)

    status: dict[str, str] = {}
    nodes: list[FlowNode] = []
    supply: dict[str, dict[str, float]] = {}
    markets: list[str] = []
    node_rows = [r for r in tables.nodes.to_dict("records") if carrier in r["carrier"]]
    for r in node_rows:
        nid = str(r["node_id"])
        chs = by_target.get(("node", nid), [])
        open_year = next((c.open_year for c in chs if c.open_year is not None), r["open_year"])
        is_open = _open(str(r["status"]), float(open_year), year)
        cap = math.inf
        if not math.isnan(r["capacity"]):
            cap = _per_year(r["capacity"], r["capacity_unit"], r["crude_grade"], carrier)
        cap = _apply(cap, chs, carrier, str(r["crude_grade"]))
        closed = any(c.close for c in chs) or str(r["status"]) == "closed"
        status[nid] = "closed" if closed else ("operating" if is_open else f"not open in {year}")
        if closed or not is_open:
            cap = 0.0
        nodes.append(FlowNode(nid, capacity=cap * scale, cost=float(r["handling_usd"])))
        if not math.isnan(r["supply"]) and is_open and not closed:
            amount = _per_year(r["supply"], r["supply_unit"], r["crude_grade"], carrier) * scale
            supply.setdefault(f"{carrier}:{r['country']}", {})[nid] = amount
        if r["kind"] == "market":
            markets.append(nid)

    arcs: list[FlowArc] = []
    link_ids: list[str] = []
    for r in tables.links.to_dict("records"):
        if r["carrier"] != carrier:
            continue
        lid = str(r["link_id"])
        chs = by_target.get(("link", lid), [])
        open_year = next((c.open_year for c in chs if c.open_year is not None), r["open_year"])
        is_open = _open(str(r["status"]), float(open_year), year)
        if not math.isnan(r["vessels"]):
            vessels = r["vessels"] + sum(c.add_vessels for c in chs)
            cap = vessels * r["cargo_t"] * r["trips_per_year"]
        elif not math.isnan(r["capacity"]):
            cap = _per_year(r["capacity"], r["capacity_unit"], r["crude_grade"], carrier)
        else:
            cap = math.inf
        cap = _apply(cap, chs, carrier, str(r["crude_grade"]))
        closed = any(c.close for c in chs) or str(r["status"]) == "closed"
        status[lid] = "closed" if closed else ("operating" if is_open else f"not open in {year}")
        if closed or not is_open:
            cap = 0.0
        arcs.append(
            FlowArc(
                lid,
                str(r["from_node_id"]),
                str(r["to_node_id"]),
                capacity=cap * scale,
                cost=float(r["tariff"]),
            )
        )
        link_ids.append(lid)

    commodities: list[Commodity] = []
    for c in contracts:
        cid = f"{carrier}:{c.id}"
        amount = c.volume * scale
        for sup in supply.values():  # the contract comes out of the origin's general supply
            if c.origin in sup:
                sup[c.origin] = max(0.0, sup[c.origin] - amount)
        sink = f"{MARKET}:{c.id}"
        nodes.append(FlowNode(sink))
        for d in c.destinations:
            arcs.append(FlowArc(f"sell:{d}:{c.id}", d, sink, commodities=frozenset({cid})))
        commodities.append(Commodity(cid, {c.origin: amount}, {sink: amount}, value))
    general = frozenset(supply)
    if general:
        nodes.append(FlowNode(MARKET))
        for m in markets:
            arcs.append(FlowArc(f"sell:{m}", m, MARKET, commodities=general))
    for cid, sup in sorted(supply.items()):
        total = sum(sup.values())
        commodities.append(Commodity(cid, dict(sup), {MARKET: total}, value))
    return EnergyProblem(
        problem=FlowProblem(tuple(nodes), tuple(arcs), tuple(commodities)),
        carrier=carrier,
        year=year,
        period_days=period_days,
        link_ids=tuple(link_ids),
        node_ids=tuple(str(r["node_id"]) for r in node_rows),
        status=status,
    )


def _apply(cap: float, changes: Sequence[Change], carrier: str, grade: str) -> float:
    for ch in changes:
        if ch.capacity is not None and ch.capacity_unit is not None:
            cap = _per_year(ch.capacity, ch.capacity_unit, grade, carrier)
        if ch.capacity_factor is not None:
            cap = cap * ch.capacity_factor
    return cap
