"""Corridor choice: a multinomial logit on generalised cost, with capacity feedback.

Each market ``m`` splits its volume ``d[m]`` (TEU a year) across corridors ``c`` by

``s[m, c] = exp(-scale * g[m, c]) / sum_k exp(-scale * g[m, k])``

where the generalised cost ``g`` (USD per TEU) is the money cost, the value of the
hours in transit and the corridor's risk premium. Congestion feeds back through a
volume-delay function on each corridor's bottleneck capacity ``C[c]`` (TEU a year):

``g[m, c] = g0[m, c] + vot * t0[m, c] * (vdf(v[c], C[c]) / t0 - 1)``,
``v[c] = sum_m d[m] * s[m, c]``,

and the shares are found as the fixed point ``s = logit(g(s))`` by averaging,
``s <- s + (logit(g(s)) - s) / beta_k``: classic MSA takes ``beta_k = k + 1``;
self-regulated averaging (SRA; Liu, Ban and Lu 2009, "A self-regulated averaging method
for the stochastic user equilibrium") grows ``beta`` by 1 when the gap grew and by only
0.05 when it shrank. Where the costs are steep (queues near their knee, ferry waits)
averaging must take short steps and then crawls at ``1/k``; the default, ``anderson``,
takes SRA's steps until no share would move by more than ``ANDERSON_FROM_GAP`` and
then Anderson acceleration's points (Walker and Ni 2011), which solve the linearised
fixed point in the few directions that oscillate; a point of Anderson's that throws the
split away (its gap ``ANDERSON_THROW`` times the gap it left) is undone, and from then
on any of its points that raises the gap. Where the split has several equilibria (a
cost that falls with its flow: decks fill faster), the rule is SRA's: its path from the
logit of the free-flow costs chooses, and Anderson only removes the slow end of its
convergence (the shipped data agree to the tolerance, ``benchmarks/equilibrium_agreement.py``;
docs/model.md). Every rule stops when no share would move by more than the tolerance.
Pure numpy; no I/O.

The choice is the one logit of :mod:`corridors.cost.logit` (multinomial, or nested
with a nest scale), the delay the BPR of :mod:`corridors.cost.delay` and the steps
those of :mod:`corridors.cost.averaging`, with the guards of
:mod:`corridors.scenarios.averaging_guards`; the result is an
:class:`~corridors.scenarios.equilibrium.Equilibrium`.

Hard capacities. An element can be declared a hard limit (a ferry fleet, a terminal's
yard): instead of a delay it carries a shadow price (USD/TEU) added to the cost of
every route through it, found by :mod:`corridors.scenarios.shadow_prices` inside every
averaging iteration: the capacity-constrained stochastic equilibrium.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from corridors.cost.averaging import Anderson, Averaging
from corridors.cost.delay import bpr
from corridors.cost.logit import Nests, check_nests, choose
from corridors.scenarios.averaging_guards import (
    ANDERSON_FROM_GAP,
    ANDERSON_THROW,
    RENEW_ROUNDS,
    RENEW_STEP,
    on_simplex,
)
from corridors.scenarios.equilibrium import Equilibrium
from corridors.scenarios.shadow_prices import PRICE_INEXACT, HardCapacityPrices
from corridors.scenarios.supply import SharedElements

__all__ = ["Equilibrium", "SharedElements", "equilibrium_shares"]

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]

VDF = Callable[..., FloatArray]
BoolArray = NDArray[np.bool_]


def equilibrium_shares(
    base_cost: FloatArray,
    hours: FloatArray,
    demand: FloatArray,
    capacity: FloatArray,
    *,
    scale: float,
    value_of_time: float | FloatArray,
    alpha: float = 0.15,
    beta: float = 4.0,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    method: str = "anderson",
    anderson_from_gap: float | None = None,
    vdf: VDF | None = None,
    elements: SharedElements | None = None,
    warn: bool = True,
    nests: Nests = None,
    nest_scale: float = 1.0,
    max_shadow_price: float = 50_000.0,
    price_method: str = "newton",
    start: FloatArray | None = None,
    renew: Callable[[FloatArray], SharedElements | None] | None = None,
    renew_gap: float = 0.0,
) -> Equilibrium:
    """Corridor shares at the fixed point of logit choice and congestion.

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
    value_of_time : float or array (markets,)
        USD per TEU-hour: one value, or one per market (segments of cargo worth more
        or less per hour). Shadow prices are USD per TEU, the same for every market.
    alpha, beta : float
        BPR parameters.
    max_iterations : int
        Iterations at most.
    tolerance : float
        Stop when no share would move by more than this. Hard capacities are met to
        ``tolerance`` times the total demand (TEU a year).
    method : {"anderson", "sra", "msa"}
        Steps towards the logit of the costs by self-regulated averaging or classic
        ``1/k`` (:mod:`corridors.cost.averaging`); ``anderson`` (default) takes SRA's
        steps until the gap is below ``ANDERSON_FROM_GAP``, then Anderson
        acceleration's points (kept on the simplex: a negative share set to 0 and the
        market's shares rescaled); when it stalls, SRA's steps for as many iterations
        as its patience, then Anderson afresh. A point of Anderson's whose gap exceeds
        ``ANDERSON_THROW`` times the gap of the point it left is undone (SRA's steps
        from that point as after a stall), and from then on in this solve any of its
        points that raises the gap.
    anderson_from_gap : float, optional
        ``anderson``: the gap below which Anderson's points start (default
        :data:`ANDERSON_FROM_GAP`).
    vdf : callable, optional
        Volume-delay function (default: :func:`corridors.cost.delay.bpr`).
    elements : SharedElements, optional
        Element-level congestion: each route's time is its free time plus, on every
        capacitated element it uses, ``t0_e * alpha * (v_e / c_e) ** beta`` where
        ``v_e`` is the flow of all routes through the element. Without it, the
        whole route's time is delayed by its corridor's flow against ``capacity``.
        Elements flagged ``hard`` (with a finite capacity) have no delay but a
        shadow price instead: the capacity-constrained equilibrium, where the shares
        are the logit of the congested cost plus the prices of the hard elements on
        each route, every price is >= 0, no hard element carries more than its
        capacity, and a price is positive only on a full element.
    warn : bool
        Log a warning when the iterations do not converge or a hard capacity cannot
        be met (calibration trials far from the optimum turn it off and check the
        final run instead).
    nests, nest_scale
        Nested logit (see :func:`corridors.cost.logit.logit_shares`); the default is
        the multinomial logit.
    max_shadow_price : float
        Highest shadow price, USD per TEU (> 0). When a market cannot fit (its only
        corridor is too small) the price stops here, the flow stays above capacity
        and the element is listed in ``Equilibrium.over_capacity``.
    price_method : {"newton", "lbfgsb"}
        Solver of the shadow prices for given congested costs: projected Newton with
        the exact Hessian of the dual (default; converges in a few steps from the
        previous iteration's prices) or scipy's L-BFGS-B.
    start : array (markets, corridors), optional
        Shares to start from (a split already near the fixed point); default the
        logit of ``base_cost``.
    renew : callable, optional
        Called with the shares when the gap first falls below ``renew_gap``, again
        when it falls below :data:`RENEW_STEP` times the gap of the last call, and at
        each converged split: new ``elements`` (their queues' arrival variability at
        that split, :mod:`corridors.scenarios.arrival_chains`), or ``None`` when they
        hold at that split; the averaging goes on from there with the new ones
        (``anderson``: its points at once, :data:`ANDERSON_FROM_GAP`) and the solve
        ends at a converged split where ``renew`` gives ``None`` (or once it has been
        called more than :data:`RENEW_ROUNDS` times): its elements are those of its own
        split, whichever path led there.

    Returns
    -------
    Equilibrium

    Raises
    ------
    ValueError
        Unknown ``method`` or ``price_method``, ``max_shadow_price`` not positive, or
        bad ``nests`` / ``nest_scale``.
    """
    base_cost = np.asarray(base_cost, dtype=np.float64)
    hours = np.asarray(hours, dtype=np.float64)
    demand = np.asarray(demand, dtype=np.float64)
    capacity = np.asarray(capacity, dtype=np.float64)
    nest_of = check_nests(nests, base_cost.shape[-1], nest_scale)
    if not 0.0 < max_shadow_price < np.inf:
        raise ValueError(f"max_shadow_price must be positive, got {max_shadow_price!r}")
    if price_method not in ("newton", "lbfgsb"):
        raise ValueError(f"unknown price_method {price_method!r}; use 'newton' or 'lbfgsb'")
    fn = vdf or bpr
    vot = np.asarray(value_of_time, dtype=np.float64)
    vot = vot[:, None] if vot.ndim == 1 else vot  # one value per market: one per row
    finite = np.isfinite(base_cost)
    safe_hours = np.where(finite, hours, 0.0)
    prices: HardCapacityPrices | None = None
    priced = np.zeros(0, dtype=bool)
    delay_capacity = capacity
    if elements is not None:
        hard = elements.hard_mask
        priced = hard & np.isfinite(elements.capacity)
        delay_capacity = elements.capacity
        if hard.any():
            delay_capacity = np.where(hard, np.inf, elements.capacity)
        if priced.any():
            prices = HardCapacityPrices(
                np.asarray(elements.use, dtype=np.float64)[priced],
                np.asarray(elements.capacity, dtype=np.float64)[priced],
                demand,
                finite,
                scale=scale,
                nests=nest_of,
                nest_scale=nest_scale,
                max_price=max_shadow_price,
                tolerance=tolerance,
                method=price_method,
            )

    def costs(shares: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Generalised cost (``inf``: not available) and congested hours at ``shares``."""
        if elements is not None:
            ev = elements.flows(demand, shares)
            if elements.queues is not None:
                delay = elements.split_queue_h(ev, demand, shares, split_flows=ev)
            else:
                delay = fn(elements.hours, ev, delay_capacity, alpha=alpha, beta=beta) - (
                    elements.hours
                )
            congested = safe_hours + elements.route_hours(delay)
        else:
            flows = (demand[:, None] * shares).sum(axis=0)
            congested = fn(
                safe_hours,
                np.broadcast_to(flows, safe_hours.shape),
                np.broadcast_to(capacity, safe_hours.shape),
                alpha=alpha,
                beta=beta,
            )
        cost = np.where(finite, base_cost + vot * (congested - safe_hours), np.inf)
        return cost, congested

    def choice(cost: FloatArray) -> FloatArray:
        return choose(cost, scale=scale, nests=nest_of, nest_scale=nest_scale).shares

    shares = choice(base_cost) if start is None else np.asarray(start, dtype=np.float64)
    gap = np.inf
    k = 0
    delays = elements.queues if elements is not None else None
    if delays is not None:  # queue delays replace the volume-delay function
        constrained = delays.any
    else:
        constrained = bool(np.isfinite(delay_capacity).any()) and alpha > 0
    accelerate = Anderson() if method == "anderson" else None
    averaging = Averaging("sra" if method == "anderson" else method)
    x = np.zeros(int(priced.sum()))
    prices_ok = True
    # the price solve's flow residual is a share of the total demand, but a wait moves
    # with its element's flow over its own capacity: held to the smallest capacity
    # priced, an inexact price no longer jitters the wait of a small element full at
    # its knee by more than the share gap asks (which kept averaging from converging,
    # and grew SRA's divisor until its steps crawled)
    inexact = PRICE_INEXACT
    if prices is not None:
        smallest = float(prices.cap[prices.cap > 0.0].min(initial=np.inf))
        inexact *= min(1.0, smallest / prices.total)
    if constrained:
        from_gap = ANDERSON_FROM_GAP if anderson_from_gap is None else anderson_from_gap
        previous = np.inf
        guard = ANDERSON_THROW
        before: tuple[FloatArray, FloatArray, float, float] | None = None
        rounds = 0  # renewals of the elements asked for
        renewed: SharedElements | None = None
        next_renewal = renew_gap
        for k in range(1, max_iterations + 1):
            if renew is not None and tolerance <= gap < next_renewal:
                # at a coarse split, then at each tenth of the gap
                renewed, rounds = renew(shares), rounds + 1
                next_renewal = gap * RENEW_STEP
            if renewed is not None:
                elements, renewed = renewed, None
                if accelerate is not None:  # its history is of the old costs
                    accelerate = Anderson()
                    from_gap = np.inf  # SRA's shrunk steps would crawl from here
                before = None
            cost, _ = costs(shares)
            if prices is None:
                target = choice(cost)
            else:
                loose = inexact * previous if previous < np.inf else 0.0
                target, x, prices_ok = prices.target(cost, x, loose=loose)
            gap = float(np.abs(target - shares).max(initial=0.0))
            logger.debug("corridor split iteration %d: gap %.2e", k, gap)
            if gap < tolerance:
                if renew is None or rounds > RENEW_ROUNDS:
                    break
                # then at each converged split, until it holds there
                renewed, rounds = renew(shares), rounds + 1
                if renewed is None:
                    break
                continue
            if before is not None and accelerate is not None and gap > before[3] * before[2]:
                # Anderson's point threw the split away: back to the point before it,
                # averaging from there as after a stall, and from now on no point of
                # the acceleration may raise the gap
                logger.debug("corridor split iteration %d: Anderson's point undone", k)
                shares, target, gap, _ = before
                accelerate.reject()
                guard = 1.0
            before = None
            previous = gap
            if accelerate is not None and gap < from_gap and not accelerate.stalled:
                point = accelerate.next(shares, target)
                # its first point after a (re)start is the plain loading, a full step:
                # undone only when it throws the split away
                before = (shares, target, gap, guard if accelerate.held > 1 else ANDERSON_THROW)
                shares = on_simplex(point, target)
                continue
            shares = shares + (target - shares) * averaging.step(gap)
            if accelerate is not None and accelerate.stalled:
                accelerate.rest()
    elif prices is not None:
        # fixed costs: the priced logit is the equilibrium itself
        k = 1
        cost, _ = costs(shares)
        shares, x, prices_ok = prices.target(cost, x)
        gap = 0.0
    else:
        gap = 0.0
    cost, congested = costs(shares)
    congested = np.where(finite, congested, np.inf)
    flows = (demand[:, None] * shares).sum(axis=0)
    converged = gap < tolerance and prices_ok
    if not converged and warn:
        logger.warning(
            "corridor shares did not converge in %d iterations (gap %.2e%s)",
            k,
            gap,
            "" if prices_ok else "; shadow prices not solved to tolerance",
        )
    ev = elements.flows(demand, shares) if elements is not None else np.zeros(0)
    shadow = np.zeros(ev.shape)
    over: tuple[int, ...] = ()
    if prices is not None:
        cost = cost + prices.shift(x)
        shadow[priced] = np.where(x >= prices.x_max, max_shadow_price, x / scale)
        index = np.flatnonzero(priced)
        full = (x >= prices.x_max * (1.0 - 1e-12)) & (
            ev[priced] > prices.cap + tolerance * prices.total
        )
        over = tuple(int(e) for e in index[full])
        if over and warn:
            keys = elements.keys if elements is not None else ()
            names = [keys[e] if e < len(keys) else str(e) for e in over]
            logger.warning(
                "hard capacity exceeded with the shadow price at its cap (%.0f USD/TEU), the "
                "excess is rationed and reported unserved: %s",
                max_shadow_price,
                ", ".join(names),
            )
    queue_h = (
        elements.split_queue_h(ev, demand, shares, split_flows=ev)
        if elements is not None
        else np.zeros(0)
    )
    return Equilibrium(shares, cost, congested, flows, k, gap, converged, ev, shadow, over, queue_h)
