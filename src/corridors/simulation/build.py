"""Turn a corridors network, an O-D demand and routes into a :class:`SimulationModel`.

Each origin-destination flow follows a route from :mod:`corridors.routing` (the
cheapest, or the cheapest on chosen corridors, or routes and shares you pass), so a
shipment follows real legs. The route's steps become resources:

========================================  ===============================================
route step                                simulation resource
========================================  ===============================================
``border`` at a node                      border station ``border:<node>``: lognormal
                                          time of mean ``border_h`` (node table; the
                                          CAREC CPMM averages, queue included) and
                                          coefficient of variation ``border_cv``; no
                                          server limit (``border_time="sojourn"``) or
                                          inspection lanes (``"service"``)
``transfer`` between two rail links       gauge-change station ``gauge:<node>``
``transfer`` to or from a ferry/sea link  port station ``port:<node>`` (cranes, yard)
other ``transfer``, ``terminal``          terminal station ``terminal:<node>``
ferry or sea link with ships (vessels)    ferry line ``ferry:<link>`` with its ships
rail link with ``trains_per_day`` or      single-track section ``section:<link>:<from>``
one track                                 (one train path every 24 / paths h), then
                                          the running time
other links                               pure travel time (route step hours)
========================================  ===============================================

Port yards: a ferry port whose node has ``yard_slots`` (wagons or TEU; blank:
unlimited), or that ``BuildOptions.yard_slots`` names, gets a
:class:`~corridors.simulation.model.Yard` of that many slots.

Station capacity: ``berths`` of the node (inspection lanes, cranes) when given, else
enough servers to process the node's ``trains_per_day`` (servers = ceil(trains per
day x mean time / 24)), else no limit (a random delay with no queue).

Shipments: containers run as block trains of ``teu_per_train`` TEU
(``wagons_per_train`` wagons; ~100 TEU a train, corridor-facts.md "Block trains
China -> Azerbaijan") for ``block_train_share`` of the TEU and as wagon groups for
the rest; bulk runs as wagon groups of ``wagons_per_group`` wagons of
``tonnes_per_wagon`` t; ``trucks`` demand runs as single trucks.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from corridors.assignment import DemandClass, assign_multiclass
from corridors.assignment.corridor import DEFAULT_MIN_DELAY_SCALE_H, corridor_graph
from corridors.errors import (
    DemandError,
    Problem,
    UnknownPlaceError,
    UnreachableError,
    did_you_mean,
)
from corridors.network.model import Network
from corridors.routing import CostParameters, Route, alternatives, build_graph, compare
from corridors.routing.paths import Path as ArcPath
from corridors.routing.routes import route_from_path
from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    HOURS_PER_YEAR,
    UNLIMITED,
    ArrivalProcess,
    Closure,
    Departure,
    Distribution,
    FerryLine,
    LeftOut,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    SimulationModelError,
    Station,
    StationKind,
    Step,
    WeatherArea,
    Yard,
    line_unit,
)
from corridors.simulation.results import RunResult, resource_table
from corridors.simulation.weather import CASPIAN_STORM_DAYS

__all__ = [
    "BuildOptions",
    "FlowKey",
    "build_model",
    "equilibrium_routes",
    "ferry_waits",
    "routes_for_demand",
]

log = logging.getLogger(__name__)

KNOTS_KM_H = 1.852
"""Kilometres per hour in one knot."""

CASPIAN_BBOX = (46.5, 36.5, 55.0, 47.5)
"""(lon min, lat min, lon max, lat max) of the Caspian Sea: ferry lines with both
ports inside close together in Caspian storms by default."""

RouteShares = Mapping[tuple[str, str], Sequence[tuple[Route, float]]]
"""Routes of each (origin, destination) node-id pair with the share of volume on each."""

FlowKey = tuple[str, str, str, str]
"""(origin node id, destination node id, commodity, unit) of a demand flow."""

RouteChoice = Literal["cheapest", "logit", "equilibrium"]
BorderTime = Literal["sojourn", "service"]

PENALTY_H = 1.0e6
"""Cost (hours) added in the equilibrium to arcs a class may not use (another corridor,
a ship that does not carry its units); flows with no other route are left out first."""


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How a network and a demand become a simulation model.

    Attributes
    ----------
    days : float
        Simulated days.
    warmup_days : float
        Days left out of the statistics at the start.
    corridors : tuple of str, optional
        Route each O-D pair on the cheapest of these corridors (default: the
        cheapest route of all); pairs with no such route are left out (logged).
    teu_per_train, wagons_per_train : float, int
        Size of a container block train (TEU, wagons).
    block_train_share : float
        Share of container TEU running in block trains; the rest in wagon groups.
    wagons_per_group : int
        Wagons in a wagon group.
    tonnes_per_wagon : float
        Payload of a bulk wagon, t.
    teu_per_wagon : float
        TEU on a container wagon.
    tonnes_per_teu : float
        Payload of a TEU, t (converts container demand given in tonnes).
    tonnes_per_truck : float
        Payload of a truck, t.
    block_train_arrivals, wagon_group_arrivals, truck_arrivals : str
        ``timetable`` (evenly spaced) or ``poisson``.
    border_cv, handling_cv : float
        Coefficient of variation of border clearance (lognormal) and of handling
        and gauge change (gamma) times.
    section_paths_per_day : float
        Train paths a day on a single-track link with no ``trains_per_day``.
    ferry_departure : str
        ``when_full`` or ``timetable`` (headway from the link's ``headway_h`` or
        ``sailings_per_week``).
    ferry_max_wait_h, ferry_empty_wait_h : float
        Maximum wait at berth after the first unit boarded, and before an empty
        ship repositions, hours.
    ferry_berths : int
        Berths per ferry port and line.
    storm_days_per_month : tuple of 12 float
        Storm days per month on the Caspian.
    storm_mean_h : float
        Mean length of a storm closure, hours. Default 96 h: ASCO halts ~3-5 days
        per storm event (corridor-facts.md, "Caspian weather"), the middle of it.
    weather : tuple of WeatherArea, optional
        Weather areas (default: one Caspian area with the ports of every ferry line
        inside :data:`CASPIAN_BBOX`; ``()`` for none).
    closures : tuple of Closure
        Maintenance windows on nodes, links, stations or ferry lines.
    year : int, optional
        Use only demand rows of this year.
    route_choice : str
        ``cheapest`` or ``logit`` (see :func:`routes_for_demand`), or
        ``equilibrium``: routes and shares of the capacity-constrained equilibrium
        assignment of the same demand (see :func:`equilibrium_routes`).
    k_routes : int
        Alternatives per corridor for ``logit``.
    logit_scale_usd : float
        Spread of the logit, USD per TEU.
    equilibrium_gap : float
        Relative gap the equilibrium assignment is solved to (``equilibrium``).
    fleet_capacity : bool
        ``equilibrium``: a ferry or feeder link with ships in ``vessel.csv`` gets,
        per direction, the capacity its fleet can lift in a year (see
        :meth:`_Builder.fleet_capacity_t`) instead of the link's
        ``capacity_t_yr``, so the route choice sees the capacity the simulation has.
    feedback_rounds : int
        ``equilibrium``: rounds of simulation feedback. Each round simulates the
        model once, takes the mean wait for a ship at each ferry port, averages it
        with the earlier rounds (method of successive averages) and assigns again
        with that wait added to the ferry link, so the route choice sees the queues
        the fleet really produces (the BPR delay of the assignment is a guess for
        roads, not ferries). 0: no feedback.
    feedback_seed : int
        Seed of the feedback runs (round ``n`` uses ``SeedSequence([seed, n])``).
    border_time : str
        What a node's ``border_h`` is. ``sojourn`` (default): the whole time at the
        crossing, queue included, as the CAREC CPMM averages are measured; the
        border station then has no server limit (a random delay of mean
        ``border_h``), so no queue is added on top; border capacity acts in the
        route choice (``equilibrium``). ``service``: the clearance time at one of
        the node's lanes (``berths``, else from ``trains_per_day``); queueing
        comes on top.
    yard_slots : tuple of (str, int)
        Port yard capacities ``(node id, slots)`` (wagons or TEU) that replace the
        node table's ``yard_slots``; a port with neither has an unlimited yard.
    port_handling_h : float, optional
        Handling time at a port where a ship is boarded or left, hours. Default 8 h
        (ferry handling 6-8 h, SEANEWS-2021 in corridor-facts.md): the node's
        ``handling_h`` may include the wait for ferry space, which the simulation
        produces itself. ``None``: the node's ``handling_h``.
    """

    days: float = 365.0
    warmup_days: float = 0.0
    corridors: tuple[str, ...] | None = None
    teu_per_train: float = 100.0
    wagons_per_train: int = 50
    block_train_share: float = 1.0
    wagons_per_group: int = 25
    tonnes_per_wagon: float = 60.0
    teu_per_wagon: float = 2.0
    tonnes_per_teu: float = 10.0
    tonnes_per_truck: float = 20.0
    block_train_arrivals: ArrivalProcess = "poisson"
    wagon_group_arrivals: ArrivalProcess = "poisson"
    truck_arrivals: ArrivalProcess = "poisson"
    border_cv: float = 0.8
    handling_cv: float = 0.5
    section_paths_per_day: float = 24.0
    ferry_departure: Departure = "when_full"
    ferry_max_wait_h: float = 48.0
    ferry_empty_wait_h: float = 6.0
    ferry_berths: int = 1
    storm_days_per_month: tuple[float, ...] = CASPIAN_STORM_DAYS
    storm_mean_h: float = 96.0
    weather: tuple[WeatherArea, ...] | None = None
    closures: tuple[Closure, ...] = ()
    year: int | None = None
    route_choice: RouteChoice = "cheapest"
    k_routes: int = 3
    logit_scale_usd: float = 300.0
    equilibrium_gap: float = 1e-4
    fleet_capacity: bool = True
    feedback_rounds: int = 0
    feedback_seed: int = 0
    border_time: BorderTime = "sojourn"
    port_handling_h: float | None = 8.0
    yard_slots: tuple[tuple[str, int], ...] = ()


