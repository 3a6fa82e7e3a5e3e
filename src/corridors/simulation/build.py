"""Turn a corridors network, an O-D demand and routes into a :class:`SimulationModel`.

Each origin-destination flow follows a route from :mod:`corridors.routing` (the
cheapest, or the cheapest on chosen corridors, or routes and shares you pass), so a
shipment follows real legs. The route's steps become resources:

========================================  ===============================================
route step                                simulation resource
========================================  ===============================================
``border`` at a node                      border station ``border:<node>``: inspection
                                          lanes, lognormal clearance time of mean
                                          ``border_h`` (node table; the CAREC CPMM
                                          averages) and coefficient of variation
                                          ``border_cv``
``transfer`` between two rail links       gauge-change station ``gauge:<node>``
``transfer`` to or from a ferry/sea link  port station ``port:<node>`` (cranes, yard)
other ``transfer``, ``terminal``          terminal station ``terminal:<node>``
ferry or sea link with ships (vessels)    ferry line ``ferry:<link>`` with its ships
rail link with ``trains_per_day`` or      single-track section ``section:<link>:<from>``
one track                                 (one train path every 24 / paths h), then
                                          the running time
other links                               pure travel time (route step hours)
========================================  ===============================================

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
from typing import Literal

import pandas as pd

from corridors.errors import DemandError, Problem, UnknownPlaceError, UnreachableError
from corridors.network.model import Network
from corridors.routing import CostParameters, Route, alternatives, build_graph, compare
from corridors.simulation.model import (
    HOURS_PER_YEAR,
    UNLIMITED,
    ArrivalProcess,
    Closure,
    Departure,
    Distribution,
    FerryLine,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    Station,
    StationKind,
    Step,
    WeatherArea,
    line_unit,
)
from corridors.simulation.weather import CASPIAN_STORM_DAYS

__all__ = ["BuildOptions", "build_model", "routes_for_demand"]

log = logging.getLogger(__name__)

KNOTS_KM_H = 1.852
"""Kilometres per hour in one knot."""

CASPIAN_BBOX = (46.5, 36.5, 55.0, 47.5)
"""(lon min, lat min, lon max, lat max) of the Caspian Sea: ferry lines with both
ports inside close together in Caspian storms by default."""

RouteShares = Mapping[tuple[str, str], Sequence[tuple[Route, float]]]
"""Routes of each (origin, destination) node-id pair with the share of volume on each."""


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
        Mean length of a storm closure, hours.
    weather : tuple of WeatherArea, optional
        Weather areas (default: one Caspian area with the ports of every ferry line
        inside :data:`CASPIAN_BBOX`; ``()`` for none).
    closures : tuple of Closure
        Maintenance windows on nodes, links, stations or ferry lines.
    year : int, optional
        Use only demand rows of this year.
    route_choice : str
        ``cheapest`` or ``logit`` (see :func:`routes_for_demand`).
    k_routes : int
        Alternatives per corridor for ``logit``.
    logit_scale_usd : float
        Spread of the logit, USD per TEU.
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
    storm_mean_h: float = 72.0
    weather: tuple[WeatherArea, ...] | None = None
    closures: tuple[Closure, ...] = ()
    year: int | None = None
    route_choice: Literal["cheapest", "logit"] = "cheapest"
    k_routes: int = 3
    logit_scale_usd: float = 300.0
    port_handling_h: float | None = 8.0


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
                    routes = compare(network, o, d, params=params, graph=graph,
                                     corridors=None if c is None else (c,))
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
    def _node_station(self, prefix: str, kind: StationKind, node_id: str, mean_h: float,
                      dist: Distribution) -> str:
        sid = f"{prefix}:{node_id}"
        if sid not in self.stations:
            node = self.node(node_id)
            self.stations[sid] = Station(sid, kind, _servers(node, mean_h), dist,
                                         name=f"{node['name']} ({kind})", node_id=node_id)
        return sid

    def _handling(self, h: float) -> Distribution:
        return Distribution.gamma(h, self.opt.handling_cv)

    def _ferry_line(self, link_id: str) -> FerryLine | None:
        if link_id in self.lines:
            return self.lines[link_id]
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
            ships.append(Ship(
                ship_id=str(v["vessel_id"]), name=str(v.get("name", "")),
                capacity_wagons=cap("capacity_wagons"), capacity_teu=cap("capacity_teu"),
                capacity_trucks=cap("capacity_trucks"),
                load_h=_hours(v.get("load_h")), unload_h=_hours(v.get("unload_h")),
                start_side="a" if j % 2 == 0 else "b"))
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
        line = FerryLine(
            line_id=f"ferry:{link_id}", port_a=str(link["from_node_id"]),
            port_b=str(link["to_node_id"]), sail_h=sail, ships=tuple(ships),
            departure=departure, max_wait_h=self.opt.ferry_max_wait_h,
            headway_h=headway if headway > 0 else None,
            empty_wait_h=self.opt.ferry_empty_wait_h, berths=self.opt.ferry_berths,
            name=str(link.get("name") or link_id), link_id=link_id)
        self.lines[link_id] = line
        return line

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
                sid = self._node_station("border", "border", node, h,
                                         Distribution.lognormal(h, self.opt.border_cv))
            elif st.kind == "transfer":
                prev = next((rs[j].mode for j in range(i - 1, -1, -1) if rs[j].kind == "link"),
                            None)
                nxt = next((rs[j].mode for j in range(i + 1, len(rs)) if rs[j].kind == "link"),
                           None)
                modes = {prev, nxt}
                if modes & {"ferry", "sea"}:
                    if self.opt.port_handling_h is not None:
                        h = self.opt.port_handling_h
                    sid = self._node_station("port", "port", node, h, self._handling(h))
                elif modes == {"rail"}:
                    sid = self._node_station("gauge", "transshipment", node, h,
                                             self._handling(h))
                else:
                    sid = self._node_station("terminal", "terminal", node, h,
                                             self._handling(h))
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
                        sid, "section", 1, Distribution.fixed(24.0 / tpd),
                        name=f"{link.get('name') or link_id} from {st.from_node_id}",
                        link_id=link_id)
                return [Step.station(sid), Step.delay(run_h, link_id=link_id)]
        return [Step.delay(float(st.hours), link_id=link_id)]

    # -- shipments -----------------------------------------------------------------------
    def carried(self, g: ShipmentGenerator) -> bool:
        """Every ferry line of the itinerary has ships that carry the shipment's units."""
        lines = {f.line_id: f for f in self.lines.values()}
        return all(line_unit(lines[st.target], g) is not None
                   for st in g.itinerary if st.kind == "ferry")

    def generators(self, o: str, d: str, *, commodity: str, volume: float, unit: str,
                   route: Route, share: float, tag: str = "") -> list[ShipmentGenerator]:
        opt = self.opt
        itinerary = self.itinerary(route)
        vol = volume * share
        base = f"{o}>{d}:{route.corridor}{':' + tag if tag else ''}:{commodity}"
        common = {"origin": o, "destination": d, "itinerary": itinerary,
                  "corridor": route.corridor}
        out: list[ShipmentGenerator] = []
        per_year = HOURS_PER_YEAR / 24.0
        if commodity == "trucks":
            tonnes = vol if unit == "t" else vol * opt.tonnes_per_teu
            n = tonnes / opt.tonnes_per_truck
            out.append(ShipmentGenerator(f"{base}:truck", kind="truck", trucks=1,
                                         tonnes=opt.tonnes_per_truck,
                                         teu=0.0 if unit == "t" else opt.tonnes_per_truck
                                         / opt.tonnes_per_teu,
                                         arrivals=opt.truck_arrivals, per_day=n / per_year,
                                         **common))  # type: ignore[arg-type]
            return out
        if commodity == "containers":
            teu = vol if unit == "TEU" else vol / opt.tonnes_per_teu
            trains = teu * opt.block_train_share / opt.teu_per_train
            if trains > 0:
                out.append(ShipmentGenerator(
                    f"{base}:block_train", kind="block_train", wagons=opt.wagons_per_train,
                    teu=opt.teu_per_train, tonnes=opt.teu_per_train * opt.tonnes_per_teu,
                    arrivals=opt.block_train_arrivals, per_day=trains / per_year,
                    offset_h=(hash_fraction(base) * 24.0 * per_year / trains) % HOURS_PER_YEAR,
                    **common))  # type: ignore[arg-type]
            rest = teu * (1.0 - opt.block_train_share)
            if rest > 0:
                group_teu = opt.wagons_per_group * opt.teu_per_wagon
                out.append(ShipmentGenerator(
                    f"{base}:wagon_group", kind="wagon_group", wagons=opt.wagons_per_group,
                    teu=group_teu, tonnes=group_teu * opt.tonnes_per_teu,
                    arrivals=opt.wagon_group_arrivals, per_day=rest / group_teu / per_year,
                    **common))  # type: ignore[arg-type]
            return out
        tonnes = vol if unit == "t" else vol * opt.tonnes_per_teu
        group_t = opt.wagons_per_group * opt.tonnes_per_wagon
        if tonnes > 0:
            out.append(ShipmentGenerator(
                f"{base}:wagon_group", kind="wagon_group", wagons=opt.wagons_per_group,
                tonnes=group_t, arrivals=opt.wagon_group_arrivals,
                per_day=tonnes / group_t / per_year, **common))  # type: ignore[arg-type]
        return out

    def weather(self) -> tuple[WeatherArea, ...]:
        if self.opt.weather is not None:
            return self.opt.weather
        lon0, lat0, lon1, lat1 = CASPIAN_BBOX
        ports: list[str] = []
        for line in self.lines.values():
            ends = [self.node(p) for p in (line.port_a, line.port_b)]
            if all(lon0 <= float(n["x_coord"]) <= lon1 and lat0 <= float(n["y_coord"]) <= lat1
                   for n in ends):
                ports.extend(p for p in (line.port_a, line.port_b) if p not in ports)
        if not ports:
            return ()
        return (WeatherArea("caspian", tuple(ports), tuple(self.opt.storm_days_per_month),
                            mean_event_h=self.opt.storm_mean_h),)


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
        DEMAND table (``read_demand``): origin, destination, commodity, volume a
        year, unit (TEU or t), year.
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
    file = str(demand.attrs.get("file", "demand"))
    lines = demand["_line"].tolist() if "_line" in demand.columns else [
        i + 2 for i in range(len(demand))]
    problems: list[Problem] = []
    flows: dict[tuple[str, str, str, str], float] = {}
    for line, (_, row) in zip(lines, demand.iterrows(), strict=True):
        if opt.year is not None and _num(row.get("year")) == _num(row.get("year")) and int(
                _num(row.get("year"))) != opt.year:
            continue
        ends = []
        for col in ("origin", "destination"):
            try:
                ends.append(network.place(str(row[col])))
            except UnknownPlaceError as exc:
                hint = ("did you mean " + " or ".join(repr(s) for s in exc.suggestions) + "?"
                        if exc.suggestions else None)
                problems.append(Problem(file, int(line), col, str(row[col]),
                                        "unknown place in the network", hint))
        volume = _num(row.get("volume"))
        if not volume >= 0:
            problems.append(Problem(file, int(line), "volume", str(row.get("volume")),
                                    "volume must be a number >= 0"))
        if len(ends) == 2 and volume > 0:
            if ends[0] == ends[1]:
                problems.append(Problem(file, int(line), "destination", str(row["destination"]),
                                        "origin and destination are the same place"))
                continue
            key = (ends[0], ends[1], str(row.get("commodity") or "containers"),
                   str(row.get("unit") or "TEU"))
            flows[key] = flows.get(key, 0.0) + volume
    if problems:
        raise DemandError(problems, what=file)
    pairs = [(o, d) for o, d, _, _ in flows]
    if routes is None:
        routes = routes_for_demand(network, pairs, corridors=opt.corridors, params=params,
                                   choice=opt.route_choice, k=opt.k_routes,
                                   logit_scale_usd=opt.logit_scale_usd)
    builder = _Builder(network, opt)
    generators: list[ShipmentGenerator] = []
    skipped = 0
    notes: list[str] = []
    for (o, d, commodity, unit), volume in flows.items():
        options_od = [(r, w) for r, w in routes.get((o, d), ()) if w > 0]
        if not options_od:
            skipped += 1
            continue
        # keep the routes whose ships can carry this commodity's shipments
        usable: list[tuple[list[ShipmentGenerator], float]] = []
        for j, (route, share) in enumerate(options_od):
            tag = f"r{j + 1}" if len(options_od) > 1 else ""
            gens = builder.generators(o, d, commodity=commodity, volume=volume, unit=unit,
                                      route=route, share=1.0, tag=tag)
            if all(builder.carried(g) for g in gens):
                usable.append((gens, share))
            else:
                notes.append(f"{o}>{d} {commodity}: route via {', '.join(route.link_ids)} "
                             "left out: no ship of a ferry line on it carries these units")
        total = sum(w for _, w in usable)
        if not usable:
            skipped += 1
            continue
        for gens, share in usable:
            generators.extend(replace(g, per_day=g.per_day * share / total) for g in gens)
    for note in notes:
        log.warning(note)
    if skipped:
        log.warning("%d demand flows have no usable route on the corridors asked for", skipped)
        notes.append(f"{skipped} demand flows have no usable route")
    if not generators:
        raise DemandError([Problem(file, None, None, None,
                                   "no demand row could be routed on the corridors asked for"
                                   + (f" ({', '.join(opt.corridors)})" if opt.corridors else ""))],
                          what=file)
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
    )
    return model.validate()
