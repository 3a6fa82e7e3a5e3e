r"""How regular the arrivals at a queue are behind the queues upstream: written once.

A queue's departures are more regular than Poisson arrivals when its service is
regular (a train path's fixed slot): the next queue downstream sees arrivals with a
squared coefficient of variation below 1, and waits less. Whitt's queueing network
analyzer (QNA, 1983) links them (:func:`departure_scv`); random delays between the two
queues (a border check) shuffle the trains back towards Poisson (:func:`kept_share`,
over the downstream queue's :func:`relaxation_h`); a stream split from a queue keeps
the share ``p`` of its departures (:func:`fed_scv`). The simulation's offered loads
(:mod:`corridors.simulation.station_load`) use these functions; :class:`ArrivalStreams`
is their form for the scenario equilibrium's elements, not used by it yet (with it the
averaging of some shipped scenarios cycled; docs/model.md). No I/O.

Example
-------
>>> from corridors.cost.arrival_variability import departure_scv
>>> float(departure_scv(1.0, rho=0.5, service_scv=0.0, servers=1))  # M/D/1: 1 - rho^2
0.75
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "ArrivalStreams",
    "departure_scv",
    "fed_scv",
    "kept_share",
    "relaxation_h",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ArrayOrFloat = float | FloatArray


def departure_scv(
    arrival_scv: ArrayOrFloat,
    *,
    rho: ArrayOrFloat,
    service_scv: ArrayOrFloat,
    servers: ArrayOrFloat,
    seen_at: ArrayOrFloat | None = None,
) -> FloatArray:
    """Squared coefficient of variation of the time between departures of a queue.

    Whitt's linking equation (QNA, 1983) for ``c`` servers at utilisation ``rho``:
    ``cd^2 = 1 + (1 - rho^2) (ca^2 - 1) + rho^2 (cs^2 - 1) / sqrt(c)``, i.e.
    ``ca^2 + rho^2 ((cs^2 - 1) / sqrt(c) + 1 - ca^2)``. Numbers or arrays.

    ``seen_at``: the utilisation of the queue downstream that sees the departures.
    Departures look like services within a busy period and like the arrivals over
    longer spans (in the long run every arrival leaves); a queue busier than this one
    averages over spans longer than its busy periods and sees the arrivals'
    variability more. The service term is weighed by ``min(1, ((1 - seen_at) / (1 -
    rho))^2)``, the ratio of the two queues' relaxation times (Whitt's variability
    functions, 1995). Recalibrated from the simulation: behind the Moyinty -> Aktogay
    paths (utilisation 0.84, Poisson arrivals) the eastbound Aktogay -> Dostyk paths
    (0.92) waited 6.6-8.0 h against 3.0-3.5 h from the plain equation (``cd^2`` 0.30)
    and ~7 h with the weight (``cd^2`` 0.82; shipped 2024,
    ``tests/simulation/test_simulation_shipped_2024.py``).
    """
    ca2 = np.asarray(arrival_scv, dtype=np.float64)
    r = np.minimum(np.asarray(rho, dtype=np.float64), 1.0)
    weight = np.ones_like(r)
    if seen_at is not None:
        seen = np.minimum(np.asarray(seen_at, dtype=np.float64), 1.0)
        busy = r < 1.0
        ratio = (1.0 - seen) / np.where(busy, 1.0 - r, 1.0)
        weight = np.where(busy, np.minimum(1.0, ratio * ratio), 1.0)
    root = np.sqrt(np.asarray(servers, dtype=np.float64))
    return np.maximum(
        ca2 + r * r * ((np.asarray(service_scv) - 1.0) / root + 1.0 - ca2) * weight, 0.0
    )


def relaxation_h(
    *, rho: ArrayOrFloat, service_h: ArrayOrFloat, service_cv: ArrayOrFloat, servers: ArrayOrFloat
) -> FloatArray:
    """Relaxation time of a queue, hours (``inf`` at or above capacity; 0 without service).

    The time over which the queue averages its arrivals: ``2 sigma^2 / delta^2``, the
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


def kept_share(relax_h: ArrayOrFloat, *, spread_h: ArrayOrFloat) -> FloatArray:
    """Share of an upstream queue's departure variability a queue sees behind delays.

    Random delays (border checks, terminals with no limit) of standard deviation
    ``spread_h`` hours move each train by its own amount: trains ``sqrt(2) spread_h``
    apart trade places, so the spacing a queue upstream gave them survives only over
    spans longer than that. The queue averages its arrivals over its relaxation time
    ``T`` (``relax_h``, :func:`relaxation_h`) and keeps ``T / (T + sqrt(2)
    spread_h)`` of the upstream departures' deviation from Poisson: 1 with no random
    delay, towards 0 (Poisson) when the delays are long against ``T``. Numbers or
    arrays.

    Recalibrated from the simulation (shipped 2024 network and demand, 3 runs of 4 years
    less 60 days of warm-up): the eastbound Dostyk -> Alashankou paths (utilisation
    0.886), behind the Moyinty and Aktogay paths and the Dostyk gauge change with the
    Dostyk border's 78 h check (cv 0.8) between, waited 6.1 h; the previous rule, Poisson
    behind any random delay, gave 7.7 h, this one 6.4 h (the Dostyk gauge change: 0.54 h
    simulated, 0.65 then, 0.58 now).
    """
    t = np.asarray(relax_h, dtype=np.float64)
    spread = np.asarray(spread_h, dtype=np.float64)
    delayed = (spread > 0.0) & np.isfinite(t)
    safe = np.where(delayed, t, 1.0)
    return np.where(delayed, safe / (safe + math.sqrt(2.0) * np.where(delayed, spread, 0.0)), 1.0)


