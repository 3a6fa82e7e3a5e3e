r"""The queueing delay of each equilibrium element at its flow, with a finite tail: hours.

The equilibrium (:mod:`corridors.scenarios.choice`) loads each element with a flow in
container TEU a year (bulk counted at the share of a shipment it takes,
:func:`~corridors.cost.element_queues.bulk_use`). The element's queue
(:mod:`corridors.cost.element_queues`) serves shipments of
:data:`~corridors.cost.element_queues.SHIPMENT_TEU` TEU, so its utilisation is

.. math::

    \rho_e = v_e / Q_e, \qquad Q_e = \mu_e \cdot 8760 \cdot \text{SHIPMENT\_TEU},

with :math:`\mu_e` the shipments an hour it serves. Below the knee :math:`\rho_k`
(default :data:`KNEE`) the wait is the queue's own; above it the tangent at the knee
(a ferry line's wait, not smooth in its storms and deck filling, is held at its value at
the knee), finite at capacity, where the equilibrium's hard limit and shadow price take
over. A ferry line's terms with cargo both ways are kept line by line on grids of their
own (:mod:`~corridors.cost.ferry_grids`). No I/O.

Example
-------
>>> import numpy as np
>>> from corridors.cost.element_delays import ElementDelays
>>> from corridors.cost.element_queues import station_queue
>>> lane = station_queue("border", servers=1, service_h=2.0, service_cv=1.0)
>>> delays = ElementDelays((lane, None))
>>> [round(float(w), 6) for w in delays.wait_h(np.array([0.5, 0.9]))]  # M/M/1, no queue
[2.0, 0.0]
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from corridors.cost.element_queues import AnyQueue, capacity_teu_yr, shipments_per_h
from corridors.cost.ferry_grids import FILL_GRID, LineGrids, between_steps, line_grids
from corridors.cost.ferry_hold import load_factor
from corridors.cost.ferry_lines import FerryLines
from corridors.cost.ferry_queue import FerryQueue
from corridors.cost.mean_waits import QueueElement

__all__ = ["FERRY_GRID", "KNEE", "ElementDelays"]

FloatArray = npt.NDArray[np.float64]

KNEE = 0.95
"""Utilisation above which an element's wait continues along its tangent (finite at
capacity); the capacity itself is a hard limit."""

FERRY_GRID = 1e-3
"""Utilisation step at which a ferry line's wait is evaluated (and remembered)."""

SHARES = 10
"""Steps of the share of arrivals by land at which stormy berths' wait is evaluated
(with :data:`FERRY_GRID` in utilisation; remembered, interpolated linearly between)."""


def _gridded(q: AnyQueue | None) -> bool:
    """A ferry line, or berths closed by storms month by month: evaluated on a grid."""
    if isinstance(q, FerryQueue | FerryLines):
        return True
    return isinstance(q, QueueElement) and bool(q.storm_months) and q.closure_h > 0.0