def _num(value: object) -> float:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return v


def _hours(value: object) -> float:
    """A time in hours from a table cell; blank counts as 0."""
    v = _num(value)
    return 0.0 if math.isnan(v) else v


def _servers(node: pd.Series, mean_h: float) -> int:
    """Servers of a node station: berths/lanes, else from trains a day, else unlimited."""
    berths = _num(node.get("berths"))
    if berths > 0:
        return int(berths)
    tpd = _num(node.get("trains_per_day"))
    if tpd > 0 and mean_h > 0:
        return max(1, math.ceil(tpd * mean_h / 24.0 - 1e-9))
    return UNLIMITED


def routes_for_demand(
    network: Network,
    pairs: Sequence[tuple[str, str]],
    *,
    corridors: Sequence[str] | None = None,
    params: CostParameters | None = None,
    choice: Literal["cheapest", "logit"] = "cheapest",
    k: int = 3,
    logit_scale_usd: float = 300.0,
) -> dict[tuple[str, str], list[tuple[Route, float]]]:
    """Routes and shares of each O-D pair, optionally restricted to some corridors.

    Parameters
    ----------
    network : Network
        The network.
    pairs : sequence of (origin, destination)
        Node ids.
    corridors : sequence of str, optional
        Allowed corridors (a route may use a corridor's links and shared links).
    params : CostParameters, optional
        Routing parameters (default per TEU).
    choice : str
        ``cheapest``: all volume on the least-cost route. ``logit``: volume shared
        over the ``k`` least-cost routes (on each allowed corridor) in proportion to
        ``exp(-generalised cost / logit_scale_usd)``; shares under 1% are dropped.
    k : int
        Alternatives considered per corridor (``logit``).
    logit_scale_usd : float
        Spread of the logit, USD per TEU: routes this much dearer get e^-1 times
        the share.

    Returns
    -------
    dict
        ``{(origin, destination): [(route, share), ...]}``; pairs no allowed
        corridor connects are left out (logged).
    """
    params = params or CostParameters(unit="TEU")
    graph = build_graph(network, params)
    wanted: tuple[str | None, ...] = tuple(corridors) if corridors is not None else (None,)
    out: dict[tuple[str, str], list[tuple[Route, float]]] = {}
    for o, d in dict.fromkeys(pairs):
        found: dict[tuple[str, ...], Route] = {}
        for c in wanted:
            try:
                if choice == "logit":
                    routes = alternatives(network, o, d, k=k, params=params, corridor=c)
                else:
                    routes = compare(
                        network,
                        o,
                        d,
                        params=params,
                        graph=graph,
                        corridors=None if c is None else (c,),
                    )
            except UnreachableError as exc:
                log.info("no route %s -> %s on %s: %s", o, d, c or "any corridor", exc)
                continue
            for route in routes:
                labelled = replace(route, corridor=c) if c is not None else route
                found.setdefault(labelled.link_ids, labelled)
        if not found:
            continue
        ranked = sorted(found.values(), key=lambda r: r.generalised_cost_usd)
        if choice != "logit":
            out[(o, d)] = [(ranked[0], 1.0)]
            continue
        best = ranked[0].generalised_cost_usd
        weights = [math.exp(-(r.generalised_cost_usd - best) / logit_scale_usd) for r in ranked]
        total = sum(weights)
        kept = [(r, w / total) for r, w in zip(ranked, weights, strict=True) if w / total >= 0.01]
        norm = sum(w for _, w in kept)
        out[(o, d)] = [(r, w / norm) for r, w in kept]
    return out


