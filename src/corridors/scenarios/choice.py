"""Corridor choice: a multinomial logit on generalised cost, with capacity feedback.

Each market ``m`` splits its volume ``d[m]`` (TEU a year) across corridors ``c`` by

``s[m, c] = exp(-scale * g[m, c]) / sum_k exp(-scale * g[m, k])``

where the generalised cost ``g`` (USD per TEU) is the money cost, the value of the
hours in transit and the corridor's risk premium. Congestion feeds back through a
volume-delay function on each corridor's bottleneck capacity ``C[c]`` (TEU a year):

``g[m, c] = g0[m, c] + vot * t0[m, c] * (vdf(v[c], C[c]) / t0 - 1)``,
``v[c] = sum_m d[m] * s[m, c]``,

and the shares are found as a fixed point by the method of successive averages (MSA):
``s <- s + (logit(g(s)) - s) / beta_k``. Classic MSA takes ``beta_k = k + 1``; the
default self-regulated averaging (SRA; Liu, Ban and Lu 2009, "A self-regulated
averaging method for the stochastic user equilibrium") grows ``beta`` by 1 when the gap
grew and by only 0.05 when it shrank, which keeps steps long while they help and
converges in tens instead of thousands of iterations. Pure numpy; no I/O.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]


def logit_shares(cost: FloatArray, *, scale: float) -> FloatArray:
    """Multinomial logit shares over the last axis.

    Parameters
    ----------
    cost : array of float, shape (..., n)
        Generalised cost of each alternative, USD per TEU; ``inf`` marks an
        alternative that is not available.
    scale : float
        Logit scale, 1/USD per TEU (> 0).

    Returns
    -------
    array of float, same shape
        Shares summing to one over the last axis (all zero where no alternative is
        available).
    """
    c = np.asarray(cost, dtype=np.float64)
    finite = np.isfinite(c)
    lowest = np.where(finite, c, np.inf).min(axis=-1, keepdims=True)
    lowest = np.where(np.isfinite(lowest), lowest, 0.0)
    expo = np.where(finite, np.exp(-scale * (np.where(finite, c, lowest) - lowest)), 0.0)
    total = expo.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total > 0, expo / np.where(total > 0, total, 1.0), 0.0)
    return np.asarray(shares, dtype=np.float64)


def logsum(cost: FloatArray, *, scale: float) -> FloatArray:
    """Expected minimum cost (the logsum), USD per TEU, over the last axis.

    ``-(1/scale) * log(sum_k exp(-scale * g[k]))``; its change between two states times
    the volume is the change in shippers' surplus (fixed total demand).
    """
    c = np.asarray(cost, dtype=np.float64)
    finite = np.isfinite(c)
    lowest = np.where(finite, c, np.inf).min(axis=-1)
    safe_low = np.where(np.isfinite(lowest), lowest, 0.0)
    gaps = np.where(finite, c, safe_low[..., None]) - safe_low[..., None]
    expo = np.where(finite, np.exp(-scale * gaps), 0.0)
    total = expo.sum(axis=-1)
    with np.errstate(divide="ignore"):
        out = safe_low - np.log(total) / scale
    return np.asarray(np.where(total > 0, out, np.inf), dtype=np.float64)


def local_bpr(
    t0: FloatArray, volume: FloatArray, capacity: FloatArray, *, alpha: float, beta: float
) -> FloatArray:
    """BPR volume-delay function ``t0 * (1 + alpha * (volume / capacity) ** beta)``.

    ``capacity`` may be ``inf`` (never congested).
    """
    t0 = np.asarray(t0, dtype=np.float64)
    ratio = np.divide(
        volume,
        capacity,
        out=np.zeros(np.broadcast(volume, capacity).shape),
        where=np.isfinite(capacity) & (capacity > 0),
    )
    return np.asarray(t0 * (1.0 + alpha * ratio**beta), dtype=np.float64)


SRA_GROW = 1.0
"""SRA: increase of the step divisor after an iteration that did not reduce the gap."""
SRA_SHRINK = 0.05
"""SRA: increase of the step divisor after an iteration that reduced the gap."""

VDF = Callable[..., FloatArray]


def resolve_bpr() -> VDF:
    """``corridors.assignment.vdf.bpr`` when that module exists, else :func:`local_bpr`."""
    try:
        module = importlib.import_module("corridors.assignment.vdf")
    except ImportError:
        return local_bpr
    fn = getattr(module, "bpr", None)
    if not callable(fn):
        return local_bpr

    def shared(
        t0: FloatArray, volume: FloatArray, capacity: FloatArray, *, alpha: float, beta: float
    ) -> FloatArray:
        try:
            out = fn(t0, volume, capacity, alpha=alpha, beta=beta)
        except TypeError:  # a different signature: keep our own
            return local_bpr(t0, volume, capacity, alpha=alpha, beta=beta)
        return np.asarray(out, dtype=np.float64)

    return shared


@dataclass(frozen=True)
class SharedElements:
    """Capacitated network elements shared by the corridors' routes.

    Congestion is computed per element (a border crossing, a port, a rail section, the
    ferries across one stretch of water) on the flow of *every* route through it, so
    two corridors crossing the same border share its capacity, and an element's delay
    grows with its own free time, not the whole route's.

    Attributes
    ----------
    incidence : array (elements, markets, corridors)
        1 where the route of a market on a corridor uses the element, else 0.
    capacity : array (elements,)
        Capacity, TEU a year (``inf``: none).
    hours : array (elements,)
        Free time through the element, hours (the ``t0`` of its volume-delay function).
    keys : tuple of str
        Element names (``node:dostyk``, ``link:...``, ``water:aktau+alat+kuryk``).
    """

    incidence: FloatArray
    capacity: FloatArray
    hours: FloatArray
    keys: tuple[str, ...] = ()

    def flows(self, demand: FloatArray, shares: FloatArray) -> FloatArray:
        """Volume through each element, TEU a year."""
        return np.asarray(
            np.einsum("emc,m,mc->e", self.incidence, demand, shares), dtype=np.float64
        )


@dataclass(frozen=True)
class Equilibrium:
    """Result of :func:`equilibrium_shares`.

    Attributes
    ----------
    shares : array (markets, corridors)
        Shares at the fixed point.
    cost : array (markets, corridors)
        Congested generalised cost, USD per TEU (``inf``: not available).
    hours : array (markets, corridors)
        Congested transit time, hours.
    flows : array (corridors,)
        Volume on each corridor, TEU a year.
    element_flows : array (elements,)
        Volume through each shared element, TEU a year (empty without elements).
    iterations : int
        MSA iterations made.
    gap : float
        Largest share change asked by the last iteration (0 at the fixed point).
    converged : bool
        ``gap`` fell below the tolerance.
    """

    shares: FloatArray
    cost: FloatArray
    hours: FloatArray
    flows: FloatArray
    iterations: int
    gap: float
    converged: bool
    element_flows: FloatArray = field(default_factory=lambda: np.zeros(0))


def equilibrium_shares(
    base_cost: FloatArray,
    hours: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    *,
    scale: float,
    value_of_time: float,
    alpha: float = 0.15,
    beta: float = 4.0,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    method: str = "sra",
    vdf: VDF | None = None,
    elements: SharedElements | None = None,
    warn: bool = True,
) -> Equilibrium:
    """Corridor shares at the fixed point of logit choice and congestion (MSA).

    Parameters
    ----------
    base_cost : array (markets, corridors)
        Uncongested generalised cost, USD per TEU (``inf``: corridor not available).
    hours : array (markets, corridors)
        Uncongested transit time, hours (the ``t0`` of the volume-delay function).
    demand : array (markets,)
        Volume of each market, TEU a year.
    capacity : array (corridors,) or (markets, corridors)
        Bottleneck capacity of each corridor's route, TEU a year (``inf``: none);
        ignored when ``elements`` is given.
    scale : float
        Logit scale, 1/USD per TEU.
    value_of_time : float
        USD per TEU-hour.
    alpha, beta : float
        BPR parameters.
    max_iterations : int
        MSA iterations at most.
    tolerance : float
        Stop when no share would move by more than this.
    method : {"sra", "msa"}
        Step sizes: self-regulated averaging (default) or classic ``1/k``.
    vdf : callable, optional
        Volume-delay function (default: :func:`resolve_bpr`).
    elements : SharedElements, optional
        Element-level congestion: each route's time is its free time plus, on every
        capacitated element it uses, ``t0_e * alpha * (v_e / c_e) ** beta`` where
        ``v_e`` is the flow of all routes through the element. Without it, the
        whole route's time is delayed by its corridor's flow against ``capacity``.
    warn : bool
        Log a warning when the iterations do not converge (calibration trials far
        from the optimum turn it off and check the final run instead).

    Returns
    -------
    Equilibrium
    """
    base_cost = np.asarray(base_cost, dtype=np.float64)
    hours = np.asarray(hours, dtype=np.float64)
    demand = np.asarray(demand, dtype=np.float64)
    capacity = np.asarray(capacity, dtype=np.float64)
    fn = vdf or resolve_bpr()
    finite = np.isfinite(base_cost)
    safe_hours = np.where(finite, hours, 0.0)

    def costs(shares: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        flows = (demand[:, None] * shares).sum(axis=0)
        if elements is not None:
            ev = elements.flows(demand, shares)
            delay = fn(elements.hours, ev, elements.capacity, alpha=alpha, beta=beta) - (
                elements.hours
            )
            congested = safe_hours + np.einsum("emc,e->mc", elements.incidence, delay)
        else:
            congested = fn(
                safe_hours,
                np.broadcast_to(flows, safe_hours.shape),
                np.broadcast_to(capacity, safe_hours.shape),
                alpha=alpha,
                beta=beta,
            )
        cost = np.where(finite, base_cost + value_of_time * (congested - safe_hours), np.inf)
        return cost, np.where(finite, congested, np.inf), flows

    shares = logit_shares(base_cost, scale=scale)
    gap = np.inf
    k = 0
    if elements is not None:
        constrained = bool(np.isfinite(elements.capacity).any()) and alpha > 0
    else:
        constrained = bool(np.isfinite(capacity).any()) and alpha > 0
    if method not in ("sra", "msa"):
        raise ValueError(f"unknown method {method!r}; use 'sra' or 'msa'")
    step_base = 1.0
    previous = np.inf
    if constrained:
        for k in range(1, max_iterations + 1):
            cost, _, _ = costs(shares)
            target = logit_shares(cost, scale=scale)
            gap = float(np.abs(target - shares).max(initial=0.0))
            if gap < tolerance:
                break
            if method == "msa":
                step_base = k + 1.0
            else:
                step_base += SRA_SHRINK if gap < previous else SRA_GROW
            previous = gap
            shares = shares + (target - shares) / step_base
    else:
        gap = 0.0
    cost, congested, flows = costs(shares)
    converged = gap < tolerance
    if not converged and warn:
        logger.warning("corridor shares did not converge in %d iterations (gap %.2e)", k, gap)
    ev = elements.flows(demand, shares) if elements is not None else np.zeros(0)
    return Equilibrium(shares, cost, congested, flows, k, gap, converged, ev)
