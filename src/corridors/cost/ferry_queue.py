r"""A ferry or feeder line whose ships sail when full: the wait of a shipment, hours.

The wait to fill the deck (:func:`deck_fill`, a Markov chain on the units left over from a
split shipment, shipments of one size or of a mix of sizes), the queue of sailings for the
ships (a G/G/c :class:`~corridors.cost.mean_waits.QueueElement` over sailings), and the
storms month by month with the backlog they leave (:class:`FerryQueue`).

Example
-------
>>> from corridors.cost.ferry_queue import deck_fill
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
from scipy.special import gammainc, gammaincc

from corridors.cost.mean_waits import QueueElement

__all__ = ["MONTH_DAYS", "DeckFill", "FerryQueue", "deck_fill"]


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
    """

    wait_h: float
    shipments_per_sailing: float
    full_share: float


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
    )


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


MONTH_DAYS: tuple[int, ...] = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
"""Days of each month of a (non-leap) year."""


@dataclass(frozen=True, slots=True)
class FerryQueue:
    r"""A ferry or feeder line from one port: the wait of a shipment for a ship, hours.

    Ships sail when full or at the maximum wait (:func:`deck_fill`); a sailing then
    waits for one of ``ships`` ships, each away a round trip (Allen-Cunneen G/G/c over
    sailings, see :class:`QueueElement`). Storms close the ports a share of each month
    (``open_share_by_month``): month by month, the queue serves at that month's open
    share, a shipment arriving in a storm waits for its end (the mean residual
    closure, :math:`(1 - o) E[D^2] / (2 E[D])`), and at reopening the ships in port
    take ``ships`` sailings at once; what is left, :math:`(\lambda D - c n)^+`
    shipments, clears at the spare rate :math:`r = o\,c n / T - \lambda`, which adds
    :math:`\nu E[((\lambda D - c n)^+)^2] / (2 \lambda r)` (``nu`` storms an hour).
    Only the share ``reopen_share`` of the ships is in port at reopening; the backlog
    beyond their ``s c n`` sailings, and what arrives meanwhile, waits ``return_h``
    (``R``) for the rest, which adds :math:`\nu \int_0^R E[(\lambda (D + t) - s c
    n)^+]\,dt / \lambda`.
    A month with more cargo than its open ships lift carries its backlog into the
    next (a fluid queue over the year). The months are weighed by their days.

    Recalibrated from the simulation (:mod:`corridors.simulation`): within 12 % of
    the simulated mean wait on one-port lines of 3 and 6 ships at utilisation 0.04
    to 0.7 with the default Caspian storms (``tests/cost/test_ferry_queue.py``).

    Attributes
    ----------
    ships : int
        Ships of the line that carry the shipments' units.
    round_trip_h : float
        Mean round trip of a ship (sail there and back, load, unload), hours.
    shipment_units : int
        Units (wagons, TEU, trucks) of one shipment.
    deck_units : tuple of int
        Units each ship takes.
    max_wait_h : float
        Longest a ship waits after its first unit boarded, hours.
    open_share_by_month : tuple of 12 float
        Share of each month the ports are open (1: no storms).
    closure_h, closure_cv : float
        Mean length of one storm closure, hours, and its coefficient of variation.
    shipment_mix : tuple of (int, float)
        Sizes of the shipments that arrive, units, with each size's share of the
        arrivals (empty: all of ``shipment_units``); arrivals and lift count shipments
        of the mix (:func:`deck_fill`).
    reopen_share : float
        Share of the ships at the port, or on their way to it, when a storm ends (1:
        all; the simulated ships of a two-port line are about half on each side).
    return_h : float
        Hours the other ships need to reach the port after a storm (the one-way
        sailing), hours; the backlog they leave waits that long (:meth:`_late_area`).

    Example
    -------
    >>> from corridors.cost.ferry_queue import FerryQueue
    >>> line = FerryQueue(ships=6, round_trip_h=51.0, shipment_units=25,
    ...                   deck_units=(50,) * 6, max_wait_h=48.0)
    >>> round(line.wait_h(1.2 / 24), 1)  # 1.2 wagon groups a day, two a deck, no storms
    9.5
    """

    ships: int
    round_trip_h: float
    shipment_units: int
    deck_units: tuple[int, ...]
    max_wait_h: float
    open_share_by_month: tuple[float, ...] = (1.0,) * 12
    closure_h: float = 0.0
    closure_cv: float = 0.0
    shipment_mix: tuple[tuple[int, float], ...] = ()
    reopen_share: float = 1.0
    return_h: float = 0.0

    def __post_init__(self) -> None:
        if self.ships < 1 or not self.round_trip_h > 0:
            raise ValueError("a ferry line needs >= 1 ship and a round trip > 0 h")
        if len(self.open_share_by_month) != 12 or not all(
            0.0 < o <= 1.0 for o in self.open_share_by_month
        ):
            raise ValueError("open_share_by_month: 12 shares in (0, 1]")
        if not (0.0 < self.reopen_share <= 1.0 and 0.0 <= self.return_h < math.inf):
            raise ValueError("reopen_share in (0, 1] and return_h >= 0 h")

    @property
    def mean_units(self) -> float:
        """Mean units of a shipment (over the arrivals of the size mix)."""
        if not self.shipment_mix:
            return float(self.shipment_units)
        total = sum(p for _, p in self.shipment_mix)
        return sum(g * p for g, p in self.shipment_mix) / total

    @property
    def open_share(self) -> float:
        """Share of the year the ports are open."""
        return sum(o * d for o, d in zip(self.open_share_by_month, MONTH_DAYS, strict=True)) / 365

    def fill(self, arrivals_per_h: float) -> DeckFill:
        """How the shipments fill the decks (:func:`deck_fill`)."""
        return deck_fill(
            arrivals_per_h,
            shipment_units=self.shipment_mix or self.shipment_units,
            deck_units=self.deck_units,
            max_wait_h=self.max_wait_h,
        )

    def capacity_per_h(self, arrivals_per_h: float) -> float:
        """Shipments an hour the fleet lifts over the year at ``arrivals_per_h``.

        Sailings carry fewer shipments when they leave at the maximum wait.
        """
        n = (
            max(self.fill(arrivals_per_h).shipments_per_sailing, 1.0)
            if arrivals_per_h > 0
            else (sum(self.deck_units) / len(self.deck_units) / self.mean_units)
        )
        return self.ships * n / self.round_trip_h * self.open_share

    def utilisation(self, arrivals_per_h: float) -> float:
        """Arrivals over what the fleet lifts over the year."""
        return arrivals_per_h / self.capacity_per_h(arrivals_per_h)

    def wait_h(self, arrivals_per_h: float) -> float:
        """Mean wait of a shipment for a ship at ``arrivals_per_h`` shipments an hour, hours.

        ``inf`` when the fleet cannot lift the year's cargo (utilisation >= 1).
        """
        lam = arrivals_per_h
        if lam <= 0.0:
            return 0.0
        fill = self.fill(lam)
        n = max(fill.shipments_per_sailing, 1.0)
        lift = self.ships * n / self.round_trip_h  # shipments an hour with the ports open
        if lam >= lift * self.open_share:
            return math.inf
        hours = np.array(MONTH_DAYS, dtype=float) * 24.0
        waits = np.zeros(12)
        burst = self.ships * n
        at_port = self.reopen_share * burst  # sailings the ships in port take at once
        late = self._late_area(lam, at_port) if self.closure_h > 0.0 else 0.0
        excess = self._excess_sq(lam, burst) if self.closure_h > 0.0 else 0.0
        for m, share in enumerate(self.open_share_by_month):
            spare = share * lift - lam
            if spare <= 0.0:  # the fluid backlog below carries this month
                waits[m] = fill.wait_h + self._residual(share)
                continue
            sailings = QueueElement(
                "ferry",
                servers=self.ships,
                service_h=self.round_trip_h,
                service_cv=0.0,
                arrival_cv=1.0 / math.sqrt(n),
                open_share=share,
            )
            waits[m] = fill.wait_h + sailings.wait_h(lam / n) + self._residual(share)
            if self.closure_h > 0.0 and share < 1.0:
                storms_per_h = (1.0 - share) / self.closure_h
                waits[m] += storms_per_h * (late + excess / (2.0 * spare)) / lam
        backlog = _seasonal_backlog_h(lam, np.array(self.open_share_by_month) * lift, hours)
        return float(waits @ hours / hours.sum()) + backlog

    def _excess_sq(self, lam: float, burst: float) -> float:
        r"""``E[((lam D - burst)^+)^2]`` over the storm lengths ``D``.

        ``D`` is gamma of mean ``closure_h`` and coefficient of variation ``closure_cv``
        (shape :math:`k = 1 / cv^2`, scale :math:`\theta`); in closed form with
        :math:`d_0 = burst / lam` and the regularised upper incomplete gamma :math:`Q`,
        :math:`E[D^j 1\{D > d_0\}] = \theta^j \Gamma(k + j) / \Gamma(k)\,
        Q(k + j, d_0 / \theta)`.
        """
        if self.closure_cv <= 0.0:
            return max(lam * self.closure_h - burst, 0.0) ** 2
        shape = 1.0 / self.closure_cv**2
        scale = self.closure_h / shape
        x0 = max(burst, 0.0) / lam / scale  # burst <= 0: the whole distribution
        tail0 = float(gammaincc(shape, x0))
        tail1 = scale * shape * float(gammaincc(shape + 1.0, x0))
        tail2 = scale * scale * shape * (shape + 1.0) * float(gammaincc(shape + 2.0, x0))
        return max(lam * lam * tail2 - 2.0 * lam * burst * tail1 + burst * burst * tail0, 0.0)

    def _late_area(self, lam: float, at_port: float) -> float:
        r"""Shipment-hours a storm leaves waiting for the ships still away, mean.

        At reopening the ships in port take ``at_port`` shipments; the rest of the
        backlog :math:`\lambda D` and what arrives meanwhile wait ``return_h`` for the
        ships that were across the sea:
        :math:`\int_0^{R} E[(\lambda (D + t) - b)^+]\,dt` (``R = return_h``,
        ``b = at_port``), by 32-point Gauss-Legendre over ``t`` with the closed-form
        :math:`E[(\lambda D - c)^+]` of :meth:`_excess_sq`'s moments. 0 when every
        ship is in port (``return_h = 0``).
        """
        big_r = self.return_h
        if big_r <= 0.0 or self.reopen_share >= 1.0:
            return 0.0
        if self.closure_cv <= 0.0:  # one storm length: the area of a clipped ramp
            start = lam * self.closure_h - at_port  # backlog beyond the ships in port
            end = start + lam * big_r
            if end <= 0.0:
                return 0.0
            return (start + end) / 2.0 * big_r if start >= 0.0 else end * end / (2.0 * lam)
        nodes, weights = np.polynomial.legendre.leggauss(32)
        t = (nodes + 1.0) * big_r / 2.0
        c = at_port - lam * t  # what the ships in port lift beyond the arrivals since
        shape = 1.0 / self.closure_cv**2
        scale = self.closure_h / shape
        x0 = np.maximum(c, 0.0) / lam / scale
        tail1 = scale * shape * gammaincc(shape + 1.0, x0)
        over = np.maximum(lam * tail1 - c * gammaincc(shape, x0), 0.0)
        return float(weights @ over) * big_r / 2.0

    def _residual(self, share: float) -> float:
        """Mean wait for the end of the storm an arrival meets, hours."""
        return (1.0 - share) * self.closure_h * (1.0 + self.closure_cv**2) / 2.0


def _seasonal_backlog_h(
    lam: float, lift: npt.NDArray[np.float64], hours: npt.NDArray[np.float64]
) -> float:
    """Mean wait from months whose cargo exceeds what the open ships lift, hours.

    The fluid queue over the periodic year (arrivals ``lam``, service ``lift`` per
    month): the backlog built in the short months is cleared in the next; the mean
    wait is its area over the cargo of the year. 0 when no month is short.
    """
    if (lift > lam).all():
        return 0.0
    queue = 0.0
    area = 0.0
    for _ in range(3):  # the second pass starts from the periodic state
        area = 0.0
        for mu, h in zip(lift, hours, strict=True):
            drift = lam - mu
            end = max(queue + drift * h, 0.0)
            if drift >= 0.0:
                area += (queue + end) / 2.0 * h
            else:  # falls to ``end`` (or to 0 after ``t_empty``)
                t_empty = min(queue / -drift, h)
                area += (queue + queue + drift * t_empty) / 2.0 * t_empty
            queue = end
    return float(area / (lam * hours.sum()))
