r"""Queueing delay of one element of the corridor: the wait before service, hours.

Every element that can bind (border crossing, gauge change, port, ferry line, single-track
section) is a queue with ``c`` servers (lanes, gauge-change tracks, cranes, ships, train
paths) and a service time of mean ``E[S]`` hours and coefficient of variation ``cs``. Cargo
arrives at ``lambda`` shipments an hour with inter-arrival coefficient of variation ``ca``
(1 for the Poisson arrivals the simulation draws). Below capacity the mean wait is the
Allen-Cunneen approximation of the G/G/c queue,

.. math::

    W_q = C(c, a) \, \frac{E[S]}{c\,(1 - \rho)} \, \frac{c_a^2 + c_s^2}{2},
    \qquad a = \lambda E[S], \quad \rho = a / c,

with :math:`C(c, a)` the Erlang C probability of waiting. It is exact for M/M/c
(``ca = cs = 1``) and for one server it is Kingman's formula
:math:`W_q = \frac{\rho}{1-\rho} \frac{c_a^2 + c_s^2}{2} E[S]` (exact for M/G/1, the
Pollaczek-Khinchine mean). At and above capacity (:math:`\rho \ge 1`) the wait is
infinite: no steady state exists and an equilibrium must raise a shadow price there
instead of loading the element further.

Storms and closures take a share of the year away: an element open a share ``open_share``
of the time serves at ``open_share`` times its rate (its capacity shrinks in proportion).
A scheduled service (a ferry or feeder with a timetable) adds the expected wait for the
next departure, half the headway, for cargo arriving at random.

A ferry or feeder line whose ships sail when full is :class:`FerryQueue`: the wait to
fill the deck (:func:`deck_fill`, shipments split across ships included), the queue of
sailings for the ships, and the storms month by month.

The simulation (:mod:`corridors.simulation`) draws the same servers and service times;
where the two disagree, the parameters here are recalibrated from the simulation, never the
reverse.

Example
-------
>>> from corridors.cost.queueing import QueueElement
>>> lane = QueueElement("border", servers=1, service_h=2.0, service_cv=1.0)
>>> round(lane.wait_h(0.25), 6)  # M/M/1 at rho = 0.5: rho / (mu - lambda) = 2 h
2.0
>>> lane.wait_h(0.5)  # at capacity
inf
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats
from scipy.special import gammainc

__all__ = [
    "ELEMENT_KINDS",
    "DeckFill",
    "ElementKind",
    "FerryQueue",
    "QueueElement",
    "WaitDistribution",
    "deck_fill",
    "erlang_c",
    "gg_c_wait_h",
    "kingman_wait_h",
    "scheduled_wait_h",
]

ElementKind = Literal["border", "gauge", "port", "ferry", "section", "terminal"]
ELEMENT_KINDS: tuple[str, ...] = ("border", "gauge", "port", "ferry", "section", "terminal")
"""Kinds of element a queueing delay is defined for."""

DEFAULT_SERVICE_CV: dict[str, float] = {
    "border": 0.8,
    "gauge": 0.5,
    "port": 0.5,
    "terminal": 0.5,
    "ferry": 0.5,
    "section": 0.0,
}
"""Service-time coefficient of variation by kind, as the simulation draws it: lognormal cv
0.8 at borders, gamma cv 0.5 for handling and gauge change, fixed train paths (cv 0) on a
single-track section (``corridors.simulation.BuildOptions``); ferry: see ``QueueElement``."""


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C).

    Parameters
    ----------
    servers : int
        Servers ``c`` >= 1.
    offered_load : float
        ``a = lambda E[S]`` in Erlangs (busy servers on average), >= 0.

    Returns
    -------
    float
        ``C(c, a)`` in [0, 1]; 1 at or above capacity (``a >= c``).
    """
    if servers < 1:
        raise ValueError(f"servers must be >= 1, got {servers}")
    if offered_load < 0 or not math.isfinite(offered_load):
        raise ValueError(f"offered load must be a finite number >= 0, got {offered_load}")
    if offered_load >= servers:
        return 1.0
    blocking = 1.0  # Erlang B by the stable recursion B(k) = a B(k-1) / (k + a B(k-1))
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    rho = offered_load / servers
    return blocking / (1.0 - rho * (1.0 - blocking))


