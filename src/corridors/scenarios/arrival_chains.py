r"""How regular the arrivals at the equilibrium's queues are: the streams of a year's routes.

Each route passes its elements in order (:attr:`RouteOption.element_steps`); between two
elements with a queue its stops that are no element's (a border clearance with no lanes,
a terminal with no servers) are random delays, of standard deviation
:data:`~corridors.cost.queueing.DEFAULT_SERVICE_CV` of their kind times their hours (as the
simulation draws them), and a ferry or feeder line gives Poisson arrivals again, as
does the origin. For each element the routes' streams (:class:`Streams`, the queues each
passed since its origin or ship) give its arrival variability at a split of the demand
(:meth:`RouteStreams.delays`): the simulation's function of the same streams
(:mod:`corridors.cost.arrival_variability`), each element seeing its streams over its own
span; a fixed train path whose trains all come straight from one at least as long passes
them on unchanged, but keeps the cv of its arrivals for its own wait (the simulation's
function has it wait nothing: a wait of 0 with no slope at the knee left its capacity to
the shadow price alone, and the averaging of ``caspian-storm-winter`` stalled at a gap of
6e-4). The year's equilibrium takes it when its share gap first falls below
:data:`~corridors.scenarios.year_solver.ARRIVALS_GAP`, again at each tenth of that gap
and at each converged split until no cv moves by more than :data:`CV_TOLERANCE`
(:func:`~corridors.scenarios.choice.equilibrium_shares`' ``renew``): the converged
split's queues have the variability of that split's own flows, whatever the path
(updated with every iteration's flows it made the averaging cycle: a queue's cost then
falls with the flow upstream). Only the stations' queues
(:class:`~corridors.cost.mean_waits.QueueElement`, not closed by storms month by month)
take it; ferry and feeder lines and the Caspian berths keep theirs. No I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from corridors.cost.arrival_variability import Streams, relaxation_h
from corridors.cost.element_delays import KNEE, ElementDelays
from corridors.cost.ferry_lines import FerryLines
from corridors.cost.ferry_queue import FerryQueue
from corridors.cost.mean_waits import DEFAULT_SERVICE_CV, QueueElement
from corridors.cost.queue_formulas import gg_c_wait_h
from corridors.scenarios.elements import RouteOption, element_order
from corridors.scenarios.supply import SharedElements

__all__ = ["CV_TOLERANCE", "RouteStreams", "route_streams"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CV_TOLERANCE = 1e-4
"""A station's arrival cv is renewed when the split's moved it by more than this: the
equilibrium's queues then have the cvs of its converged split to this tolerance."""

STOPS = {"border": DEFAULT_SERVICE_CV["border"], "transfer": DEFAULT_SERVICE_CV["terminal"]}
"""Coefficient of variation of a stop that is no element's, by step kind: a border
clearance (lognormal, as the simulation's border stations) or a transfer (handling)."""


SETTLE_ROUNDS = 20
"""Rounds at most for the stations' arrival variability and spans to settle (to a tenth
of :data:`CV_TOLERANCE`)."""

STATION, SHIP = 1, 2
"""Kinds of element a stream passes: a station's queue, a ferry or feeder line."""


def _station(q: object) -> bool:
    """A station's queue (servers, not a ferry line, not closed by storms month by month)."""
    return isinstance(q, QueueElement) and q.servers is not None and not q.storm_months


