"""Rationing at a full element that no price can relieve.

The equilibrium holds every hard element to its capacity with a shadow price. A market
whose every route passes a full element cannot be priced off it (its logit shares sum to
one whatever the price), so with the price at its cap (``max_shadow_price_usd_teu``) the
element would carry more than it can. What cannot pass is not carried: each route through
such an element keeps the share ``capacity / flow`` of its volume (proportional rationing,
the lowest factor where a route passes several), and the rest is unserved demand, reported
with the elements that held it back. Every element then carries at most its capacity. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from corridors.scenarios.supply import SharedElements

__all__ = ["ration"]

FloatArray = NDArray[np.float64]


def ration(
    elements: SharedElements,
    demand: FloatArray,
    shares: FloatArray,
    over: Sequence[int],
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

    Returns
    -------
    array (markets, columns)
        Shares of the demand carried: a route through an element above capacity keeps
        ``capacity / flow`` of its share (the smallest such factor along it); the
        market's missing share is unserved.
    """
    kept = np.ones_like(shares)
    flows = elements.flows(demand, shares)
    capacity = np.asarray(elements.capacity, dtype=np.float64)
    use = elements.use
    for e in over:
        if not flows[e] > capacity[e] > 0.0:
            continue
        passes = use[e] > 0.0
        kept = np.where(passes, np.minimum(kept, capacity[e] / flows[e]), kept)
    return np.asarray(shares * kept, dtype=np.float64)
