r"""Each network element as a queue: servers, service time and variability, written once.

The simulation (:mod:`corridors.simulation`) and the scenario equilibrium
(:mod:`corridors.scenarios.choice`) give an element that can bind the same queue, and
the equilibrium takes the element's capacity from it (:func:`capacity_teu_yr`), so the
two cannot disagree:

===============================  ======================================================
network element                  queue
===============================  ======================================================
node with a service time         ``gauge`` (a border or junction: the gauge change or
(``service_h``, else             transshipment), ``port`` or ``terminal``: servers =
``handling_h``) and servers      ``berths`` (tracks, cranes), else enough to pass
                                 ``trains_per_day`` (``ceil(trains a day x service /
                                 24)``), else enough for the table capacity (the
                                 capacity rule, :data:`CAPACITY_SERVERS_RULE`);
                                 service gamma, cv 0.5 (the simulation's
                                 handling); a Caspian port open outside its storm
                                 days (:func:`port_open_share`); a port without
                                 ships (:func:`node_lined`) serves at its cranes
rail link with trains a day      ``section``, one per direction: one train path every
or one track                     ``24 / trains_per_day`` hours (``SECTION_PATHS_PER_DAY``
                                 on a single track with no figure), fixed (cv 0)
ferry and feeder lines across   the lines (:func:`~corridors.cost.ferry_lines.water_queue`,
one water (ships in              each a :class:`~corridors.cost.ferry_queue.FerryQueue`:
``vessel.csv``)                  the ships that carry rail wagons, a feeder's TEU ships,
                                 a round trip ``2 x sailing + loading + unloading``
                                 each, sailing when full or after
                                 :data:`FERRY_MAX_WAIT_H`, Caspian storms month by
                                 month), each taking cargo in proportion to its lift
===============================  ======================================================

A shipment is what the simulation sends (:mod:`corridors.simulation.shipments`): a
container block train of :data:`SHIPMENT_TEU` TEU (:data:`TRAIN_WAGONS` wagons) or a
bulk wagon group of :data:`GROUP_WAGONS` wagons of :data:`WAGON_T` t. The equilibrium
counts an element's capacity in container TEU (:func:`capacity_teu_yr`: shipments a
year x :data:`SHIPMENT_TEU`) and a TEU-equivalent of bulk at the share of a shipment it
takes (:func:`bulk_use`).

Element keys: ``node:<id>`` (the node's servers, and its table capacity, for the stops
they serve: :func:`serves`); ``node:<id>@throughput`` (the table capacity of a node
whose servers do not serve every stop, e.g. Aktau's crude tankers: no queue);
``link:<id>@<from node>`` (a section or a link with a
table capacity, by direction); ``water:<ports>@<side>`` (the lines between the ports
``a+b+c``, from the ports ``side`` of one country: a ship lifts its deck each way, so
each direction has the lines' whole capacity, as each port side has its queue in the
simulation). A key without ``@`` (both directions, older stores) has the same queue.
The capacity rule gives a node with a service time and a table capacity but neither
``berths`` nor ``trains_per_day`` ``ceil(shipments a year x service_h / (8,760 h x open
share))`` servers, the shipments the more of its TEU capacity in block trains of
:data:`SHIPMENT_TEU` TEU and its tonne capacity in wagon groups of :data:`GROUP_WAGONS`
x :data:`WAGON_T` t (:func:`node_servers`): the stated capacity is where its queue
binds. A node with no servers and a link with no train paths have no queue (a pure
delay): a capacity there is a hard limit with no delay below it; in the shipped data
only the pipelines (a continuous flow with no servers). No I/O.

Example
-------
>>> from corridors.cost.element_queues import capacity_teu_yr, station_queue
>>> path = station_queue("section", servers=1, service_h=2.0, service_cv=0.0)
>>> capacity_teu_yr(path)  # 12 train paths a day of 100 TEU, 8,760 h a year
438000.0
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

from corridors.cost.ferry_lines import (
    CASPIAN_BBOX,
    CASPIAN_STORM_DAYS,
    FERRY_EMPTY_WAIT_H,
    FERRY_MAX_WAIT_H,
    FERRY_REOPEN_SHARE,
    KNOTS_KM_H,
    STORM_CV,
    STORM_MEAN_H,
    FerryLines,
    line_queue,
    port_open_share,
    sailing_h,
    water_queue,
)
from corridors.cost.ferry_queue import MONTH_DAYS, FerryQueue
from corridors.cost.mean_waits import ElementKind, QueueElement
from corridors.cost.node_servers import (
    CAPACITY_SERVERS_RULE,
    node_lined,
    node_row_servers,
    node_servers,
    node_service,
)
from corridors.cost.shipments import (
    GROUP_WAGONS,
    HOURS_PER_YEAR,
    SECTION_PATHS_PER_DAY,
    SHIPMENT_TEU,
    TEU_PER_WAGON,
    TRAIN_WAGONS,
    WAGON_T,
    table_number,
)
from corridors.network.model import Network

__all__ = [
    "CAPACITY_SERVERS_RULE",
    "CASPIAN_BBOX",
    "CASPIAN_STORM_DAYS",
    "FERRY_EMPTY_WAIT_H",
    "FERRY_MAX_WAIT_H",
    "FERRY_REOPEN_SHARE",
    "GROUP_WAGONS",
    "HOURS_PER_YEAR",
    "KNOTS_KM_H",
    "SECTION_PATHS_PER_DAY",
    "SHIPMENT_TEU",
    "STATION_QUEUE_KIND",
    "STORM_CV",
    "STORM_MEAN_H",
    "TEU_PER_WAGON",
    "TRAIN_WAGONS",
    "WAGON_T",
    "AnyQueue",
    "FerryLines",
    "bulk_use",
    "capacity_teu_yr",
    "element_queue",
    "element_queues",
    "ferry_queue",
    "line_queue",
    "node_lined",
    "node_row_servers",
    "node_servers",
    "node_service",
    "port_storm_months",
    "return_use",
    "sailing_h",
    "serves",
    "shipments_per_h",
    "station_queue",
    "stop_station",
]

AnyQueue = QueueElement | FerryQueue | FerryLines
"""The queue of an element: a station (:class:`QueueElement`), a ferry line or the
parallel lines across one water."""

STATION_QUEUE_KIND: dict[str, ElementKind] = {
    "border": "border",
    "transshipment": "gauge",
    "port": "port",
    "terminal": "terminal",
    "section": "section",
    "other": "terminal",
}
"""Queue kind of each simulation station kind (and node kind)."""


def station_queue(
    kind: str,
    *,
    servers: int | None,
    service_h: float,
    service_cv: float | None = None,
    arrival_cv: float = 1.0,
    open_share: float = 1.0,
    storm_months: tuple[float, ...] = (),
    closure_h: float = 0.0,
    closure_cv: float = 0.0,
    storm_share: float = 1.0,
) -> QueueElement:
    """The queue of a station of kind ``kind`` (simulation station kind or node kind).

    ``servers`` ``None`` is no limit (no queue); ``service_cv`` ``None`` the kind's
    default (:data:`corridors.cost.queueing.DEFAULT_SERVICE_CV`); ``storm_months``
    (with storms of ``closure_h`` hours, cv ``closure_cv``) the open share of each
    month of a port closed by storms, whose berths then have the storms' backlog of
    the ``storm_share`` of the arrivals that come by land
    (:class:`~corridors.cost.mean_waits.QueueElement`).
    """
    return QueueElement(
        STATION_QUEUE_KIND.get(kind, "terminal"),
        servers=servers,
        service_h=service_h,
        service_cv=service_cv,
        arrival_cv=arrival_cv,
        open_share=open_share,
        storm_months=storm_months,
        closure_h=closure_h if storm_months else 0.0,
        closure_cv=closure_cv if storm_months else 0.0,
        storm_share=storm_share,
    )


def ferry_queue(
    *,
    ships: int,
    round_trip_h: float,
    shipments_per_deck: float = 1.0,
    open_share: float = 1.0,
    closure_h: float = 0.0,
    closure_cv: float = 0.0,
) -> QueueElement:
    """A fleet as a plain queue of ship decks: ``ships`` servers, a round trip each.

    Deck-loads arrive as an Erlang count of ``shipments_per_deck`` random shipments
    (arrival cv ``1 / sqrt(n)``); the round trip is fixed. The queue of sailings inside
    :class:`~corridors.cost.ferry_queue.FerryQueue`; a line's own delay is
    :func:`line_queue`.
    """
    n = max(shipments_per_deck, 1.0)
    return QueueElement(
        "ferry",
        servers=max(int(ships), 1),
        service_h=round_trip_h,
        service_cv=0.0,
        arrival_cv=1.0 / math.sqrt(n),
        open_share=open_share,
        closure_h=closure_h,
        closure_cv=closure_cv,
    )


def shipments_per_h(queue: AnyQueue) -> float:
    """Shipments an hour the element serves over the year (full decks on a ferry line)."""
    if isinstance(queue, FerryQueue | FerryLines):
        return queue.capacity_per_h(0.0)
    return queue.capacity_per_h


def return_use(queue: AnyQueue) -> float:
    """Share of a round trip a deck-load of cargo the other way takes on a ferry element.

    :attr:`~corridors.cost.ferry_queue.FerryQueue.return_use` of a line (the lines'
    together, :attr:`~corridors.cost.ferry_lines.FerryLines.return_use`); 0 for a
    station, whose directions do not share servers.
    """
    if isinstance(queue, FerryQueue | FerryLines):
        return queue.return_use
    return 0.0


def capacity_teu_yr(queue: AnyQueue) -> float:
    """Capacity of an element in container TEU a year: shipments a year x ``SHIPMENT_TEU``."""
    return shipments_per_h(queue) * HOURS_PER_YEAR * SHIPMENT_TEU


def bulk_use(queue: AnyQueue | None, tonnes_per_teu: float) -> float:
    """Share of the element's capacity one TEU-equivalent of bulk takes, per container TEU.

    A bulk TEU-equivalent is ``tonnes_per_teu`` t. At a station a wagon group of
    ``GROUP_WAGONS x WAGON_T`` t takes one server like a block train of
    ``SHIPMENT_TEU`` TEU; on a rail ferry a wagon takes a wagon's deck space
    (``WAGON_T`` t against ``TEU_PER_WAGON`` TEU). 1 without a queue (the table's
    tonnes count) and on a container feeder (TEU slots).
    """
    if queue is None:
        return 1.0
    if isinstance(queue, FerryQueue | FerryLines):
        lines = queue.lines if isinstance(queue, FerryLines) else (queue,)
        if all(line.shipment_units != TRAIN_WAGONS for line in lines):  # feeders: TEU slots
            return 1.0
        return tonnes_per_teu / WAGON_T * TEU_PER_WAGON
    if queue.servers is None:
        return 1.0
    return tonnes_per_teu / (GROUP_WAGONS * WAGON_T) * SHIPMENT_TEU


def stop_station(kind: str, modes: Collection[str | None], *, lined: bool) -> str:
    """The station a route's stop at a node is served at, as the simulation names it.

    Parameters
    ----------
    kind : str
        The stop's kind (:class:`corridors.routing.Step`): ``border``, ``transfer`` or
        ``terminal``.
    modes : collection of str
        Modes of the legs before and after the stop.
    lined : bool
        A sea leg of the stop is a line with ships (``vessel.csv``: a feeder; without
        ships a sea leg is a tanker or a deep-sea service, not a ferry berth's).

    Returns
    -------
    str
        ``border``; ``port`` for a transfer to or from a ferry or a sea line with ships;
        ``transshipment`` for a transfer between rail legs (a gauge change); else
        ``terminal`` (a tanker or pipeline transfer, an origin or destination).
    """
    if kind == "border":
        return "border"
    if kind == "transfer" and ("ferry" in modes or ("sea" in modes and lined)):
        return "port"
    if kind == "transfer" and set(modes) == {"rail"}:
        return "transshipment"
    return "terminal"


def serves(servers: str, stop: str) -> bool:
    """A node's servers of kind ``servers`` (:func:`node_service`) serve a ``stop``.

    A port's berths serve only the trains boarding or leaving its ferry and feeder
    lines (never the crude its oil terminal loads on tankers), a border's lanes only
    its clearances; gauge-change tracks and terminal cranes every transfer and
    terminal stop at the node. A border stop is never served by a gauge change.
    """
    if servers in ("port", "border"):
        return stop == servers
    return stop != "border"


def _node_queue(row: Mapping[str, object], *, lined: bool) -> QueueElement | None:
    found = node_service(row, lined=lined)
    if found is None:
        return None
    station, service = found
    servers = node_row_servers(row, service)
    if servers is None:
        return None
    open_share = port_open_share(row)
    stormy = station == "port" and open_share < 1.0
    return station_queue(
        station,
        servers=servers,
        service_h=service,
        open_share=open_share,
        storm_months=port_storm_months() if stormy else (),
        closure_h=STORM_MEAN_H,
        closure_cv=STORM_CV,
    )


def port_storm_months() -> tuple[float, ...]:
    """Open share of each month of a Caspian port's berths (:data:`CASPIAN_STORM_DAYS`).

    The simulation's weather closes the port in storms of :data:`STORM_MEAN_H` hours;
    its berths then wait month by month with the backlog each storm leaves of the
    trains that came by land (:class:`~corridors.cost.mean_waits.QueueElement` with
    ``storm_months``; the wait for the storm's end is the ferry lines'). Their mean
    over the days of the year is :func:`port_open_share`.
    """
    return tuple(1.0 - d / m for d, m in zip(CASPIAN_STORM_DAYS, MONTH_DAYS, strict=True))


def _link_queue(row: Mapping[str, object]) -> QueueElement | None:
    if str(row.get("mode")) != "rail":
        return None
    tpd = table_number(row.get("trains_per_day"))
    if not tpd > 0 and table_number(row.get("tracks")) == 1:
        tpd = SECTION_PATHS_PER_DAY
    if not tpd > 0:
        return None
    return station_queue("section", servers=1, service_h=24.0 / tpd, service_cv=0.0)


def element_queue(network: Network, key: str) -> AnyQueue | None:
    """The queue of an equilibrium element (see the module text for the keys).

    A ``#teu`` or ``#general`` part has its element's queue. ``None``: no queue data
    (the element is a hard limit with no delay below capacity).
    """
    kind, _, rest = key.partition(":")
    name = rest.partition("#")[0].partition("@")[0]
    if kind == "node":
        if "@" in rest.partition("#")[0]:  # a port's throughput: its table capacity only
            return None
        j = network.node_index.get(name)
        if j is None:
            return None
        return _node_queue(network.node_row(j), lined=node_lined(network, name))
    if kind == "link":
        i = network.link_index.get(name)
        return None if i is None else _link_queue(network.link_row(i))
    if kind == "water":
        return water_queue(network, name, wagons_only=rest.endswith("#general"))
    return None


def element_queues(network: Network, keys: Sequence[str]) -> tuple[AnyQueue | None, ...]:
    """:func:`element_queue` of each key, one queue per element.

    A cargo part of an element (``#teu``, ``#general``) is a hard limit only: its
    cargo waits in the element's own queue, counted once.
    """
    return tuple(None if "#" in key else element_queue(network, key) for key in keys)
