r"""The ferry and feeder lines across one stretch of water, as the simulation sails them.

:func:`line_queue` is one line with ships in ``vessel.csv`` as a
:class:`~corridors.cost.ferry_queue.FerryQueue`; :class:`FerryLines` the parallel lines
a shipper can take across one water (:func:`water_queue`), each loaded in proportion to
what it lifts, so all run at one utilisation:

.. math::

    \mu = \sum_l \mu_l, \qquad W(\lambda) = \sum_l \frac{\mu_l}{\mu}
    W_l\!\left(\lambda \frac{\mu_l}{\mu}\right),

with :math:`\mu_l` the shipments an hour line ``l`` lifts with full decks. The
simulation splits a flow across the same lines in the same proportion
(:mod:`corridors.studies.simulation_equilibrium`). Cargo both ways shares the ships'
time: a deck-load back adds :func:`return_cargo_h` to a round trip, a share
:attr:`FerryLines.return_use` of it (:attr:`FerryQueue.return_use`). No I/O.

Example
-------
>>> from corridors.cost.ferry_lines import FerryLines
>>> from corridors.cost.ferry_queue import FerryQueue
>>> one = FerryQueue(ships=2, round_trip_h=48.0, shipment_units=1, deck_units=(1, 1),
...                  max_wait_h=0.0)
>>> both = FerryLines((one, one))
>>> both.capacity_per_h(0.0) == 2 * one.capacity_per_h(0.0)
True
>>> both.wait_h(0.02) == one.wait_h(0.01)
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.cost.ferry_queue import MONTH_DAYS, FerryQueue
from corridors.cost.shipments import SHIPMENT_TEU, TRAIN_WAGONS, table_number
from corridors.network.model import Network

if TYPE_CHECKING:
    from corridors.cost.ferry_hold import Sizes

__all__ = [
    "CASPIAN_BBOX",
    "CASPIAN_STORM_DAYS",
    "FERRY_BERTH_WAITS",
    "FERRY_EMPTY_WAIT_H",
    "FERRY_MAX_WAIT_H",
    "FERRY_REOPEN_SHARE",
    "KNOTS_KM_H",
    "STORM_CV",
    "STORM_MEAN_H",
    "FerryLines",
    "line_queue",
    "port_open_share",
    "return_cargo_h",
    "sailing_h",
    "water_lines",
    "water_queue",
]

KNOTS_KM_H = 1.852
"""Kilometres per hour in one knot."""

FERRY_MAX_WAIT_H = 48.0
"""Longest a ship waits at berth after its first unit boarded, hours."""

FERRY_EMPTY_WAIT_H = 6.0
"""Longest an empty ship of a line that sails when full waits at berth for its first
unit before it sails back empty, hours (the simulation's operating rule)."""

FERRY_BERTH_WAITS = 2.0
"""Unloadings of another ship a ship loaded both ways waits for at the berths, per round
trip: at each port it unloads, another ship that came in meanwhile unloads, then it
loads (one berth a port and line, as the simulation's lines). Measured on the
simulation at saturation with cargo both ways: 2 to 6 ships of 50 wagons, 3.5 h to load
and to unload, 4.5 to 22 h sailings, the round trip 7.0 to 7.1 h longer than its
sailings, loadings and unloadings (``tests/cost/test_ferry_two_way.py``)."""

FERRY_REOPEN_SHARE = 0.5
"""Share of a line's ships at one port when a storm ends: the ships are spread over the
line's two ports; the rest are a sailing away."""

STORM_MEAN_H = 96.0
"""Mean length of a Caspian storm closure, hours: ASCO halts ~3-5 days per storm event
(corridor-facts.md, "Caspian weather"), the middle of it."""

STORM_CV = 0.5
"""Coefficient of variation of the length of a storm closure."""

CASPIAN_BBOX = (46.5, 36.5, 55.0, 47.5)
"""(lon min, lat min, lon max, lat max) of the Caspian Sea: ferry lines with both
ports inside close together in Caspian storms."""

CASPIAN_STORM_DAYS: tuple[float, ...] = (
    10.0,
    8.0,
    5.0,
    3.0,
    1.5,
    1.0,
    1.0,
    1.0,
    2.0,
    4.0,
    8.0,
    10.0,
)
"""Default storm (port-closure) days per month on the Caspian, January ... December.

Assumption built on corridor-facts.md ("Caspian weather"): January 10 days as the
published "~10 storm days in a January (U)"; November + December 18 days, i.e. ~30%
of those two months against "Kuryk closed ~50% of Nov-Dec in a bad year (U)" (an
ordinary year taken as ~60% of the bad one); February 8 for the storms that halted
ASCO in February 2023 and 2025; calm summers (1 day a month, no source). 54.5 storm
days a year; with events of 3-5 days (``storm_mean_h`` = 96 h) that overlap now and
then, ~51 closed days a year on average. For a bad year pass e.g. 12, 10, 6, 3, 1.5,
1, 1, 1, 2, 6, 15, 15.5. Set your own per study.
"""


@dataclass(frozen=True, slots=True)
class FerryLines:
    """Parallel ferry and feeder lines across one water, loaded in proportion to their lift.

    Attributes
    ----------
    lines : tuple of FerryQueue
        The lines (each from its boarding port).
    """

    lines: tuple[FerryQueue, ...]

    def __post_init__(self) -> None:
        if not self.lines:
            raise ValueError("ferry lines need at least one line")

    @property
    def return_use(self) -> float:
        r"""Share of a round trip a deck-load of cargo the other way takes, over the lines.

        Each line takes the same share of both directions' cargo (its lift), so the
        ship-hours of the lines together are those of :math:`S + \bar k S'` sailings with
        :math:`\bar k = \sum_l c_l k_l / \sum_l c_l` (``c_l`` ships, ``k_l`` each line's
        :attr:`FerryQueue.return_use`).
        """
        ships = sum(line.ships for line in self.lines)
        return sum(line.ships * line.return_use for line in self.lines) / ships

    @property
    def shares(self) -> tuple[float, ...]:
        """Share of the cargo each line takes: its lift over the lines' lift."""
        lift = [line.capacity_per_h(0.0) for line in self.lines]
        total = sum(lift)
        return tuple(x / total for x in lift)

    def capacity_per_h(self, arrivals_per_h: float) -> float:
        """Shipments an hour the lines lift over the year (full decks at 0 arrivals)."""
        return sum(
            line.capacity_per_h(arrivals_per_h * s)
            for line, s in zip(self.lines, self.shares, strict=True)
        )

    def wait_h(
        self,
        arrivals_per_h: float,
        *,
        own_per_h: float | None = None,
        back_units: Sizes = None,
    ) -> float:
        """Mean wait of a shipment for a ship of the line it takes, hours.

        ``own_per_h``: this port's own shipments when ``arrivals_per_h`` is the joint
        load with the cargo back (:meth:`FerryQueue.wait_h`), in the same shares;
        ``back_units`` the sizes of the other port's shipments.
        """
        return sum(
            s
            * line.wait_h(
                arrivals_per_h * s,
                own_per_h=None if own_per_h is None else own_per_h * s,
                back_units=back_units,
            )
            for line, s in zip(self.lines, self.shares, strict=True)
        )

    def back_factor_h(self, back_per_h: float, *, back_units: Sizes = None) -> float:
        """The cargo back's factor of the held ships' wait, hours, over the lines.

        Each line runs at the lines' utilisation, so the wait is this factor times
        :func:`~corridors.cost.ferry_hold.load_factor` of it
        (:meth:`FerryQueue.back_factor_h` of each line's share, weighed by it).
        """
        return sum(
            s * line.back_factor_h(back_per_h * s, back_units=back_units)
            for line, s in zip(self.lines, self.shares, strict=True)
        )

    def fill_wait_h(self, arrivals_per_h: float) -> float:
        """Mean wait for the deck to fill of the line a shipment takes, hours."""
        return sum(
            s * line.fill_wait_h(arrivals_per_h * s)
            for line, s in zip(self.lines, self.shares, strict=True)
        )


def return_cargo_h(load_h: float, unload_h: float) -> float:
    """Ship-hours a deck-load of cargo the other way adds to a ship's round trip, hours.

    Its loading and unloading, and :data:`FERRY_BERTH_WAITS` unloadings of other ships
    at the berths (a ship that comes back empty neither loads nor unloads there, nor
    waits for the berth):

    >>> return_cargo_h(3.5, 3.5)  # 3.5 + 3.5 + 2 x 3.5
    14.0
    """
    return load_h + unload_h + FERRY_BERTH_WAITS * unload_h


def sailing_h(time_h: object, km: object, speeds_kn: Sequence[float]) -> float:
    """Sailing time of a ferry or sea link, hours.

    The link's ``time_h`` when given, else its length at the ships' mean speed, else at
    25 km/h, else 24 h.
    """
    sail = table_number(time_h)
    if sail > 0:
        return sail
    length = table_number(km)
    if length > 0 and speeds_kn:
        return length / (sum(speeds_kn) / len(speeds_kn) * KNOTS_KM_H)
    return length / 25.0 if length > 0 else 24.0


def _in_caspian(row: Mapping[str, object]) -> bool:
    lon0, lat0, lon1, lat1 = CASPIAN_BBOX
    x, y = table_number(row.get("x_coord")), table_number(row.get("y_coord"))
    return lon0 <= x <= lon1 and lat0 <= y <= lat1


def port_open_share(row: Mapping[str, object]) -> float:
    """Share of the year a port is open: a Caspian port closes :data:`CASPIAN_STORM_DAYS`.

    As the simulation's weather closes the ports of its Caspian lines (and the stations
    there) in storms; 1 elsewhere.
    """
    if str(row.get("kind") or "") != "port" or not _in_caspian(row):
        return 1.0
    return 1.0 - sum(CASPIAN_STORM_DAYS) / sum(MONTH_DAYS)


def line_queue(network: Network, link_id: str) -> FerryQueue | None:
    """The ferry or feeder line of a link with ships, from either port (``None``: no ships).

    The ships that carry rail wagons (else the TEU ships: a container feeder) take
    block trains of :data:`TRAIN_WAGONS` wagons (a feeder: :data:`SHIPMENT_TEU` TEU);
    a round trip is ``2 x sailing + loading + unloading``, and a deck-load back adds
    :func:`return_cargo_h` (the capacity of the two directions is joint); ships sail when full or
    :data:`FERRY_MAX_WAIT_H` after loading began, and an empty ship sails back after
    :data:`FERRY_EMPTY_WAIT_H` (the cargo that finds no ship waits for the next); a
    line with both ports in the Caspian closes :data:`CASPIAN_STORM_DAYS` a month in
    storms of :data:`STORM_MEAN_H` hours, as the simulation's weather, and when a
    storm ends :data:`FERRY_REOPEN_SHARE` of the ships are at the port, the rest a
    sailing away. The cargo reaches a line by a transfer at its port, whose station a
    storm closes too: it waits there for the storm's end and none boards the ship in
    port meanwhile (``fills_in_storms`` off). The same operating rules as the
    simulation's lines (:class:`corridors.simulation.ferry_load.FerryLoad`).
    """
    i = network.link_index.get(link_id)
    vessels = network.vessels
    if i is None or not len(vessels):
        return None
    ships = vessels[vessels["link_id"] == link_id]
    if not len(ships):
        return None
    link = network.link_row(i)
    wagons = ships["capacity_wagons"].map(table_number).fillna(0.0).to_numpy()
    teu = ships["capacity_teu"].map(table_number).fillna(0.0).to_numpy()
    if (wagons > 0).any():
        units, carry = TRAIN_WAGONS, wagons > 0
        decks = tuple(int(w) for w in wagons[carry])
    elif (teu > 0).any():
        units, carry = int(SHIPMENT_TEU), teu > 0
        decks = tuple(int(t) for t in teu[carry])
    else:
        return None
    speeds = [s for s in ships["speed_kn"].map(table_number) if s > 0]
    sail = sailing_h(link.get("time_h"), link.get("length"), speeds)
    load = ships["load_h"].map(table_number).fillna(0.0)[carry]
    unload = ships["unload_h"].map(table_number).fillna(0.0)[carry]
    trip = float((2.0 * sail + load + unload).mean())
    back = sum(return_cargo_h(a, b) for a, b in zip(load, unload, strict=True)) / len(load)
    ends = [network.node_index.get(str(link.get(c))) for c in ("from_node_id", "to_node_id")]
    caspian = all(j is not None and _in_caspian(network.node_row(j)) for j in ends)
    shares = (
        tuple(1.0 - d / m for d, m in zip(CASPIAN_STORM_DAYS, MONTH_DAYS, strict=True))
        if caspian
        else (1.0,) * 12
    )
    return FerryQueue(
        ships=len(decks),
        round_trip_h=trip,
        shipment_units=units,
        deck_units=decks,
        max_wait_h=FERRY_MAX_WAIT_H,
        open_share_by_month=shares,
        closure_h=STORM_MEAN_H if caspian else 0.0,
        closure_cv=STORM_CV if caspian else 0.0,
        reopen_share=FERRY_REOPEN_SHARE,
        return_h=sail,
        empty_wait_h=FERRY_EMPTY_WAIT_H,
        fills_in_storms=False,  # the cargo waits out a storm at the port's station
        return_cargo_h=min(back, 0.999 * trip),
    )


def water_lines(network: Network, ports: set[str]) -> list[str]:
    """Ferry and sea links with ships between two of ``ports`` (sorted link ids)."""
    links = network.links
    if not len(network.vessels):
        return []
    water = links[
        links["mode"].isin(("ferry", "sea")).to_numpy()
        & links["from_node_id"].isin(ports).to_numpy()
        & links["to_node_id"].isin(ports).to_numpy()
        & links["link_id"].isin(set(network.vessels["link_id"])).to_numpy()
    ]
    return sorted(str(x) for x in water["link_id"])


def water_queue(
    network: Network, ports: str, *, wagons_only: bool = False
) -> FerryQueue | FerryLines | None:
    """The lines with ships between the ports ``ports`` (``a+b+c``) as one queue.

    One line: its :class:`FerryQueue`; several: :class:`FerryLines`; ``wagons_only``:
    the rail ferries only (what general cargo can board). ``None``: no ships. Made once
    per network (:meth:`~corridors.network.model.Network.derived`).
    """
    return network.derived(
        ("water_queue", ports, wagons_only), lambda: _water_queue(network, ports, wagons_only)
    )


def _water_queue(network: Network, ports: str, wagons_only: bool) -> FerryQueue | FerryLines | None:
    queues = [line_queue(network, lid) for lid in water_lines(network, set(ports.split("+")))]
    found = [
        q for q in queues if q is not None and (not wagons_only or q.shipment_units == TRAIN_WAGONS)
    ]
    if not found:
        return None
    return found[0] if len(found) == 1 else FerryLines(tuple(found))
