"""Supply of the corridor equilibrium: capacitated elements shared by routes, and their delays.

Every element that can bind (a port, a border crossing, a rail section, the ferries
across one stretch of water) is one row of :class:`SharedElements`: which market's
route on which corridor uses it, its capacity (TEU a year), its free time, whether
its capacity is a hard limit (a shadow price at capacity) and its delay below capacity:
the queue of :mod:`corridors.cost.element_queues`, or the BPR volume-delay function
of the older ``soft``/``ports`` settings; and the wait at an element in a run's result:
its queue plus, at capacity, the rationing wait of its shadow price
(:func:`element_waits`). No I/O.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.typing import NDArray

from corridors.cost.element_delays import ElementDelays

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class SparseUse:
    """The non-zero entries of an (elements, markets, corridors) array, for its sums.

    A route uses a few of the elements: summing only the non-zero entries, one after the
    other in the order of the array, adds the same terms in the same order as numpy's
    ``einsum`` over the whole array (the zero terms add nothing), so the sums are those
    of :meth:`SharedElements.flows`' and :meth:`SharedElements.route_hours`' einsums bit
    for bit (for finite demand, shares and delays), at a tenth of the work.

    Attributes
    ----------
    element, market, route : array of int
        Element, market and flat market-corridor index (``market x corridors +
        corridor``) of each non-zero entry, in the array's (C) order.
    value : array of float
        The entries.
    shape : tuple of int
        Shape of the array.
    """

    element: IntArray
    market: IntArray
    route: IntArray
    value: FloatArray
    shape: tuple[int, int, int]

    @classmethod
    def of(cls, array: FloatArray) -> SparseUse:
        """The non-zero entries of ``array`` (elements, markets, corridors)."""
        a = np.asarray(array, dtype=np.float64)
        e, m, c = np.nonzero(a)
        return cls(e, m, m * a.shape[2] + c, a[e, m, c], (a.shape[0], a.shape[1], a.shape[2]))

    def element_sums(self, demand: FloatArray, shares: FloatArray) -> FloatArray:
        """``sum_mc a[e, m, c] d[m] s[m, c]`` of each element (``einsum("emc,m,mc->e")``)."""
        terms = self.value * demand[self.market] * shares.ravel()[self.route]
        sums = np.bincount(self.element, weights=terms, minlength=self.shape[0])
        return np.asarray(sums, dtype=np.float64)

    def route_sums(self, values: FloatArray) -> FloatArray:
        """``sum_e a[e, m, c] x[e]`` of each market and corridor (``einsum("emc,e->mc")``)."""
        terms = self.value * values[self.element]
        sums = np.bincount(self.route, weights=terms, minlength=self.shape[1] * self.shape[2])
        return np.asarray(sums.reshape(self.shape[1:]), dtype=np.float64)


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
        Element names (``node:dostyk``, ``link:...``, ``water:aktau+alat+kuryk@alat``).
    hard : array of bool (elements,)
        True where the capacity is a hard limit: the element has no volume-delay but
        a shadow price (USD/TEU) that keeps its flow within capacity (see
        :func:`~corridors.scenarios.choice.equilibrium_shares`). Empty (the default):
        no element is hard.
    queues : ElementDelays, optional
        Queueing delay of each element below capacity
        (:class:`corridors.cost.element_queues.ElementDelays`, evaluated at the
        utilisation of its queue): replaces the volume-delay function of every
        element. ``None`` (the default): the volume-delay function.
    usage : array (elements, markets, corridors), optional
        Share of the element's capacity one TEU (equivalent) of the market on the
        corridor takes: 1 for containers, the share of a shipment for bulk
        (:func:`corridors.cost.element_queues.bulk_use`). Empty (the default): the
        incidence. Flows, capacities and shadow prices count in it; delays follow
        the incidence.
    queue_capacity : array (elements,), optional
        Capacity of each element's queue, TEU a year (after slow-downs): its
        utilisation is its flow over it. Empty (the default): ``capacity``.
    landside : array (elements, markets, corridors), optional
        1 where the route comes to the element by land (it boards a ferry or feeder
        line at a Caspian port: its trains pile up at the berths in a storm), 0 where
        it comes off a ship; only the elements whose wait depends on it
        (:attr:`~corridors.cost.element_delays.ElementDelays.stormy`). Empty (the
        default): every route comes by land.
    return_cargo : tuple of (int, int, float), optional
        ``(e, back, k)``: water element ``e``'s own cargo loads the element of the
        other direction ``back`` at ``k`` per TEU (``usage`` holds it,
        :func:`~corridors.scenarios.year_elements.return_cargo`); each such element's
        deck then fills with its own cargo only (:meth:`queue_h`). Empty (the
        default): none.

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
    usage: FloatArray = field(default_factory=lambda: np.zeros(0))
    queue_capacity: FloatArray = field(default_factory=lambda: np.zeros(0))
    landside: FloatArray = field(default_factory=lambda: np.zeros(0))
    return_cargo: tuple[tuple[int, int, float], ...] = ()

    def __post_init__(self) -> None:
        n = np.shape(self.capacity)[0] if np.ndim(self.capacity) else 1
        size = np.size(self.hard)
        if size not in (0, n):
            raise ValueError(f"hard must be empty or have one flag per element ({n}), got {size}")
        if self.queues is not None and len(self.queues.queues) != n:
            raise ValueError(f"queues must have one queue per element ({n})")
        if np.size(self.usage) not in (0, np.size(self.incidence)):
            raise ValueError("usage must be empty or shaped as the incidence")
        if np.size(self.landside) not in (0, np.size(self.incidence)):
            raise ValueError("landside must be empty or shaped as the incidence")

    @property
    def use(self) -> FloatArray:
        """Share of each element's capacity a TEU of each market and corridor takes."""
        return self.incidence if np.size(self.usage) == 0 else self.usage

    @property
    def hard_mask(self) -> BoolArray:
        """Hard-limit flag of every element (all False when ``hard`` is empty)."""
        n = np.shape(self.capacity)[0] if np.ndim(self.capacity) else 1
        if np.size(self.hard) == 0:
            return np.zeros(n, dtype=bool)
        return np.asarray(self.hard, dtype=bool).reshape(n)

    def in_units(self, units: FloatArray) -> SharedElements:
        """The elements for markets counted in ``units`` TEU(-equivalents) each.

        A market counted in units of ``k`` uses ``k`` times as much of every element
        (its incidence and usage scaled by ``k``), so flows and shadow prices stay per
        TEU(-equivalent).
        """
        k = np.asarray(units, dtype=np.float64)[None, :, None]
        usage = self.usage * k if np.size(self.usage) else self.usage
        return dataclasses.replace(self, incidence=self.incidence * k, usage=usage)

    @cached_property
    def _use(self) -> SparseUse:
        return SparseUse.of(self.use)

    @cached_property
    def _landside_use(self) -> SparseUse:
        return SparseUse.of(self.landside * self.use)

    @cached_property
    def _incidence(self) -> SparseUse:
        return SparseUse.of(self.incidence)

    def flows(self, demand: FloatArray, shares: FloatArray) -> FloatArray:
        """Volume through each element, TEU a year (counted in :attr:`use`)."""
        if np.ndim(self.use) != 3:
            return np.asarray(np.einsum("emc,m,mc->e", self.use, demand, shares), dtype=np.float64)
        return self._use.element_sums(
            np.asarray(demand, dtype=np.float64), np.asarray(shares, dtype=np.float64)
        )

    def route_hours(self, delay: FloatArray) -> FloatArray:
        """Hours each market's route on each corridor spends in the elements' ``delay``.

        ``delay``: hours at each element (finite); the sum over the elements the route
        uses (markets, corridors).
        """
        hours = np.asarray(delay, dtype=np.float64)
        if not bool(np.isfinite(hours).all()):  # 0 x inf: the einsum's nan where unused
            return np.asarray(np.einsum("emc,e->mc", self.incidence, hours), dtype=np.float64)
        return self._incidence.route_sums(hours)

    def landside_share(
        self, demand: FloatArray, shares: FloatArray, *, split_flows: FloatArray | None = None
    ) -> FloatArray | None:
        """Share of each element's flow that comes by land (``None``: all of it).

        ``split_flows``: :meth:`flows` of ``demand`` and ``shares`` when the caller has them.
        """
        if np.size(self.landside) == 0:
            return None
        land = self._landside_use.element_sums(
            np.asarray(demand, dtype=np.float64), np.asarray(shares, dtype=np.float64)
        )
        total = self.flows(demand, shares) if split_flows is None else split_flows
        return np.asarray(
            np.where(total > 0.0, land / np.where(total > 0.0, total, 1.0), 1.0),
            dtype=np.float64,
        )

    def queue_h(self, flows: FloatArray, landside: FloatArray | None = None) -> FloatArray:
        """Queueing delay at each element at ``flows`` (TEU a year), hours (0 without queues).

        ``landside``: the share of each element's flow that comes by land
        (:meth:`landside_share`; default all).
        """
        if self.queues is None:
            return np.zeros(np.shape(flows))
        cap = np.asarray(
            self.capacity if np.size(self.queue_capacity) == 0 else self.queue_capacity,
            dtype=np.float64,
        )
        ok = np.isfinite(cap) & (cap > 0)
        rho = np.where(ok, flows / np.where(ok, cap, 1.0), 0.0)
        if not self.return_cargo:
            return self.queues.wait_h(rho, landside)
        own = np.where(ok, self.own_flows(flows) / np.where(ok, cap, 1.0), rho)
        return self.queues.wait_h(rho, landside, own)

    def own_flows(self, flows: FloatArray) -> FloatArray:
        r"""Each element's own cargo, TEU a year: its flow less the cargo back it carries.

        The flows of the water elements of :attr:`return_cargo` are joint, their own
        cargo and ``k`` x the other direction's, :math:`v = (I + K)\,u`; the own cargo
        :math:`u` solves it (the other elements' flows are their own).
        """
        out = np.array(flows, dtype=np.float64)
        idx, unmix = self._own_solver
        out[idx] = np.maximum(unmix @ out[idx], 0.0)
        return out

    @cached_property
    def _own_solver(self) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """The water elements of :attr:`return_cargo` and :math:`(I + K)^{-1}` over them."""
        idx = sorted({i for e, b, _ in self.return_cargo for i in (e, b)})
        at = {e: i for i, e in enumerate(idx)}
        joint = np.eye(len(idx))
        for e, b, k in self.return_cargo:
            joint[at[b], at[e]] += k
        return np.array(idx, dtype=np.int64), np.asarray(np.linalg.inv(joint), dtype=np.float64)

    def split_queue_h(
        self,
        flows: FloatArray,
        demand: FloatArray,
        shares: FloatArray,
        *,
        split_flows: FloatArray | None = None,
    ) -> FloatArray:
        """:meth:`queue_h` at ``flows`` with the arrivals by land of the split ``shares``.

        ``demand`` (markets,) and ``shares`` (markets, corridors) give
        :meth:`landside_share` (with ``split_flows``, their :meth:`flows` if known);
        ``flows`` may be less than theirs (rationed).
        """
        landside = self.landside_share(demand, shares, split_flows=split_flows)
        return self.queue_h(flows, landside)