class _Builder:
    def __init__(self, network: Network, options: BuildOptions) -> None:
        self.net = network
        self.opt = options
        self.links = network.links.set_index("link_id", drop=False)
        self.stations: dict[str, Station] = {}
        self.lines: dict[str, FerryLine] = {}
        vessels = network.vessels
        self.vessels: dict[str, pd.DataFrame] = (
            {str(k): v for k, v in vessels.groupby("link_id", sort=False)} if len(vessels) else {}
        )

    def node(self, node_id: str) -> pd.Series:
        """The node table row of ``node_id``."""
        return self.net.nodes.iloc[self.net.node_index[node_id]]

    # -- resources -----------------------------------------------------------------------
    def _node_station(
        self,
        prefix: str,
        kind: StationKind,
        node_id: str,
        mean_h: float,
        dist: Distribution,
        *,
        servers: int | None = None,
    ) -> str:
        sid = f"{prefix}:{node_id}"
        if sid not in self.stations:
            node = self.node(node_id)
            n = _servers(node, mean_h) if servers is None else servers
            self.stations[sid] = Station(
                sid, kind, n, dist, name=f"{node['name']} ({kind})", node_id=node_id
            )
        return sid

    def _handling(self, h: float) -> Distribution:
        return Distribution.gamma(h, self.opt.handling_cv)

    def _ferry_line(self, link_id: str) -> FerryLine | None:
        if link_id in self.lines:
            return self.lines[link_id]
        line = self._make_line(link_id)
        if line is not None:
            self.lines[link_id] = line
        return line

    def blocked_links(self, commodity: str, unit: str) -> frozenset[str]:
        """Ferry and sea links whose ships cannot carry this commodity's shipments."""
        probes = self.generators(
            "", "", commodity=commodity, volume=1.0, unit=unit, itinerary=(), corridor="", share=1.0
        )
        out = set()
        for link_id in self.vessels:
            line = self._make_line(link_id)
            if line is not None and any(line_unit(line, g) is None for g in probes):
                out.add(link_id)
        return frozenset(out)

    def fleet_capacity_t(self, tonnes_per_wagon: float | None = None) -> dict[str, float]:
        """Tonnes a year each ferry or feeder link's fleet can lift in one direction.

        Per ship: payload per sailing (``capacity_wagons`` x ``tonnes_per_wagon`` (the
        argument: e.g. the demand's mean tonnes per wagon; default the option), else
        ``capacity_teu`` x ``tonnes_per_teu``; truck decks are left out) x round trips a
        year, a round trip being ``2 x sail + load + unload`` hours (loaded one way,
        back empty, as the simulated ships do with no return cargo) within the hours
        the ports are open (the year minus the storm days of the Caspian lines). An
        upper bound: every sailing full one way, no wait for cargo.
        """
        storm_h = 24.0 * sum(self.opt.storm_days_per_month)
        caspian = {p for w in self.weather_for(self.vessels) for p in w.ports}
        out: dict[str, float] = {}
        for link_id in self.vessels:
            line = self._make_line(link_id)
            if line is None:
                continue
            open_h = HOURS_PER_YEAR - (storm_h if line.port_a in caspian else 0.0)
            total = 0.0
            for ship in line.ships:
                payload = (
                    ship.capacity_wagons * (tonnes_per_wagon or self.opt.tonnes_per_wagon)
                    or ship.capacity_teu * self.opt.tonnes_per_teu
                )
                cycle = 2.0 * line.sail_h + ship.load_h + ship.unload_h
                total += payload * open_h / cycle if cycle > 0 else 0.0
            out[link_id] = total
        return out

    def _make_line(self, link_id: str) -> FerryLine | None:
        ships_rows = self.vessels.get(link_id)
        if ships_rows is None or not len(ships_rows):
            return None
        link = self.links.loc[link_id]
        ships: list[Ship] = []
        speeds: list[float] = []
        for j, (_, v) in enumerate(ships_rows.iterrows()):

            def cap(col: str, row: pd.Series = v) -> int:
                x = _num(row.get(col))
                return int(x) if x > 0 else 0

            ships.append(
                Ship(
                    ship_id=str(v["vessel_id"]),
                    name=str(v.get("name", "")),
                    capacity_wagons=cap("capacity_wagons"),
                    capacity_teu=cap("capacity_teu"),
                    capacity_trucks=cap("capacity_trucks"),
                    load_h=_hours(v.get("load_h")),
                    unload_h=_hours(v.get("unload_h")),
                    start_side="a" if j % 2 == 0 else "b",
                )
            )
            if _num(v.get("speed_kn")) > 0:
                speeds.append(_num(v.get("speed_kn")))
        sail = _num(link.get("time_h"))
        if not sail > 0:
            km = _num(link.get("km"))
            if km > 0 and speeds:
                sail = km / (sum(speeds) / len(speeds) * KNOTS_KM_H)
            else:
                sail = km / 25.0 if km > 0 else 24.0
        headway = _num(link.get("headway_h"))
        if not headway > 0 and _num(link.get("sailings_per_week")) > 0:
            headway = 168.0 / _num(link.get("sailings_per_week"))
        departure: Departure = self.opt.ferry_departure
        if departure == "timetable" and not headway > 0:
            departure = "when_full"
        return FerryLine(
            line_id=f"ferry:{link_id}",
            port_a=str(link["from_node_id"]),
            port_b=str(link["to_node_id"]),
            sail_h=sail,
            ships=tuple(ships),
            departure=departure,
            max_wait_h=self.opt.ferry_max_wait_h,
            headway_h=headway if headway > 0 else None,
            empty_wait_h=self.opt.ferry_empty_wait_h,
            berths=self.opt.ferry_berths,
            name=str(link.get("name") or link_id),
            link_id=link_id,
        )

    def yards(self) -> tuple[Yard, ...]:
        """Finite yards of the ports of the model's ferry lines (node table, options)."""
        override = dict(self.opt.yard_slots)
        ports = {p for line in self.lines.values() for p in (line.port_a, line.port_b)}
        out: list[Yard] = []
        for port in sorted(ports):
            slots = override.get(port)
            if slots is None:
                x = _num(self.node(port).get("yard_slots"))
                slots = int(x) if x > 0 else None
            if slots is not None:
                out.append(Yard(port, int(slots), name=str(self.node(port)["name"])))
        return tuple(out)

    def itinerary(self, route: Route) -> tuple[Step, ...]:
        steps: list[Step] = []
        rs = route.steps
        for i, st in enumerate(rs):
            if st.kind == "link":
                steps.extend(self._link_steps(st))
                continue
            node = str(st.node_id)
            h = float(st.hours)
            if st.kind == "border":
                sid = self._node_station(
                    "border",
                    "border",
                    node,
                    h,
                    Distribution.lognormal(h, self.opt.border_cv),
                    servers=UNLIMITED if self.opt.border_time == "sojourn" else None,
                )
            elif st.kind == "transfer":
                prev = next(
                    (rs[j].mode for j in range(i - 1, -1, -1) if rs[j].kind == "link"), None
                )
                nxt = next(
                    (rs[j].mode for j in range(i + 1, len(rs)) if rs[j].kind == "link"), None
                )
                modes = {prev, nxt}
                if modes & {"ferry", "sea"}:
                    if self.opt.port_handling_h is not None:
                        h = self.opt.port_handling_h
                    sid = self._node_station("port", "port", node, h, self._handling(h))
                elif modes == {"rail"}:
                    sid = self._node_station("gauge", "transshipment", node, h, self._handling(h))
                else:
                    sid = self._node_station("terminal", "terminal", node, h, self._handling(h))
            else:
                sid = self._node_station("terminal", "terminal", node, h, self._handling(h))
            steps.append(Step.station(sid))
        return tuple(steps)

    def _link_steps(self, st: object) -> list[Step]:
        from corridors.routing import Step as RouteStep  # noqa: PLC0415

        assert isinstance(st, RouteStep)
        link_id = str(st.link_id)
        run_h = max(0.0, float(st.hours) - float(st.wait_h))
        if st.mode in ("ferry", "sea"):
            line = self._ferry_line(link_id)
            if line is not None:
                return [Step.ferry(line.line_id, from_node=str(st.from_node_id))]
            return [Step.delay(float(st.hours), link_id=link_id)]
        if st.mode == "rail":
            link = self.links.loc[link_id]
            tpd = _num(link.get("trains_per_day"))
            tracks = _num(link.get("tracks"))
            if not tpd > 0 and tracks == 1:
                tpd = self.opt.section_paths_per_day
            if tpd > 0:
                sid = f"section:{link_id}:{st.from_node_id}"
                if sid not in self.stations:
                    self.stations[sid] = Station(
                        sid,
                        "section",
                        1,
                        Distribution.fixed(24.0 / tpd),
                        name=f"{link.get('name') or link_id} from {st.from_node_id}",
                        link_id=link_id,
                    )
                return [Step.station(sid), Step.delay(run_h, link_id=link_id)]
        return [Step.delay(float(st.hours), link_id=link_id)]

    # -- shipments -----------------------------------------------------------------------
    def carried(self, g: ShipmentGenerator) -> bool:
        """Every ferry line of the itinerary has ships that carry the shipment's units."""
        lines = {f.line_id: f for f in self.lines.values()}
        return all(
            line_unit(lines[st.target], g) is not None for st in g.itinerary if st.kind == "ferry"
        )

    def generators(
        self,
        o: str,
        d: str,
        *,
        commodity: str,
        volume: float,
        unit: str,
        itinerary: tuple[Step, ...],
        corridor: str,
        share: float,
        tag: str = "",
    ) -> list[ShipmentGenerator]:
        opt = self.opt
        vol = volume * share
        base = f"{o}>{d}:{corridor}{':' + tag if tag else ''}:{commodity}"
        common: dict[str, Any] = {
            "origin": o,
            "destination": d,
            "itinerary": itinerary,
            "corridor": corridor,
        }
        out: list[ShipmentGenerator] = []
        per_year = HOURS_PER_YEAR / 24.0
        if commodity == "trucks":
            tonnes = vol if unit == "t" else vol * opt.tonnes_per_teu
            n = tonnes / opt.tonnes_per_truck
            out.append(
                ShipmentGenerator(
                    f"{base}:truck",
                    kind="truck",
                    trucks=1,
                    tonnes=opt.tonnes_per_truck,
                    teu=0.0 if unit == "t" else opt.tonnes_per_truck / opt.tonnes_per_teu,
                    arrivals=opt.truck_arrivals,
                    per_day=n / per_year,
                    **common,
                )
            )
            return out
        if commodity == "containers":
            teu = vol if unit == "TEU" else vol / opt.tonnes_per_teu
            trains = teu * opt.block_train_share / opt.teu_per_train
            if trains > 0:
                out.append(
                    ShipmentGenerator(
                        f"{base}:block_train",
                        kind="block_train",
                        wagons=opt.wagons_per_train,
                        teu=opt.teu_per_train,
                        tonnes=opt.teu_per_train * opt.tonnes_per_teu,
                        arrivals=opt.block_train_arrivals,
                        per_day=trains / per_year,
                        offset_h=(hash_fraction(base) * 24.0 * per_year / trains) % HOURS_PER_YEAR,
                        **common,
                    )
                )
            rest = teu * (1.0 - opt.block_train_share)
            if rest > 0:
                group_teu = opt.wagons_per_group * opt.teu_per_wagon
                out.append(
                    ShipmentGenerator(
                        f"{base}:wagon_group",
                        kind="wagon_group",
                        wagons=opt.wagons_per_group,
                        teu=group_teu,
                        tonnes=group_teu * opt.tonnes_per_teu,
                        arrivals=opt.wagon_group_arrivals,
                        per_day=rest / group_teu / per_year,
                        **common,
                    )
                )
            return out
        tonnes = vol if unit == "t" else vol * opt.tonnes_per_teu
        group_t = opt.wagons_per_group * opt.tonnes_per_wagon
        if tonnes > 0:
            out.append(
                ShipmentGenerator(
                    f"{base}:wagon_group",
                    kind="wagon_group",
                    wagons=opt.wagons_per_group,
                    tonnes=group_t,
                    arrivals=opt.wagon_group_arrivals,
                    per_day=tonnes / group_t / per_year,
                    **common,
                )
            )
        return out

    def weather(self) -> tuple[WeatherArea, ...]:
        return self.weather_for(self.lines)

    def weather_for(self, link_ids: Mapping[str, object]) -> tuple[WeatherArea, ...]:
        """Weather areas over the ferry lines of ``link_ids``."""
        if self.opt.weather is not None:
            return self.opt.weather
        lon0, lat0, lon1, lat1 = CASPIAN_BBOX
        ports: list[str] = []
        lines = [x for x in (self.lines.get(k) or self._make_line(k) for k in link_ids) if x]
        for line in lines:
            ends = [self.node(p) for p in (line.port_a, line.port_b)]
            if all(
                lon0 <= float(n["x_coord"]) <= lon1 and lat0 <= float(n["y_coord"]) <= lat1
                for n in ends
            ):
                ports.extend(p for p in (line.port_a, line.port_b) if p not in ports)
        if not ports:
            return ()
        return (
            WeatherArea(
                "caspian",
                tuple(ports),
                tuple(self.opt.storm_days_per_month),
                mean_event_h=self.opt.storm_mean_h,
            ),
        )


