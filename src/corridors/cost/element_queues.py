r"""Each network element as a queue: servers, service time and variability, written once.

The simulation (:mod:`corridors.simulation`) and the scenario equilibrium
(:mod:`corridors.scenarios.choice`) give an element that can bind the same queue
(:class:`~corridors.cost.queueing.QueueElement`):

=============================  ========================================================
network element                queue
=============================  ========================================================
border node                    ``border``: servers = ``berths`` (inspection lanes), else
                               enough to pass ``trains_per_day`` (``ceil(trains a day x
                               border_h / 24)``); service ``border_h``
port node                      ``port``: servers as above, service ``handling_h``
other node (terminal)          ``terminal``: servers as above, service ``handling_h``
rail link with trains a day    ``section``: one train path every ``24 / trains_per_day``
or one track                   hours (``SECTION_PATHS_PER_DAY`` on a single track with
                               no figure), fixed (cv 0)
ferries and feeders across     ``ferry``: the ships of every line across that water are
one water                      the servers of ship decks, a round trip (``2 x sailing +
                               loading + unloading``) per deck, fixed
=============================  ========================================================

A node with no ``berths`` and no ``trains_per_day`` and a link with no train paths have
no queue (a pure delay): a capacity there is a hard limit with no delay below it.

The equilibrium evaluates the queue of an element at the utilisation ``rho = v / C`` of
its capacity ``C`` (TEU a year, the capacity its hard limit enforces):
:class:`ElementDelays`. Waits grow without bound as ``rho -> 1``; below the knee
``rho_k`` (default :data:`KNEE`) the wait is the queue's own, above it the tangent at
the knee (finite at capacity), and the capacity itself is a hard limit with a shadow
price. No I/O.

Example
-------
>>> from corridors.cost.element_queues import ElementDelays, station_queue
>>> lane = station_queue("border", servers=1, service_h=2.0, service_cv=1.0)
>>> delays = ElementDelays((lane, None))
>>> [round(float(w), 6) for w in delays.wait_h(np.array([0.5, 0.9]))]  # M/M/1, no queue
[2.0, 0.0]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from corridors.cost.queueing import ElementKind, QueueElement
from corridors.network.model import Network

__all__ = [
    "KNEE",
    "KNOTS_KM_H",
    "SECTION_PATHS_PER_DAY",
    "STATION_QUEUE_KIND",
    "ElementDelays",
    "element_queue",
    "element_queues",
    "ferry_queue",
    "node_servers",
    "sailing_h",
    "station_queue",
]

FloatArray = npt.NDArray[np.float64]

KNEE = 0.95
"""Utilisation above which an element's wait continues along its tangent (finite at
capacity); the capacity itself is a hard limit."""

SECTION_PATHS_PER_DAY = 24.0
"""Train paths a day on a single-track link with no ``trains_per_day``."""

KNOTS_KM_H = 1.852
"""Kilometres per hour in one knot."""

STATION_QUEUE_KIND: dict[str, ElementKind] = {
    "border": "border",
    "transshipment": "gauge",
    "port": "port",
    "terminal": "terminal",
    "section": "section",
    "other": "terminal",
}
"""Queue kind of each simulation station kind (and node kind)."""


def _num(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def node_servers(berths: object, trains_per_day: object, mean_h: float) -> int | None:
    """Servers of a node: its berths or lanes, else enough for its trains a day.

    Parameters
    ----------
    berths : number or blank
        Inspection lanes, cranes or berths of the node (table ``berths``).
    trains_per_day : number or blank
        Trains a day the node passes (table ``trains_per_day``).
    mean_h : float
        Mean service time of one train, hours.

    Returns
    -------
    int or None
        ``berths`` when given, else ``ceil(trains a day x mean_h / 24)`` (at least 1),
        else ``None`` (no limit: a pure delay).
    """
    b = _num(berths)
    if b > 0:
        return int(b)
    tpd = _num(trains_per_day)
    if tpd > 0 and mean_h > 0:
        return max(1, math.ceil(tpd * mean_h / 24.0 - 1e-9))
    return None


def sailing_h(time_h: object, km: object, speeds_kn: Sequence[float]) -> float:
    """Sailing time of a ferry or sea link, hours.

    The link's ``time_h`` when given, else its length at the ships' mean speed, else at
    25 km/h, else 24 h.
    """
    sail = _num(time_h)
    if sail > 0:
        return sail
    length = _num(km)
    if length > 0 and speeds_kn:
        return length / (sum(speeds_kn) / len(speeds_kn) * KNOTS_KM_H)
    return length / 25.0 if length > 0 else 24.0


def station_queue(
    kind: str,
    *,
    servers: int | None,
    service_h: float,
    service_cv: float | None = None,
    arrival_cv: float = 1.0,
    open_share: float = 1.0,
) -> QueueElement:
    """The queue of a station of kind ``kind`` (simulation station kind or node kind).

    ``servers`` ``None`` is no limit (no queue); ``service_cv`` ``None`` the kind's
    default (:data:`corridors.cost.queueing.DEFAULT_SERVICE_CV`).
    """
    return QueueElement(
        STATION_QUEUE_KIND.get(kind, "terminal"),
        servers=servers,
        service_h=service_h,
        service_cv=service_cv,
        arrival_cv=arrival_cv,
        open_share=open_share,
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
    """A ferry or feeder fleet as a queue of ship decks: ``ships`` servers, a round trip each.

    Deck-loads arrive as an Erlang count of ``shipments_per_deck`` random shipments
    (arrival cv ``1 / sqrt(n)``); the round trip is fixed; storms close the ports a
    share ``1 - open_share`` of the year in closures of mean ``closure_h`` hours.
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