def rationing_wait_h(shadow_price_usd_teu: float, value_of_time_usd_teu_h: float) -> float:
    """The wait that rations a full element, hours: its shadow price over the value of time.

    At capacity the equilibrium keeps an element's flow within its capacity by a shadow
    price (USD per TEU). Shippers pay that rationing mostly by waiting for a slot (the
    queue of a deterministic bottleneck: Khorgos up to 42 days in 2020-21, Brest and
    Małaszewicze days to weeks): the wait whose time cost equals the price, at the value
    of time of the cargo. ``docs/model.md`` ("Waiting at a binding element").

    Parameters
    ----------
    shadow_price_usd_teu : float
        Shadow price the served cargo pays, USD per TEU (0 when not full, and at an
        element rationed at the price cap: a quota holds it,
        :mod:`corridors.scenarios.rationing`).
    value_of_time_usd_teu_h : float
        Value of time of the cargo, USD per TEU-hour (> 0).
    """
    if not value_of_time_usd_teu_h > 0:
        raise ValueError(f"value of time must be > 0, got {value_of_time_usd_teu_h!r}")
    return max(float(shadow_price_usd_teu), 0.0) / value_of_time_usd_teu_h


@dataclass(frozen=True, slots=True)
class ElementWait:
    """The congested wait at one element in a year of a run, hours.

    Attributes
    ----------
    queue_h : float
        Mean wait in its queue below capacity (the largest over its cargo parts).
    rationing_h : float
        Wait that rations it at capacity (:func:`rationing_wait_h` of the shadow prices
        of its parts that apply to the cargo).
    shadow_price_usd_teu : float
        Those shadow prices together, USD per TEU.
    utilisation : float
        Flow over capacity (the fullest part).
    """

    queue_h: float
    rationing_h: float
    shadow_price_usd_teu: float
    utilisation: float

    @property
    def total_h(self) -> float:
        """Queue and rationing wait, hours."""
        return self.queue_h + self.rationing_h


