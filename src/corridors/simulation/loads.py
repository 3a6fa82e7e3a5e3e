"""Offered load of each station of a model: arrivals, capacity and utilisation, by hand.

What the shipment generators send through each station (block trains, wagon groups, trucks
an hour, and their tonnes), set against the station's capacity (servers over mean service
time, less the hours its closures take). It needs no simulation run: it is the arithmetic a
planner does before simulating, and what the route choice and the queueing delay functions
(:mod:`corridors.cost.queueing`) are given.

Example
-------
>>> from corridors.simulation import Distribution, ShipmentGenerator, SimulationModel
>>> from corridors.simulation import Station, Step
>>> from corridors.simulation.loads import station_loads
>>> path = Station("section:a-b:a", "section", 1, Distribution.fixed(2.0), link_id="a-b")
>>> g = ShipmentGenerator("g", "a", "b", (Step.station(path.station_id),), per_day=6.0)
>>> row = station_loads(SimulationModel(stations=(path,), generators=(g,)))[0]
>>> row.capacity_per_day, row.arrivals_per_day, row.utilisation
(12.0, 6.0, 0.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from corridors.cost.element_queues import station_queue
from corridors.cost.queueing import FerryQueue, QueueElement
from corridors.simulation.model import (
    FerryLine,
    ShipmentGenerator,
    SimulationModel,
    Station,
    line_unit,
)
from corridors.simulation.weather import DAYS_IN_MONTH, expected_closed_hours

__all__ = [
    "FerryLoad",
    "StationLoad",
    "departure_scv",
    "ferry_loads",
    "queue_element",
    "station_loads",
]


@dataclass(frozen=True, slots=True)
class StationLoad:
    """The offered load of one station over the model's horizon.

    Attributes
    ----------
    station : Station
        The station.
    arrivals_per_day : float
        Shipments a day the generators send through it.
    tonnes_per_day : float
        Their tonnes a day.
    service_h, service_cv : float
        Mean and coefficient of variation of the service time of a shipment, hours
        (over the mix of shipments when the service is per wagon or TEU).
    open_share : float
        Share of the horizon the station is open (planned closures and storms).
    arrival_cv : float
        Coefficient of variation of the time between arrivals: 1 for shipments that
        come straight from their (Poisson) origin or through a place with no queue
        (random delays mix the order); behind a station with a queue, its departure
        variability (Whitt's linking equation of the queueing network analyzer,
        :func:`departure_scv`), split with the share ``p`` of its departures that come
        here (``p cd^2 + 1 - p``); the rate-weighted mean where streams merge.
    spaced : bool
        A fixed one-server train path all of whose trains come from one train path at
        least as far apart: the trains stay spaced, so nobody waits (the delay
        function is then evaluated with no variability at all).
    """

    station: Station
    arrivals_per_day: float
    tonnes_per_day: float
    service_h: float
    service_cv: float
    open_share: float
    arrival_cv: float = 1.0
    spaced: bool = False

    @property
    def capacity_per_day(self) -> float:
        """Shipments a day it can serve (servers x 24 / mean service x open share; inf: none)."""
        if self.station.unlimited or self.service_h <= 0.0:
            return math.inf
        return self.station.servers * 24.0 / self.service_h * self.open_share

    @property
    def utilisation(self) -> float:
        """Arrivals over capacity (0 for a station with no limit)."""
        return self.arrivals_per_day / self.capacity_per_day

    @property
    def tonnes_per_shipment(self) -> float:
        """Mean tonnes of the shipments it serves (nan when none)."""
        if self.arrivals_per_day <= 0.0:
            return math.nan
        return self.tonnes_per_day / self.arrivals_per_day


def _service_per_shipment(station: Station, g: ShipmentGenerator) -> float:
    if station.per == "wagon":
        return float(max(g.wagons, 1))
    if station.per == "teu":
        return max(g.teu, 1.0)
    return 1.0


def station_loads(model: SimulationModel) -> list[StationLoad]:
    """The offered load of every station of ``model`` (in the model's order).

    Arrivals are the generators' mean rates (``per_day``; explicit ``times`` spread over
    the horizon). Closures of the station, its node or its link and the expected storm
    hours of a weather area over its node reduce the open share.
    """
    rate: dict[str, float] = {}
    feeds: dict[str, dict[str | None, float]] = {}  # station -> upstream station -> rate
    tonnes: dict[str, float] = {}
    moment1: dict[str, float] = {}
    moment2: dict[str, float] = {}
    specs = {s.station_id: s for s in model.stations}
    for g in model.generators:
        per_day = g.per_day if g.arrivals != "times" else len(g.times_h) * 24.0 / model.horizon_h
        upstream: str | None = None  # the station just before (None: origin, ferry)
        for step in g.itinerary:
            st = specs.get(step.target) if step.kind == "station" else None
            if st is None:
                if step.kind == "ferry":
                    upstream = None
                continue
            sid = st.station_id
            source = upstream if upstream in specs and not specs[upstream].unlimited else None
            feed = feeds.setdefault(sid, {})
            feed[source] = feed.get(source, 0.0) + per_day
            upstream = sid
            scale = _service_per_shipment(st, g)
            mean = st.service.mean_h * scale
            rate[sid] = rate.get(sid, 0.0) + per_day
            tonnes[sid] = tonnes.get(sid, 0.0) + per_day * g.tonnes
            moment1[sid] = moment1.get(sid, 0.0) + per_day * mean
            moment2[sid] = moment2.get(sid, 0.0) + per_day * (
                mean * mean + st.service.variance * scale * scale
            )
    closed = _closed_hours(model)
    out: dict[str, StationLoad] = {}
    for st in model.stations:
        sid = st.station_id
        lam = rate.get(sid, 0.0)
        if lam > 0.0:
            mean = moment1[sid] / lam
            var = max(moment2[sid] / lam - mean * mean, 0.0)
        else:
            mean, var = st.service.mean_h, st.service.variance
        cv = math.sqrt(var) / mean if mean > 0 else 0.0
        shut = sum(closed.get(t, 0.0) for t in {sid, st.node_id, st.link_id} if t)
        share = max(1.0 - shut / model.horizon_h, 1e-6)
        out[sid] = StationLoad(st, lam, tonnes.get(sid, 0.0), mean, cv, share)
    for _ in range(len(out)):  # arrival variability flows downstream; stop when settled
        changed = False
        for sid, load in out.items():
            ca, spaced = _arrival_cv(load, feeds.get(sid, {}), out)
            if abs(ca - load.arrival_cv) > 1e-9 or spaced != load.spaced:
                out[sid] = replace(load, arrival_cv=ca, spaced=spaced)
                changed = True
        if not changed:
            break
    return list(out.values())


def departure_scv(load: StationLoad) -> float:
    """Squared coefficient of variation of the time between departures of a station.

    Whitt's linking equation (QNA, 1983) for ``c`` servers at utilisation ``rho``:
    ``cd^2 = 1 + (1 - rho^2) (ca^2 - 1) + rho^2 (cs^2 - 1) / sqrt(c)``; a station with
    no limit, or whose trains never wait (``spaced``), passes its arrivals on unchanged.
    """
    ca2 = load.arrival_cv**2
    if load.station.unlimited or load.spaced:
        return ca2
    rho = min(load.utilisation, 1.0)
    cs2 = load.service_cv**2
    return max(
        1.0
        + (1.0 - rho * rho) * (ca2 - 1.0)
        + rho * rho * (cs2 - 1.0) / math.sqrt(load.station.servers),
        0.0,
    )


def _arrival_cv(
    load: StationLoad, feed: dict[str | None, float], loads: dict[str, StationLoad]
) -> tuple[float, bool]:
    total = sum(feed.values())
    if total <= 0.0:
        return 1.0, False
    scv = 0.0
    spaced = True
    for source, lam in feed.items():
        up = loads.get(source) if source is not None else None
        if up is None:
            scv += lam / total
        else:  # the share p of the station's departures that come here (QNA splitting)
            p = min(lam / up.arrivals_per_day, 1.0) if up.arrivals_per_day > 0 else 1.0
            scv += lam / total * (p * departure_scv(up) + 1.0 - p)
        spaced = spaced and up is not None and _paths_stay_spaced(up, load)
    return math.sqrt(scv), spaced


def _paths_stay_spaced(up: StationLoad, load: StationLoad) -> bool:
    """Behind one train path at least as long, a fixed one-server path never queues."""
    a, b = up.station, load.station
    return (
        a.servers == 1
        and b.servers == 1
        and up.service_cv == 0.0
        and load.service_cv == 0.0
        and up.service_h >= load.service_h - 1e-12
    )


def _closed_hours(model: SimulationModel) -> dict[str, float]:
    """Expected closed hours over the horizon of each closure target and storm port."""
    out: dict[str, float] = {}
    for c in model.closures:
        span = max(0.0, min(c.end_h, model.horizon_h) - max(c.start_h, 0.0))
        out[c.target] = out.get(c.target, 0.0) + span
    for area in model.weather:
        hours = expected_closed_hours(area, horizon_h=model.horizon_h)
        for port in area.ports:
            out[port] = out.get(port, 0.0) + hours
    return out


def queue_element(load: StationLoad) -> QueueElement:
    """The queueing delay function (:class:`~corridors.cost.queueing.QueueElement`) of a station.

    Same servers, mean and variability of the service time and open share as the
    simulation draws; the arrival variability of the load (Poisson from the origin,
    smoothed behind a queue).
    """
    st = load.station
    return station_queue(
        st.kind,
        servers=None if st.unlimited else st.servers,
        service_h=load.service_h,
        service_cv=0.0 if load.spaced else load.service_cv,
        arrival_cv=0.0 if load.spaced else load.arrival_cv,
        open_share=load.open_share,
    )


@dataclass(frozen=True, slots=True)
class FerryLoad:
    """The offered load of one ferry or feeder line from one port, over the horizon.

    A shipment takes a share of a ship's deck (its wagons, TEU or trucks over the
    ship's capacity in that unit); a ship lifts one deck a round trip
    (``2 x sailing + loading + unloading``, loaded one way and back empty as the
    simulated ships do with no return cargo), while its ports are open.

    Attributes
    ----------
    line : FerryLine
        The line.
    port : str
        Port where the cargo boards.
    arrivals_per_day : float
        Shipments a day offered at ``port``.
    decks_per_day : float
        Ship decks a day they fill.
    lift_per_day : float
        Decks a day the fleet can lift from ``port`` (each ship's round trips a day
        times the ports' open share).
    round_trip_h : float
        Mean round trip of the line's ships, hours.
    shipments_per_deck : float
        Shipments a full ship takes (mean).
    open_share : float
        Share of the horizon both ports are open.
    closure_h, closure_cv : float
        Mean length and coefficient of variation of a closure of the line's ports
        (the storms of their weather area), hours.
    ships : int
        Ships of the line that carry the units offered at ``port`` (0: all).
    shipment_units : int
        Units (wagons, TEU or trucks) of a shipment offered at ``port`` (rate-weighted
        mean, rounded; 0: none offered).
    deck_units : tuple of int
        Units each of those ships takes.
    open_share_by_month : tuple of float
        Share of each month both ports and the line are open (storms month by month,
        planned closures spread over the year); empty: ``open_share`` every month.
    """

    line: FerryLine
    port: str
    arrivals_per_day: float
    decks_per_day: float
    lift_per_day: float
    round_trip_h: float
    shipments_per_deck: float
    open_share: float
    closure_h: float = 0.0
    closure_cv: float = 0.0
    ships: int = 0
    shipment_units: int = 0
    deck_units: tuple[int, ...] = ()
    open_share_by_month: tuple[float, ...] = ()

    @property
    def utilisation(self) -> float:
        """Decks offered over decks the fleet can lift."""
        return self.decks_per_day / self.lift_per_day if self.lift_per_day > 0 else math.inf

    def ferry_queue(self) -> FerryQueue:
        """The delay function of the line from ``port`` (a ``FerryQueue``).

        The ships carrying the units offered, their mean round trip, the shipments'
        and decks' units (without any offered, whole shipments of
        ``shipments_per_deck`` a deck), the line's maximum wait, the open share of
        each month and the storms of its weather area.
        """
        if self.shipment_units > 0 and self.deck_units:
            units, decks = self.shipment_units, self.deck_units
        else:
            units, decks = 1, (max(round(self.shipments_per_deck), 1),)
        return FerryQueue(
            ships=self.ships or len(self.line.ships),
            round_trip_h=self.round_trip_h,
            shipment_units=units,
            deck_units=decks,
            max_wait_h=self.line.max_wait_h,
            open_share_by_month=self.open_share_by_month or (self.open_share,) * 12,
            closure_h=self.closure_h,
            closure_cv=self.closure_cv,
        )

    def wait_h(self, arrivals_per_h: float | None = None) -> float:
        """Mean wait of a shipment for a ship, hours (:meth:`ferry_queue`).

        ``arrivals_per_h`` (shipments an hour) defaults to the offered load.
        """
        lam = self.arrivals_per_day / 24.0 if arrivals_per_h is None else arrivals_per_h
        return self.ferry_queue().wait_h(lam)


def ferry_loads(model: SimulationModel) -> list[FerryLoad]:
    """The offered load of every ferry line from each of its ports (in the model's order)."""
    offered: dict[tuple[str, str], list[float]] = {}  # shipments, decks a day
    units: dict[tuple[str, str], set[int]] = {}  # units boarded (0 wagons, 1 TEU, 2 trucks)
    size: dict[tuple[str, str], dict[int, float]] = {}  # shipments a day by unit, x units
    lines = {f.line_id: f for f in model.ferry_lines}
    for g in model.generators:
        per_day = g.per_day if g.arrivals != "times" else len(g.times_h) * 24.0 / model.horizon_h
        for step in g.itinerary:
            line = lines.get(step.target) if step.kind == "ferry" else None
            if line is None or step.from_node is None:
                continue
            unit = line_unit(line, g)
            caps = [s.capacity(unit) for s in line.ships if unit is not None and s.capacity(unit)]
            if not caps:
                continue
            deck = g.units(unit) / (sum(caps) / len(caps))  # type: ignore[arg-type]
            acc = offered.setdefault((line.line_id, step.from_node), [0.0, 0.0])
            units.setdefault((line.line_id, step.from_node), set()).add(int(unit))  # type: ignore[arg-type]
            acc[0] += per_day
            acc[1] += per_day * deck
            by_unit = size.setdefault((line.line_id, step.from_node), {})
            by_unit[int(unit)] = by_unit.get(int(unit), 0.0) + per_day  # type: ignore[arg-type]
            by_unit[10 + int(unit)] = by_unit.get(10 + int(unit), 0.0) + per_day * g.units(unit)  # type: ignore[arg-type]
    closed = _closed_hours(model)
    out: list[FerryLoad] = []
    for f in model.ferry_lines:
        shut = max(closed.get(f.port_a, 0.0), closed.get(f.port_b, 0.0)) + closed.get(
            f.line_id, 0.0
        )
        share = max(1.0 - shut / model.horizon_h, 1e-6)
        storms = [w for w in model.weather if f.port_a in w.ports or f.port_b in w.ports]
        event_h = storms[0].mean_event_h if storms else 0.0
        event_cv = storms[0].event_cv if storms else 0.0
        planned = (
            shut - sum(expected_closed_hours(w, horizon_h=model.horizon_h) for w in storms[:1])
        ) / model.horizon_h
        monthly = tuple(
            max(
                1.0
                - (storms[0].storm_days_per_month[m] if storms else 0.0) / DAYS_IN_MONTH[m]
                - max(planned, 0.0),
                1e-6,
            )
            for m in range(12)
        )
        for port in (f.port_a, f.port_b):
            n, decks = offered.get((f.line_id, port), [0.0, 0.0])
            used = units.get((f.line_id, port), set())
            fleet = [x for x in f.ships if any(x.capacity(u) > 0 for u in used)] or list(f.ships)
            trips = [2.0 * f.sail_h + x.load_h + x.unload_h for x in fleet]
            by_unit = size.get((f.line_id, port), {})
            main = max(
                (u for u in (0, 1, 2) if by_unit.get(u, 0.0) > 0),
                key=by_unit.__getitem__,
                default=None,
            )
            out.append(
                FerryLoad(
                    f,
                    port,
                    n,
                    decks,
                    lift_per_day=sum(24.0 / t for t in trips if t > 0) * share,
                    round_trip_h=sum(trips) / len(trips),
                    shipments_per_deck=n / decks if decks > 0 else 1.0,
                    open_share=share,
                    closure_h=event_h,
                    closure_cv=event_cv,
                    ships=len(fleet),
                    open_share_by_month=monthly,
                    shipment_units=0
                    if main is None
                    else max(round(by_unit[10 + main] / by_unit[main]), 1),
                    deck_units=()
                    if main is None
                    else tuple(x.capacity(main) for x in fleet if x.capacity(main) > 0),
                )
            )
    return out
