"""Supply of the corridor equilibrium: capacitated elements shared by routes, and their delays.

Every element that can bind (a port, a border crossing, a rail section, the ferries
across one stretch of water) is one row of :class:`SharedElements`: which market's
route on which corridor uses it, its capacity (TEU a year), its free time, whether
its capacity is a hard limit (a shadow price at capacity) and its delay below capacity:
the queue of :mod:`corridors.cost.element_queues`, or the BPR volume-delay function
of the older ``soft``/``ports`` settings. Pure numpy; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from corridors.cost.element_queues import ElementDelays

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


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
    hard : array of bool (elements,)
        True where the capacity is a hard limit: the element has no volume-delay but
        a shadow price (USD/TEU) that keeps its flow within capacity (see
        :func:`~corridors.scenarios.choice.equilibrium_shares`). Empty (the default):
        no element is hard.
    queues : ElementDelays, optional
        Queueing delay of each element below capacity
        (:class:`corridors.cost.element_queues.ElementDelays`, evaluated at the
        utilisation ``v_e / C_e``): replaces the volume-delay function of every
        element. ``None`` (the default): the volume-delay function.

    Raises
    ------
    ValueError
        ``hard`` is neither empty nor one flag per element.
    """

    incidence: FloatArray
    capacity: FloatArray
    hours: FloatArray
    keys: tuple[str, ...] = ()
    hard: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    queues: ElementDelays | None = None

    def __post_init__(self) -> None:
        n = np.shape(self.capacity)[0] if np.ndim(self.capacity) else 1
        size = np.size(self.hard)
        if size not in (0, n):
            raise ValueError(f"hard must be empty or have one flag per element ({n}), got {size}")
        if self.queues is not None and len(self.queues.queues) != n:
            raise ValueError(f"queues must have one queue per element ({n})")

    @property
    def hard_mask(self) -> BoolArray:
        """Hard-limit flag of every element (all False when ``hard`` is empty)."""
        n = np.shape(self.capacity)[0] if np.ndim(self.capacity) else 1
        if np.size(self.hard) == 0:
            return np.zeros(n, dtype=bool)
        return np.asarray(self.hard, dtype=bool).reshape(n)

    def flows(self, demand: FloatArray, shares: FloatArray) -> FloatArray:
        """Volume through each element, TEU a year."""
        return np.asarray(
            np.einsum("emc,m,mc->e", self.incidence, demand, shares), dtype=np.float64
        )

    def queue_h(self, flows: FloatArray) -> FloatArray:
        """Queueing delay at each element at ``flows`` (TEU a year), hours (0 without queues)."""
        if self.queues is None:
            return np.zeros(np.shape(flows))
        cap = np.asarray(self.capacity, dtype=np.float64)
        ok = np.isfinite(cap) & (cap > 0)
        rho = np.where(ok, flows / np.where(ok, cap, 1.0), 0.0)
        return self.queues.wait_h(rho)
