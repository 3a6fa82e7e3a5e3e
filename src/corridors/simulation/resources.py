"""Simulation resources of the network elements a route passes: stations, ferry lines, yards.

A shipment follows the real legs of its route (:class:`corridors.routing.Route`); the
route's steps become resources:

========================================  ===============================================
route step                                simulation resource
========================================  ===============================================
``border`` at a node                      border station ``border:<node>@entry`` or
                                          ``@exit`` (one per direction): lognormal
                                          time of mean ``border_h`` inbound or
                                          ``border_exit_h`` outbound (node table; the
                                          CAREC CPMM averages, queue included) and
                                          coefficient of variation ``border_cv``; no
                                          server limit (``border_time="sojourn"``) or
                                          servers (``"service"``); a node with
                                          inspection lanes: ``border:<node>``, both ways
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
day x mean time / 24)), else no limit (a random delay with no queue). A node's servers
serve only the stops of their kind (:func:`corridors.cost.element_queues.serves`, as the
equilibrium counts them), with the node's ``service_h`` when given: a port's berths the
trains boarding or leaving a ferry or a feeder, not the crude loaded on a tanker (a
station with no limit); a border with lanes (``service_h``, no handling) its clearances,
a queue even with ``border_time="sojourn"``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from corridors.cost.element_queues import (
    node_lined,
    node_row_servers,
    node_service,
    sailing_h,
    serves,
    stop_station,
)
from corridors.network.model import Network
from corridors.routing import Route
from corridors.routing import Step as RouteStep
from corridors.simulation.model import (
    HOURS_PER_YEAR,
    UNLIMITED,
    Departure,
    Distribution,
    FerryLine,
    Ship,
    ShipmentGenerator,
    Station,
    StationKind,
    Step,
    WeatherArea,
    Yard,
    line_unit,
)
from corridors.simulation.options import CASPIAN_BBOX, BuildOptions
from corridors.simulation.shipments import shipment_generators

__all__ = ["ResourceBuilder"]


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


def _servers(node: Mapping[str, object], mean_h: float) -> int:
    """Servers of a node station (:func:`corridors.cost.element_queues.node_servers`)."""
    n = node_row_servers(node, mean_h)
    return UNLIMITED if n is None else n


class ResourceBuilder:
    """Stations, ferry lines, yards and weather of a network for a simulation model.

    Resources are created as itineraries ask for them (:meth:`itinerary`) and kept
    once per element, so shipments of different flows queue at the same station.
    """

    def __init__(self, network: Network, options: BuildOptions) -> None:
        self.net = network
        self.opt = options
        self.links: dict[str, dict[str, Any]] = {
            str(row["link_id"]): {str(k): v for k, v in row.items()}
            for row in network.links.to_dict("records")
        }
        self.nodes: dict[str, dict[str, Any]] = {
            str(row["node_id"]): {str(k): v for k, v in row.items()}
            for row in network.nodes.to_dict("records")
        }
        self.stations: dict[str, Station] = {}
        self.lines: dict[str, FerryLine] = {}
        vessels = network.vessels
        self.vessels: dict[str, pd.DataFrame] = (
            {str(k): v for k, v in vessels.groupby("link_id", sort=False)} if len(vessels) else {}
        )

    def node(self, node_id: str) -> dict[str, Any]:
        """The node table row of ``node_id`` (column -> value)."""
        return self.nodes[node_id]

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
        direction: str | None = None,
    ) -> str:
        sid = f"{prefix}:{node_id}" if direction is None else f"{prefix}:{node_id}@{direction}"
        if sid not in self.stations:
            node = self.node(node_id)
            n = _servers(node, mean_h) if servers is None else servers
            what = kind if direction is None else f"{kind}, {direction}"
            self.stations[sid] = Station(
                sid, kind, n, dist, name=f"{node['name']} ({what})", node_id=node_id
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
        probes = shipment_generators(
            self.opt,
            "",
            "",
            commodity=commodity,
            volume=1.0,
            unit=unit,
            itinerary=(),
            corridor="",
            share=1.0,
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
        link = self.links[link_id]
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
        sail = sailing_h(link.get("time_h"), link.get("km"), speeds)
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
        """The simulation steps of a route: stations, ferry boardings and travel times."""
        steps: list[Step] = []
        rs = route.steps
        for i, st in enumerate(rs):
            if st.kind == "link":
                steps.extend(self._link_steps(st))
                continue
            steps.append(Step.station(self._stop_station(rs, i)))
        return tuple(steps)

    def _stop_station(self, rs: Sequence[RouteStep], i: int) -> str:
        """The station of the stop ``rs[i]``.

        A border clears trains (lanes where the node declares them with ``service_h``,
        :func:`~corridors.cost.element_queues.node_service`); a transfer to or from a
        ferry or sea leg is the port's; between rail legs a gauge change; else a
        terminal. A node's servers serve only the stops of their kind
        (:func:`~corridors.cost.element_queues.serves` of the stop's
        :func:`~corridors.cost.element_queues.stop_station`, as the equilibrium counts
        them), with the node's ``service_h`` when given: at a port with berths the
        crude loaded on a tanker (a sea leg without ships) passes a terminal station
        with no limit.
        """
        st = rs[i]
        node = str(st.node_id)
        h = float(st.hours)
        near = [
            next((rs[j] for j in range(i - 1, -1, -1) if rs[j].kind == "link"), None),
            next((rs[j] for j in range(i + 1, len(rs)) if rs[j].kind == "link"), None),
        ]
        modes = {s.mode for s in near if s is not None}
        stop = stop_station(
            st.kind,
            modes,
            lined=any(s is not None and str(s.link_id) in self.vessels for s in near),
        )
        service = node_service(self.node(node), lined=node_lined(self.net, node))
        own = service is not None and serves(service[0], stop)
        servers = None if own or service is None else UNLIMITED
        declared = own and _num(self.node(node).get("service_h")) > 0
        if declared and service is not None:
            h = service[1]  # the node's own service time (service_h)
        if st.kind == "border":
            lanes = own and service is not None and service[0] == "border"
            direction = None  # the node's lanes clear both ways (its one element)
            if not lanes:
                servers = UNLIMITED if self.opt.border_time == "sojourn" else None
                # a clearance per direction, as the routes pay it: outbound
                # (``border_exit_h``) before the link that leaves the node's country,
                # inbound (``border_h``) after the link into it
                nxt = rs[i + 1] if i + 1 < len(rs) else None
                leaving = nxt is not None and nxt.kind == "link" and str(nxt.from_node_id) == node
                direction = "exit" if leaving else "entry"
            dist = Distribution.lognormal(h, self.opt.border_cv)
            return self._node_station(
                "border", "border", node, h, dist, servers=servers, direction=direction
            )
        if st.kind == "transfer" and modes & {"ferry", "sea"}:
            if self.opt.port_handling_h is not None and not declared:
                h = self.opt.port_handling_h
            prefix = "port" if stop == "port" or servers is None else "terminal"
            kind: StationKind = "port" if prefix == "port" else "terminal"
            return self._node_station(prefix, kind, node, h, self._handling(h), servers=servers)
        dist = self._handling(h)
        if stop == "transshipment":
            return self._node_station("gauge", "transshipment", node, h, dist, servers=servers)
        return self._node_station("terminal", "terminal", node, h, dist, servers=servers)

    def _link_steps(self, st: RouteStep) -> list[Step]:
        link_id = str(st.link_id)
        run_h = max(0.0, float(st.hours) - float(st.wait_h))
        if st.mode in ("ferry", "sea"):
            line = self._ferry_line(link_id)
            if line is not None:
                return [Step.ferry(line.line_id, from_node=str(st.from_node_id))]
            return [Step.delay(float(st.hours), link_id=link_id)]
        if st.mode == "rail":
            link = self.links[link_id]
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

    def weather(self) -> tuple[WeatherArea, ...]:
        """Weather areas over the ferry lines created so far."""
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
