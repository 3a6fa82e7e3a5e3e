"""Offered load of each station of a model: arrivals, capacity and utilisation, by hand.

What the shipment generators send through each station (block trains, wagon groups, trucks
an hour, and their tonnes), set against the station's capacity (servers over mean service
time, less the hours its closures take), and the arrival variability that flows downstream
from station to station (Whitt's queueing network analyzer). The station's queueing delay
function (:func:`queue_element`, :mod:`corridors.cost.queueing`) is made from it.

Example
-------
>>> from corridors.simulation import Distribution, ShipmentGenerator, SimulationModel
>>> from corridors.simulation import Station, Step
>>> from corridors.simulation.station_load import station_loads
>>> path = Station("section:a-b:a", "section", 1, Distribution.fixed(2.0), link_id="a-b")
>>> g = ShipmentGenerator("g", "a", "b", (Step.station(path.station_id),), per_day=6.0)
>>> row = station_loads(SimulationModel(stations=(path,), generators=(g,)))[0]
>>> row.capacity_per_day, row.arrivals_per_day, row.utilisation
(12.0, 6.0, 0.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from corridors.cost.arrival_variability import Streams, queue_span_h, seen_weight
from corridors.cost.arrival_variability import departure_scv as cost_departure_scv
from corridors.cost.arrival_variability import kept_share as cost_kept_share
from corridors.cost.arrival_variability import relaxation_h as cost_relaxation_h
from corridors.cost.element_queues import station_queue
from corridors.cost.queueing import QueueElement
from corridors.simulation.model import ShipmentGenerator, SimulationModel, Station
from corridors.simulation.offered import closed_hours, offered_per_day, storm_season

SETTLE_ROUNDS = 100
"""Rounds the arrival variability may take to settle (each
station's span depends on its own arrivals' variability)."""

Chain = tuple[tuple[str, float], ...]
"""The stations with a queue a stream passed since its origin or a ferry, in order, each
with the variance of the random delays after it, hours squared."""


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
        Coefficient of variation of the time between arrivals as the station's queue
        sees them over its span (:func:`span_h`): the rate-weighted mean of its streams'
        squared cv, each walked from its (Poisson) origin, or a ferry, through the
        stations with a queue it passed (Whitt's linking equation per stream,
        :func:`~corridors.cost.arrival_variability.departure_scv`), moved back towards
        Poisson by the random delays of the places with no queue between
        (:func:`kept_share`).
    spaced : bool
        A fixed one-server train path all of whose trains come from one train path at
        least as far apart with no random delay between: the trains stay spaced, so
        nobody waits (the delay function is then evaluated with no variability at all).
    storm_months : tuple of float
        At a port closed by a weather area's storms, the open share of each month
        (:func:`~corridors.simulation.offered.storm_season`); empty elsewhere.
    closure_h, closure_cv : float
        The storms' mean length, hours, and coefficient of variation (0 without).
    landside_per_day : float
        The arrivals that do not come straight off a ferry (they pile up in a storm).
    """

    station: Station
    arrivals_per_day: float
    tonnes_per_day: float
    service_h: float
    service_cv: float
    open_share: float
    arrival_cv: float = 1.0
    spaced: bool = False
    storm_months: tuple[float, ...] = ()
    closure_h: float = 0.0
    closure_cv: float = 0.0
    landside_per_day: float = 0.0

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
    # station -> the queues its trains passed since their origin or ferry -> rate
    streams: dict[str, dict[Chain, float]] = {}
    tonnes: dict[str, float] = {}
    moment1: dict[str, float] = {}
    moment2: dict[str, float] = {}
    landside: dict[str, float] = {}
    specs = {s.station_id: s for s in model.stations}
    for g in model.generators:
        per_day = offered_per_day(g, horizon_h=model.horizon_h)
        spread = 0.0  # variance of the random delays since then, h^2
        chain: Chain = ()  # the queues passed, each with the random delays after it
        off_ferry = False  # the shipment comes straight off a ferry
        for step in g.itinerary:
            st = specs.get(step.target) if step.kind == "station" else None
            if st is None:
                if step.kind == "ferry":
                    spread, off_ferry, chain = 0.0, True, ()
                continue
            sid = st.station_id
            if not off_ferry:
                landside[sid] = landside.get(sid, 0.0) + per_day
            off_ferry = False
            here = (*chain[:-1], (chain[-1][0], spread)) if chain else ()
            streams.setdefault(sid, {})[here] = streams.get(sid, {}).get(here, 0.0) + per_day
            scale = _service_per_shipment(st, g)
            if st.unlimited:  # a random delay: it shuffles the trains, no queue smooths them
                spread += st.service.variance * scale * scale
            else:
                spread, chain = 0.0, (*here, (sid, 0.0))
            mean = st.service.mean_h * scale
            rate[sid] = rate.get(sid, 0.0) + per_day
            tonnes[sid] = tonnes.get(sid, 0.0) + per_day * g.tonnes
            moment1[sid] = moment1.get(sid, 0.0) + per_day * mean
            moment2[sid] = moment2.get(sid, 0.0) + per_day * (
                mean * mean + st.service.variance * scale * scale
            )
    closed = closed_hours(model)
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
        months, storm_h, storm_cv = storm_season(
            model, (st.node_id,) if st.node_id else (), shut_h=shut
        )
        out[sid] = StationLoad(
            st,
            lam,
            tonnes.get(sid, 0.0),
            mean,
            cv,
            share,
            storm_months=months if storm_h > 0.0 else (),
            closure_h=storm_h,
            closure_cv=storm_cv,
            landside_per_day=landside.get(sid, 0.0),
        )
    _settle_arrivals(out, streams)
    return list(out.values())