def hash_fraction(text: str) -> float:
    """A stable number in [0, 1) from a text (spreads timetables of different flows)."""
    h = 2166136261
    for b in text.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h / 2**32


def build_model(
    network: Network,
    demand: pd.DataFrame,
    *,
    options: BuildOptions | None = None,
    routes: RouteShares | None = None,
    params: CostParameters | None = None,
    name: str = "",
) -> SimulationModel:
    """Build a simulation model from a network, an O-D demand and routes.

    Parameters
    ----------
    network : Network
        The network (``read_network``).
    demand : pandas.DataFrame
        DEMAND table (:func:`corridors.demand.read_demand`): origin, destination,
        commodity, volume a year, unit (TEU or t), year.
    options : BuildOptions, optional
        Shipment sizes, service-time variability, ferry rule, weather, closures.
    routes : mapping, optional
        Routes and shares per (origin, destination) node-id pair, e.g. from an
        assignment; default: :func:`routes_for_demand`.
    params : CostParameters, optional
        Routing parameters (default: per TEU).
    name : str
        Model name.

    Returns
    -------
    SimulationModel
        Validated model.

    Raises
    ------
    DemandError
        If demand names places the network does not know (with suggestions) or no
        demand row can be routed.
    SimulationModelError
        If the resulting model is invalid (e.g. a ship with negative capacity).
    """
    opt = options or BuildOptions()
    yard_problems = yard_slot_problems(network, opt.yard_slots)
    if yard_problems:
        raise SimulationModelError(yard_problems, what="build options")
    file = str(demand.attrs.get("file", "demand"))
    lines = (
        demand["_line"].tolist()
        if "_line" in demand.columns
        else [i + 2 for i in range(len(demand))]
    )
    problems: list[Problem] = []
    flows: dict[tuple[str, str, str, str], float] = {}
    for line, (_, row) in zip(lines, demand.iterrows(), strict=True):
        if (
            opt.year is not None
            and _num(row.get("year")) == _num(row.get("year"))
            and int(_num(row.get("year"))) != opt.year
        ):
            continue
        ends = []
        for col in ("origin", "destination"):
            try:
                ends.append(network.place(str(row[col])))
            except UnknownPlaceError as exc:
                hint = (
                    "did you mean " + " or ".join(repr(s) for s in exc.suggestions) + "?"
                    if exc.suggestions
                    else None
                )
                problems.append(
                    Problem(
                        file, int(line), col, str(row[col]), "unknown place in the network", hint
                    )
                )
        volume = _num(row.get("volume"))
        if not volume >= 0:
            problems.append(
                Problem(
                    file,
                    int(line),
                    "volume",
                    str(row.get("volume")),
                    "volume must be a number >= 0",
                )
            )
        if len(ends) == 2 and volume > 0:
            if ends[0] == ends[1]:
                problems.append(
                    Problem(
                        file,
                        int(line),
                        "destination",
                        str(row["destination"]),
                        "origin and destination are the same place",
                    )
                )
                continue
            key = (
                ends[0],
                ends[1],
                str(row.get("commodity") or "containers"),
                str(row.get("unit") or "TEU"),
            )
            flows[key] = flows.get(key, 0.0) + volume
    if problems:
        raise DemandError(problems, what=file)
    rounds = opt.feedback_rounds if routes is None and opt.route_choice == "equilibrium" else 0
    builder = _Builder(network, opt)
    blocked = {key: builder.blocked_links(key[2], key[3]) for key in flows}
    capacities = (
        builder.fleet_capacity_t(_tonnes_per_wagon(builder, flows)) if opt.fleet_capacity else None
    )

    def choose(
        extra_h: Mapping[tuple[str, str], float] | None,
    ) -> dict[FlowKey, list[tuple[Route, float]]]:
        if routes is not None:
            return {key: list(routes.get((key[0], key[1]), ())) for key in flows}
        return _choose_routes(
            network, flows, blocked, opt, params, capacities_t=capacities, extra_h=extra_h
        )

    chosen = choose(None)
    model = _assemble(network, flows, opt, chosen, file=file, name=name, quiet=rounds > 0)
    for n in range(1, rounds + 1):
        run = simulate(model, seed=np.random.SeedSequence([opt.feedback_seed, n]))
        waits = ferry_waits(run)
        log.info(
            "feedback round %d: ferry waits %s",
            n,
            {f"{k[0]}@{k[1]}": round(v, 1) for k, v in sorted(waits.items())},
        )
        chosen = _average_routes(chosen, choose(waits), 1.0 / (n + 1))
        model = _assemble(network, flows, opt, chosen, file=file, name=name, quiet=n < rounds)
    ports = {p for f in model.ferry_lines for p in (f.port_a, f.port_b)}
    for node, _ in opt.yard_slots:
        if node not in ports:
            log.warning("yard_slots: %r is not a port of a ferry line of the model; ignored", node)
    return model


