r"""The ships held at the other port by its deck filling: the wait it adds, hours.

A line's ships take cargo at a port one at a time, and a ship with cargo aboard waits
there until its deck is full or the maximum wait has passed, while the ships that come in
behind it queue for their turn. With cargo both ways, the ships that brought this port's
cargo across are held there by the other port's deck filling, and this port waits for
them (the simulated ships: :mod:`corridors.simulation.ferries`). The term is fitted to
the simulated ships, not derived (a closed network of the ships was tried and removed,
docs/model.md); it is 0 without cargo back, continuous as the cargo back vanishes and
increasing in the port's own cargo:

.. math::

    H = a\,(1 + \kappa (1 - o))\,T\,x^{b}\,(h/T)^{g}\,(c/4)^{m}\,
        \Big(\frac{\rho^{e}}{1 - j\,\rho_j} + d\Big)\,e^{-L'},

with :math:`x = (\lambda'/n')\,h` the share of the time a ship takes cargo at the other
port (:math:`\lambda'` its shipments an hour, :math:`n'` a sailing and :math:`h` hours a
ship takes cargo there, :func:`~corridors.cost.deck_fill.deck_fill`), :math:`T` the
round trip, :math:`c` the ships, :math:`o` the share of the year the ports are open,
:math:`\rho` and :math:`\rho_j` the utilisations of this port's own cargo and of the
joint load with the cargo back (over the lift with full decks, as the equilibrium's
elements count it), and :math:`d` the wait of a shipment for a ship held there as the
port's own cargo vanishes (a train of a whole deck, or the first group of a light
direction, still waits for a ship to come back); :math:`e^{-L'}` is the share of the
ships' calls at the other port that find no deck waiting there (a ship that finds one
loads it and sails, holding nobody; :func:`~corridors.cost.ferry_across.waiting_across`).
It is the product of a factor of the cargo back (:func:`back_factor_h`), that share and
one of the utilisations (:func:`load_factor`); the equilibrium keeps the first two on
grids, line by line. Without a maximum wait it grows without
bound as the cargo back vanishes, as the simulated ships do (docs/model.md). No I/O.

Example
-------
>>> from corridors.cost.ferry_hold import load_factor
>>> round(load_factor(0.5, 0.6), 3)  # 0.5 ** e / (1 - 0.8 x 0.6) + d
0.222
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.cost.deck_fill import DeckFill, deck_fill, mean_shipment_units
from corridors.cost.ferry_across import waiting_across

if TYPE_CHECKING:
    from corridors.cost.ferry_queue import FerryQueue

__all__ = [
    "HOLD_FIT",
    "HoldFit",
    "Sizes",
    "back_factor_h",
    "line_back_factor_h",
    "line_back_fill",
    "line_hold_h",
    "load_factor",
]

Sizes = int | tuple[tuple[int, float], ...] | None
"""Shipment sizes: one size (units), sizes with their shares, or None (the line's own)."""


@dataclass(frozen=True, slots=True)
class HoldFit:
    """Coefficients of the wait for the ships held at the other port (module docstring).

    Attributes
    ----------
    scale : float
        ``a``.
    storms : float
        ``kappa``: the term grows by ``kappa x`` the share of the year the ports are closed.
    held : float
        ``b``, the exponent of the share of the time a ship takes cargo at the other port.
    fill : float
        ``g``, the exponent of the hours a ship takes cargo there over the round trip.
    ships : float
        ``m``, the exponent of the ships over 4.
    own : float
        ``e``, the exponent of the port's own utilisation.
    absent : float
        ``d``, the utilisations' factor as the port's own cargo vanishes: a shipment
        there still waits for a ship held at the other port.
    joint : float
        ``j``, the weight of the joint utilisation in ``1 / (1 - j rho_j)``, smooth and
        finite at capacity, and the coefficients fitted with it (before, fitted with
        ``1 / (1 - rho_j)`` and taken with ``j = 0.8``): with ``1 / (1 - rho_j)`` held
        above 0.9 the equilibrium of baseline-2024 took 1,028 iterations in 2034 (49
        without the term), held above 0.8 a year of an 8-sample forecast took 1,988.
        With these coefficients (refitted with the calls that find a deck waiting
        across, :mod:`corridors.cost.ferry_across`, on the storms' waves) the largest
        year solve to 2035 takes 136, 136 and 46 iterations (baseline-2024,
        caspian-storm-winter, red-sea-closed; 94, 167 and 59 with the fit before it),
        all converged.
    source : str
        Where the values come from.
    """

    scale: float
    storms: float
    held: float
    fill: float
    ships: float
    own: float
    absent: float
    joint: float
    source: str


HOLD_FIT = HoldFit(
    scale=7.325,
    storms=10.793,
    held=1.281,
    fill=1.128,
    ships=0.352,
    own=3.77,
    absent=0.068,
    joint=0.8,
    source="fitted (least squares of the relative error, soft L1 at 0.2, with j = 0.8) to "
    "the simulated ships of benchmarks/ferry_waits_fit.py (toy lines in "
    "benchmarks/ferry_toys.py): two-port lines of 3, 4 and 6 ships of 50 wagons, 18, 22 "
    "and 30 h sailings, groups of 25 wagons at own utilisation 0.2-0.6 and cargo back "
    "0-1 of it, and 3 ships of 54-56 wagons taking trains of 50 back, without and with "
    "the Caspian storms, seeds 1-2 (6 years a seed, 12 with storms): 548 line directions "
    "at utilisation <= 0.9; checked on groups mixed with trains of a whole deck and on "
    "100-TEU shipments on the Aktau feeders' decks (441 more). With the share of the "
    "ships' calls that find no deck waiting across (ferry_across) and the storms' waves "
    "(cost.storm_waves). Rerun: PYTHONPATH=src python -m benchmarks.ferry_waits_fit --out "
    "grid.csv, then --fit grid.csv (7.325, 10.793, 1.281, 1.128, 0.352, 3.77, 0.068)",
)
"""The fitted coefficients, declared once."""


def back_factor_h(
    back_fill: DeckFill,
    back_per_h: float,
    *,
    round_trip_h: float,
    ships: int,
    open_share: float,
    fit: HoldFit = HOLD_FIT,
) -> float:
    """The cargo back's factor of the held ships' wait, hours (0 with no cargo back).

    Parameters
    ----------
    back_fill : DeckFill
        How the other port's own shipments fill its decks (at ``back_per_h``).
    back_per_h : float
        The other port's own shipments an hour.
    round_trip_h : float
        The line's round trip, hours.
    ships : int
        Ships of the line.
    open_share : float
        Share of the year the ports are open.
    fit : HoldFit
        The coefficients.
    """
    per_sailing = back_fill.shipments_per_sailing
    if not (back_per_h > 0.0 and per_sailing > 0.0 and back_fill.ship_h > 0.0):
        return 0.0
    held = min(back_per_h / per_sailing * back_fill.ship_h, 1.0)
    return float(
        fit.scale
        * (1.0 + fit.storms * (1.0 - open_share))
        * round_trip_h
        * held**fit.held
        * (back_fill.ship_h / round_trip_h) ** fit.fill
        * (ships / 4.0) ** fit.ships
    )


def load_factor(own: float, joint: float, *, fit: HoldFit = HOLD_FIT) -> float:
    """The utilisations' factor of the held ships' wait: ``own**e / (1 - j joint) + d``.

    ``own`` and ``joint``: the port's own cargo and the joint load with the cargo back
    over the lift with full decks (``joint`` taken at most 1); ``d`` at no own cargo.
    """
    mine = max(own, 0.0) ** fit.own
    return float(mine / (1.0 - fit.joint * min(joint, 1.0)) + fit.absent)


def line_hold_h(
    line: FerryQueue,
    arrivals_per_h: float,
    own_per_h: float,
    *,
    back_units: Sizes = None,
    fit: HoldFit = HOLD_FIT,
    deck_free: float | None = None,
) -> float:
    """The held ships' wait of a line at the joint load and its port's own cargo, hours.

    ``arrivals_per_h``: the joint load (:meth:`FerryQueue.joint_arrivals`), ``own_per_h``
    the port's own shipments an hour: the cargo back is their difference over the line's
    ``return_use``; ``back_units`` the other port's shipment sizes (None: the line's).
    0 with no cargo back. ``fit``: the coefficients. ``deck_free``: the share of the
    calls across that find no deck waiting, when the caller has it (None: from
    :func:`~corridors.cost.ferry_across.waiting_across`).
    """
    if not 0.0 < own_per_h < arrivals_per_h or line.return_use <= 0.0:
        return 0.0
    back = (arrivals_per_h - own_per_h) / line.return_use
    lift = line.capacity_per_h(0.0)
    factor = line_back_factor_h(line, back, back_units=back_units, fit=fit)
    if not factor:
        return 0.0
    free = deck_free
    if free is None:
        free = waiting_across(line, arrivals_per_h, own_per_h, back_units=back_units).deck_free
    return factor * free * load_factor(own_per_h / lift, arrivals_per_h / lift, fit=fit)


def line_back_factor_h(
    line: FerryQueue, back_per_h: float, *, back_units: Sizes = None, fit: HoldFit = HOLD_FIT
) -> float:
    """The cargo back's factor of a line's held ships' wait, hours (:func:`back_factor_h`).

    ``back_per_h``: the cargo back in the port's shipments, taken as the other port's
    shipments of ``back_units`` (None: the line's sizes), which fill its decks
    (:func:`line_back_fill`). ``fit``: the coefficients.
    """
    if back_per_h <= 0.0:
        return 0.0
    fill, back = line_back_fill(line, back_per_h, back_units=back_units)
    return back_factor_h(
        fill,
        back,
        round_trip_h=line.round_trip_h,
        ships=line.ships,
        open_share=line.open_share,
        fit=fit,
    )


def line_back_fill(
    line: FerryQueue, back_per_h: float, *, back_units: Sizes = None
) -> tuple[DeckFill, float]:
    """How the cargo back fills the other port's decks, and its shipments an hour there.

    ``back_per_h`` (> 0): the cargo back in the port's shipments, taken as the other
    port's shipments of ``back_units`` (None: the line's sizes): ``back_per_h`` x the
    port's mean units over theirs; their :func:`~corridors.cost.deck_fill.deck_fill` on
    the line's decks. The arguments of :func:`back_factor_h`.
    """
    sizes = back_units if back_units is not None else line.shipment_mix or line.shipment_units
    # the other port's shipments an hour
    back = back_per_h * line.mean_units / mean_shipment_units(sizes)
    fill = deck_fill(
        back, shipment_units=sizes, deck_units=line.deck_units, max_wait_h=line.max_wait_h
    )
    return fill, back
