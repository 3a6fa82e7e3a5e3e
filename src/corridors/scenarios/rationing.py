"""Rationing at a full element that no price can relieve.

The equilibrium holds every hard element to its capacity with a shadow price. A market
whose every route passes a full element cannot be priced off it (its logit shares sum to
one whatever the price), so with the price at its cap ``mu_max``
(``max_shadow_price_usd_teu``) the element would carry more than it can. Such an element
is then held by a quota, not by a price (``docs/model.md``, "Rationing at a full
element"):

* cargo with another way (a market with a route that avoids the element) keeps the
  volume it chose at the cap, ``S_e``: the cap has already turned the rest away;
* cargo with no other way (a *captive* market: every available route passes the
  element), ``K_e``, shares what is left: each of its routes through the element keeps
  ``f_e = (C_e - S_e) / K_e`` of its volume (the smallest such factor where a route
  passes several); if ``S_e >= C_e`` every route through it keeps ``C_e / v_e``;
* what a market loses is unserved demand, reported with the elements that held it back,
  unless it is negligible (below :data:`NEGLIGIBLE_TEU` a year or
  :data:`NEGLIGIBLE_SHARE` of the market's demand): such a market is served in full and
  the other captive markets share the rest;
* the refused cargo does not queue: the served cargo pays no rationing price, so the
  element's shadow price (the price cargo pays, and the rationing wait derived from it
  by :func:`corridors.scenarios.supply.rationing_wait_h`) is 0; its wait is its queue at
  capacity.

Every element then carries at most its capacity. No I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from corridors.scenarios.equilibrium import Equilibrium
from corridors.scenarios.supply import SharedElements

__all__ = ["NEGLIGIBLE_SHARE", "NEGLIGIBLE_TEU", "ration", "rationed_equilibrium"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

NEGLIGIBLE_TEU = 0.5
"""Rationed volume of a market not worth reporting, TEU(-equivalents) a year (absolute)."""
NEGLIGIBLE_SHARE = 1e-6
"""Rationed volume of a market not worth reporting, share of its demand (relative)."""


def _captive(use: FloatArray, available: BoolArray) -> BoolArray:
    """Markets whose every available route passes the element (one element's ``use``)."""
    passes = use > 0.0
    return np.asarray(available.any(axis=1) & (passes | ~available).all(axis=1), dtype=bool)


def _factors(
    elements: SharedElements,
    volume: FloatArray,
    over: Sequence[int],
    available: BoolArray,
    exempt: BoolArray,
) -> FloatArray:
    """Share each route keeps (markets x columns), markets in ``exempt`` served in full."""
    kept = np.ones_like(volume)
    capacity = np.asarray(elements.capacity, dtype=np.float64)
    for e in over:
        use = elements.use[e]
        through = use * volume
        passes = use > 0.0
        captive = _captive(use, available)
        rationed = captive & ~exempt
        if not rationed.any():  # nobody else to absorb it: no exemption here
            rationed = captive
        fixed = float(through[~rationed].sum())
        load = float(through[rationed].sum())
        if fixed < capacity[e] and load > 0.0:
            factor = (capacity[e] - fixed) / load
            kept = np.where(passes & rationed[:, None], np.minimum(kept, factor), kept)
        else:  # cargo with another way alone fills it: every route through it is cut
            factor = capacity[e] / float(through.sum())
            kept = np.where(passes, np.minimum(kept, factor), kept)
    return kept


def ration(
    elements: SharedElements,
    demand: FloatArray,
    shares: FloatArray,
    over: Sequence[int],
    *,
    available: BoolArray | None = None,
) -> FloatArray:
    """Shares after rationing the elements still above capacity.

    Parameters
    ----------
    elements : SharedElements
        The elements (capacities and use per market and route, TEU-equivalents).
    demand : array (markets,)
        Volume of each market, TEU a year.
    shares : array (markets, columns)
        Equilibrium shares (each available market's sum to one).
    over : sequence of int
        Elements above capacity with the shadow price at its cap.
    available : array of bool (markets, columns), optional
        Routes the market has (default: those with a positive share).

    Returns
    -------
    array (markets, columns)
        Shares of the demand carried: a captive market's route through an element above
        capacity keeps ``(C_e - S_e) / K_e`` of its share (the smallest such factor
        along it); the market's missing share is unserved. A market with a route round
        the element, or whose loss would be negligible, keeps its shares.
    """
    avail = shares > 0.0 if available is None else np.asarray(available, dtype=bool)
    flows = elements.flows(demand, shares)
    capacity = np.asarray(elements.capacity, dtype=np.float64)
    full = [e for e in over if flows[e] > capacity[e] > 0.0]
    if not full:
        return np.asarray(shares, dtype=np.float64).copy()
    volume = demand[:, None] * shares
    exempt = np.zeros(len(demand), dtype=bool)
    kept = _factors(elements, volume, full, avail, exempt)
    lost = (volume * (1.0 - kept)).sum(axis=1)
    small = (lost > 0.0) & (lost < np.maximum(NEGLIGIBLE_TEU, NEGLIGIBLE_SHARE * demand))
    if small.any():
        kept = _factors(elements, volume, full, avail, small)
    return np.asarray(shares * kept, dtype=np.float64)


def rationed_equilibrium(
    eq: Equilibrium, elements: SharedElements, demand: FloatArray
) -> Equilibrium:
    """The equilibrium after rationing its elements above capacity at the price cap.

    Shares, corridor and element flows and queue hours are those of the carried volume
    (:func:`ration`; a route is available where its cost is finite); the shadow price of
    a rationed element is 0 (a quota holds it; the served cargo pays no rationing price
    and waits its queue at capacity). The costs keep the prices the choice saw (the cap
    turned away the cargo with another way). Unchanged without such elements.
    """
    if not eq.over_capacity:
        return eq
    shares = ration(elements, demand, eq.shares, eq.over_capacity, available=np.isfinite(eq.cost))
    served = elements.flows(demand, shares)
    prices = np.asarray(eq.shadow_prices, dtype=np.float64).copy()
    if prices.size:
        prices[list(eq.over_capacity)] = 0.0
    return dataclasses.replace(
        eq,
        shares=shares,
        flows=(demand[:, None] * shares).sum(axis=0),
        element_flows=served,
        queue_h=elements.split_queue_h(served, demand, shares),
        shadow_prices=prices,
    )