def yard_slot_problems(network: Network, yard_slots: Sequence[tuple[str, int]]) -> list[Problem]:
    """Problems with yard capacities ``(node id, slots)``: unknown node, slots < 1.

    Parameters
    ----------
    network : Network
        The network whose node ids are valid.
    yard_slots : sequence of (str, int)
        Yard capacities (wagons or TEU) by node id.

    Returns
    -------
    list of Problem
        Empty when every entry names a node of the network and has slots >= 1.
    """
    out: list[Problem] = []
    nodes = list(network.node_index)
    for node, slots in yard_slots:
        if node not in network.node_index:
            out.append(
                Problem(
                    "build options",
                    None,
                    "yard_slots",
                    f"{node}={slots}",
                    f"unknown node {node!r}",
                    did_you_mean(node, nodes),
                )
            )
        if isinstance(slots, bool) or not isinstance(slots, int) or slots < 1:
            out.append(
                Problem(
                    "build options",
                    None,
                    "yard_slots",
                    f"{node}={slots}",
                    "yard capacity must be a whole number >= 1 (wagons or TEU)",
                )
            )
    return out


def _average_routes(
    old: Mapping[FlowKey, list[tuple[Route, float]]],
    new: Mapping[FlowKey, list[tuple[Route, float]]],
    step: float,
) -> dict[FlowKey, list[tuple[Route, float]]]:
    """Method of successive averages on route shares: ``(1 - step) old + step new``."""
    out: dict[FlowKey, list[tuple[Route, float]]] = {}
    for key in set(old) | set(new):
        acc: dict[tuple[str, ...], tuple[Route, float]] = {}
        for weight, table in ((1.0 - step, old), (step, new)):
            for route, share in table.get(key, ()):
                prev = acc.get(route.link_ids)
                acc[route.link_ids] = (route, (prev[1] if prev else 0.0) + weight * share)
        total = sum(w for _, w in acc.values())
        if total > 0:
            out[key] = sorted(((r, w / total) for r, w in acc.values()), key=lambda x: -x[1])
    return out