@dataclass(frozen=True)
class ElementDelays:
    """Queueing delay of each element at a utilisation of its queue, hours.

    ``wait_h(rho)`` is ``q.wait_h(rho x shipments an hour)`` for ``rho <= knee`` and
    the tangent at the knee above it, so it stays finite at and above capacity;
    elements without a queue (``None``) wait 0. A ferry line
    (:class:`~corridors.cost.ferry_queue.FerryQueue`) is evaluated at utilisations
    on a grid of utilisations :data:`FERRY_GRID` apart, remembered, and interpolated
    linearly between (its deck filling and storms make it costly to evaluate).

    Parameters
    ----------
    queues : tuple of QueueElement, FerryQueue or None
        One per element.
    knee : float
        Utilisation in (0, 1) where the tangent takes over.
    ferry_waits : dict, optional
        The ferry waits already evaluated, by line and grid step (shared with other
        delays of the same lines; filled here).
    """

    queues: tuple[AnyQueue | None, ...]
    knee: float = KNEE
    ferry_waits: dict[AnyQueue, dict[int, float]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _at_knee: FloatArray = field(init=False, repr=False)
    _slope: FloatArray = field(init=False, repr=False)
    _live: npt.NDArray[np.int64] = field(init=False, repr=False)
    _capacity: FloatArray = field(init=False, repr=False)
    _memo: list[dict[int, float]] = field(init=False, repr=False)
    _rate: list[float] = field(init=False, repr=False)
    _idle: list[float] = field(init=False, repr=False)
    _stormy: tuple[int, ...] = field(init=False, repr=False)
    _kind: tuple[int, ...] = field(init=False, repr=False)
    """Each element's evaluation: 0 its queue's formula, 1 on the grid, 2 on the grid by
    utilisation and share of arrivals by land (stormy berths); found once."""
    _ferries: tuple[int, ...] = field(init=False, repr=False)
    _back_use: tuple[float, ...] = field(init=False, repr=False)
    _lines: dict[int, tuple[LineGrids, ...]] = field(init=False, repr=False)
    """Each ferry element's lines on their grids (:mod:`~corridors.cost.ferry_grids`)."""

    def __post_init__(self) -> None:
        if not 0.0 < self.knee < 1.0:
            raise ValueError(f"knee must be in (0, 1), got {self.knee!r}")
        memo = [
            self.ferry_waits.setdefault(q, {}) if q is not None and _gridded(q) else {}
            for q in self.queues
        ]
        object.__setattr__(self, "_memo", memo)
        stormy = tuple(
            e for e, q in enumerate(self.queues) if isinstance(q, QueueElement) and _gridded(q)
        )
        object.__setattr__(self, "_stormy", stormy)
        kind = tuple(
            0 if q is None or not _gridded(q) else 2 if isinstance(q, QueueElement) else 1
            for q in self.queues
        )
        object.__setattr__(self, "_kind", kind)
        ferries = tuple(e for e, k in enumerate(kind) if k == 1)
        object.__setattr__(self, "_ferries", ferries)
        object.__setattr__(
            self,
            "_back_use",
            tuple(
                q.return_use if isinstance(q, FerryQueue | FerryLines) else 0.0 for q in self.queues
            ),
        )
        # each queue's service rate and its wait with no traffic, found once
        rate = [math.nan if q is None else shipments_per_h(q) for q in self.queues]
        object.__setattr__(self, "_lines", {e: self._ferry_lines(e, rate[e]) for e in ferries})
        live = [e for e, r in enumerate(rate) if math.isfinite(r) and r > 0]
        idle = [0.0] * len(self.queues)
        for e in live:
            q = self.queues[e]
            if q is not None and not _gridded(q):
                idle[e] = q.wait_h(0.0)
        object.__setattr__(self, "_rate", rate)
        object.__setattr__(self, "_idle", idle)
        at = np.zeros(len(self.queues))
        slope = np.zeros(len(self.queues))
        for e in live:
            at[e] = self._exact(e, self.knee)
            if _gridded(self.queues[e]):
                slope[e] = 0.0  # a ferry line's or stormy berths' wait is held above the knee
            else:
                step = min(1e-4, self.knee / 2)
                slope[e] = (self._exact(e, self.knee + step) - self._exact(e, self.knee - step)) / (
                    2 * step
                )
        cap = np.array(
            [np.inf if q is None else capacity_teu_yr(q) for q in self.queues], dtype=np.float64
        )
        cap[np.setdiff1d(np.arange(len(self.queues)), np.array(live, dtype=np.int64))] = np.inf
        object.__setattr__(self, "_at_knee", at)
        object.__setattr__(self, "_slope", slope)
        object.__setattr__(self, "_live", np.array(live, dtype=np.int64))
        object.__setattr__(self, "_capacity", cap)

    def _exact(self, e: int, rho: float, landside: float | None = None) -> float:
        q = self.queues[e]
        assert q is not None
        rate = self._rate[e]
        kind = self._kind[e]
        if kind == 2 and isinstance(q, QueueElement):  # stormy berths: rho and landside
            y = (q.storm_share if landside is None else min(max(landside, 0.0), 1.0)) * SHARES
            j = min(math.floor(y), SHARES - 1)
            return (j + 1 - y) * self._on_grid(e, rho, rate, j) + (y - j) * self._on_grid(
                e, rho, rate, j + 1
            )
        if kind:
            return self._on_grid(e, rho, rate, -1)
        return q.wait_h(rho * rate) - self._idle[e]

    def _on_grid(self, e: int, rho: float, rate: float, j: int) -> float:
        return between_steps(rho / FERRY_GRID, lambda step: self._grid(e, step, rate, j))

    def _grid(self, e: int, step: int, rate: float, j: int = -1) -> float:
        """A gridded element's wait at utilisation ``step x FERRY_GRID`` (remembered).

        ``j`` >= 0: stormy berths with ``j / SHARES`` of their arrivals by land.
        """
        memo = self._memo[e]
        key = step if j < 0 else step * (SHARES + 1) + j
        hit = memo.get(key)
        if hit is None:
            q = self.queues[e]
            assert q is not None
            if j >= 0 and isinstance(q, QueueElement):
                q = dataclasses.replace(q, storm_share=j / SHARES)
            hit = memo[key] = q.wait_h(step * FERRY_GRID * rate)
        return hit

    @property
    def any(self) -> bool:
        """At least one element has a queue."""
        return bool(self._live.size)

    @property
    def capacity_teu_yr(self) -> FloatArray:
        """Capacity of each element's queue, container TEU a year (inf: no queue)."""
        return self._capacity.copy()

    def wait_h(
        self,
        rho: FloatArray,
        landside: FloatArray | None = None,
        own: FloatArray | None = None,
    ) -> FloatArray:
        """Mean wait at each element at utilisations ``rho`` of its queue, hours.

        ``landside``: share of each element's arrivals that come by land (they pile up
        in a storm at a Caspian port's berths); default each queue's ``storm_share``.
        ``own``: a ferry line's own cargo from its port, as a utilisation, where
        ``rho`` is the joint load with the cargo back: its deck fills with its own
        cargo (:meth:`~corridors.cost.ferry_queue.FerryQueue.wait_h`), both on a grid,
        and the ships held at the other port by the cargo back's deck filling add
        :meth:`~corridors.cost.ferry_queue.FerryQueue.hold_h`, the empty ships that sail
        for the cargo across :meth:`~corridors.cost.ferry_queue.FerryQueue.absence_shift_h`
        (both on a grid of the cargo back's and the own cargo's utilisations,
        :data:`~corridors.cost.ferry_grids.FILL_GRID`, line by line:
        :mod:`~corridors.cost.ferry_grids`); default (or ``own >= rho``) all of it.
        """
        rho = np.asarray(rho, dtype=np.float64)
        out = self._wait_h(rho, landside)
        if own is None:
            return out
        own = np.asarray(own, dtype=np.float64)
        for e in self._ferries:
            r, o = float(rho[e]), float(own[e])
            if 0.0 <= o < r:
                top = min(r, self.knee)  # held above the knee, as the wait
                mine = o * top / r
                out[e] += self._fill(e, mine) - self._fill(e, top)
                k = self._back_use[e]
                if mine > 0.0 and k > 0.0:
                    held, shift = self._across(e, (top - mine) / k, mine)
                    out[e] += held * load_factor(mine, top) + shift
        return out

    def _ferry_lines(self, e: int, rate: float) -> tuple[LineGrids, ...]:
        """The lines of ferry element ``e`` on their grids (:func:`line_grids`)."""
        q = self.queues[e]
        assert isinstance(q, FerryQueue | FerryLines)
        return line_grids(q, rate=rate, memo=self._memo[e], ferry_waits=self.ferry_waits)

    def _across(self, e: int, back: float, own: float) -> tuple[float, float]:
        """A ferry line's cargo back's factor of its held ships' wait and absence shift.

        Hours, at the cargo back's utilisation ``back`` and the own cargo's ``own``,
        line by line (:meth:`~corridors.cost.ferry_grids.LineGrids.across`).
        """
        held = shift = 0.0
        for x in self._lines[e]:
            scale = self._rate[e] * x.share / x.rate  # to the line's utilisation
            h, a = x.across(back * scale, own * scale, knee=self.knee)
            held += x.share * h
            shift += x.share * a
        return held, shift

    def _fill(self, e: int, rho: float) -> float:
        """A ferry line's deck-filling wait at utilisation ``rho`` (grid, interpolated)."""
        return between_steps(rho / FILL_GRID, lambda step: self._fill_grid(e, step))

    def _fill_grid(self, e: int, step: int) -> float:
        """A ferry line's deck-filling wait at utilisation ``step x FILL_GRID``, remembered."""
        memo = self._memo[e]
        key = -1 - step  # beside the waits (steps >= 0); the cargo back's from BACK_KEYS down
        hit = memo.get(key)
        if hit is None:
            q = self.queues[e]
            assert isinstance(q, FerryQueue | FerryLines)
            hit = memo[key] = q.fill_wait_h(step * FILL_GRID * self._rate[e])
        return hit

    def _wait_h(self, rho: FloatArray, landside: FloatArray | None) -> FloatArray:
        rho = np.asarray(rho, dtype=np.float64)
        out = np.zeros(rho.shape)
        rhos = rho.tolist()
        shares = None if landside is None else np.asarray(landside, dtype=np.float64).tolist()
        for e in self._live.tolist():
            r = rhos[e]
            if not r > 0.0:
                continue
            share = None if shares is None else shares[e]
            if r <= self.knee:
                out[e] = self._exact(e, r, share)
            elif share is not None and self._kind[e] == 2:
                out[e] = self._exact(int(e), self.knee, share)  # held, as a ferry line's
            else:
                out[e] = self._at_knee[e] + self._slope[e] * (r - self.knee)
        return out

    @property
    def stormy(self) -> tuple[int, ...]:
        """Elements whose wait depends on the share of their arrivals by land."""
        return self._stormy
