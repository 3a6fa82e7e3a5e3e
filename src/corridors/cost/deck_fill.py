r"""Deck filling: the wait of a shipment for the ship it boards to fill, hours.

Ships that sail when full, or a maximum wait after their first unit boarded, take
shipments of one size or of a mix of sizes (wagons, TEU, trucks); a shipment that does
not fit whole is split across two ships. :func:`deck_fill` is a Markov chain on the units
left over from a split shipment (:class:`~corridors.cost.ferry_queue.FerryQueue` uses it).

Example
-------
>>> from corridors.cost.deck_fill import deck_fill
>>> f = deck_fill(0.5, shipment_units=1, deck_units=[10], max_wait_h=float("inf"))
>>> round(f.wait_h, 9), f.shipments_per_sailing  # (10 - 1) / (2 x 0.5)
(9.0, 10.0)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammainc

__all__ = ["DeckFill", "deck_fill", "mean_shipment_units"]


@dataclass(frozen=True, slots=True)
class DeckFill:
    """How shipments fill the decks of ships that sail when full or after a maximum wait.

    Attributes
    ----------
    wait_h : float
        Mean wait of a shipment for its deck to fill (for the ship carrying its last
        unit to sail), hours.
    shipments_per_sailing : float
        Mean shipments that board per sailing (a split shipment counts on the ship
        its first units board).
    full_share : float
        Share of sailings that leave full (the rest leave at the maximum wait).
    ship_h : float
        Mean hours a ship takes cargo, from its first unit aboard to sailing (full or
        at the maximum wait), per sailing: the ship's own time in the deck filling.
    """

    wait_h: float
    shipments_per_sailing: float
    full_share: float
    ship_h: float = 0.0


def deck_fill(
    arrivals_per_h: float,
    *,
    shipment_units: int | Sequence[tuple[int, float]],
    deck_units: Sequence[int],
    max_wait_h: float,
) -> DeckFill:
    r"""Wait for a deck to fill: ships that sail when full, or ``max_wait_h`` after loading began.

    Shipments arrive at random (Poisson, ``arrivals_per_h``), each of ``g`` units
    (wagons, TEU, trucks) drawn from the size mix ``shipment_units`` (one size, or
    sizes with their shares of the arrivals: ``p_g``), and board the ship taking
    cargo in order; a shipment that does not fit whole is split, its first units on
    this ship, the rest on the next, and it has left when its last unit sails. A ship
    of ``K`` units sails when full, or ``max_wait_h`` after its first unit boarded (the
    units left from a split shipment board at once). The ships take cargo in turn
    (``deck_units``: each ship's capacity, taken in equal shares).

    The state of a ship when it starts taking cargo is the ``l`` units left over from
    the previous one (a Markov chain on ``0 <= l < max g``). With :math:`S_k = l +
    g_1 + ... + g_k` the units aboard after ``k`` more shipments, ``J = min{k: S_k >=
    K}`` the shipments that fill it (the next state is :math:`S_J - K`), found by a
    small dynamic programme over the units aboard, and ``N ~ Poisson(lambda W)``
    arrivals in the maximum wait ``W`` (independent of the sizes), the waiting time of
    the shipments aboard adds up to

    .. math::

        A_l = \frac{1}{\lambda} \sum_{k \ge 0} (k+1)\, P(J > k)\, P(N \ge k+1)
        \quad (l > 0), \qquad
        A_0 = \frac{1}{\lambda} \sum_{k \ge 1} k\, P(J > k)\, P(N \ge k),

    (the clock of a fresh ship starts with its first shipment) over
    :math:`\sum_{k \ge 0} P(J > k) P(N \ge k + [l > 0])` new shipments; the ship leaves
    full in state :math:`S_J - K` with probability :math:`P(J = k, S_k - K = l')
    P(N \ge k - [l = 0])`, else at the maximum wait in state 0. The mean wait is the
    ratio of the stationary means (renewal reward). With one size ``g`` and whole
    shipments per deck (``K = n g``) it is the batch-service queue with a time-out, and
    without a maximum wait it is ``(n - 1) / (2 lambda)``; with split shipments a
    shipment waits for the shipments that fill the ship carrying its last unit, about
    ``(n + 1) / (2 lambda)`` (``n = K / g``), one interval between arrivals more. A mix
    is not its mean size: groups of 25 and 50 wagons on 50-wagon decks with no maximum
    wait wait ``1 / (2 lambda)`` at any share of 25s (the 50s are split as soon as one
    25 comes), 50s alone 0.

    Parameters
    ----------
    arrivals_per_h : float
        Shipments an hour (of all sizes).
    shipment_units : int or sequence of (int, float)
        Units of one shipment (>= 1), or each size's units and its share of the
        arrivals (shares >= 0, normalised).
    deck_units : sequence of int
        Units each ship of the line takes (>= 1 each).
    max_wait_h : float
        Longest a ship waits after its first unit boarded, hours (``inf``: until full).

    Returns
    -------
    DeckFill

    Example
    -------
    >>> from corridors.cost.ferry_queue import deck_fill
    >>> f = deck_fill(0.5, shipment_units=1, deck_units=[10], max_wait_h=math.inf)
    >>> round(f.wait_h, 9), f.shipments_per_sailing  # (10 - 1) / (2 x 0.5)
    (9.0, 10.0)
    >>> mixed = deck_fill(0.5, shipment_units=[(25, 0.9), (50, 0.1)], deck_units=[50],
    ...                   max_wait_h=math.inf)
    >>> round(mixed.wait_h, 9)  # 1 / (2 x 0.5)
    1.0
    """
    sizes, shares = _size_mix(shipment_units)
    decks = [int(k) for k in deck_units]
    if not decks or min(decks) < 1:
        raise ValueError("shipment and deck units must be >= 1")
    unit = math.gcd(*sizes, *decks)  # the chain in units of the common divisor: the same, smaller
    sizes, decks = [g // unit for g in sizes], [k // unit for k in decks]
    if arrivals_per_h <= 0.0 or not math.isfinite(arrivals_per_h):
        return DeckFill(0.0, 0.0, 0.0)
    lam = arrivals_per_h
    mean_arrivals = lam * max_wait_h
    steps = max(math.ceil(k / min(sizes)) for k in decks) + 1
    # at_least[k] = P(N >= k), k = 0..steps
    at_least = np.ones(steps + 1)
    if math.isfinite(mean_arrivals):
        at_least[1:] = gammainc(np.arange(1, steps + 1), mean_arrivals)
    gmax = max(sizes)
    states = max(gmax, *decks)
    fresh = np.arange(states) == 0
    move = np.zeros((states, states))
    area = np.zeros(states)
    count = np.zeros(states)
    full = np.zeros(states)
    for k_units, ships in Counter(decks).items():
        share = ships / len(decks)
        over = np.arange(states) >= k_units  # the leftover alone fills the ship
        rows = np.flatnonzero(over)
        move[rows, rows - k_units] += share
        full[rows] += share
        # aboard[l, s]: P(s units aboard and not yet full) after k more shipments
        live = np.flatnonzero(~over)
        aboard = np.zeros((len(live), k_units))
        aboard[np.arange(len(live)), live] = 1.0
        step = np.zeros((k_units, k_units + gmax))
        for g, p in zip(sizes, shares, strict=True):
            step[np.arange(k_units), np.arange(k_units) + g] += p
        lag = fresh[live].astype(int)  # a fresh ship's clock starts with its first shipment
        a = np.zeros(len(live))
        n = np.zeros(len(live))
        f = np.zeros(len(live))
        to = np.zeros((len(live), states))
        for k in range(steps):
            not_full = aboard.sum(axis=1)  # P(J > k)
            if not not_full.any():
                break
            reach = at_least[np.minimum(k + 1 - lag, steps)]  # the (k+1)-th comes in time
            a += (k + 1 - lag) * not_full * reach
            n += not_full * reach
            nxt = aboard @ step
            filled = nxt[:, k_units:] * reach[:, None]  # full, by units left over
            to[:, :gmax] += filled
            f += filled.sum(axis=1)
            aboard = nxt[:, :k_units]
        area[live] += share * a / lam
        count[live] += share * n
        full[live] += share * f
        move[live] += share * to
        move[live, 0] += share * (1.0 - f)
    stationary = _stationary(move)
    shipments = float(stationary @ count)
    return DeckFill(
        wait_h=float(stationary @ area) / shipments if shipments > 0 else 0.0,
        shipments_per_sailing=shipments,
        full_share=float(stationary @ full),
        ship_h=max(shipments - float(stationary[0]), 0.0) / lam,
    )


def mean_shipment_units(shipment_units: int | Sequence[tuple[int, float]]) -> float:
    """Mean units of a shipment, over the arrivals of a size mix.

    ``shipment_units``: one size, or sizes with their shipments (units, shipments).
    """
    if isinstance(shipment_units, int):
        return float(shipment_units)
    mix = list(shipment_units)
    return sum(g * p for g, p in mix) / sum(p for _, p in mix)


def _size_mix(shipment_units: int | Sequence[tuple[int, float]]) -> tuple[list[int], list[float]]:
    """The sizes (units) and their shares of the arrivals (normalised, shares > 0 only)."""
    mix = [(shipment_units, 1.0)] if isinstance(shipment_units, int) else list(shipment_units)
    kept = [(int(g), float(p)) for g, p in mix if p > 0.0]
    total = sum(p for _, p in kept)
    if not kept or min(g for g, _ in kept) < 1 or not math.isfinite(total):
        raise ValueError("shipment and deck units must be >= 1, with shares > 0")
    return [g for g, _ in kept], [p / total for _, p in kept]


def _stationary(move: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Stationary distribution of the chain ``move`` over the states reached from state 0."""
    reached = np.zeros(len(move), dtype=bool)
    frontier = [0]
    reached[0] = True
    while frontier:
        nxt = np.flatnonzero((move[frontier] > 0).any(axis=0) & ~reached)
        reached[nxt] = True
        frontier = nxt.tolist()
    idx = np.flatnonzero(reached)
    sub = move[np.ix_(idx, idx)]
    system = np.vstack([sub.T - np.eye(len(idx)), np.ones(len(idx))])
    rhs = np.zeros(len(idx) + 1)
    rhs[-1] = 1.0
    pi_sub = np.linalg.lstsq(system, rhs, rcond=None)[0]
    out = np.zeros(len(move))
    out[idx] = np.clip(pi_sub, 0.0, None)
    result: npt.NDArray[np.float64] = out / out.sum()
    return result
