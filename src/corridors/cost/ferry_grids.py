r"""A ferry line's terms with cargo both ways on grids, for the equilibrium: hours.

The equilibrium (:class:`~corridors.cost.element_delays.ElementDelays`) evaluates a ferry
element's wait with cargo both ways line by line (:class:`LineGrids`, one for each line of
a :class:`~corridors.cost.ferry_lines.FerryLines`): the cargo back's factor of the held
ships' wait (:meth:`~corridors.cost.ferry_queue.FerryQueue.back_factor_h`), the wait for
a ship beyond the deck filling and the sailings an hour at the other port (what waits
there, :func:`~corridors.cost.ferry_across.from_waits`), and the absence shift of the
empty ships that sail for the cargo across
(:meth:`~corridors.cost.ferry_queue.FerryQueue.absence_shift_h`), each at utilisations
:data:`FILL_GRID` apart, remembered beside the line's waits and interpolated linearly
between (:func:`between_steps`). No I/O.

Example
-------
>>> from corridors.cost.ferry_grids import between_steps
>>> between_steps(2.25, lambda step: 10.0 * step)  # 0.75 x 20 + 0.25 x 30
22.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.cost.element_queues import shipments_per_h
from corridors.cost.ferry_across import from_waits
from corridors.cost.ferry_lines import FerryLines
from corridors.cost.ferry_queue import FerryQueue

if TYPE_CHECKING:
    from collections.abc import Callable

    from corridors.cost.element_queues import AnyQueue

__all__ = [
    "BACK_KEYS",
    "FILL_GRID",
    "SAILING_KEYS",
    "SHIFT_GRID",
    "SHIFT_KEYS",
    "SHIP_KEYS",
    "STRIDE",
    "LineGrids",
    "between_steps",
    "fills_a_deck",
    "line_grids",
]

FILL_GRID = 1e-2
"""Utilisation step at which a ferry line's deck-filling wait at its own cargo is
evaluated (and remembered; it varies slowly, and each point is a deck-filling chain)."""

BACK_KEYS = -1_000_000
"""Where a ferry line's remembered cargo-back factors start among its remembered waits
(keys ``BACK_KEYS - step``; the waits are at steps >= 0, the deck-filling waits at
``-1 - step``); its sailings an hour at ``SAILING_KEYS - step``, its wait for a ship
beyond the deck filling at ``SHIP_KEYS - step`` (steps of :data:`FILL_GRID`), and the absence shift
of empty ships that sail for the cargo across at ``SHIFT_KEYS - (i STRIDE + j)`` (the
joint load's step ``i`` of :data:`FILL_GRID`, the share of the time nothing waits across
``j x`` :data:`SHIFT_GRID`)."""

SAILING_KEYS = -2_000_000
SHIP_KEYS = -3_000_000
SHIFT_KEYS = -4_000_000
STRIDE = 100

SHIFT_GRID = 0.02
"""Step of the share of the time nothing waits across at which the absence shift is
evaluated (and remembered; trains of a whole deck only)."""


def between_steps(x: float, at: Callable[[int], float]) -> float:
    """``at`` interpolated linearly between the whole steps either side of ``x``."""
    lo = math.floor(x)
    return (lo + 1 - x) * at(lo) + (x - lo) * at(lo + 1)


def fills_a_deck(line: FerryQueue) -> bool:
    """Every shipment of ``line`` fills a deck (where the absence shift applies)."""
    return line.absence_shift_h(0.5 * line.capacity_per_h(0.0), empty_share=0.5) != 0.0


def line_grids(
    queue: FerryQueue | FerryLines,
    *,
    rate: float,
    memo: dict[int, float],
    ferry_waits: dict[AnyQueue, dict[int, float]],
) -> tuple[LineGrids, ...]:
    """The lines of a ferry element: each with its share, rate and remembered waits.

    Parameters
    ----------
    queue : FerryQueue or FerryLines
        The element's queue.
    rate : float
        Its shipments an hour at utilisation 1
        (:func:`~corridors.cost.element_queues.shipments_per_h`).
    memo : dict
        Its remembered waits (a lone line's grids go beside them).
    ferry_waits : dict
        The remembered waits by line (each line of several gets its own; filled here).
    """
    if isinstance(queue, FerryQueue):
        return (LineGrids(queue, 1.0, rate, memo, fills_a_deck(queue)),)
    return tuple(
        LineGrids(
            line,
            share,
            shipments_per_h(line),
            ferry_waits.setdefault(line, {}),
            fills_a_deck(line),
        )
        for line, share in zip(queue.lines, queue.shares, strict=True)
    )


@dataclass(frozen=True, slots=True)
class LineGrids:
    """One line of a ferry element, with its remembered waits.

    Its share of the element's cargo, its shipments an hour at utilisation 1, its
    remembered waits (shared with the line's own element; keys as :data:`BACK_KEYS`)
    and whether every shipment fills a deck (:func:`fills_a_deck`).
    """

    line: FerryQueue
    share: float
    rate: float
    memo: dict[int, float]
    whole: bool

    def across(self, back: float, own: float, *, knee: float) -> tuple[float, float]:
        """The cargo back's factor of the held ships' wait and the absence shift, hours.

        At the line's utilisations of the cargo back ``back`` and its own ``own``
        (:func:`~corridors.cost.ferry_across.waiting_across` on grids): the other
        port's own cargo is the cargo back, its wait for a ship the line's wait less
        its deck filling at its joint load (held at ``knee`` above it).
        """
        there = min(back + self.line.return_use * own, knee)
        ship_h = between_steps(there / FILL_GRID, lambda step: self.at(step, FILL_GRID, 1))
        sailings = between_steps(back / FILL_GRID, lambda step: self.at(step, FILL_GRID, 2))
        across = from_waits(back * self.rate, sailings, ship_h)
        factor = between_steps(back / FILL_GRID, lambda step: self.at(step, FILL_GRID, 0))
        if not self.whole:
            return factor * across.deck_free, 0.0
        joint = (own + self.line.return_use * back) / FILL_GRID
        free = across.nothing_waiting / SHIFT_GRID
        j = min(math.floor(free), round(1.0 / SHIFT_GRID) - 1)
        shift = (j + 1 - free) * between_steps(joint, lambda i: self.shift(i, j)) + (
            free - j
        ) * between_steps(joint, lambda i: self.shift(i, j + 1))
        return factor * across.deck_free, shift

    def at(self, step: int, grid: float, what: int) -> float:
        """The line's cargo back's factor, wait for a ship or sailings, remembered.

        ``what`` 0: the cargo back's factor; 1: the wait for a ship beyond the deck
        filling; 2: sailings an hour; at utilisation ``step x grid``.
        """
        key = (BACK_KEYS, SHIP_KEYS, SAILING_KEYS)[what] - step
        hit = self.memo.get(key)
        if hit is None:
            line = self.line
            at = (line.back_factor_h, line.ship_wait_h, line.sailings_per_h)[what]
            hit = self.memo[key] = at(step * grid * self.rate)
        return hit

    def shift(self, i: int, j: int) -> float:
        """The absence shift at the grid's steps, remembered.

        The joint load's step ``i`` of :data:`FILL_GRID`, ``j x`` :data:`SHIFT_GRID` of
        the time nothing waiting across.
        """
        key = SHIFT_KEYS - (i * STRIDE + j)
        hit = self.memo.get(key)
        if hit is None:
            lam = i * FILL_GRID * self.rate
            hit = self.memo[key] = self.line.absence_shift_h(lam, empty_share=j * SHIFT_GRID)
        return hit
