r"""How regular the arrivals at a queue are behind the queues upstream: written once.

A queue's departures are more regular than Poisson arrivals when its service is
regular (a train path's fixed slot): the next queue downstream sees arrivals with a
squared coefficient of variation below 1, and waits less. What it sees depends on the
span of time over which it builds its queue (:func:`queue_span_h`: its mean wait over
its spare share): a queue's departures are as regular as its services over short spans
and as variable as its arrivals over spans longer than its relaxation time
(:func:`relaxation_h`; :func:`seen_weight` between). Whitt's linking equation (QNA,
1983) for each stream through a queue (:func:`departure_scv`: the stream keeps its own
arrivals' variability, not the mix's, and takes its share of the services); random
delays between two queues (a border check) shuffle the trains back towards Poisson
over the downstream queue's span (:func:`kept_share`, :func:`shuffled_scv`). The
simulation's offered loads (:mod:`corridors.simulation.station_load`) and the scenario
equilibrium's queues (:mod:`corridors.scenarios.arrival_chains`) walk each stream from
its origin through these functions (:class:`Streams`). No I/O.

Example
-------
>>> from corridors.cost.arrival_variability import departure_scv
>>> float(departure_scv(1.0, rho=0.5, service_scv=0.0, servers=1))  # M/D/1: 1 - rho^2
0.75
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "SEEN_SLOPE",
    "Streams",
    "departure_scv",
    "kept_share",
    "queue_span_h",
    "relaxation_h",
    "seen_weight",
    "shuffled_scv",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ArrayOrFloat = float | FloatArray

SEEN_SLOPE = 1.5
"""How fast a queue's departures lose the regularity of its services with the span
they are counted over, per relaxation time (:func:`seen_weight`). Fitted to the index of
dispersion of the departures of an M/D/1 queue at utilisation 0.8 with Poisson
arrivals (relaxation time 40 services; Lindley's recursion, 300,000 arrivals): 0.34,
0.53, 0.76 and 0.93 over 0.1, 0.3, 1 and 3 relaxation times, against 0.44, 0.56, 0.74
and 0.88 from ``1 - rho^2 w`` (``tests/cost/test_arrival_variability.py``)."""


def departure_scv(
    arrival_scv: ArrayOrFloat,
    *,
    rho: ArrayOrFloat,
    service_scv: ArrayOrFloat,
    servers: ArrayOrFloat,
    weight: ArrayOrFloat = 1.0,
    share: ArrayOrFloat = 1.0,
) -> FloatArray:
    """Squared cv of the time between departures of one stream through a queue.

    Whitt's linking equation (QNA, 1983) for ``c`` servers at utilisation ``rho``,
    ``cd^2 = (1 - rho^2) ca^2 + rho^2 (1 + (cs^2 - 1) / sqrt(c))``, for a stream that
    is the share ``share`` of the queue's flow and arrives with squared cv ``ca^2``
    (``arrival_scv``): a departure follows the stream's own arrival when the queue is
    idle (it keeps its own variability, not the mix's) and a service when busy, of
    which it takes the share ``p``: ``cd^2 = (1 - rho^2 w) ca^2 + rho^2 w (1 + p (cs^2 -
    1) / sqrt(c))``. ``weight`` ``w`` (:func:`seen_weight`): how much of the service's
    regularity a queue downstream sees over its span. With ``p = 1`` and ``w = 1`` the
    linking equation; the whole flow split at random between directions (QNA's ``p
    cd^2 + 1 - p``) gave the eastbound paths out of Dostyk, a stream of regular trains
    through the gauge change shared with the westbound trains, a cv of at least 0.71
    where the simulation's waits say 0.7 (shipped 2024; a regular stream through a
    queue shared with a Poisson one: ``tests/cost/test_arrival_variability.py``).
    Numbers or arrays.
    """
    ca2 = np.asarray(arrival_scv, dtype=np.float64)
    r = np.minimum(np.asarray(rho, dtype=np.float64), 1.0)
    busy = r * r * np.asarray(weight, dtype=np.float64)
    root = np.sqrt(np.asarray(servers, dtype=np.float64))
    service = 1.0 + np.asarray(share, dtype=np.float64) * (np.asarray(service_scv) - 1.0) / root
    return np.maximum((1.0 - busy) * ca2 + busy * service, 0.0)


def relaxation_h(
    *, rho: ArrayOrFloat, service_h: ArrayOrFloat, service_cv: ArrayOrFloat, servers: ArrayOrFloat
) -> FloatArray:
    """Relaxation time of a queue, hours (``inf`` at or above capacity; 0 without service).

    The time over which the queue forgets its arrivals: ``2 sigma^2 / delta^2``, the
    inverse spectral gap of the reflected Brownian motion that approximates the queue
    (variance ``sigma^2 = lambda (1 + cs^2)`` of the work arriving at Poisson arrivals,
    drift ``delta = c mu (1 - rho)``): ``2 rho (1 + cs^2) E[S] / (c (1 - rho)^2)``.
    Numbers or arrays.
    """
    r = np.asarray(rho, dtype=np.float64)
    s = np.asarray(service_h, dtype=np.float64)
    gap = np.where(r < 1.0, (1.0 - r) ** 2, 1.0)
    t = 2.0 * r * (1.0 + np.asarray(service_cv) ** 2) * s / (np.asarray(servers) * gap)
    return np.where(s <= 0.0, 0.0, np.where(r >= 1.0, np.inf, t))


def queue_span_h(wait_h: ArrayOrFloat, *, rho: ArrayOrFloat) -> FloatArray:
    """The span over which a queue builds its waits, hours: ``W_q / (1 - rho)``.

    A queue of its mean wait ``W_q`` (``wait_h``) builds up and clears at the spare
    rate ``1 - rho`` in about this long (the time scale of a Gaussian input's most
    likely path to the queue's mean level): the span over which its arrivals'
    regularity counts. 0 without a wait; ``inf`` at or above capacity. Numbers or
    arrays.
    """
    w = np.asarray(wait_h, dtype=np.float64)
    r = np.asarray(rho, dtype=np.float64)
    spare = np.where(r < 1.0, 1.0 - r, 1.0)
    return np.where(r >= 1.0, np.inf, np.maximum(w, 0.0) / spare)


def seen_weight(span_h: ArrayOrFloat, *, relax_h: ArrayOrFloat) -> FloatArray:
    """Share of a queue's service regularity seen over a span of ``span_h`` hours.

    Departures look like services within a busy period and like the arrivals over
    spans longer than the queue's relaxation time ``T`` (``relax_h``,
    :func:`relaxation_h`): ``1 / (1 + SEEN_SLOPE t / T)`` (:data:`SEEN_SLOPE`); 1 for
    a queue at capacity (``T`` infinite) or over no span. It replaces Whitt's weight
    ``min(1, ((1 - rho_down) / (1 - rho_up))^2)`` (variability functions, 1995),
    which it matches behind a queue much less busy than the one downstream (``1/4``
    where the downstream's relaxation time is four times longer) and which saw the
    whole regularity of the Moyinty -> Aktogay paths' departures at the Dostyk ->
    Alashankou paths, as busy (with this weight the paths wait 3.9 h against 3.8 h
    simulated, shipped 2024). Numbers or arrays.
    """
    t = np.asarray(span_h, dtype=np.float64)
    relax = np.asarray(relax_h, dtype=np.float64)
    ok = (relax > 0.0) & np.isfinite(relax) & np.isfinite(t)
    with np.errstate(over="ignore"):  # a span past a tiny relaxation time: ratio inf, weight 0
        ratio = np.where(ok, t / np.where(ok, relax, 1.0), 0.0)
    out = 1.0 / (1.0 + SEEN_SLOPE * ratio)
    return np.where(relax > 0.0, np.where(np.isinf(t) & np.isfinite(relax), 0.0, out), 0.0)


def kept_share(
    span_h: ArrayOrFloat, *, spread_h: ArrayOrFloat, gap_h: ArrayOrFloat = 0.0
) -> FloatArray:
    r"""Share of a stream's deviation from Poisson a queue sees behind random delays.

    Random delays (border checks, terminals with no limit) of standard deviation
    ``spread_h`` hours move each train by its own amount. Over a span of :math:`t`
    hours (``span_h``, :func:`queue_span_h`) a train is counted in the wrong span
    when it crosses either end: that adds :math:`\lambda E|X - X'|` to the variance
    of the count, :math:`2 \sigma / \sqrt\pi` for normal delays (a regular stream
    moved by them has an index of dispersion :math:`2\sigma / (\sqrt\pi\, t)` over
    spans much longer than :math:`\sigma`). The queue keeps :math:`t / (t + 2 \sigma
    / \sqrt\pi)` of the stream's deviation: 1 with no random delay, towards 0
    (Poisson) when the delays are long against the span. Numbers or arrays.

    The span is at least the mean time between the queue's arrivals ``gap_h`` (hours;
    0: no floor): a queue that waits less than that still sees the gaps between its
    trains, whose squared cv behind the delays is about ``1 - kept`` over one gap for
    a regular stream (trains every 7 h moved by normal delays of sd 5.44 h: 0.50, against
    0.47; a 2.4 h path they feed waits 0.30 h, 0.63 h with Poisson arrivals; Lindley's
    recursion, ``tests/cost/test_arrival_variability.py``). Over the span of a little
    wait alone the delays made such a stream Poisson: the eastbound Khorgos-Altynkol
    path (gap 7 h, span 0.9 h, the Altynkol gauge change's regular trains behind its
    border's sd 5.44 h) waited 0.61 h by its function against 0.51 h simulated.

    It was :math:`T / (T + \sqrt 2 \sigma)` over the relaxation time :math:`T`, which
    kept 0.69 of the westbound Alashankou -> Dostyk paths' regularity behind the Dostyk
    border's 78 h check (cv 0.8) for the Dostyk -> Aktogay paths, whose trains counted
    over their span (about 40 h) show about 0.1 of it (shipped 2024).
    """
    t = np.maximum(np.asarray(span_h, dtype=np.float64), np.asarray(gap_h, dtype=np.float64))
    spread = np.asarray(spread_h, dtype=np.float64)
    moved = 2.0 / math.sqrt(math.pi) * np.where(spread > 0.0, spread, 0.0)
    safe_t = np.where(np.isfinite(t), np.maximum(t, 0.0), 1.0)
    share = np.where(moved > 0.0, safe_t / np.maximum(safe_t + moved, 1e-300), 1.0)
    return np.where(np.isfinite(t) | (moved == 0.0), share, 1.0)


def shuffled_scv(scv: ArrayOrFloat, *, kept: ArrayOrFloat) -> FloatArray:
    """Squared cv of a stream behind random delays that keep ``kept`` of its deviation.

    ``1 + kept (scv - 1)`` (:func:`kept_share`). Numbers or arrays.
    """
    return 1.0 + np.asarray(kept, dtype=np.float64) * (np.asarray(scv, dtype=np.float64) - 1.0)


@dataclass(frozen=True)
class Streams:
    """The streams of trains into each element, each with the queues it passed: written once.

    A stream is the cargo that reaches an element (its *target*) over one sequence of
    upstream queues since its origin or a ferry (Poisson there), with the variance of the
    random delays after each; its rate is given at evaluation. The simulation's station
    loads (:mod:`corridors.simulation.station_load`) and the scenario equilibrium
    (:mod:`corridors.scenarios.arrival_chains`) both evaluate their elements' arrival
    variability here.

    Attributes
    ----------
    target : array of int (streams,)
        The element each stream arrives at.
    hop_stream, hop_queue, hop_next : array of int (hops,)
        For each upstream queue a stream passes (a *hop*): the stream, the queue and the
        element the stream goes to next (the next hop's queue, or the target).
    hop_spread_sq_h2 : array (hops,)
        Variance of the random delays between the hop's queue and the next, hours
        squared.
    hop_rank : array of int (hops,)
        Position of the hop in its stream (0: the first queue after the origin).
    """

    target: IntArray
    hop_stream: IntArray
    hop_queue: IntArray
    hop_next: IntArray
    hop_spread_sq_h2: FloatArray
    hop_rank: IntArray

    @classmethod
    def of(cls, chains: Sequence[tuple[int, Sequence[tuple[int, float]]]]) -> Streams:
        """Streams from ``(target, ((queue, spread variance after it, h^2), ...))`` each."""
        target, stream, queue, after, spread, rank = [], [], [], [], [], []
        for s, (t, hops) in enumerate(chains):
            target.append(t)
            for r, (q, var) in enumerate(hops):
                stream.append(s)
                queue.append(q)
                after.append(hops[r + 1][0] if r + 1 < len(hops) else t)
                spread.append(var)
                rank.append(r)
        return cls(
            np.array(target, dtype=np.int64),
            np.array(stream, dtype=np.int64),
            np.array(queue, dtype=np.int64),
            np.array(after, dtype=np.int64),
            np.array(spread, dtype=np.float64),
            np.array(rank, dtype=np.int64),
        )

    @functools.cached_property
    def _hops(self) -> tuple[IntArray, int, npt.NDArray[np.bool_], list[tuple[IntArray, ...]]]:
        """The hops' structure, found once (a function of the streams alone).

        Each hop's (queue, next element) pair number, the pairs' count, whether it is its
        stream's last hop, and per rank the hops, their streams and their queues.
        """
        pair = self.hop_queue * (int(max(self.hop_queue.max(), self.hop_next.max())) + 1)
        keys, inverse = np.unique(pair + self.hop_next, return_inverse=True)
        length = np.bincount(self.hop_stream, minlength=len(self.target))
        last = self.hop_rank == length[self.hop_stream] - 1
        ranks: list[tuple[IntArray, ...]] = []
        for r in range(int(self.hop_rank.max()) + 1):
            h = np.flatnonzero(self.hop_rank == r)
            ranks.append((h, self.hop_stream[h], self.hop_queue[h]))
        return (
            np.asarray(inverse, dtype=np.int64),
            len(keys),
            np.asarray(last, dtype=np.bool_),
            ranks,
        )

    def flows(self, rate: FloatArray, n: int) -> FloatArray:
        """Flow into each of ``n`` elements: the rates ``rate`` of its streams added."""
        return np.bincount(self.target, weights=rate, minlength=n)[:n].astype(np.float64)

    def spaced(
        self,
        rate: FloatArray,
        *,
        servers: FloatArray,
        service_h: FloatArray,
        service_cv: FloatArray,
    ) -> npt.NDArray[np.bool_]:
        """Which elements are fixed one-server train paths whose trains stay spaced.

        Every stream with a rate arrives straight (no random delay) from one fixed
        one-server path at least as long, the same for all: nobody waits there.
        """
        n = len(servers)
        one_path = (servers == 1) & (service_cv == 0.0)
        last = np.full(len(self.target), -1, dtype=np.int64)
        spread = np.zeros(len(self.target))
        if len(self.hop_stream):
            order = np.argsort(self.hop_rank, kind="stable")
            last[self.hop_stream[order]] = self.hop_queue[order]  # the last hop wins
            spread[self.hop_stream[order]] = self.hop_spread_sq_h2[order]
        live = rate > 0.0
        ok = live & (last >= 0) & (spread == 0.0)
        up = np.where(last >= 0, last, 0)
        ok &= (
            one_path[up] & one_path[self.target] & (service_h[up] >= service_h[self.target] - 1e-12)
        )
        bad = np.bincount(self.target[live & ~ok], minlength=n)[:n] > 0
        fed = np.bincount(self.target[live], minlength=n)[:n] > 0
        lo = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        hi = np.full(n, -1, dtype=np.int64)
        np.minimum.at(lo, self.target[ok], up[ok])
        np.maximum.at(hi, self.target[ok], up[ok])
        return np.asarray(fed & ~bad & (lo == hi), dtype=np.bool_)

    def arrival_scv(
        self,
        rate: FloatArray,
        *,
        rho: FloatArray,
        service_cv: FloatArray,
        servers: FloatArray,
        relax_h: FloatArray,
        passes: npt.NDArray[np.bool_],
        span_h: FloatArray,
        gap_h: FloatArray,
    ) -> FloatArray:
        """Squared cv of each element's arrivals as it sees them over its span.

        Each stream (``rate`` each) walked from its origin (Poisson) through its hops:
        the hop queue's departures for the stream (:func:`departure_scv`, its share of
        the queue's flow the rate that goes on to the same next element, seen over the
        target's span ``span_h`` by :func:`seen_weight` of the queue's relaxation time
        ``relax_h``; unchanged where the queue ``passes`` its trains on: no limit, or
        spaced), then the random delays after it (:func:`kept_share`, over at least the
        mean time between the target's arrivals ``gap_h``, hours). The rate-weighted
        mean over an element's streams; 1 for an element without any. Arrays per
        element: utilisation, service cv, servers.
        """
        n = len(rho)
        v = np.ones(len(self.target))
        if len(self.hop_stream):
            inverse, count, last, ranks = self._hops
            hop_rate = rate[self.hop_stream]
            # the rate from a queue to the next element: the streams that end there
            pair_rate = np.bincount(inverse[last], weights=hop_rate[last], minlength=count)[inverse]
            through = self.flows(rate, n)[self.hop_queue]
            share = np.where(
                through > 0.0,
                np.minimum(pair_rate / np.where(through > 0.0, through, 1.0), 1.0),
                1.0,
            )
            span = span_h[self.target[self.hop_stream]]
            q = self.hop_queue
            weight = seen_weight(span, relax_h=relax_h[q])
            kept = kept_share(
                span,
                spread_h=np.sqrt(self.hop_spread_sq_h2),
                gap_h=gap_h[self.target[self.hop_stream]],
            )
            service_scv = service_cv**2
            for h, s, qh in ranks:
                out = departure_scv(
                    v[s],
                    rho=rho[qh],
                    service_scv=service_scv[qh],
                    servers=servers[qh],
                    weight=weight[h],
                    share=share[h],
                )
                v[s] = shuffled_scv(np.where(passes[qh], v[s], out), kept=kept[h])
        total = self.flows(rate, n)
        mixed = np.bincount(self.target, weights=rate * v, minlength=n)[:n]
        return np.where(total > 0.0, mixed / np.where(total > 0.0, total, 1.0), 1.0)