def ferry_waits(run: RunResult) -> dict[tuple[str, str], float]:
    """Mean wait for a ship of each ferry line and port in a run, hours.

    The mean wait before a port whose yard was full (``yard:<node>``) is added to
    every line boarding there.

    Returns
    -------
    dict
        ``{(link_id, port node id): mean wait h}`` over the boardings whose wait ended.
    """
    table = resource_table(run)
    out: dict[tuple[str, str], float] = {}
    yard_wait: dict[str, float] = {}
    for node, kind, wait in zip(table["node_id"], table["kind"], table["mean_wait_h"], strict=True):
        if kind == "yard" and math.isfinite(float(wait)):
            yard_wait[str(node)] = float(wait)
    for res, kind, wait in zip(table["resource"], table["kind"], table["mean_wait_h"], strict=True):
        rid = str(res)
        if kind != "ferry" or not rid.startswith("ferry:") or "@" not in rid:
            continue
        w = float(wait)
        if math.isfinite(w):
            port = rid[rid.rindex("@") + 1 :]
            out[(rid[len("ferry:") : rid.rindex("@")], port)] = w + yard_wait.get(port, 0.0)
    return out


def _assemble(
    network: Network,
    flows: Mapping[FlowKey, float],
    opt: BuildOptions,
    flow_routes: Mapping[FlowKey, list[tuple[Route, float]]],
    *,
    file: str,
    name: str,
    quiet: bool,
) -> SimulationModel:
    """Resources and generators of the flows on their routes: the validated model."""
    builder = _Builder(network, opt)
    left_out: list[LeftOut] = []
    notes: list[str] = []
    generators: list[ShipmentGenerator] = []
    for key, volume in flows.items():
        o, d, commodity, unit = key
        options_od = [(r, w) for r, w in flow_routes.get(key, ()) if w > 0]
        if not options_od:
            left_out.append(
                LeftOut(
                    o,
                    d,
                    commodity,
                    volume,
                    unit,
                    "no route on the corridors asked for that carries these units",
                )
            )
            continue
        # keep the routes whose ships can carry this commodity's shipments
        usable: list[tuple[list[ShipmentGenerator], float]] = []
        for j, (route, share) in enumerate(options_od):
            tag = f"r{j + 1}" if len(options_od) > 1 else ""
            gens = builder.generators(
                o,
                d,
                commodity=commodity,
                volume=volume,
                unit=unit,
                itinerary=builder.itinerary(route),
                corridor=route.corridor,
                share=1.0,
                tag=tag,
            )
            if all(builder.carried(g) for g in gens):
                usable.append((gens, share))
            else:
                left_out.append(
                    LeftOut(
                        o,
                        d,
                        commodity,
                        volume * share,
                        unit,
                        f"route via {', '.join(route.link_ids)}: no ship of a ferry line on it "
                        "carries these units",
                    )
                )
        total = sum(w for _, w in options_od)
        for gens, share in usable:
            # volume of routes left out is reported, not moved onto the others
            generators.extend(replace(g, per_day=g.per_day * share / total) for g in gens)
    for x in left_out:
        notes.append(
            f"{x.origin}>{x.destination} {x.commodity}: {x.volume:,.0f} {x.unit}/yr "
            f"left out: {x.reason}"
        )
    for note in notes:
        if not quiet:
            log.warning(note)
    if left_out and not quiet:
        totals = ", ".join(
            f"{v:,.0f} {u}"
            for u, v in sorted(
                {
                    x.unit: sum(y.volume for y in left_out if y.unit == x.unit) for x in left_out
                }.items()
            )
        )
        log.warning(
            "%d demand flows (or parts) left out of the simulation: %s a year",
            len(left_out),
            totals,
        )
    if not generators:
        raise DemandError(
            [
                Problem(
                    file,
                    None,
                    None,
                    None,
                    "no demand row could be routed on the corridors asked for"
                    + (f" ({', '.join(opt.corridors)})" if opt.corridors else ""),
                )
            ],
            what=file,
        )
    ids: dict[str, int] = {}
    unique: list[ShipmentGenerator] = []
    for g in generators:  # same O-D and corridor from several rows: keep ids unique
        n = ids.get(g.generator_id, 0)
        ids[g.generator_id] = n + 1
        unique.append(replace(g, generator_id=f"{g.generator_id}#{n + 1}") if n else g)
    model = SimulationModel(
        stations=tuple(builder.stations.values()),
        ferry_lines=tuple(builder.lines.values()),
        generators=tuple(unique),
        weather=builder.weather(),
        closures=tuple(opt.closures),
        horizon_h=opt.days * 24.0,
        warmup_h=opt.warmup_days * 24.0,
        name=name or network.name,
        notes=tuple(notes),
        left_out=tuple(left_out),
        yards=builder.yards(),
    )
    return model.validate()