def _node_queue(row: Mapping[str, object]) -> QueueElement | None:
    kind = str(row.get("kind") or "")
    service = _num(row.get("border_h") if kind == "border" else row.get("handling_h"))
    if not service > 0:
        return None
    servers = node_servers(row.get("berths"), row.get("trains_per_day"), service)
    if servers is None:
        return None
    return station_queue(kind, servers=servers, service_h=service)


def _link_queue(row: Mapping[str, object]) -> QueueElement | None:
    if str(row.get("mode")) != "rail":
        return None
    tpd = _num(row.get("trains_per_day"))
    if not tpd > 0 and _num(row.get("tracks")) == 1:
        tpd = SECTION_PATHS_PER_DAY
    if not tpd > 0:
        return None
    return station_queue("section", servers=1, service_h=24.0 / tpd, service_cv=0.0)


def _water_queue(network: Network, ports: set[str]) -> QueueElement | None:
    links = network.links
    vessels = network.vessels
    if not len(vessels):
        return None
    trips: list[float] = []
    water = links[
        links["mode"].isin(("ferry", "sea")).to_numpy()
        & links["from_node_id"].isin(ports).to_numpy()
        & links["to_node_id"].isin(ports).to_numpy()
    ]
    for row in water.to_dict("records"):
        ships = vessels[vessels["link_id"] == row["link_id"]]
        if not len(ships):
            continue
        speeds = [s for s in ships["speed_kn"].map(_num) if s > 0]
        sail = sailing_h(row.get("time_h"), row.get("length"), speeds)
        for load, unload in zip(
            ships["load_h"].map(_num), ships["unload_h"].map(_num), strict=True
        ):
            handling = (0.0 if math.isnan(load) else load) + (0.0 if math.isnan(unload) else unload)
            trips.append(2.0 * sail + handling)
    if not trips:
        return None
    return ferry_queue(ships=len(trips), round_trip_h=sum(trips) / len(trips))


def element_queue(network: Network, key: str) -> QueueElement | None:
    """The queue of an equilibrium element (``node:<id>``, ``link:<id>``, ``water:<ports>``).

    A ``#teu`` or ``#general`` part has its element's queue. ``None``: no queue data
    (the element is a hard limit with no delay below capacity).
    """
    kind, _, rest = key.partition(":")
    name = rest.partition("#")[0]
    if kind == "node":
        j = network.node_index.get(name)
        return None if j is None else _node_queue(_row(network.nodes, j))
    if kind == "link":
        i = network.link_index.get(name)
        return None if i is None else _link_queue(_row(network.links, i))
    if kind == "water":
        return _water_queue(network, set(name.split("+")))
    return None


def _row(table: pd.DataFrame, i: int) -> dict[str, object]:
    return {str(k): v for k, v in table.iloc[i].items()}


def element_queues(network: Network, keys: Sequence[str]) -> tuple[QueueElement | None, ...]:
    """:func:`element_queue` of each key (parts of one element share one queue)."""
    cache: dict[str, QueueElement | None] = {}
    out = []
    for key in keys:
        base = key.partition("#")[0]
        if base not in cache:
            cache[base] = element_queue(network, base)
        out.append(cache[base])
    return tuple(out)


@dataclass(frozen=True)
class ElementDelays:
    """Queueing delay of each element at a utilisation, with a finite tail: hours.

    ``wait_h(rho)`` is ``q.wait_h(rho x q.capacity_per_h)`` for ``rho <= knee`` and the
    tangent at the knee above it (the slope by a central difference), so it stays
    finite at and above capacity; elements without a queue (``None``) wait 0.

    Parameters
    ----------
    queues : tuple of QueueElement or None
        One per element.
    knee : float
        Utilisation in (0, 1) where the tangent takes over.
    """

    queues: tuple[QueueElement | None, ...]
    knee: float = KNEE
    _at_knee: FloatArray = field(init=False, repr=False)
    _slope: FloatArray = field(init=False, repr=False)
    _live: npt.NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 < self.knee < 1.0:
            raise ValueError(f"knee must be in (0, 1), got {self.knee!r}")
        live = [e for e, q in enumerate(self.queues) if q is not None and q.servers is not None]
        at = np.zeros(len(self.queues))
        slope = np.zeros(len(self.queues))
        step = min(1e-4, self.knee / 2)
        for e in live:
            at[e] = self._exact(e, self.knee)
            slope[e] = (self._exact(e, self.knee + step) - self._exact(e, self.knee - step)) / (
                2 * step
            )
        object.__setattr__(self, "_at_knee", at)
        object.__setattr__(self, "_slope", slope)
        object.__setattr__(self, "_live", np.array(live, dtype=np.int64))

    def _exact(self, e: int, rho: float) -> float:
        q = self.queues[e]
        assert q is not None
        return q.wait_h(rho * q.capacity_per_h) - q.wait_h(0.0)

    @property
    def any(self) -> bool:
        """At least one element has a queue."""
        return bool(self._live.size)

    def wait_h(self, rho: FloatArray) -> FloatArray:
        """Mean wait at each element at utilisations ``rho`` (one per element), hours."""
        rho = np.asarray(rho, dtype=np.float64)
        out = np.zeros(rho.shape)
        for e in self._live:
            r = float(rho[e])
            if not r > 0.0:
                continue
            if r <= self.knee:
                out[e] = self._exact(int(e), r)
            else:
                out[e] = self._at_knee[e] + self._slope[e] * (r - self.knee)
        return out
