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

from corridors.cost.element_queues import station_queue
from corridors.cost.queueing import QueueElement
from corridors.simulation.model import ShipmentGenerator, SimulationModel, Station
from corridors.simulation.offered import closed_hours, offered_per_day


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
    # station -> upstream station -> [rate, rate x variance of the random delays between]
    feeds: dict[str, dict[str | None, list[float]]] = {}
    tonnes: dict[str, float] = {}
    moment1: dict[str, float] = {}
    moment2: dict[str, float] = {}
    specs = {s.station_id: s for s in model.stations}
    for g in model.generators:
        per_day = offered_per_day(g, horizon_h=model.horizon_h)
        upstream: str | None = None  # the last station with a queue (None: origin, ferry)
        spread = 0.0  # variance of the random delays since then, h^2
        for step in g.itinerary:
            st = specs.get(step.target) if step.kind == "station" else None
            if st is None:
                if step.kind == "ferry":
                    upstream, spread = None, 0.0
                continue
            sid = st.station_id
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


def departure_scv(load: StationLoad, *, seen_at: float | None = None) -> float:
    """Squared coefficient of variation of the time between departures of a station.

    Whitt's linking equation (QNA, 1983) for ``c`` servers at utilisation ``rho``:
    ``cd^2 = 1 + (1 - rho^2) (ca^2 - 1) + rho^2 (cs^2 - 1) / sqrt(c)``, i.e.
    ``ca^2 + rho^2 ((cs^2 - 1) / sqrt(c) + 1 - ca^2)``; a station with no limit, or
    whose trains never wait (``spaced``), passes its arrivals on unchanged.

    ``seen_at``: the utilisation of the queue downstream that sees the departures.
    Departures look like services within a busy period and like the arrivals over
    longer spans (in the long run every arrival leaves); a queue busier than this
    station averages over spans longer than its busy periods and sees the arrivals'
    variability more. The service term is weighed by ``min(1, ((1 - seen_at) / (1 -
    rho))^2)``, the ratio of the two queues' relaxation times (Whitt's variability
    functions, 1995). Recalibrated from the simulation: behind the Moyinty -> Aktogay
    paths (utilisation 0.84, Poisson arrivals) the eastbound Aktogay -> Dostyk paths
    (0.92) waited 6.6-8.0 h against 3.0-3.5 h from the plain equation (``cd^2`` 0.30)
    and ~7 h with the weight (``cd^2`` 0.82; shipped 2024,
    ``tests/simulation/test_simulation_shipped_2024.py``).
    """
    ca2 = load.arrival_cv**2
    if load.station.unlimited or load.spaced:
        return ca2
    rho = min(load.utilisation, 1.0)
    cs2 = load.service_cv**2
    weight = 1.0
    if seen_at is not None and rho < 1.0:
        weight = min(1.0, ((1.0 - min(seen_at, 1.0)) / (1.0 - rho)) ** 2)
    return max(
        ca2 + rho * rho * ((cs2 - 1.0) / math.sqrt(load.station.servers) + 1.0 - ca2) * weight,
        0.0,
    )


def relaxation_h(load: StationLoad) -> float:
    """Relaxation time of a station's queue, hours (``inf`` at or above capacity).

    The time over which the queue averages its arrivals: ``2 sigma^2 / delta^2``, the
    inverse spectral gap of the reflected Brownian motion that approximates the queue
    (variance ``sigma^2 = lambda (1 + cs^2)`` of the work arriving at Poisson arrivals,
    drift ``delta = c mu (1 - rho)``): ``2 rho (1 + cs^2) E[S] / (c (1 - rho)^2)``; 0 for
    a station with no limit.
    """
    if load.station.unlimited or load.service_h <= 0.0:
        return 0.0
    rho = load.utilisation
    if rho >= 1.0:
        return math.inf
    servers = load.station.servers
    return 2.0 * rho * (1.0 + load.service_cv**2) * load.service_h / (servers * (1.0 - rho) ** 2)


def kept_share(load: StationLoad, *, spread_h: float) -> float:
    """Share of an upstream queue's departure variability a station sees behind delays.

    Random delays (border checks, terminals with no limit) of standard deviation
    ``spread_h`` hours move each train by its own amount: trains ``sqrt(2) spread_h``
    apart trade places, so the spacing a queue upstream gave them survives only over
    spans longer than that. The station averages its arrivals over its
    :func:`relaxation_h` ``T`` and keeps ``T / (T + sqrt(2) spread_h)`` of the upstream
    departures' deviation from Poisson: 1 with no random delay, towards 0 (Poisson)
    when the delays are long against ``T``.

    Recalibrated from the simulation (shipped 2024 network and demand, 3 runs of 4 years
    less 60 days of warm-up): the eastbound Dostyk -> Alashankou paths (utilisation
    0.886), behind the Moyinty and Aktogay paths and the Dostyk gauge change with the
    Dostyk border's 78 h check (cv 0.8) between, waited 6.1 h; the previous rule, Poisson
    behind any random delay, gave 7.7 h, this one 6.4 h (the Dostyk gauge change: 0.54 h
    simulated, 0.65 then, 0.58 now).
    """
    if spread_h <= 0.0:
        return 1.0
    relax = relaxation_h(load)
    if math.isinf(relax):
        return 1.0
    return relax / (relax + math.sqrt(2.0) * spread_h)


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
            cd2 = 1.0 + kept_share(load, spread_h=spread_h) * (cd2 - 1.0)
            scv += lam / total * (p * cd2 + 1.0 - p)
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
