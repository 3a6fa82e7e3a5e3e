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

from corridors.cost.arrival_variability import departure_scv as cost_departure_scv
from corridors.cost.arrival_variability import kept_share as cost_kept_share
from corridors.cost.arrival_variability import (
    queue_span_h,
    seen_weight,
    shuffled_scv,
)
from corridors.cost.arrival_variability import relaxation_h as cost_relaxation_h
from corridors.cost.element_queues import station_queue
from corridors.cost.queueing import QueueElement
from corridors.simulation.model import ShipmentGenerator, SimulationModel, Station
from corridors.simulation.offered import closed_hours, offered_per_day, storm_season

SETTLE_ROUNDS = 100
"""Rounds beyond the stations' count the arrival variability may take to settle (each
station's span depends on its own arrivals' variability)."""

Chain = tuple[tuple[str, float], ...]
"""The stations with a queue a stream passed since its origin or a ferry, in order, each
with the variance of the random delays after it, hours squared."""

Feeds = dict[str, dict[str | None, list[float]]]
"""Station -> the last station with a queue before it (``None``: an origin or a ferry)
-> [shipments a day, shipments a day x variance of the random delays between, h^2]."""


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
    # station -> upstream station -> [rate, rate x variance of the random delays between]
    feeds: Feeds = {}
    # station -> the queues its trains passed since their origin or ferry -> rate
    streams: dict[str, dict[Chain, float]] = {}
    tonnes: dict[str, float] = {}
    moment1: dict[str, float] = {}
    moment2: dict[str, float] = {}
    landside: dict[str, float] = {}
    specs = {s.station_id: s for s in model.stations}
    for g in model.generators:
        per_day = offered_per_day(g, horizon_h=model.horizon_h)
        upstream: str | None = None  # the last station with a queue (None: origin, ferry)
        spread = 0.0  # variance of the random delays since then, h^2
        chain: Chain = ()  # the queues passed, each with the random delays after it
        off_ferry = False  # the shipment comes straight off a ferry
        for step in g.itinerary:
            st = specs.get(step.target) if step.kind == "station" else None
            if st is None:
                if step.kind == "ferry":
                    upstream, spread, off_ferry, chain = None, 0.0, True, ()
                continue
            sid = st.station_id
            if not off_ferry:
                landside[sid] = landside.get(sid, 0.0) + per_day
            off_ferry = False
            feed = feeds.setdefault(sid, {}).setdefault(upstream, [0.0, 0.0])
            feed[0] += per_day
            feed[1] += per_day * spread
            here = (*chain[:-1], (chain[-1][0], spread)) if chain else ()
            streams.setdefault(sid, {})[here] = streams.get(sid, {}).get(here, 0.0) + per_day
            scale = _service_per_shipment(st, g)
            if st.unlimited:  # a random delay: it shuffles the trains, no queue smooths them
                spread += st.service.variance * scale * scale
            else:
                upstream, spread, chain = sid, 0.0, (*here, (sid, 0.0))
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
    # arrival variability flows downstream (and each station's span sets what it sees)
    for _ in range(len(out) + SETTLE_ROUNDS):  # stop when settled
        changed = False
        for sid, load in out.items():
            ca, spaced = _arrival_cv(load, feeds, streams.get(sid, {}), out)
            if abs(ca - load.arrival_cv) > 1e-9 or spaced != load.spaced:
                out[sid] = replace(load, arrival_cv=ca, spaced=spaced)
                changed = True
        if not changed:
            break
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
    return _stream_departure(load, load.arrival_cv**2, span_h=span_h, share=share)


def _stream_departure(load: StationLoad, scv: float, *, span_h: float, share: float) -> float:
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


def kept_share(load: StationLoad, *, spread_h: float) -> float:
    """Share of a stream's deviation from Poisson a station sees behind random delays.

    :func:`corridors.cost.arrival_variability.kept_share` over the station's
    :func:`span_h`: 1 with no random delay (``spread_h`` 0, hours), towards 0
    (Poisson) when the delays are long against it.
    """
    return float(cost_kept_share(span_h(load), spread_h=spread_h))


def _arrival_cv(
    load: StationLoad,
    feeds: Feeds,
    streams: dict[Chain, float],
    loads: dict[str, StationLoad],
) -> tuple[float, bool]:
    feed = feeds.get(load.station.station_id, {})
    total = sum(lam for lam, _ in feed.values())
    if total <= 0.0:
        return 1.0, False
    spaced = True
    for source, (_, spread) in feed.items():
        up = loads.get(source) if source is not None else None
        spaced = spaced and spread == 0.0 and up is not None and _paths_stay_spaced(up, load)
    span = span_h(load)
    scv = 0.0
    for chain, lam in streams.items():
        scv += lam / total * _stream_scv(chain, load.station.station_id, span, loads, feeds)
    return math.sqrt(max(scv, 0.0)), spaced


def _stream_scv(
    chain: Chain, sid: str, span: float, loads: dict[str, StationLoad], feeds: Feeds
) -> float:
    """Squared cv of a stream at station ``sid``: from its (Poisson) origin through its queues.

    At each queue the stream's departures (its share of the queue's flow: the trains
    that go on to the same next queue), then the random delays after it, all over the
    span ``span`` of the station that sees them.
    """
    scv = 1.0
    for i, (source, spread) in enumerate(chain):
        up = loads[source]
        after = chain[i + 1][0] if i + 1 < len(chain) else sid
        lam = feeds[after][source][0]
        share = min(lam / up.arrivals_per_day, 1.0) if up.arrivals_per_day > 0.0 else 1.0
        scv = _stream_departure(up, scv, span_h=span, share=share)
        if spread > 0.0:
            scv = float(shuffled_scv(scv, kept=cost_kept_share(span, spread_h=math.sqrt(spread))))
    return scv


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
