r"""The ships' absence from a ferry port when both directions carry cargo, hours.

With cargo one way (:func:`~corridors.cost.ferry_absence.ship_absence`) the ships wait
at the loading port and sail back empty; with cargo both ways they shuttle. Measured on
the simulated ships (a 6-ship toy line, 22 h sailings, 3.2 groups of 25 wagons a day
from A and 2.4 from B, 50-wagon decks, no storms, seeds 1-2): an empty ship that finds
no cargo sails at once when cargo waits at the other port, so the ships seldom wait at
either port. No ship takes cargo at A 77 % of the time (43 % with no cargo back), a
shipment finds a ship there 10 % of the time (42 %) and waits 9.4-10 h for the next to
come, the ships arrive at A in bunches (the squared coefficient of variation of the gaps
1.16 against 0.61), and a ship at B takes cargo for 5.5-6 h a loaded sailing while the
ships behind it wait (3-3.7 h a visit). A 22-h sailing is not the cause: the cargo
that finds no ship is.

The model: the ships are a closed network of ``c`` customers (Mean Value Analysis with
Reiser's residual for a general service time) around two single servers, each port's
turn to take cargo (one ship at a time), and a delay, the sailings with the handling of
the loaded legs. A ship's turn at a port lasts (``Q`` the shipments it finds waiting,
Poisson of mean :math:`\lambda p_0 C / c` by conservation: the cargo that found no ship
boards the next, ``C`` the ships' cycle)

* nothing when it finds a deck-load (:math:`Q \ge n`),
* the deck-filling hold for the rest, ``hold (n - Q) / (n - 1)``, when it finds some
  (``hold`` the ship's time from its first unit aboard to sailing,
  :attr:`~corridors.cost.deck_fill.DeckFill.ship_h`),
* when it finds none, unless cargo waits at the other port (a share ``called`` of the
  time: that port has no ship and a shipment came since the last left), the wait for
  the first shipment, at most the empty wait ``E``, and if one comes the hold.

No ship is at the port a share :math:`p_0 = 1 - X S` of the time (``X`` the ships'
round trips an hour, ``S`` the mean turn); cargo that comes then waits for the next ship:
the mean residual of the gaps between ships, :math:`(C / c)(1 + c_a^2) / 2`, with
:math:`c_a^2` the variability of the departures of the other port's turns
(:func:`~corridors.cost.arrival_variability.departure_scv`). So the wait is
:math:`p_0 (C / c) (1 + c_a^2) / 2` hours.

It still gives the ports a ship more often than the simulation (above: 0.59 of the time
without one against 0.77, 7.0 h against 9.4-10 h for the next ship): the turns it
computes are twice the simulated ones (5.1 against 2.4 h at A), and with little cargo
back (under a third of the cargo out) the bunches the other port's deck filling holds
back are longer than its departures' variability says (``tests/cost/test_ferry_two_way.py``
and ``docs/model.md`` give the cases).

Example
-------
>>> from corridors.cost.ferry_shuttle import shuttle_absence
>>> a = shuttle_absence((3.2 / 24, 2.4 / 24), ships=6, shipments_per_sailing=(2.0, 2.0),
...                     hold_h=(7.5, 10.0), sail_h=22.0, handling_h=7.0,
...                     return_cargo_h=14.0, empty_wait_h=6.0)
>>> round(a.empty_share, 2), round(a.wait_h, 1)  # simulated: 0.77 and 9.4-10 h
(0.59, 7.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from corridors.cost.arrival_variability import departure_scv
from corridors.cost.ferry_absence import ShipAbsence

__all__ = ["shuttle_absence", "shuttle_cycle"]

_DAMPING = 0.3  # share of a new iterate taken (the fixed point oscillates undamped)


def shuttle_cycle(
    service_h: Sequence[float], service_sq_h2: Sequence[float], *, ships: int, delay_h: float
) -> tuple[float, list[float]]:
    """Round trips an hour and time at each single server of a closed network of ships.

    Mean Value Analysis with Reiser's residual: a ship arriving at a server waits for the
    ships queued there and the residual :math:`E[S^2] / (2 E[S])` of the one served.

    Parameters
    ----------
    service_h, service_sq_h2 : sequence of float
        Mean service time at each single server, hours, and its second moment, hours².
    ships : int
        Ships in the network (>= 1).
    delay_h : float
        Time away from the servers a cycle (sailing, handling), hours (> 0).

    Returns
    -------
    tuple
        Cycles an hour of the whole fleet, and the time a ship spends at each server a
        cycle (waiting and served), hours.

    Example
    -------
    >>> x, r = shuttle_cycle([5.0], [50.0], ships=1, delay_h=20.0)
    >>> round(1 / x, 9), r  # one ship: no wait
    (25.0, [5.0])
    """
    queued = [0.0] * len(service_h)
    busy = [0.0] * len(service_h)
    rate = 0.0
    at = list(service_h)
    for n in range(1, ships + 1):
        at = [
            s * (1.0 + q - u) + (u * s2 / (2.0 * s) if s > 0.0 else 0.0)
            for s, s2, q, u in zip(service_h, service_sq_h2, queued, busy, strict=True)
        ]
        rate = n / (delay_h + sum(at))
        queued = [rate * r for r in at]
        busy = [rate * s for s in service_h]
    return rate, at


def _turn(
    lam: float, *, n: float, hold: float, found: float, go: float, empty_wait_h: float
) -> tuple[float, float, float]:
    """A ship's turn at a port: mean and second moment, hours, and the share loaded.

    ``found`` the mean shipments waiting when it starts (Poisson), ``go`` the share of
    the time it does not sail at once when it finds none.
    """
    if lam <= 0.0:
        e = go * empty_wait_h
        return e, 2.0 * e * e, 0.0
    came = -math.expm1(-lam * empty_wait_h)  # a first shipment within the empty wait
    first = go * came / lam
    p = math.exp(-found)
    mean = p * (first + go * came * hold)
    sq = p * (2.0 * first * first + 2.0 * first * go * came * hold + go * came * hold * hold)
    loaded = 1.0 - p + p * go * came
    for k in range(1, math.ceil(n)):
        p *= found / k
        h = hold * (n - k) / (n - 1.0)
        mean += p * h
        sq += p * h * h
    return mean, sq, loaded


def shuttle_absence(
    arrivals_per_h: tuple[float, float],
    *,
    ships: int,
    shipments_per_sailing: tuple[float, float],
    hold_h: tuple[float, float],
    sail_h: float,
    handling_h: float,
    return_cargo_h: float,
    empty_wait_h: float,
) -> ShipAbsence:
    """The wait for a ship at the first of two ports that both send cargo, hours.

    See the module's text for the model.

    Parameters
    ----------
    arrivals_per_h : (float, float)
        Shipments an hour offered at this port and at the other.
    ships : int
        Ships of the line (>= 1).
    shipments_per_sailing : (float, float)
        Mean shipments a loaded sailing takes from each port (:class:`DeckFill`).
    hold_h : (float, float)
        A ship's time from its first unit aboard to sailing at each port, hours
        (:attr:`~corridors.cost.deck_fill.DeckFill.ship_h`).
    sail_h : float
        One-way sailing, hours (> 0).
    handling_h : float
        Loading and unloading of a deck-load from this port, hours.
    return_cargo_h : float
        Ship-hours a deck-load from the other port adds to a round trip (its handling
        and the berth waits, :func:`~corridors.cost.ferry_lines.return_cargo_h`).
    empty_wait_h : float
        Longest an empty ship waits for its first unit, hours.

    Returns
    -------
    ShipAbsence
        At this port; ``away_h`` is the mean time a ship is away between two turns
        there, ``empty_sailings`` the share of its turns that end without cargo.
    """
    if ships < 1 or not sail_h > 0.0:
        raise ValueError("a ferry line needs >= 1 ship and a sailing > 0 h")
    lam = tuple(max(x, 0.0) if math.isfinite(x) else 0.0 for x in arrivals_per_h)
    if lam[0] <= 0.0:
        return ShipAbsence(0.0, 0.0, 0.0, 2.0 * sail_h + empty_wait_h, 1.0)
    empty = [0.5, 0.5]
    cycle = 2.0 * sail_h + 2.0 * empty_wait_h
    away = [cycle, cycle]
    turns = [(0.0, 0.0, 0.0), (0.0, 0.0, 0.0)]
    for _ in range(2000):
        called = [
            empty[i] * lam[i] / (lam[i] + ships / away[i]) if lam[i] > 0.0 else 0.0 for i in (0, 1)
        ]
        turns = [
            _turn(
                lam[i],
                n=max(shipments_per_sailing[i], 1.0),
                hold=hold_h[i],
                found=lam[i] * empty[i] * cycle / ships,
                go=1.0 - called[1 - i],
                empty_wait_h=empty_wait_h,
            )
            for i in (0, 1)
        ]
        delay = 2.0 * sail_h + turns[0][2] * handling_h + turns[1][2] * return_cargo_h
        rate, at = shuttle_cycle(
            [t[0] for t in turns], [t[1] for t in turns], ships=ships, delay_h=delay
        )
        new = [max(1.0 - rate * t[0], 0.0) for t in turns]
        step = max(abs(a - b) for a, b in zip(new, empty, strict=True))
        empty = [_DAMPING * a + (1.0 - _DAMPING) * b for a, b in zip(new, empty, strict=True)]
        away = [
            _DAMPING * (ships / rate - r) + (1.0 - _DAMPING) * z
            for r, z in zip(at, away, strict=True)
        ]
        cycle = _DAMPING * ships / rate + (1.0 - _DAMPING) * cycle
        if step < 1e-10:
            break
    other, other_sq = turns[1][0], turns[1][1]
    scv = other_sq / (other * other) - 1.0 if other > 0.0 else 1.0
    arrivals_scv = float(departure_scv(1.0, rho=1.0 - empty[1], service_scv=scv, servers=1))
    return ShipAbsence(
        wait_h=empty[0] * cycle / ships * (1.0 + arrivals_scv) / 2.0,
        empty_share=empty[0],
        dwell_h=turns[0][0],
        away_h=away[0],
        empty_sailings=1.0 - turns[0][2],
    )