def _tonnes_per_wagon(builder: _Builder, flows: Mapping[FlowKey, float]) -> float:
    """Mean tonnes per rail wagon of the demand's shipments (bulk and container wagons)."""
    tonnes = wagons = 0.0
    for (_, _, commodity, unit), volume in flows.items():
        for g in builder.generators(
            "",
            "",
            commodity=commodity,
            volume=volume,
            unit=unit,
            itinerary=(),
            corridor="",
            share=1.0,
        ):
            n = g.per_day * HOURS_PER_YEAR / 24.0
            if g.wagons > 0:
                tonnes += n * g.tonnes
                wagons += n * g.wagons
    return tonnes / wagons if wagons > 0 else builder.opt.tonnes_per_wagon


def _choose_routes(
    network: Network,
    flows: Mapping[FlowKey, float],
    blocked: Mapping[FlowKey, frozenset[str]],
    opt: BuildOptions,
    params: CostParameters | None,
    *,
    capacities_t: Mapping[str, float] | None = None,
    extra_h: Mapping[tuple[str, str], float] | None = None,
) -> dict[FlowKey, list[tuple[Route, float]]]:
    """Routes and shares of each flow, among routes whose ships carry its units.

    Flows are grouped by the links their units cannot use (a container feeder for dry
    bulk); each group's alternatives are generated on the network without those links,
    so the ``k`` routes offered can all carry the cargo.
    """
    groups: dict[frozenset[str], list[FlowKey]] = {}
    for key in flows:
        groups.setdefault(blocked[key], []).append(key)
    cheapest: dict[FlowKey, list[tuple[Route, float]]] = {}
    choice: Literal["cheapest", "logit"] = "logit" if opt.route_choice == "logit" else "cheapest"
    for shut, keys in groups.items():
        net = network.with_closed(links=sorted(shut)) if shut else network
        found = routes_for_demand(
            net,
            [(k[0], k[1]) for k in keys],
            corridors=opt.corridors,
            params=params,
            choice=choice,
            k=opt.k_routes,
            logit_scale_usd=opt.logit_scale_usd,
        )
        for key in keys:
            if (key[0], key[1]) in found:
                cheapest[key] = found[(key[0], key[1])]
    if opt.route_choice != "equilibrium" or not cheapest:
        return cheapest
    return equilibrium_routes(
        network,
        {k: flows[k] for k in cheapest},
        corridors=opt.corridors,
        closed_links=blocked,
        params=params,
        gap=opt.equilibrium_gap,
        tonnes_per_teu=opt.tonnes_per_teu,
        capacities_t=capacities_t,
        extra_h=extra_h,
    )


