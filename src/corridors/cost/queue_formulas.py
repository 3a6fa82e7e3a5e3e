"""The queue formulas: Erlang C, the G/G/c wait, Kingman's and a scheduled service's.

Mean waits before service, hours, of a queue with ``c`` servers and a service time of
mean ``E[S]`` hours and coefficient of variation ``cs``, cargo arriving at ``lambda``
shipments an hour with inter-arrival coefficient of variation ``ca``: the Erlang C
probability of waiting (:func:`erlang_c`), the Allen-Cunneen approximation of the
G/G/c queue (:func:`gg_c_wait_h`), Kingman's formula for one server
(:func:`kingman_wait_h`) and half the headway of a scheduled service
(:func:`scheduled_wait_h`). :class:`corridors.cost.mean_waits.QueueElement` puts them
together for one element. Pure Python; no I/O.

Example
-------
>>> from corridors.cost.queue_formulas import erlang_c, kingman_wait_h
>>> round(erlang_c(1, 0.7), 6)  # one server: the probability of waiting is rho
0.7
>>> kingman_wait_h(0.1, service_h=5.0, service_cv=0.0)  # M/D/1, rho 0.5: 1 x (1 + 0) / 2 x 5 h
2.5
"""

from __future__ import annotations

import math

__all__ = ["erlang_c", "gg_c_wait_h", "kingman_wait_h", "scheduled_wait_h"]


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C).

    Parameters
    ----------
    servers : int
        Servers ``c`` >= 1.
    offered_load : float
        ``a = lambda E[S]`` in Erlangs (busy servers on average), >= 0.

    Returns
    -------
    float
        ``C(c, a)`` in [0, 1]; 1 at or above capacity (``a >= c``).
    """
    if servers < 1:
        raise ValueError(f"servers must be >= 1, got {servers}")
    if offered_load < 0 or not math.isfinite(offered_load):
        raise ValueError(f"offered load must be a finite number >= 0, got {offered_load}")
    if offered_load >= servers:
        return 1.0
    blocking = 1.0  # Erlang B by the stable recursion B(k) = a B(k-1) / (k + a B(k-1))
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    rho = offered_load / servers
    return blocking / (1.0 - rho * (1.0 - blocking))


def gg_c_wait_h(
    arrivals_per_h: float,
    *,
    servers: int,
    service_h: float,
    service_cv: float,
    arrival_cv: float = 1.0,
) -> float:
    """Mean wait before service in a G/G/c queue (Allen-Cunneen), hours.

    Parameters
    ----------
    arrivals_per_h : float
        Arrival rate, shipments an hour.
    servers : int
        Parallel servers ``c``.
    service_h : float
        Mean service time ``E[S]``, hours.
    service_cv, arrival_cv : float
        Coefficients of variation of the service time and of the time between arrivals.

    Returns
    -------
    float
        Mean wait ``W_q``, hours; ``inf`` at or above capacity (``rho >= 1``).
    """
    if arrivals_per_h <= 0.0 or service_h <= 0.0:
        return 0.0
    load = arrivals_per_h * service_h
    if load >= servers:
        return math.inf
    rho = load / servers
    variability = (arrival_cv**2 + service_cv**2) / 2.0
    return erlang_c(servers, load) * service_h / (servers * (1.0 - rho)) * variability


def kingman_wait_h(
    arrivals_per_h: float, *, service_h: float, service_cv: float, arrival_cv: float = 1.0
) -> float:
    """Kingman's mean wait of a G/G/1 queue, hours.

    ``W_q = rho / (1 - rho) * (ca^2 + cs^2) / 2 * E[S]``; ``inf`` at ``rho >= 1``. The
    one-server case of :func:`gg_c_wait_h`.
    """
    if arrivals_per_h <= 0.0 or service_h <= 0.0:
        return 0.0
    rho = arrivals_per_h * service_h
    if rho >= 1.0:
        return math.inf
    return rho / (1.0 - rho) * (arrival_cv**2 + service_cv**2) / 2.0 * service_h


def scheduled_wait_h(headway_h: float | None) -> float:
    """Expected wait for the next departure of a scheduled service, hours: half the headway."""
    if headway_h is None or not headway_h > 0:
        return 0.0
    return headway_h / 2.0
