r"""The servers of a node and their service time, from the node table: written once.

A node's servers are its ``berths`` (tracks, cranes, berths, lanes), else enough to pass
its ``trains_per_day``, else enough for its table capacity (the capacity rule,
:data:`CAPACITY_SERVERS_RULE`), so that the stated capacity is where its queue binds;
their service time is ``service_h``, else ``handling_h`` (:func:`node_service`). The
equilibrium (:mod:`corridors.cost.element_queues`) and the simulation
(:mod:`corridors.simulation.resources`) take them from here. No I/O.

Example
-------
>>> from corridors.cost.node_servers import node_servers
>>> node_servers("", "", 24.0, capacity_teu_yr=100_000)  # 1,000 trains x 24 h / 8,760 h
3
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from corridors.cost.ferry_lines import port_open_share
from corridors.cost.shipments import (
    GROUP_WAGONS,
    HOURS_PER_YEAR,
    SHIPMENT_TEU,
    WAGON_T,
    table_number,
)
from corridors.network.model import Network

__all__ = [
    "CAPACITY_SERVERS_RULE",
    "node_lined",
    "node_row_servers",
    "node_servers",
    "node_service",
]


def node_servers(
    berths: object,
    trains_per_day: object,
    mean_h: float,
    *,
    capacity_teu_yr: object = None,
    capacity_t_yr: object = None,
    open_share: float = 1.0,
) -> int | None:
    """Servers of a node: its berths or lanes, else enough for its trains a day or capacity.

    Parameters
    ----------
    berths : number or blank
        Tracks, cranes, berths or lanes of the node (table ``berths`` or ``lanes``).
    trains_per_day : number or blank
        Trains a day the node passes (table ``trains_per_day``).
    mean_h : float
        Mean service time of one train, hours.
    capacity_teu_yr, capacity_t_yr : number or blank
        The node's table capacity, TEU a year and tonnes a year.
    open_share : float
        Share of the year the node works (:func:`port_open_share`).

    Returns
    -------
    int or None
        ``berths`` when given; else ``ceil(trains a day x mean_h / 24)``; else enough
        servers for the table capacity (:data:`CAPACITY_SERVERS_RULE`): ``ceil(shipments
        a year x mean_h / (8,760 h x open_share))``, the shipments the more of the TEU
        capacity in block trains of :data:`SHIPMENT_TEU` TEU and the tonne capacity in
        wagon groups of :data:`GROUP_WAGONS` x :data:`WAGON_T` t (enough servers for
        either); at least 1 each; else ``None`` (no limit: a pure delay).
    """
    b = table_number(berths)
    if b > 0:
        return int(b)
    if not mean_h > 0:
        return None
    tpd = table_number(trains_per_day)
    if tpd > 0:
        return max(1, math.ceil(tpd * mean_h / 24.0 - 1e-9))
    teu, tonnes = table_number(capacity_teu_yr), table_number(capacity_t_yr)
    shipments = max(
        teu / SHIPMENT_TEU if teu > 0 else 0.0,
        tonnes / (GROUP_WAGONS * WAGON_T) if tonnes > 0 else 0.0,
    )
    if not shipments > 0:
        return None
    return max(1, math.ceil(shipments * mean_h / (HOURS_PER_YEAR * open_share) - 1e-9))


CAPACITY_SERVERS_RULE = (
    "servers = ceil(shipments a year x service_h / (8,760 h x open share)), the "
    "shipments the more of the TEU capacity in 100-TEU block trains and the tonne "
    "capacity in 1,500 t wagon groups"
)
"""The rule that gives a node with a table capacity but no ``berths`` or
``trains_per_day`` its servers (:func:`node_servers`): its queue's capacity is then at
least the table's, so the stated capacity is where the queue binds."""


def node_row_servers(row: Mapping[str, object], mean_h: float) -> int | None:
    """:func:`node_servers` of a node table row (``None``: no servers, a pure delay)."""
    return node_servers(
        row.get("berths"),
        row.get("trains_per_day"),
        mean_h,
        capacity_teu_yr=row.get("capacity_teu_yr"),
        capacity_t_yr=row.get("capacity_t_yr"),
        open_share=port_open_share(row),
    )


def node_service(row: Mapping[str, object], *, lined: bool = True) -> tuple[str, float] | None:
    """The station kind and service time of a node's servers (``None``: no service time).

    ``service_h`` when given, else ``handling_h``: a port's berths (``port``) when the
    port has a ferry or feeder line with ships (``lined``, :func:`node_lined`), else
    its terminal's cranes (``terminal``: a Black Sea port whose container lines have no
    ships in ``vessel.csv`` serves every transfer there); a border's or junction's gauge
    change (``transshipment``), else a terminal; a border with no handling but a
    ``service_h`` clears trains at its lanes (``border``).
    """
    kind = str(row.get("kind") or "")
    handling = table_number(row.get("handling_h"))
    service = table_number(row.get("service_h"))
    if not service > 0:
        service = handling
    if not service > 0:
        return None
    if kind == "port":
        return ("port" if lined else "terminal"), service
    if kind == "border" and not handling > 0:
        return "border", service
    if kind in ("border", "junction"):
        return "transshipment", service
    return "terminal", service


def node_lined(network: Network, node_id: str) -> bool:
    """The node is a port of a ferry or sea link with ships (``vessel.csv``)."""
    return node_id in network.derived("lined_ports", lambda: _lined_ports(network))


def _lined_ports(network: Network) -> frozenset[str]:
    """The ends of the ferry and sea links with ships (``vessel.csv``)."""
    vessels = network.vessels
    if not len(vessels):
        return frozenset()
    lk = network.links
    lined = lk["link_id"].astype(str).isin(set(vessels["link_id"].astype(str))).to_numpy()
    ends = lk["from_node_id"].astype(str).to_numpy()[lined]
    return frozenset(ends) | frozenset(lk["to_node_id"].astype(str).to_numpy()[lined])