def equilibrium_routes(
    network: Network,
    flows: Mapping[FlowKey, float],
    *,
    corridors: Sequence[str] | None = None,
    closed_links: Mapping[FlowKey, frozenset[str]] | None = None,
    params: CostParameters | None = None,
    gap: float = 1e-4,
    max_iter: int = 500,
    alpha: float = 0.15,
    beta: float = 4.0,
    min_delay_scale_h: float = DEFAULT_MIN_DELAY_SCALE_H,
    tonnes_per_teu: float = 10.0,
    min_share: float = 0.005,
    capacities_t: Mapping[str, float] | None = None,
    extra_h: Mapping[tuple[str, str], float] | None = None,
) -> dict[FlowKey, list[tuple[Route, float]]]:
    """Routes and shares of each flow at the capacity-constrained user equilibrium.

    The demand is assigned on the corridor network exactly as
    :func:`corridors.assignment.corridor.assign_corridors` does (same graph, BPR delay
    of every capacity group, multi-class bi-conjugate Frank-Wolfe with route
    tracking), with one class per commodity and set of closed links. Arcs a class may
    not use (links of other corridors when ``corridors`` is given, ``closed_links``
    of the flow, e.g. a container feeder for bulk) cost :data:`PENALTY_H` more for
    that class. Each used route becomes a :class:`corridors.routing.Route` (with
    its steps) and its share of the O-D volume of that class.

    Parameters
    ----------
    network : Network
        The network.
    flows : mapping
        Volume a year of each (origin, destination, commodity, unit) flow, in
        ``unit`` (TEU or t).
    corridors : sequence of str, optional
        Corridors the routes may use (their links and shared links).
    closed_links : mapping, optional
        Links each flow may not use.
    params : CostParameters, optional
        Routing parameters; default per tonne (``unit="t"``), as the Caspian ferry
        capacities are published in tonnes.
    gap, max_iter : float, int
        Relative gap to reach and most iterations.
    alpha, beta, min_delay_scale_h : float
        BPR parameters and the smallest delay scale of a capacity group, hours
        (as ``assign_corridors``).
    tonnes_per_teu : float
        Converts flows given in the other unit, t per TEU.
    min_share : float
        Routes with a smaller share are dropped (shares renormalised).
    capacities_t : mapping, optional
        Capacity per direction of some links, t a year, replacing the link table's
        (e.g. the lift of a ferry line's fleet).
    extra_h : mapping, optional
        Hours added to a link leaving a node, ``{(link_id, from node id): h}`` (e.g.
        the ferry waits a simulation measured; see ``BuildOptions.feedback_rounds``).

    Returns
    -------
    dict
        ``{flow: [(route, share), ...]}``; every flow of ``flows`` with a usable route.
    """
    params = params or CostParameters(unit="t", tonnes_per_teu=tonnes_per_teu)
    closed_links = closed_links or {}
    expanded = build_graph(network, params)
    if capacities_t:
        cap = expanded.group_capacity.copy()
        per_unit = params.tonnes_per_unit
        for g, label in enumerate(expanded.group_label):
            parts = label.split(":")
            if parts[0] == "link" and parts[1] in capacities_t:
                cap[g] = capacities_t[parts[1]] / per_unit
        expanded = replace(expanded, group_capacity=cap)
    zones = tuple(sorted({k[0] for k in flows} | {k[1] for k in flows}))
    zi = {z: i for i, z in enumerate(zones)}
    graph = corridor_graph(
        expanded, zones, alpha=alpha, beta=beta, min_delay_scale_h=min_delay_scale_h
    )
    vot = params.vot
    money_h = np.maximum(expanded.cost - vot * expanded.hours, 0.0) / vot
    if extra_h:
        index = expanded.network.link_index
        tail_node = expanded.network.nodes["node_id"].to_numpy()[
            expanded.vertex_node[expanded.tail]
        ]
        for (link_id, from_node), hours in extra_h.items():
            if link_id in index and hours > 0:
                money_h = money_h + np.where(
                    (expanded.arc_link == index[link_id]) & (tail_node == from_node), hours, 0.0
                )
    allowed = np.ones(expanded.n_arcs, dtype=bool)
    if corridors is not None:
        allowed = np.zeros(expanded.n_arcs, dtype=bool)
        for c in corridors:
            allowed |= expanded.corridor_mask(c)
    link_row = expanded.network.link_index  # the graph's network (operating links)
    class_of: dict[tuple[str, frozenset[str]], int] = {}
    classes: list[DemandClass] = []
    members: list[list[FlowKey]] = []
    for key, volume in flows.items():
        shut = closed_links.get(key, frozenset())
        ck = (key[2], shut)
        if ck not in class_of:
            rows = [link_row[x] for x in shut if x in link_row]
            bad = ~allowed | np.isin(expanded.arc_link, rows)
            fixed = np.asarray(money_h + np.where(bad, PENALTY_H, 0.0), dtype=np.float64)
            class_of[ck] = len(classes)
            name = key[2] if not shut else f"{key[2]} (not via {', '.join(sorted(shut))})"
            classes.append(DemandClass(name, np.zeros((len(zones), len(zones))), fixed))
            members.append([])
        k = class_of[ck]
        conv = 1.0
        if key[3] != params.unit:
            conv = params.tonnes_per_teu if key[3] == "TEU" else 1.0 / params.tonnes_per_teu
        classes[k].demand[zi[key[0]], zi[key[1]]] += volume * conv
        members[k].append(key)
    mc = assign_multiclass(graph, classes, gap=gap, max_iter=max_iter, keep_routes=True)
    log.info(
        "equilibrium of %d classes: %d iterations, gap %.2e", len(classes), mc.iterations, mc.gap
    )
    assert mc.routes is not None
    penal = PENALTY_H / 2.0
    out: dict[FlowKey, list[tuple[Route, float]]] = {}
    cache: dict[tuple[int, ...], Route] = {}
    for k, keys in enumerate(members):
        penalised = classes[k].fixed_cost
        assert penalised is not None
        by_od: dict[tuple[int, int], list[tuple[Route, float]]] = {}
        for r in mc.routes[k]:
            if r.share <= 0 or float(penalised[list(r.arcs)].max(initial=0.0)) > penal:
                continue
            route = cache.get(r.arcs)
            if route is None:
                route = route_from_path(expanded, ArcPath(r.arcs, 0.0))
                if corridors is not None and route.corridor not in corridors:
                    parts = [c for c in route.corridor.split("+") if c in corridors]
                    route = replace(route, corridor=parts[0] if parts else corridors[0])
                cache[r.arcs] = route
            by_od.setdefault((r.origin, r.destination), []).append((route, r.share))
        for key in keys:
            found = by_od.get((zi[key[0]], zi[key[1]]), [])
            kept = [(r, w) for r, w in found if w >= min_share]
            norm = sum(w for _, w in kept)
            if kept and norm > 0:
                out[key] = [(r, w / norm) for r, w in sorted(kept, key=lambda x: -x[1])]
    return out