def gg_c_wait_h(
    arrivals_per_h: float,
    *,
    servers: int,
    service_h: float,
    service_cv: float,
    arrival_cv: float = 1.0,
) -> float:
    """Mean wait before service in a G/G/c queue (Allen-Cunneen), hours.

    Parameters
    ----------
    arrivals_per_h : float
        Arrival rate, shipments an hour.
    servers : int
        Parallel servers ``c``.
    service_h : float
        Mean service time ``E[S]``, hours.
    service_cv, arrival_cv : float
        Coefficients of variation of the service time and of the time between arrivals.

    Returns
    -------
    float
        Mean wait ``W_q``, hours; ``inf`` at or above capacity (``rho >= 1``).
    """
    if arrivals_per_h <= 0.0 or service_h <= 0.0:
        return 0.0
    load = arrivals_per_h * service_h
    if load >= servers:
        return math.inf
    rho = load / servers
    variability = (arrival_cv**2 + service_cv**2) / 2.0
    return erlang_c(servers, load) * service_h / (servers * (1.0 - rho)) * variability


def kingman_wait_h(
    arrivals_per_h: float, *, service_h: float, service_cv: float, arrival_cv: float = 1.0
) -> float:
    """Kingman's mean wait of a G/G/1 queue, hours.

    ``W_q = rho / (1 - rho) * (ca^2 + cs^2) / 2 * E[S]``; ``inf`` at ``rho >= 1``. The
    one-server case of :func:`gg_c_wait_h`.
    """
    if arrivals_per_h <= 0.0 or service_h <= 0.0:
        return 0.0
    rho = arrivals_per_h * service_h
    if rho >= 1.0:
        return math.inf
    return rho / (1.0 - rho) * (arrival_cv**2 + service_cv**2) / 2.0 * service_h


def scheduled_wait_h(headway_h: float | None) -> float:
    """Expected wait for the next departure of a scheduled service, hours: half the headway."""
    if headway_h is None or not headway_h > 0:
        return 0.0
    return headway_h / 2.0


@dataclass(frozen=True, slots=True)
class WaitDistribution:
    r"""The wait before service at one element as a random variable, hours.

    The sum of three independent parts, each consistent with its part of
    :meth:`QueueElement.wait_h`:

    - the queue: no wait with probability ``1 - p_queue``, else exponential with mean
      ``queue_mean_h``. For a G/G/c queue ``p_queue`` is the Erlang C probability of
      waiting and ``queue_mean_h = W_q / C`` (Allen-Cunneen ``W_q``), so that
      :math:`P(W_q > t) = C \exp(-t\,C / W_q)`: exact for M/M/c (the conditional wait
      is exponential with rate ``c mu - lambda``), the usual two-moment approximation
      otherwise;
    - the closures: with probability ``p_closure`` (the closed share of the year) an
      arrival meets a closure and waits an exponential time of mean
      ``closure_mean_h`` (the mean residual closure cleared at the spare rate);
    - the scheduled service: uniform on ``[0, headway_h]`` for cargo arriving at
      random (mean half the headway).

    Example
    -------
    >>> from corridors.cost.queueing import QueueElement
    >>> d = QueueElement("border", servers=1, service_h=2.0, service_cv=1.0).wait_distribution(0.25)
    >>> d.p_queue, d.queue_mean_h, d.mean_h  # M/M/1 at rho = 0.5: waits with p 0.5, 4 h then
    (0.5, 4.0, 2.0)
    """

    p_queue: float = 0.0
    queue_mean_h: float = 0.0
    p_closure: float = 0.0
    closure_mean_h: float = 0.0
    headway_h: float = 0.0

    @property
    def mean_h(self) -> float:
        """Mean wait, hours (equals :meth:`QueueElement.wait_h`)."""
        queue = self.p_queue * self.queue_mean_h if self.p_queue > 0.0 else 0.0
        closure = self.p_closure * self.closure_mean_h if self.p_closure > 0.0 else 0.0
        return queue + closure + self.headway_h / 2.0

    def queue_quantile_h(self, q: float) -> float:
        """Quantile ``q`` of the queue part alone (closed form), hours.

        0 when ``q <= 1 - p_queue``, else ``-queue_mean_h * ln((1 - q) / p_queue)``.
        """
        if not 0.0 <= q < 1.0:
            raise ValueError(f"quantile must be in [0, 1), got {q}")
        if q <= 1.0 - self.p_queue:
            return 0.0
        return -self.queue_mean_h * math.log((1.0 - q) / self.p_queue)