def departure_scv(load: StationLoad, *, span_h: float = 0.0, share: float = 1.0) -> float:
    """Squared cv of the time between departures of a stream through a station.

    :func:`corridors.cost.arrival_variability.departure_scv` of the station's
    arrivals, utilisation, service and servers, for the share ``share`` of its flow,
    as a queue that builds its waits over ``span_h`` hours sees it
    (:func:`~corridors.cost.arrival_variability.seen_weight`; 0: the time between
    consecutive departures); a station with no limit, or whose trains never wait
    (``spaced``), passes its arrivals on unchanged.
    """
    scv = load.arrival_cv**2
    if load.station.unlimited or load.spaced:
        return scv
    return float(
        cost_departure_scv(
            scv,
            rho=load.utilisation,
            service_scv=load.service_cv**2,
            servers=load.station.servers,
            weight=seen_weight(span_h, relax_h=relaxation_h(load)),
            share=share,
        )
    )


def relaxation_h(load: StationLoad) -> float:
    """Relaxation time of a station's queue, hours (``inf`` at or above capacity).

    :func:`corridors.cost.arrival_variability.relaxation_h` of the station; 0 for a
    station with no limit.
    """
    if load.station.unlimited:
        return 0.0
    return float(
        cost_relaxation_h(
            rho=load.utilisation,
            service_h=load.service_h,
            service_cv=load.service_cv,
            servers=load.station.servers,
        )
    )


def span_h(load: StationLoad) -> float:
    """The span over which a station builds its waits, hours (0: no wait, no limit).

    :func:`corridors.cost.arrival_variability.queue_span_h` of its delay function's
    mean wait (:func:`queue_element`) at its arrivals.
    """
    if load.station.unlimited or load.arrivals_per_day <= 0.0:
        return 0.0
    wait = queue_element(load).wait_h(load.arrivals_per_day / 24.0)
    return float(queue_span_h(wait, rho=load.utilisation))


def gap_h(load: StationLoad) -> float:
    """Mean time between a station's arrivals, hours (0 without arrivals)."""
    return 24.0 / load.arrivals_per_day if load.arrivals_per_day > 0.0 else 0.0


def kept_share(load: StationLoad, *, spread_h: float) -> float:
    """Share of a stream's deviation from Poisson a station sees behind random delays.

    :func:`corridors.cost.arrival_variability.kept_share` over the station's
    :func:`span_h`, at least its :func:`gap_h`: 1 with no random delay (``spread_h``
    0, hours), towards 0 (Poisson) when the delays are long against it.
    """
    return float(cost_kept_share(span_h(load), spread_h=spread_h, gap_h=gap_h(load)))


def _settle_arrivals(out: dict[str, StationLoad], streams: dict[str, dict[Chain, float]]) -> None:
    """Each station's arrival variability and spacing (:class:`Streams`), settled with its span."""
    sids = list(out)
    at = {sid: i for i, sid in enumerate(sids)}
    chains = [
        (at[sid], [(at[u], var) for u, var in chain]) for sid, by in streams.items() for chain in by
    ]
    if not chains:
        return
    rate = np.array([lam for by in streams.values() for lam in by.values()], dtype=np.float64)
    net = Streams.of(chains)
    loads = [out[sid] for sid in sids]
    unlimited = np.array([x.station.unlimited for x in loads])
    servers = np.array([1.0 if x.station.unlimited else float(x.station.servers) for x in loads])
    service_h = np.array([x.service_h for x in loads])
    service_cv = np.array([x.service_cv for x in loads])
    spaced = net.spaced(rate, servers=servers, service_h=service_h, service_cv=service_cv)
    spaced &= ~unlimited
    for i, sid in enumerate(sids):
        out[sid] = replace(out[sid], spaced=bool(spaced[i]))
    rho = np.array([0.0 if x.station.unlimited else x.utilisation for x in loads])
    relax = np.array([relaxation_h(out[sid]) for sid in sids])
    gap = np.array([gap_h(x) for x in loads])
    for _ in range(SETTLE_ROUNDS):  # each station's span depends on its arrivals
        scv = net.arrival_scv(
            rate,
            rho=rho,
            service_cv=service_cv,
            servers=servers,
            relax_h=relax,
            passes=unlimited | spaced,
            span_h=np.array([span_h(out[sid]) for sid in sids]),
            gap_h=gap,
        )
        ca = np.sqrt(np.maximum(scv, 0.0))
        changed = False
        for i, sid in enumerate(sids):
            if abs(ca[i] - out[sid].arrival_cv) > 1e-9:
                out[sid] = replace(out[sid], arrival_cv=float(ca[i]))
                changed = True
        if not changed:
            break


def queue_element(load: StationLoad) -> QueueElement:
    """The queueing delay function (:class:`~corridors.cost.queueing.QueueElement`) of a station.

    Same servers, mean and variability of the service time and open share as the
    simulation draws; the arrival variability of the load (Poisson from the origin,
    smoothed behind a queue); at a port closed by storms the storms' backlog at its
    berths, month by month.
    """
    st = load.station
    return station_queue(
        st.kind,
        servers=None if st.unlimited else st.servers,
        service_h=load.service_h,
        service_cv=0.0 if load.spaced else load.service_cv,
        arrival_cv=0.0 if load.spaced else load.arrival_cv,
        open_share=load.open_share,
        storm_months=load.storm_months,
        closure_h=load.closure_h,
        closure_cv=load.closure_cv,
        storm_share=load.landside_per_day / load.arrivals_per_day
        if load.arrivals_per_day > 0.0
        else 1.0,
    )
