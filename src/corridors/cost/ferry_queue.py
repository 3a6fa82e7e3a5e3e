r"""A ferry or feeder line whose ships sail when full: the wait of a shipment, hours.

The wait to fill the deck (:func:`~corridors.cost.deck_fill.deck_fill`, re-exported here:
a Markov chain on the units left over from a split shipment, shipments of one size or of a
mix of sizes), the queue of sailings for the
ships (a G/G/c :class:`~corridors.cost.mean_waits.QueueElement` over sailings), and the
storms month by month with the backlog they leave (:class:`FerryQueue`, its year month by
month in :mod:`~corridors.cost.ferry_months`).

Example
-------
>>> from corridors.cost.ferry_queue import FerryQueue
>>> line = FerryQueue(ships=3, round_trip_h=40.0, shipment_units=1, deck_units=(2, 2, 2),
...                   max_wait_h=48.0)
>>> round(line.utilisation(0.05), 3)  # 0.05 / (3 ships x 1.91 a sailing / 40 h)
0.349
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corridors.cost.deck_fill import DeckFill, deck_fill, mean_shipment_units
from corridors.cost.ferry_absence import ShipAbsence, ship_absence
from corridors.cost.ferry_across import waiting_across
from corridors.cost.ferry_hold import Sizes, line_back_factor_h, line_hold_h
from corridors.cost.ferry_months import MONTH_FADE, year_wait_h
from corridors.cost.storm_backlog import MONTH_DAYS

__all__ = ["MONTH_DAYS", "MONTH_FADE", "DeckFill", "FerryQueue", "deck_fill"]


@dataclass(frozen=True, slots=True)
class FerryQueue:
    r"""A ferry or feeder line from one port: the wait of a shipment for a ship, hours.

    Ships sail when full or at the maximum wait (:func:`deck_fill`); a sailing then
    waits for one of ``ships`` ships, each away a round trip (Allen-Cunneen G/G/c over
    sailings, see :class:`QueueElement`). Storms close the ports a share of each month
    (``open_share_by_month``): month by month, the queue serves at that month's open
    share, a shipment arriving in a storm waits for its end (the mean residual
    closure, :math:`(1 - o) E[D^2] / (2 E[D])`), and the backlog it leaves boards the
    ships as they come back, in waves (:func:`~corridors.cost.ferry_months.line_waves`,
    :mod:`corridors.cost.storm_waves`): the ships in port at once (a share
    ``reopen_share`` of them, less the one that took cargo when the storm began when
    the cargo waits out the storm ashore), the others a sailing ``return_h`` later,
    then each a round trip after it left. Where the ship in port keeps taking cargo
    (``fills_in_storms``) the fluid backlog recalibrated on the one-port toys stays
    (:func:`~corridors.cost.storm_backlog.fluid_storm_h`).
    With ``empty_wait_h`` the ships leave the port empty when no cargo comes and the
    cargo that finds no ship waits for the next (:mod:`corridors.cost.ferry_absence`);
    with ``fills_in_storms`` a shipment arriving in a storm waits for the later of the
    storm's end and its deck filled (:func:`~corridors.cost.ferry_months.storm_residual_h`).
    A month with more cargo than its open ships lift carries its backlog into the
    next (a fluid queue over the year). Above :data:`~corridors.cost.mean_waits.MONTH_KNEE`
    of what its open ships lift, a month's queue of sailings and its storms' backlog are
    the knee's (cleared at the knee's spare rate), fading linearly to nothing at
    ``1 + MONTH_FADE`` times it (:data:`~corridors.cost.ferry_months.MONTH_FADE`),
    beyond which the seasonal backlog alone carries the month. The G/G/c queue alone
    was infinite at the month's capacity and 0 beyond it: a line's wait rose to a pole
    and fell back as each month filled, and the corridor split had an equilibrium in
    each tooth (docs/model.md, Equilibrium). The months are weighed by their days
    (:mod:`~corridors.cost.ferry_months`).

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
        sailing), hours; the backlog they leave waits that long
        (:func:`~corridors.cost.ferry_months.line_waves`).
    empty_wait_h : float or None
        Longest an empty ship waits at the port for its first unit before it sails
        back empty, hours: the cargo that finds no ship waits for the next
        (:func:`~corridors.cost.ferry_absence.ship_absence`, with ``return_h`` the
        one-way sailing); the larger of this wait and the queue of sailings counts
        (both are the wait for a ship), their sum when every shipment fills a deck
        (each needs a ship of its own: the first ship's absence, then the queue behind
        the other shipments). None: not modelled, the queue of sailings alone.
    fills_in_storms : bool
        The ship in port keeps taking cargo in a storm: a shipment that arrives in a
        storm waits for the later of the storm's end and its deck filled, not both
        (:func:`~corridors.cost.ferry_months.storm_residual_h`).
    return_cargo_h : float
        Ship-hours a deck-load of cargo the other way adds to a ship's round trip: its
        loading and unloading, and the waits for the berth at the two ports, hours
        (:func:`~corridors.cost.ferry_lines.return_cargo_h`; 0: not modelled). The
        line's capacity is then a joint constraint over its two directions
        (:attr:`return_use`, :meth:`joint_arrivals`).

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
    empty_wait_h: float | None = None
    fills_in_storms: bool = False
    return_cargo_h: float = 0.0

    def __post_init__(self) -> None:
        if self.ships < 1 or not self.round_trip_h > 0:
            raise ValueError("a ferry line needs >= 1 ship and a round trip > 0 h")
        if len(self.open_share_by_month) != 12 or not all(
            0.0 < o <= 1.0 for o in self.open_share_by_month
        ):
            raise ValueError("open_share_by_month: 12 shares in (0, 1]")
        if not (0.0 < self.reopen_share <= 1.0 and 0.0 <= self.return_h < math.inf):
            raise ValueError("reopen_share in (0, 1] and return_h >= 0 h")
        if self.empty_wait_h is not None and not (
            0.0 <= self.empty_wait_h < math.inf and self.return_h > 0.0
        ):
            raise ValueError("empty_wait_h >= 0 h needs the one-way sailing return_h > 0 h")
        if not 0.0 <= self.return_cargo_h < self.round_trip_h:
            raise ValueError("return_cargo_h in [0 h, round_trip_h)")

    @property
    def return_use(self) -> float:
        r"""Share of a round trip a deck-load of cargo the other way takes, :math:`k`.

        The ships' time is shared by the two directions: with :math:`S` sailings an hour
        from this port and :math:`S'` loaded sailings back (:math:`S' \le S`), the fleet
        is busy :math:`S\,T + S'\,h'` ship-hours an hour (:math:`T` the round trip,
        :math:`h'` = ``return_cargo_h``; the empty legs back are in :math:`T`), so this
        direction's utilisation is that of :math:`S + k S'` sailings,
        :math:`k = h' / T`. 0 without return cargo (today's one-way function).
        """
        return self.return_cargo_h / self.round_trip_h

    def joint_arrivals(self, arrivals_per_h: float, back_per_h: float) -> float:
        """Shipments an hour that load the ships as this port's and the cargo back do.

        ``back_per_h`` is the cargo the other way in this port's shipments (deck-loads
        back x this port's shipments a deck): ``arrivals_per_h + k x back_per_h``
        (:attr:`return_use`). The line's wait and utilisation at the joint load are
        :meth:`wait_h` and :meth:`utilisation` of it.
        """
        return arrivals_per_h + self.return_use * max(back_per_h, 0.0)

    @property
    def mean_units(self) -> float:
        """Mean units of a shipment (over the arrivals of the size mix)."""
        return mean_shipment_units(self.shipment_mix or self.shipment_units)

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

    def fill_wait_h(self, arrivals_per_h: float) -> float:
        """Mean wait for the deck to fill at ``arrivals_per_h`` shipments an hour, hours.

        :func:`deck_fill`'s wait, with its limit as the arrivals vanish at 0 (a
        shipment then waits the maximum wait, or none if it fills a deck).
        """
        return self.fill(max(arrivals_per_h, 1e-9)).wait_h

    def capacity_per_h(self, arrivals_per_h: float) -> float:
        """Shipments an hour the fleet lifts over the year at ``arrivals_per_h``.

        Sailings carry fewer shipments when they leave at the maximum wait.
        """
        n = (
            self._per_sailing(self.fill(arrivals_per_h))
            if arrivals_per_h > 0
            else (sum(self.deck_units) / len(self.deck_units) / self.mean_units)
        )
        return self.ships * n / self.round_trip_h * self.open_share

    def utilisation(self, arrivals_per_h: float) -> float:
        """Arrivals over what the fleet lifts over the year."""
        return arrivals_per_h / self.capacity_per_h(arrivals_per_h)

    def wait_h(
        self,
        arrivals_per_h: float,
        *,
        own_per_h: float | None = None,
        back_units: Sizes = None,
    ) -> float:
        """Mean wait of a shipment for a ship at ``arrivals_per_h`` shipments an hour, hours.

        ``inf`` when the fleet cannot lift the year's cargo (utilisation >= 1).
        ``own_per_h``: the shipments an hour offered at this port when
        ``arrivals_per_h`` is the joint load with the cargo back (:meth:`joint_arrivals`):
        the ships' time is the joint load's, but the deck fills with the port's own
        cargo, so the deck-filling wait is taken at it,
        ``W(joint) - F(joint) + F(own)`` (:meth:`fill_wait_h`), and the ships held at
        the other port by its deck filling add :meth:`hold_h`, and the empty ships that
        sail at once for the cargo waiting there :meth:`absence_shift_h`; the same as
        without it when there is no cargo back. None: ``arrivals_per_h`` fill the deck.
        ``back_units``: the sizes of the other port's shipments (as ``shipment_mix``;
        None: this port's).
        """
        wait = self._wait_h(arrivals_per_h)
        if own_per_h is None or not 0.0 < own_per_h < arrivals_per_h or math.isinf(wait):
            return wait
        across = waiting_across(self, arrivals_per_h, own_per_h, back_units=back_units)
        return (
            wait
            - self.fill_wait_h(arrivals_per_h)
            + self.fill_wait_h(own_per_h)
            + line_hold_h(
                self, arrivals_per_h, own_per_h, back_units=back_units, deck_free=across.deck_free
            )
            + self.absence_shift_h(arrivals_per_h, empty_share=across.nothing_waiting)
        )

    def hold_h(self, arrivals_per_h: float, own_per_h: float, *, back_units: Sizes = None) -> float:
        """Wait for the ships held at the other port by its deck filling, hours.

        :func:`~corridors.cost.ferry_hold.line_hold_h` at the joint load
        ``arrivals_per_h`` and this port's own ``own_per_h`` shipments an hour.
        """
        return line_hold_h(self, arrivals_per_h, own_per_h, back_units=back_units)

    def back_factor_h(self, back_per_h: float, *, back_units: Sizes = None) -> float:
        """The cargo back's factor of :meth:`hold_h`, hours (:func:`line_back_factor_h`)."""
        return line_back_factor_h(self, back_per_h, back_units=back_units)

    def absence_shift_h(self, arrivals_per_h: float, *, empty_share: float) -> float:
        """The ships' absence added when empty ships sail at once for cargo across, hours.

        Where every shipment fills a deck, a ship's only stay at this port is its wait
        for a first unit, and an empty ship whose turn comes sails at once when cargo
        waits at the other port: nothing waits there a share ``empty_share`` of the
        time (:attr:`~corridors.cost.ferry_across.Across.nothing_waiting`). The absence
        (:func:`~corridors.cost.ferry_absence.ship_absence`) at ``arrivals_per_h`` with
        that share of the empty wait, less with all of it; 0 without an empty wait or
        where shipments share a deck.
        """
        lam = arrivals_per_h
        if self.empty_wait_h is None or lam <= 0.0 or empty_share >= 1.0:
            return 0.0
        n = self._per_sailing(self.fill(lam))
        if not self._whole_deck(n):
            return 0.0
        moved, stays = self._absence(lam, n, empty_share=empty_share), self._absence(lam, n)
        assert moved is not None
        assert stays is not None
        return moved.wait_h - stays.wait_h

    def ship_wait_h(self, arrivals_per_h: float) -> float:
        """Mean wait for a ship beyond the deck filling, hours.

        :meth:`wait_h` less :meth:`fill_wait_h`, one way.
        """
        return self.wait_h(arrivals_per_h) - self.fill_wait_h(arrivals_per_h)

    def sailings_per_h(self, arrivals_per_h: float) -> float:
        """Sailings an hour the shipments fill (the deck filling's shipments a sailing)."""
        if arrivals_per_h <= 0.0:
            return 0.0
        per_sailing = self.fill(arrivals_per_h).shipments_per_sailing
        return arrivals_per_h / per_sailing if per_sailing > 0.0 else math.inf

    def _whole_deck(self, per_sailing: float) -> bool:
        """Every shipment fills a deck (``per_sailing`` shipments a sailing, at most one)."""
        return per_sailing <= 1.0 and self.mean_units <= min(self.deck_units) * (1.0 + 1e-9)

    def _absence(
        self, lam: float, per_sailing: float, *, empty_share: float = 1.0
    ) -> ShipAbsence | None:
        """:func:`~corridors.cost.ferry_absence.ship_absence` at ``lam`` an hour.

        The ships' empty wait taken ``empty_share`` of the line's; None without one.
        """
        if self.empty_wait_h is None:
            return None
        return ship_absence(
            lam,
            ships=self.ships,
            shipments_per_sailing=per_sailing,
            sail_h=self.return_h,
            handling_h=max(self.round_trip_h - 2.0 * self.return_h, 0.0),
            empty_wait_h=self.empty_wait_h * empty_share,
            whole_deck=self._whole_deck(per_sailing),
        )

    def _wait_h(self, arrivals_per_h: float) -> float:
        """Mean wait of a shipment for a ship, one way, hours.

        The year month by month (:func:`~corridors.cost.ferry_months.year_wait_h`).
        """
        lam = arrivals_per_h
        if lam <= 0.0:
            return 0.0
        fill = self.fill(lam)
        n = self._per_sailing(fill)
        return year_wait_h(
            self,
            lam,
            fill=fill,
            per_sailing=n,
            whole=self._whole_deck(n),
            away=self._absence(lam, n),
        )

    def _per_sailing(self, fill: DeckFill) -> float:
        """Shipments a sailing takes (:func:`deck_fill`): at least one where they fit a deck.

        A shipment larger than a deck is not clamped: a block train of 50 wagons on
        ships of 36 (Lake Van) takes 50 / 36 sailings, 0.72 of a train a sailing.
        """
        if self.mean_units <= min(self.deck_units):
            return max(fill.shipments_per_sailing, 1.0)
        return max(fill.shipments_per_sailing, 1e-9)
