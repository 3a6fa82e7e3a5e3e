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
from corridors.cost.arrival_variability import fed_scv
from corridors.cost.arrival_variability import kept_share as cost_kept_share
from corridors.cost.arrival_variability import relaxation_h as cost_relaxation_h
from corridors.cost.element_queues import station_queue
from corridors.cost.queueing import QueueElement
from corridors.simulation.model import ShipmentGenerator, SimulationModel, Station
from corridors.simulation.offered import closed_hours, offered_per_day, storm_season


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
        come straight from their (Poisson) origin (or off a ferry); behind a station
        with a queue, its departure variability (Whitt's linking equation of the
        queueing network analyzer, :func:`departure_scv`), moved back towards Poisson
        by the random delays of the places with no queue between (:func:`kept_share`),
        split with the share ``p`` of its departures that come here (``p cd^2 + 1 -
        p``); the rate-weighted mean where streams merge.
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
    feeds: dict[str, dict[str | None, list[float]]] = {}
    tonnes: dict[str, float] = {}
    moment1: dict[str, float] = {}
    moment2: dict[str, float] = {}
    landside: dict[str, float] = {}
    specs = {s.station_id: s for s in model.stations}
    for g in model.generators:
        per_day = offered_per_day(g, horizon_h=model.horizon_h)
        upstream: str | None = None  # the last station with a queue (None: origin, ferry)
        spread = 0.0  # variance of the random delays since then, h^2
        off_ferry = False  # the shipment comes straight off a ferry
        for step in g.itinerary:
            st = specs.get(step.target) if step.kind == "station" else None
            if st is None:
                if step.kind == "ferry":
                    upstream, spread, off_ferry = None, 0.0, True
                continue
            sid = st.station_id
            if not off_ferry:
                landside[sid] = landside.get(sid, 0.0) + per_day
            off_ferry = False
            feed = feeds.setdefault(sid, {}).setdefault(upstream, [0.0, 0.0])
            feed[0] += per_day
            feed[1] += per_day * spread
            scale = _service_per_shipment(st, g)
            if st.unlimited:  # a random delay: it shuffles the trains, no queue smooths them
                spread += st.service.variance * scale * scale
            else:
                upstream, spread = sid, 0.0
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


def departure_scv(load: StationLoad, *, seen_at: float | None = None) -> float:
    """Squared coefficient of variation of the time between departures of a station.

    :func:`corridors.cost.arrival_variability.departure_scv` of the station's
    arrivals, utilisation, service and servers; a station with no limit, or whose
    trains never wait (``spaced``), passes its arrivals on unchanged. ``seen_at``: the
    utilisation of the queue downstream that sees the departures.
    """
    ca2 = load.arrival_cv**2
    if load.station.unlimited or load.spaced:
        return ca2
    return float(
        cost_departure_scv(
            ca2,
            rho=load.utilisation,
            service_scv=load.service_cv**2,
            servers=load.station.servers,
            seen_at=seen_at,
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


def kept_share(load: StationLoad, *, spread_h: float) -> float:
    """Share of an upstream queue's departure variability a station sees behind delays.

    :func:`corridors.cost.arrival_variability.kept_share` over the station's
    :func:`relaxation_h`: 1 with no random delay (``spread_h`` 0, hours), towards 0
    (Poisson) when the delays are long against it.
    """
    return float(cost_kept_share(relaxation_h(load), spread_h=spread_h))


def _arrival_cv(
    load: StationLoad, feed: dict[str | None, list[float]], loads: dict[str, StationLoad]
) -> tuple[float, bool]:
    total = sum(lam for lam, _ in feed.values())
    if total <= 0.0:
        return 1.0, False
    scv = 0.0
    spaced = True
    for source, (lam, spread) in feed.items():
        up = loads.get(source) if source is not None else None
        if up is None:
            scv += lam / total
        else:  # the share p of the station's departures that come here (QNA splitting)
            p = min(lam / up.arrivals_per_day, 1.0) if up.arrivals_per_day > 0 else 1.0
            cd2 = departure_scv(up, seen_at=load.utilisation)
            spread_h = math.sqrt(spread / lam) if lam > 0.0 else 0.0
            kept = kept_share(load, spread_h=spread_h)
            scv += lam / total * float(fed_scv(cd2, kept=kept, share=p))
            spaced = spaced and spread == 0.0
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
