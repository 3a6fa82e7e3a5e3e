r"""A ferry or feeder line's year, month by month: its queue of sailings and storms, hours.

:func:`year_wait_h` is the mean wait of a shipment for a ship of a
:class:`~corridors.cost.ferry_queue.FerryQueue` over the year: month by month, the deck
filling, the queue of sailings for the ships (a G/G/c
:class:`~corridors.cost.mean_waits.QueueElement` over sailings at the month's open share)
and the ships' absence, the storm an arrival meets (:func:`storm_residual_h`) and the
backlog each storm leaves (the waves of the ships that come back,
:func:`line_waves` and :func:`~corridors.cost.storm_waves.storm_wait_h`, or the fluid
backlog where the ship in port keeps taking cargo,
:func:`~corridors.cost.storm_backlog.fluid_storm_h`), the months weighed by their days;
plus the seasonal backlog of the months whose cargo exceeds what their open ships lift
(:func:`~corridors.cost.storm_backlog.seasonal_backlog_h`). Past
:data:`~corridors.cost.mean_waits.MONTH_KNEE` of what its open ships lift, a month's queue
of sailings and storms' backlog are the knee's, fading to nothing at ``1 +``
:data:`MONTH_FADE` times it (docs/model.md, Equilibrium). No I/O.

Example
-------
>>> from corridors.cost.ferry_months import storm_residual_h
>>> from corridors.cost.ferry_queue import FerryQueue
>>> line = FerryQueue(ships=3, round_trip_h=40.0, shipment_units=1, deck_units=(2, 2, 2),
...                   max_wait_h=48.0, closure_h=96.0, closure_cv=0.5)
>>> round(storm_residual_h(line, 0.85), 9)  # (1 - 0.85) x 96 h x (1 + 0.5^2) / 2
9.0
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from corridors.cost.mean_waits import MONTH_KNEE, QueueElement
from corridors.cost.storm_backlog import MONTH_DAYS, fluid_storm_h, seasonal_backlog_h
from corridors.cost.storm_waves import Waves, fleet_waves, storm_wait_h

if TYPE_CHECKING:
    from corridors.cost.deck_fill import DeckFill
    from corridors.cost.ferry_absence import ShipAbsence
    from corridors.cost.ferry_queue import FerryQueue

__all__ = ["MONTH_FADE", "line_waves", "storm_residual_h", "year_wait_h"]

MONTH_FADE = 0.15
"""Past :data:`~corridors.cost.mean_waits.MONTH_KNEE` of what its open ships lift, a month's
queue of sailings and storms' backlog (the knee's) fade linearly to nothing at ``1 +
MONTH_FADE`` times it. Chosen on the simulated directions of the toys of
``benchmarks/ferry_toys.py`` whose months pass the knee (docs/model.md, Equilibrium)."""


def year_wait_h(
    line: FerryQueue,
    lam: float,
    *,
    fill: DeckFill,
    per_sailing: float,
    whole: bool,
    away: ShipAbsence | None,
) -> float:
    """Mean wait of a shipment for a ship of ``line`` over the year, hours.

    Parameters
    ----------
    line : FerryQueue
        The line (ships, round trip, storms month by month).
    lam : float
        Shipments an hour (> 0).
    fill : DeckFill
        How they fill the decks at ``lam`` (:meth:`FerryQueue.fill`).
    per_sailing : float
        Shipments a sailing takes (at least one where they fit a deck).
    whole : bool
        Every shipment fills a deck: each needs a ship of its own, so it waits for the
        ships' absence and then behind the others in the queue of sailings (both;
        otherwise the larger of the two).
    away : ShipAbsence or None
        The ships' absence from the port at ``lam``
        (:func:`~corridors.cost.ferry_absence.ship_absence`); None: not modelled.

    Returns
    -------
    float
        Hours; ``inf`` when the open ships cannot lift the year's cargo.
    """
    n = per_sailing
    lift = line.ships * n / line.round_trip_h  # shipments an hour with the ports open
    if lam >= lift * line.open_share:
        return math.inf
    hours = np.array(MONTH_DAYS, dtype=float) * 24.0
    waits = np.zeros(12)
    absent, here = 0.0, 1.0  # the wait for an absent ship; the chance one is in port
    if away is not None:
        absent, here = away.wait_h, 1.0 - away.empty_share
    overlap_h = fill.wait_h if line.fills_in_storms else 0.0
    first, later = line_waves(line, n, here)
    stays, fades, busy, spares = (np.zeros(12) for _ in range(4))
    for m, share in enumerate(line.open_share_by_month):
        # a month busier than MONTH_KNEE of what its open ships lift: its queue of
        # sailings and its storms' backlog are the knee's, fading to nothing at
        # 1 + MONTH_FADE of it; the seasonal backlog below carries a month beyond
        # its capacity
        knee = MONTH_KNEE * share * lift
        sailings = QueueElement(
            "ferry",
            servers=line.ships,
            service_h=line.round_trip_h,
            service_cv=0.0,
            arrival_cv=1.0 / math.sqrt(n),
            open_share=share,
        )
        past = lam / (share * lift) - MONTH_KNEE  # of what the month lifts
        fade = min(1.0, max(0.0, 1.0 - past / (1.0 + MONTH_FADE - MONTH_KNEE)))
        queued = sailings.wait_h(min(lam, knee) / n) * fade
        ship_h = queued + absent if whole else max(queued, absent)
        waits[m] = fill.wait_h + ship_h + storm_residual_h(line, share, overlap_h)
        stays[m], fades[m], busy[m] = fill.wait_h + ship_h, fade, min(lam, knee)
        spares[m] = max(share * lift - lam, (1.0 - MONTH_KNEE) * share * lift)
    shares = np.array(line.open_share_by_month)
    storms = {"closure_h": line.closure_h, "closure_cv": line.closure_cv}
    if line.closure_h > 0.0 and line.fills_in_storms:
        waits += fades * fluid_storm_h(
            lam,
            at_once=(line.reopen_share * line.ships * n, line.ships * n),
            wait_h=line.return_h if line.reopen_share < 1.0 else 0.0,
            open_share=shares,
            spare_per_h=spares,
            **storms,
        )
    elif line.closure_h > 0.0:
        waits += fades * storm_wait_h(
            busy,
            stay_h=stays,
            first=first,
            later=later,
            round_h=line.round_trip_h,
            open_share=shares,
            **storms,
        )
    backlog = seasonal_backlog_h(lam, np.array(line.open_share_by_month) * lift, hours)
    return float(waits @ hours / hours.sum()) + backlog


def line_waves(line: FerryQueue, n: float, here: float) -> tuple[Waves, Waves]:
    """The waves of the ships after a storm (:func:`~corridors.cost.storm_waves.fleet_waves`).

    ``n`` shipments a sailing. When the cargo waits out the storm ashore
    (``fills_in_storms`` off) the ship that took cargo when the storm began (there a
    share ``here`` of the time, one less the ships' absence) sails at its end with what
    it had, and the ships across the sea behind the first wait out their empty wait (the
    cargo is still at the port's station at that instant); when the ship in port keeps
    taking cargo, it sails full of the backlog and the ships across sail at once.
    """
    ashore = not line.fills_in_storms
    return fleet_waves(
        ships=line.ships,
        per_sailing=n,
        reopen_share=line.reopen_share if line.return_h > 0.0 else 1.0,
        return_h=line.return_h,
        empty_wait_h=(line.empty_wait_h or 0.0) if ashore else 0.0,
        lost=here if ashore else 0.0,
    )


def storm_residual_h(line: FerryQueue, share: float, fill_h: float = 0.0) -> float:
    r"""Mean wait for the end of the storm an arrival meets, hours.

    In a month open a share ``share`` of the time. The residual storm :math:`R` has mean
    :math:`E[D^2] / (2 E[D])`, met a share ``1 - share`` of the time. When the deck fills
    in the storm (``fill_h > 0``, the deck-filling wait :math:`F` taken as exponential of
    mean ``fill_h``) the shipment waits :math:`\max(R, F)`: less :math:`E[\min(R, F)] = f
    (1 - L_R(1/f))`, with :math:`L_R(x) = (1 - L_D(x)) / (x E[D])` the Laplace transform
    of the residual and :math:`L_D(x) = (1 + x \theta)^{-k}` that of the gamma storm
    (``D`` fixed: :math:`e^{-x D}`).
    """
    residual = line.closure_h * (1.0 + line.closure_cv**2) / 2.0
    if fill_h > 0.0 and line.closure_h > 0.0:
        x = 1.0 / fill_h
        if line.closure_cv > 0.0:
            shape = 1.0 / line.closure_cv**2
            storm_lt = (1.0 + x * line.closure_h / shape) ** -shape
        else:
            storm_lt = math.exp(-x * line.closure_h)
        residual -= fill_h * (1.0 - (1.0 - storm_lt) / (x * line.closure_h))
    return (1.0 - share) * residual
