r"""The ships' absence from a ferry port: the wait of cargo that finds no ship there, hours.

Ships that sail when full leave a port empty when no cargo comes for a while (the
simulation's ships wait ``empty_wait_h``, 6 h, for their first unit) and wait across the
sea before they come back; cargo that arrives while no ship takes cargo waits for the next
one. The port is the single server of a closed queue of ``c`` ships (the machine-repair
model, M/M/1//c): a ship takes cargo for a mean dwell ``D`` hours, one at a time, and is
away a mean ``Z`` hours (the sailings there and back, the handling of a loaded ship, the
wait across the sea). The port has no ship a share

.. math::

    p_0 = \Big(\sum_{k=0}^{c} \frac{c!}{(c-k)!} \Big(\frac{D}{Z}\Big)^k\Big)^{-1}

of the time; then every ship is away and the next comes after ``Z / c`` hours on average,
so cargo waits :math:`p_0 Z / c` hours more (Poisson arrivals see time averages).
When every shipment fills a deck, a ship that finds one waiting takes it and leaves at
once (``whole_deck``), and the shipment waits this and then its turn behind the others
(the queue of sailings, :class:`~corridors.cost.ferry_queue.FerryQueue`).

Example
-------
>>> from corridors.cost.ferry_absence import port_empty_share
>>> round(port_empty_share(ships=2, dwell_h=10.0, away_h=20.0), 9)  # 1 / (1 + 1 + 0.5)
0.4
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["ShipAbsence", "port_empty_share", "ship_absence"]


def port_empty_share(*, ships: int, dwell_h: float, away_h: float) -> float:
    """Share of the time no ship is at the port (machine-repair model, M/M/1//c).

    Parameters
    ----------
    ships : int
        Ships of the line (>= 1).
    dwell_h : float
        Mean time a ship takes cargo at the port, one ship at a time, hours.
    away_h : float
        Mean time a ship is away between two visits, hours (> 0).

    Returns
    -------
    float
        :math:`p_0`, in (0, 1].
    """
    if ships < 1 or not away_h > 0.0 or dwell_h < 0.0:
        raise ValueError("a port needs >= 1 ship, a time away > 0 h and a dwell >= 0 h")
    ratio = dwell_h / away_h
    term, total = 1.0, 1.0
    for k in range(1, ships + 1):
        term *= (ships - k + 1) * ratio
        total += term
    return 1.0 / total


@dataclass(frozen=True, slots=True)
class ShipAbsence:
    """The ships' presence at a loading port and the wait it adds.

    Attributes
    ----------
    wait_h : float
        Mean wait of a shipment for a ship to come, hours (:math:`p_0 Z / c`).
    empty_share : float
        Share of the time no ship takes cargo at the port (:math:`p_0`).
    dwell_h : float
        Mean time a ship takes cargo at the port, hours.
    away_h : float
        Mean time a ship is away between two visits, hours.
    empty_sailings : float
        Share of the visits that end with the ship sailing empty.
    """

    wait_h: float
    empty_share: float
    dwell_h: float
    away_h: float
    empty_sailings: float


def ship_absence(
    arrivals_per_h: float,
    *,
    ships: int,
    shipments_per_sailing: float,
    sail_h: float,
    handling_h: float,
    empty_wait_h: float,
    whole_deck: bool = False,
) -> ShipAbsence:
    r"""The wait of cargo for a ship at a port the ships leave empty, hours.

    A ship that finds no cargo waits ``empty_wait_h`` (``E``) for the first shipment
    (Poisson, :math:`\lambda` an hour), else sails empty: a share :math:`q = e^{-\lambda
    E}` of the visits. Once loading, it takes the :math:`n` shipments of a sailing
    (``shipments_per_sailing``), :math:`(n - 1)/\lambda` hours more (the arrivals after
    the first while it loads, by Wald's identity). Its dwell is
    :math:`D = (1 - q)/\lambda + (1 - q)(n - 1)/\lambda`. Away, it sails both ways
    (``2 sail_h``), loads and unloads when loaded (``handling_h``), and waits ``E`` at
    the other port (no cargo comes that way) unless cargo already waits here when it
    is ready there (it then sails at once): a chance :math:`p_0 \lambda / (\lambda +
    c / Z)`, the port empty and a shipment come since the last ship left. So
    :math:`Z = 2 s + (1 - q) h + E (1 - p_0 \lambda / (\lambda + c/Z))`, solved with
    :func:`port_empty_share` by fixed-point iteration.

    Parameters
    ----------
    arrivals_per_h : float
        Shipments an hour offered at the port.
    ships : int
        Ships of the line that carry them.
    shipments_per_sailing : float
        Mean shipments a sailing takes (:class:`~corridors.cost.deck_fill.DeckFill`).
    sail_h : float
        One-way sailing, hours.
    handling_h : float
        Loading and unloading of a loaded ship, hours.
    empty_wait_h : float
        Longest an empty ship waits for its first unit, hours.
    whole_deck : bool
        Every shipment fills a deck (one a sailing): a visit that finds a shipment
        waiting takes it and leaves at once, a chance taken as the ships' load
        :math:`\rho = \lambda Z / c` (a shipment waits while the ships are away, a
        geometric queue served at the ships' visits, ``c / Z`` an hour), so the dwell
        is :math:`(1 - \rho)` of the above. Measured (commit f4a8a0b, trains of 50
        wagons, 5 ships, 20 h, 0.55 of the lift, seed 3): 57 % of the simulated visits
        find a train waiting (:math:`\rho` 0.54).

    Returns
    -------
    ShipAbsence

    Example
    -------
    >>> from corridors.cost.ferry_absence import ship_absence
    >>> a = ship_absence(0.0922, ships=6, shipments_per_sailing=1.93, sail_h=22.0,
    ...                  handling_h=7.0, empty_wait_h=6.0)
    >>> round(a.empty_share, 2), round(a.wait_h, 1)  # the Aktau rail ferries, no storms
    (0.26, 2.2)
    """
    lam = arrivals_per_h
    if lam <= 0.0 or not math.isfinite(lam):
        return ShipAbsence(0.0, 0.0, 0.0, 2.0 * sail_h + empty_wait_h, 1.0)
    empty = math.exp(-lam * empty_wait_h)
    first = (1.0 - empty) / lam * max(shipments_per_sailing, 1.0)
    dwell, p0 = first, 0.0
    away = 2.0 * sail_h + (1.0 - empty) * handling_h + empty_wait_h
    for _ in range(100):
        called = p0 * lam / (lam + ships / away)  # cargo waits here: the ship comes at once
        away = 2.0 * sail_h + (1.0 - empty) * handling_h + empty_wait_h * (1.0 - called)
        if whole_deck:  # a visit that finds a shipment waiting leaves at once
            dwell = first * max(1.0 - lam * away / ships, 0.0)
        new = port_empty_share(ships=ships, dwell_h=dwell, away_h=away)
        if abs(new - p0) < 1e-12:
            break
        p0 = new
    return ShipAbsence(
        wait_h=new * away / ships,
        empty_share=new,
        dwell_h=dwell,
        away_h=away,
        empty_sailings=empty,
    )
