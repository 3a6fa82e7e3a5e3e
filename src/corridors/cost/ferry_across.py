r"""What waits at the other port of a line loaded both ways, from its own delay function.

A ship of a line with cargo both ways that comes to the other port finds there the
cargo waiting for a ship: by Little's law, :math:`L = \lambda' W'_s` shipments and
:math:`L' = (\lambda'/n') W'_s` sailings, with :math:`\lambda'` the other port's own
shipments an hour, :math:`n'` a sailing of them (their deck filling) and :math:`W'_s`
their wait for a ship beyond their deck filling, the line's from the other port at its
joint load :math:`\lambda' + k\lambda` without the ships held across (the same ships,
decks and storms, the other port's shipment sizes). Taken as Poisson counts, no deck
waits there a share :math:`e^{-L'}` of the ships' calls and nothing at all
:math:`e^{-L}`. A ship that finds a deck waiting loads it and sails, and holds no ship
behind it while its deck fills (:mod:`corridors.cost.ferry_hold`); an empty ship whose
turn comes at this port sails at once when cargo waits across, as the simulated ships
do (:mod:`corridors.simulation.ferries`), so its wait for a first unit here is the
empty wait times :math:`e^{-L}` (:meth:`FerryQueue.absence_shift_h`). No I/O.

Example
-------
>>> from corridors.cost.ferry_across import Across
>>> round(Across(shipments=2.0, sailings=1.0).deck_free, 4)  # e^-1
0.3679
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.cost.deck_fill import mean_shipment_units

if TYPE_CHECKING:
    from corridors.cost.ferry_queue import FerryQueue

__all__ = ["Across", "from_waits", "waiting_across"]


@dataclass(frozen=True, slots=True)
class Across:
    """The other port's cargo waiting for a ship, mean (Little's law, module docstring).

    Attributes
    ----------
    shipments : float
        Shipments waiting there for a ship (beyond the deck they fill), ``L``.
    sailings : float
        The same in sailings, ``L'`` (shipments over a sailing's).
    """

    shipments: float
    sailings: float

    @property
    def deck_free(self) -> float:
        """Share of a ship's calls there that find no deck waiting, :math:`e^{-L'}`."""
        return math.exp(-self.sailings)

    @property
    def nothing_waiting(self) -> float:
        """Share of the time nothing waits there for a ship, :math:`e^{-L}`."""
        return math.exp(-self.shipments)


@functools.lru_cache(maxsize=512)
def waiting_across(
    line: FerryQueue,
    arrivals_per_h: float,
    own_per_h: float,
    *,
    back_units: int | tuple[tuple[int, float], ...] | None = None,
) -> Across:
    """The cargo waiting at the other port of ``line``, from the line's function there.

    ``arrivals_per_h``: the joint load of this port's shipments with the cargo back
    (:meth:`FerryQueue.joint_arrivals`), ``own_per_h`` this port's own shipments an
    hour; ``back_units`` the other port's shipment sizes (None: this port's). The
    other port's own shipments are the cargo back in them, their joint load adds this
    port's own, and their wait for a ship is the line's there less its deck filling
    (``wait_h - fill_wait_h`` at that joint load). Nothing waits without cargo back;
    all the decks wait (``inf``) where the line cannot lift the other port's load.
    """
    k = line.return_use
    if not (0.0 <= own_per_h < arrivals_per_h and k > 0.0):
        return Across(0.0, 0.0)
    other = line
    if isinstance(back_units, int):
        other = dataclasses.replace(line, shipment_units=back_units, shipment_mix=())
    elif back_units is not None:
        other = dataclasses.replace(line, shipment_mix=back_units)
    ratio = line.mean_units / mean_shipment_units(other.shipment_mix or other.shipment_units)
    there = (arrivals_per_h - own_per_h) / k * ratio  # the other port's own shipments an hour
    return from_waits(
        there,
        other.sailings_per_h(there),
        other.ship_wait_h(other.joint_arrivals(there, own_per_h * ratio)),
    )


def from_waits(shipments_per_h: float, sailings_per_h: float, ship_wait_h: float) -> Across:
    """Little's law: what waits ``ship_wait_h`` hours for a ship.

    At ``shipments_per_h`` an hour filling ``sailings_per_h`` sailings an hour (all of
    it where the wait is infinite).
    """
    if not math.isfinite(ship_wait_h):
        return Across(math.inf, math.inf)
    ship_h = max(ship_wait_h, 0.0)
    return Across(shipments_per_h * ship_h, sailings_per_h * ship_h if ship_h else 0.0)