def element_waits(
    bottlenecks: pd.DataFrame,
    year: int,
    *,
    value_of_time_usd_teu_h: float,
    containers: bool = True,
) -> dict[str, ElementWait]:
    """The congested wait at each element of a run's ``bottlenecks`` in ``year``.

    The one rule of the congested times (compare's P50/P90, the legs' ``queue_h`` and
    ``rationing_h``, the calibration's segment times): an element's wait is its queue
    below capacity plus, where it is full, :func:`rationing_wait_h` of the shadow prices
    of its parts the cargo pays (``containers``: the element and its ``#teu`` part;
    general cargo: the element and its ``#general`` part).
    """
    out: dict[str, ElementWait] = {}
    if bottlenecks.empty:
        return out
    rows = bottlenecks[bottlenecks["year"] == year]
    queue = rows["queue_h"] if "queue_h" in rows.columns else pd.Series(0.0, index=rows.index)
    mine = ("all", "containers") if containers else ("all", "general")
    acc: dict[str, list[float]] = {}
    for key, cargo, util, price, wait in zip(
        rows["element"],
        rows["cargo"],
        rows["utilisation"],
        rows["shadow_price_usd_teu"],
        queue,
        strict=True,
    ):
        entry = acc.setdefault(str(key).partition("#")[0], [0.0, 0.0, 0.0])
        w = float(wait)
        entry[0] = max(entry[0], w if math.isfinite(w) else 0.0)
        if cargo in mine:
            entry[1] += float(price)
        entry[2] = max(entry[2], float(util))
    for key, (wait, price, util) in acc.items():
        out[key] = ElementWait(wait, rationing_wait_h(price, value_of_time_usd_teu_h), price, util)
    return out