@dataclass(frozen=True, slots=True)
class QueueElement:
    """One element of the corridor as a queue: its servers, service times and open time.

    Attributes
    ----------
    kind : str
        ``border``, ``gauge``, ``port``, ``ferry``, ``section`` or ``terminal``.
    servers : int
        Parallel servers: inspection lanes, gauge-change tracks, cranes, ships of a
        line, train paths (1 on a single-track section, whose service time is the
        headway between paths). ``None`` for no limit (a pure delay: no queue).
    service_h : float
        Mean service time of one shipment (train, wagon group, truck), hours; for a
        ferry line the time a ship is taken per shipment it carries (its round trip
        divided by the shipments a sailing takes).
    service_cv : float, optional
        Coefficient of variation of the service time (default by kind,
        :data:`DEFAULT_SERVICE_CV`).
    arrival_cv : float
        Coefficient of variation of the time between arrivals (1: Poisson).
    open_share : float
        Share of the year the element is open (storms, closures), in (0, 1].
    headway_h : float, optional
        Headway of a scheduled service, hours: adds half of it to the wait.
    closure_h, closure_cv : float
        Mean length of one closure (a storm, a maintenance window), hours, and its
        coefficient of variation. With ``open_share < 1`` and ``closure_h > 0`` the wait
        adds the backlog of the closures: ``(1 - open_share) E[D^2] / (2 E[D]) /
        (1 - rho)``, the mean residual closure an arrival meets, cleared at the spare
        rate (the M/G/1 queue with server interruptions); with ``closure_h`` 0 the
        closures only reduce the capacity (closures short against the service).
    """

    kind: ElementKind
    servers: int | None
    service_h: float
    service_cv: float | None = None
    arrival_cv: float = 1.0
    open_share: float = 1.0
    headway_h: float | None = None
    closure_h: float = 0.0
    closure_cv: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ELEMENT_KINDS:
            raise ValueError(f"unknown element kind {self.kind!r}; use one of {ELEMENT_KINDS}")
        if self.servers is not None and self.servers < 1:
            raise ValueError(f"servers must be >= 1 or None, got {self.servers}")
        if not (math.isfinite(self.service_h) and self.service_h >= 0):
            raise ValueError(f"service time must be a finite number >= 0 h, got {self.service_h}")
        if not 0.0 < self.open_share <= 1.0:
            raise ValueError(f"open share must be in (0, 1], got {self.open_share}")

    @property
    def cv(self) -> float:
        """Service-time coefficient of variation used (given, else the kind's default)."""
        return DEFAULT_SERVICE_CV[self.kind] if self.service_cv is None else self.service_cv

    @property
    def capacity_per_h(self) -> float:
        """Shipments an hour the element can serve on average over the year (inf: no limit)."""
        if self.servers is None or self.service_h == 0.0:
            return math.inf
        return self.servers * self.open_share / self.service_h

    def utilisation(self, arrivals_per_h: float) -> float:
        """Arrivals over capacity."""
        return arrivals_per_h / self.capacity_per_h

    def wait_h(self, arrivals_per_h: float) -> float:
        """Mean wait before service at ``arrivals_per_h`` shipments an hour, hours.

        The queue of the element serving at its open share of the rate (service time
        ``service_h / open_share``), plus the backlog of its closures, plus half the
        headway of a scheduled service; ``inf`` at or above capacity.
        """
        scheduled = scheduled_wait_h(self.headway_h)
        if self.servers is None:
            return scheduled
        queue = gg_c_wait_h(
            arrivals_per_h,
            servers=self.servers,
            service_h=self.service_h / self.open_share,
            service_cv=self.cv,
            arrival_cv=self.arrival_cv,
        )
        if self.closure_h > 0.0 and self.open_share < 1.0 and math.isfinite(queue):
            residual = self.closure_h * (1.0 + self.closure_cv**2) / 2.0
            queue += (1.0 - self.open_share) * residual / (1.0 - self.utilisation(arrivals_per_h))
        return queue + scheduled

    def wait_distribution(self, arrivals_per_h: float) -> WaitDistribution:
        """The wait at ``arrivals_per_h`` shipments an hour as a :class:`WaitDistribution`.

        Its mean is :meth:`wait_h`; at or above capacity the queue's mean is ``inf``.
        """
        headway = self.headway_h if self.headway_h is not None and self.headway_h > 0 else 0.0
        if self.servers is None or arrivals_per_h <= 0.0 or self.service_h <= 0.0:
            return WaitDistribution(headway_h=headway)
        util = self.utilisation(arrivals_per_h)
        if util >= 1.0:
            return WaitDistribution(p_queue=1.0, queue_mean_h=math.inf, headway_h=headway)
        service = self.service_h / self.open_share
        mean = gg_c_wait_h(
            arrivals_per_h,
            servers=self.servers,
            service_h=service,
            service_cv=self.cv,
            arrival_cv=self.arrival_cv,
        )
        p_wait = erlang_c(self.servers, arrivals_per_h * service)
        p_closure = closure_mean = 0.0
        if self.closure_h > 0.0 and self.open_share < 1.0:
            p_closure = 1.0 - self.open_share
            closure_mean = self.closure_h * (1.0 + self.closure_cv**2) / 2.0 / (1.0 - util)
        return WaitDistribution(
            p_queue=p_wait if mean > 0.0 else 0.0,
            queue_mean_h=mean / p_wait if mean > 0.0 else 0.0,
            p_closure=p_closure,
            closure_mean_h=closure_mean,
            headway_h=headway,
        )

    def wait_curve_h(self, arrivals_per_h: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """:meth:`wait_h` of each arrival rate (array in, array out), hours."""
        rates = np.asarray(arrivals_per_h, dtype=np.float64)
        return np.array([self.wait_h(float(x)) for x in rates.ravel()]).reshape(rates.shape)


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
    shipment_units: int,
    deck_units: Sequence[int],
    max_wait_h: float,
) -> DeckFill:
    r"""Wait for a deck to fill: ships that sail when full, or ``max_wait_h`` after loading began.

    Shipments of ``shipment_units`` units (wagons, TEU, trucks) arrive at random
    (Poisson, ``arrivals_per_h``) and board the ship taking cargo in order; a
    shipment that does not fit whole is split, its first units on this ship, the
    rest on the next, and it has left when its last unit sails. A ship of ``K``
    units sails when full, or ``max_wait_h`` after its first unit boarded (the units
    left from a split shipment board at once). The ships take cargo in turn
    (``deck_units``: each ship's capacity, taken in equal shares).

    The state of a ship when it starts taking cargo is the ``l`` units left over
    from the previous one (a Markov chain on ``0 <= l < shipment_units``). With
    ``j`` more shipments needed to fill it and ``N ~ Poisson(lambda W)`` arrivals in
    the maximum wait ``W``, the waiting time of the shipments aboard adds up to

    .. math::

        A_l = \frac{1}{\lambda} \sum_{k=0}^{j-1} (k+1)\, P(N \ge k+1)
        \quad (l > 0), \qquad
        A_0 = \frac{1}{\lambda} \sum_{k=0}^{j-2} (k+1)\, P(N \ge k+1),

        (the clock of a fresh ship starts with its first shipment) over
    :math:`\sum_k P(N \ge k)` new shipments; the mean wait is the ratio of the
    stationary means (renewal reward). With whole shipments per deck
    (``K = n g``) it is the batch-service queue with a time-out, and without a
    maximum wait it is ``(n - 1) / (2 lambda)``; with split shipments a shipment
    waits for the shipments that fill the ship carrying its last unit, about
    ``(n + 1) / (2 lambda)`` (``n = K / g``), one interval between arrivals more.

    Parameters
    ----------
    arrivals_per_h : float
        Shipments an hour.
    shipment_units : int
        Units of one shipment (>= 1).
    deck_units : sequence of int
        Units each ship of the line takes (>= 1 each).
    max_wait_h : float
        Longest a ship waits after its first unit boarded, hours (``inf``: until full).

    Returns
    -------
    DeckFill

    Example
    -------
    >>> from corridors.cost.queueing import deck_fill
    >>> f = deck_fill(0.5, shipment_units=1, deck_units=[10], max_wait_h=math.inf)
    >>> round(f.wait_h, 9), f.shipments_per_sailing  # (10 - 1) / (2 x 0.5)
    (9.0, 10.0)
    """
    g = int(shipment_units)
    decks = [int(k) for k in deck_units]
    if g < 1 or not decks or min(decks) < 1:
        raise ValueError("shipment and deck units must be >= 1")
    if arrivals_per_h <= 0.0 or not math.isfinite(arrivals_per_h):
        return DeckFill(0.0, 0.0, 0.0)
    lam = arrivals_per_h
    mean_arrivals = lam * max_wait_h
    jmax = max(math.ceil(k / g) for k in decks) + 1
    if math.isfinite(mean_arrivals):
        at_least = gammainc(np.arange(1, jmax + 1), mean_arrivals)  # P(N >= k), k = 1..jmax
    else:
        at_least = np.ones(jmax)
    states = max(g, *decks)
    move = np.zeros((states, states))
    area = np.zeros(states)
    count = np.zeros(states)
    full = np.zeros(states)
    share = 1.0 / len(decks)
    for left in range(states):
        for k_units in decks:
            if left >= k_units:  # the leftover alone fills the ship
                full[left] += share
                move[left, left - k_units] += share
                continue
            j = math.ceil((k_units - left) / g)  # shipments that fill the ship
            if left == 0:  # the clock starts with the first shipment
                p = at_least[: j - 1]
                a = float(np.sum(np.arange(1, j) * p)) / lam
                n = 1.0 + float(np.sum(p))
                p_full = float(at_least[j - 2]) if j >= 2 else 1.0
            else:
                p = at_least[:j]
                a = float(np.sum(np.arange(1, j + 1) * p)) / lam
                n = float(np.sum(p))
                p_full = float(at_least[j - 1])
            area[left] += share * a
            count[left] += share * n
            full[left] += share * p_full
            move[left, left + j * g - k_units] += share * p_full
            move[left, 0] += share * (1.0 - p_full)
    stationary = _stationary(move)
    shipments = float(stationary @ count)
    return DeckFill(
        wait_h=float(stationary @ area) / shipments if shipments > 0 else 0.0,
        shipments_per_sailing=shipments,
        full_share=float(stationary @ full),
    )


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

    Example
    -------
    >>> from corridors.cost.queueing import FerryQueue
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

    def __post_init__(self) -> None:
        if self.ships < 1 or not self.round_trip_h > 0:
            raise ValueError("a ferry line needs >= 1 ship and a round trip > 0 h")
        if len(self.open_share_by_month) != 12 or not all(
            0.0 < o <= 1.0 for o in self.open_share_by_month
        ):
            raise ValueError("open_share_by_month: 12 shares in (0, 1]")

    @property
    def open_share(self) -> float:
        """Share of the year the ports are open."""
        return sum(o * d for o, d in zip(self.open_share_by_month, MONTH_DAYS, strict=True)) / 365

    def fill(self, arrivals_per_h: float) -> DeckFill:
        """How the shipments fill the decks (:func:`deck_fill`)."""
        return deck_fill(
            arrivals_per_h,
            shipment_units=self.shipment_units,
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
            else (sum(self.deck_units) / len(self.deck_units) / self.shipment_units)
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
                excess = self._excess_sq(lam, self.ships * n)
                waits[m] += storms_per_h * excess / (2.0 * lam * spare)
        backlog = _seasonal_backlog_h(lam, np.array(self.open_share_by_month) * lift, hours)
        return float(waits @ hours / hours.sum()) + backlog

    def _excess_sq(self, lam: float, burst: float) -> float:
        """``E[((lam D - burst)^+)^2]`` over the storm lengths ``D``.

        ``D`` is gamma of mean ``closure_h`` and coefficient of variation ``closure_cv``.
        """
        if self.closure_cv <= 0.0:
            return max(lam * self.closure_h - burst, 0.0) ** 2
        shape = 1.0 / self.closure_cv**2
        storm = stats.gamma(shape, scale=self.closure_h / shape)
        return float(storm.expect(lambda d: max(lam * d - burst, 0.0) ** 2))

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