def fed_scv(departures_scv: ArrayOrFloat, *, kept: ArrayOrFloat, share: ArrayOrFloat) -> FloatArray:
    """Squared cv of a stream from a queue upstream, as a queue downstream sees it.

    The upstream departures' ``departures_scv`` keeps ``kept`` of its deviation from
    Poisson behind the random delays between (:func:`kept_share`); the stream that
    comes here is the share ``share`` of those departures (QNA splitting: ``p cd^2 + 1
    - p``). Numbers or arrays.
    """
    p = np.asarray(share, dtype=np.float64)
    return p * (1.0 + np.asarray(kept) * (np.asarray(departures_scv) - 1.0)) + 1.0 - p


@dataclass(frozen=True)
class ArrivalStreams:
    """Where the arrivals of each element come from, for the equilibrium's queues.

    A stream is the cargo an element receives straight from one upstream element
    with a queue (only random delays between, their variance ``spread_sq_h2``); what
    an element receives from no queue (an origin, off a ferry), or in a stream whose
    flow the elements' flows do not give, is Poisson.

    Attributes
    ----------
    element, upstream : array of int (streams,)
        The element fed and the element it comes from.
    spread_sq_h2 : array (streams,)
        Variance of the random delays between, hours squared.
    whole : array of bool (streams,)
        The stream is the whole of the element's flow (else the whole of the
        upstream's).
    """

    element: IntArray
    upstream: IntArray
    spread_sq_h2: FloatArray
    whole: npt.NDArray[np.bool_]

    def arrival_scv(
        self,
        rho: FloatArray,
        *,
        capacity_per_h: FloatArray,
        service_h: FloatArray,
        service_cv: FloatArray,
        servers: FloatArray,
    ) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Squared cv of each element's arrivals at utilisations ``rho``, and which are spaced.

        The rate-weighted mean of its streams' :func:`fed_scv` and 1 for the rest of
        its flow (Poisson); the upstream departures by :func:`departure_scv` (with the
        upstream's own arrivals, passed along the streams until they settle), seen at
        the element's utilisation and kept behind the random delays by
        :func:`kept_share` of the element's :func:`relaxation_h`. Arrays per element:
        utilisation, shipments an hour at utilisation 1, mean service, its cv and
        servers (elements without a queue: any, with ``capacity_per_h`` 0).

        An element is *spaced* when it is a fixed one-server train path whose whole
        flow comes from one fixed one-server path at least as long with no random
        delay between: its trains stay spaced and nobody waits.
        """
        n = len(rho)
        scv = np.ones(n)
        spaced = np.zeros(n, dtype=bool)
        if not len(self.element):
            return scv, spaced
        e, u = self.element, self.upstream
        rate_e = rho[e] * capacity_per_h[e]
        rate_u = rho[u] * capacity_per_h[u]
        stream = np.where(self.whole, rate_e, np.minimum(rate_u, rate_e))
        ok = (rate_e > 0.0) & (rate_u > 0.0)
        weight = np.where(ok, stream / np.where(ok, rate_e, 1.0), 0.0)
        share = np.where(ok, np.minimum(stream / np.where(ok, rate_u, 1.0), 1.0), 0.0)
        relax = relaxation_h(
            rho=rho[e], service_h=service_h[e], service_cv=service_cv[e], servers=servers[e]
        )
        kept = kept_share(relax, spread_h=np.sqrt(self.spread_sq_h2))
        base = 1.0 - np.bincount(e, weights=weight, minlength=n)
        for _ in range(len(e)):
            cd2 = departure_scv(
                scv[u],
                rho=rho[u],
                service_scv=service_cv[u] ** 2,
                servers=servers[u],
                seen_at=rho[e],
            )
            fed = np.bincount(e, weights=weight * fed_scv(cd2, kept=kept, share=share), minlength=n)
            new = np.asarray(base + fed, dtype=np.float64)
            settled = bool(np.allclose(new, scv, atol=1e-12, rtol=0.0))
            scv = new
            if settled:
                break
        one_path = (servers == 1) & (service_cv == 0.0)
        lone = self.whole & (self.spread_sq_h2 == 0.0) & one_path[e] & one_path[u]
        lone &= service_h[u] >= service_h[e] - 1e-12
        spaced[e[lone]] = True
        count = np.bincount(e, minlength=n)
        spaced &= count == 1
        return np.maximum(scv, 0.0), spaced
