"""What the corridor split returns at equilibrium: shares, costs, flows and prices.

The result of :func:`corridors.scenarios.choice.equilibrium_shares` (shares, generalised
cost in USD per TEU, congested hours, flows in TEU a year, shadow prices in USD per TEU,
queue hours), as :func:`corridors.scenarios.rationing.rationed_equilibrium` and
:func:`corridors.scenarios.year_solver.solve_year` pass it on. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["Equilibrium"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Equilibrium:
    """Result of :func:`equilibrium_shares`.

    Attributes
    ----------
    shares : array (markets, corridors)
        Shares at the fixed point.
    cost : array (markets, corridors)
        Generalised cost shippers face at the fixed point, USD per TEU (``inf``: not
        available): the congested cost plus the shadow prices of the hard elements
        the route uses, so a logsum of it values capacity scarcity.
    hours : array (markets, corridors)
        Congested transit time, hours (shadow prices are money, not hours).
    flows : array (corridors,)
        Volume on each corridor, TEU a year.
    element_flows : array (elements,)
        Volume through each shared element, TEU a year (empty without elements).
    iterations : int
        Iterations made.
    gap : float
        Largest share change asked by the last iteration (0 at the fixed point).
    converged : bool
        ``gap`` fell below the tolerance (and the last shadow-price solve converged).
    shadow_prices : array (elements,)
        Shadow price of each element's capacity, USD per TEU (0 for elements that are
        not hard or not full; empty without elements).
    over_capacity : tuple of int
        Indices of the hard elements whose flow still exceeds capacity with the price
        at ``max_shadow_price`` (a market that cannot fit, e.g. its only corridor is too
        small).
    queue_h : array (elements,)
        Queueing delay at each element at the fixed point, hours (0 without
        ``SharedElements.queues``; empty without elements).
    """

    shares: FloatArray
    cost: FloatArray
    hours: FloatArray
    flows: FloatArray
    iterations: int
    gap: float
    converged: bool
    element_flows: FloatArray = field(default_factory=lambda: np.zeros(0))
    shadow_prices: FloatArray = field(default_factory=lambda: np.zeros(0))
    over_capacity: tuple[int, ...] = ()
    queue_h: FloatArray = field(default_factory=lambda: np.zeros(0))