@dataclass(frozen=True)
class RouteStreams:
    """The streams of a year's routes into its elements, and where they come from.

    Attributes
    ----------
    streams : Streams
        One stream per route and element it passes.
    market, column : array of int (streams,)
        The route (market and corridor column of the split) of each stream.
    weight : array (streams,)
        Share of the route's cargo that passes the element (``element_share``).
    queues : tuple
        The elements' queues (:attr:`ElementDelays.queues`).
    """

    streams: Streams
    market: IntArray
    column: IntArray
    weight: FloatArray
    queues: tuple[object, ...]

    def delays(
        self,
        delays: ElementDelays,
        elements: SharedElements,
        demand: FloatArray,
        shares: FloatArray,
    ) -> ElementDelays | None:
        """``delays`` with each station's arrival variability at the split ``shares``.

        The cvs are found from Poisson arrivals whatever ``delays`` hold (a function of
        the split alone); ``None`` when none differs from the cv its queue in ``delays``
        has by more than :data:`CV_TOLERANCE`.
        """
        queues = delays.queues
        n = len(queues)
        rate = demand[self.market] * shares[self.market, self.column] * self.weight
        cap = np.asarray(
            elements.capacity if np.size(elements.queue_capacity) == 0 else elements.queue_capacity,
            dtype=np.float64,
        )
        flows = elements.flows(demand, shares)
        ok = np.isfinite(cap) & (cap > 0)
        rho = np.where(ok, flows / np.where(ok, cap, 1.0), 0.0)
        station = np.array([_station(q) for q in queues])
        servers = np.array([float(q.servers or 1) if _station(q) else 1.0 for q in queues])  # type: ignore[union-attr]
        service_h = np.array(
            [q.service_h / q.open_share if isinstance(q, QueueElement) else 0.0 for q in queues]
        )
        service_cv = np.array([q.cv if isinstance(q, QueueElement) else 1.0 for q in queues])
        relax = np.where(
            station,
            relaxation_h(rho=rho, service_h=service_h, service_cv=service_cv, servers=servers),
            0.0,
        )
        spaced = station & self.streams.spaced(
            rate,
            servers=np.where(station, servers, 0.0),
            service_h=service_h,
            service_cv=service_cv,
        )
        cv = np.ones(n)
        behind = np.zeros(n, dtype=bool)  # the stations some stream reaches through a queue
        behind[self.streams.target[self.streams.hop_stream]] = True
        varied = np.flatnonzero(station & behind & (rho > 0.0)).tolist()
        # the mean time between each station's arrivals, hours
        gap = np.where(station & (rho > 0.0), service_h / np.maximum(rho * servers, 1e-300), 0.0)
        for _ in range(SETTLE_ROUNDS):  # each station's span depends on its own arrivals
            span = np.zeros(n)
            for e in varied:
                r = min(float(rho[e]), KNEE)
                wait = gg_c_wait_h(  # the queue's own wait (its closures' backlog apart)
                    r * servers[e] / service_h[e],
                    servers=int(servers[e]),
                    service_h=float(service_h[e]),
                    service_cv=float(service_cv[e]),
                    arrival_cv=float(cv[e]),
                )
                span[e] = wait / (1.0 - r)
            scv = self.streams.arrival_scv(
                rate,
                rho=rho,
                service_cv=service_cv,
                servers=servers,
                relax_h=relax,
                passes=~station | spaced,
                span_h=span,
                gap_h=gap,
            )
            new = np.sqrt(np.maximum(scv, 0.0))
            settled = bool(np.abs(new - cv).max(initial=0.0) <= CV_TOLERANCE / 10.0)
            cv = new
            if settled:
                break
        had = np.array(  # each station's cv in ``delays`` (nan: no station)
            [
                q.arrival_cv if isinstance(q, QueueElement) and station[e] else np.nan
                for e, q in enumerate(queues)
            ]
        )
        if not bool((np.abs(cv - had) > CV_TOLERANCE).any()):
            return None
        out = [
            dataclasses.replace(q, arrival_cv=float(cv[e]))
            if isinstance(q, QueueElement) and station[e]
            else q
            for e, q in enumerate(queues)
        ]
        return dataclasses.replace(delays, queues=tuple(out))


def route_streams(
    per_market: Sequence[Sequence[RouteOption]],
    columns: Sequence[str],
    e_index: Mapping[str, int],
    queues: Sequence[object],
) -> RouteStreams | None:
    """The streams of the routes ``per_market`` (split columns ``columns``) into their elements.

    ``None`` when no route passes two stations' queues in a row (every queue sees
    Poisson arrivals).
    """
    first = {c: columns.index(c) for c in dict.fromkeys(columns)}
    chains: list[tuple[int, list[tuple[int, float]]]] = []
    market: list[int] = []
    column: list[int] = []
    weight: list[float] = []
    chained = False
    kinds = [
        SHIP if isinstance(q, FerryQueue | FerryLines) else STATION if _station(q) else 0
        for q in queues
    ]
    for i, alts in enumerate(per_market):
        taken: dict[str, int] = {}
        for a in alts:
            j = first[a.corridor] + taken.get(a.corridor, 0)
            taken[a.corridor] = taken.get(a.corridor, 0) + 1
            shares = a.element_share or (1.0,) * len(a.elements)
            for k, e, hops in _route_chains(a, e_index, kinds):
                if kinds[e] != STATION:
                    continue  # only the stations' queues take it
                chains.append((e, hops))
                market.append(i)
                column.append(j)
                weight.append(shares[k])
                chained |= bool(hops)
    if not chained:
        return None
    return RouteStreams(
        Streams.of(chains),
        np.array(market, dtype=np.int64),
        np.array(column, dtype=np.int64),
        np.array(weight, dtype=np.float64),
        tuple(queues),
    )


def _route_chains(
    a: RouteOption, e_index: Mapping[str, int], kinds: Sequence[int]
) -> list[tuple[int, int, list[tuple[int, float]]]]:
    """``(position, element, hops)`` for each element of route ``a`` in its order.

    ``hops``: the queues before it since its origin or last ship, each with the
    variance of the random delays after it (h^2). An element whose place on the route
    is unknown has none. ``kinds``: each element's :data:`STATION` or :data:`SHIP` (else
    it passes its trains on).
    """
    elements = a.elements
    if a.route is None or len(a.element_steps) != len(elements):
        return [(k, e_index[key], []) for k, (key, _, _) in enumerate(elements)]
    steps = a.route.steps
    order = a.element_order or element_order(steps, a.element_steps)
    out: list[tuple[int, int, list[tuple[int, float]]]] = []
    if len(order) < len(elements):
        placed = {k for ks, _ in order for k in ks}
        out = [(k, e_index[key], []) for k, (key, _, _) in enumerate(elements) if k not in placed]
    chain: list[tuple[int, float]] = []
    spread = 0.0
    for ks, stops in order:
        for i in stops:
            spread += (STOPS.get(steps[i].kind, 0.0) * steps[i].hours) ** 2
        hops = [*chain[:-1], (chain[-1][0], spread)] if chain else []
        lead = -1
        ship = False
        for k in ks:
            e = e_index[elements[k][0]]
            out.append((k, e, hops))
            if kinds[e] == SHIP:
                ship = True
            elif kinds[e] == STATION and lead < 0:
                lead = e
        if ship:
            chain, spread = [], 0.0  # off a ship: Poisson again
        elif lead >= 0:
            chain, spread = [*hops, (lead, 0.0)], 0.0
    return out
