"""How a flow that crosses a water splits over the lines the equilibrium pools there.

The equilibrium loads the ferry and feeder lines across one water in one direction as
one element (:mod:`corridors.scenarios.water_elements`): general cargo on the rail
ferries, containers wherever there is room. The simulation sends each flow through the
lines themselves: :class:`WaterLines` splits an equilibrium route over them so that
they are loaded as the equilibrium counts them (:func:`container_ferry_share`).
"""

from __future__ import annotations

import pandas as pd

from corridors.cost.ferry_lines import line_queue, water_lines
from corridors.cost.ferry_queue import FerryQueue
from corridors.cost.parameters import CostParameters
from corridors.cost.shipments import HOURS_PER_YEAR, SHIPMENT_TEU, TRAIN_WAGONS
from corridors.errors import UnreachableError
from corridors.network.model import Network
from corridors.routing import Route, build_graph, compare
from corridors.routing.graph import ExpandedGraph
from corridors.scenarios.elements import network_elements
from corridors.scenarios.water_elements import water_ports

__all__ = ["WaterLines", "container_ferry_share"]


def container_ferry_share(
    general: float, containers: float, *, ferries: float, feeders: float
) -> float:
    """Share of a water's containers the rail ferries take, all lines equally full.

    The equilibrium's capacity of a water (:func:`~corridors.scenarios.water_elements.
    water_capacities`) lets general cargo on the rail ferries only and containers on
    any line: the lines are full together when the containers fill what the general
    cargo leaves, ``(G + x) / F = (C - x) / S``, ``x = (C F - G S) / (F + S)`` (held to
    ``0 <= x <= C``).

    Parameters
    ----------
    general, containers : float
        The water's general cargo and containers in one direction, in the deck room
        they take (TEU of deck a year).
    ferries, feeders : float
        What the rail ferries and the container feeders lift, TEU of deck a year.

    Returns
    -------
    float
        ``x / C``; the ferries' share of the lift when there are no containers.
    """
    lift = ferries + feeders
    if not lift > 0:
        return 1.0
    if not containers > 0:
        return ferries / lift
    x = (containers * ferries - general * feeders) / lift
    return min(max(x / containers, 0.0), 1.0)


class WaterLines:
    """Splits a route across the parallel ferry lines of the water it crosses.

    The equilibrium loads the lines across one water in one direction as one element
    (:class:`~corridors.cost.ferry_lines.FerryLines`): general cargo on the rail
    ferries, containers wherever there is room. A shipment takes the line of a route
    forced through it (the other lines of the water closed): general cargo the rail
    ferries in proportion to their lift, containers the ferries for the share
    :func:`container_ferry_share` of the equilibrium's loads gives them (all lines then
    equally full), each group in proportion to its lines' lift. A line no route of the
    corridor reaches leaves its share on the route given.
    """

    def __init__(
        self,
        net: Network,
        params: CostParameters,
        graph: ExpandedGraph,
        *,
        sc_tonnes: float,
        loads: tuple[pd.DataFrame, int] | None = None,
    ) -> None:
        self.net = net
        self.params = params
        self.graph = graph
        self.elements = network_elements(net, tonnes_per_teu=sc_tonnes)
        self.loads = loads
        self._graphs: dict[tuple[str, ...], tuple[Network, ExpandedGraph]] = {}

    def _class_loads(self, key: str) -> tuple[float, float]:
        """General cargo and containers of the water ``key`` in the year, TEU of deck."""
        if self.loads is None:
            return 0.0, 0.0
        b, year = self.loads
        rows = b[(b["element"] == key) & (b["year"] == year)]
        by = dict(zip(rows["cargo"], rows["volume_teu"].astype(float), strict=True))
        boxes = by.get("containers", 0.0)
        return by.get("general", max(by.get("all", 0.0) - boxes, 0.0)), boxes

    def _line_shares(
        self, key: str, usable: list[tuple[str, FerryQueue]], *, containers: bool
    ) -> dict[str, float]:
        """Share of the route's cargo each usable line takes."""
        lift = {lid: q.capacity_per_h(0.0) for lid, q in usable}
        ferries = {lid for lid, q in usable if q.shipment_units == TRAIN_WAGONS}
        f_lift = sum(lift[x] for x in ferries)
        s_lift = sum(lift.values()) - f_lift
        if not containers or not (f_lift > 0 and s_lift > 0):
            total = sum(lift.values())
            return {lid: lift[lid] / total for lid in lift}
        general, boxes = self._class_loads(key)
        k = SHIPMENT_TEU * HOURS_PER_YEAR
        on_ferries = container_ferry_share(general, boxes, ferries=f_lift * k, feeders=s_lift * k)
        return {
            lid: (on_ferries * x / f_lift if lid in ferries else (1.0 - on_ferries) * x / s_lift)
            for lid, x in lift.items()
        }

    def _closed(self, links: tuple[str, ...]) -> tuple[Network, ExpandedGraph]:
        hit = self._graphs.get(links)
        if hit is None:
            net = self.net.with_closed(links=links)
            hit = self._graphs[links] = (net, build_graph(net, self.params))
        return hit

    def split(
        self, route: Route, origin: str, destination: str, *, containers: bool
    ) -> list[tuple[Route, float]]:
        """The routes through each line of the route's water and the share on each."""
        for leg in route.legs:
            el = self.elements.link(str(leg.link_id), str(leg.from_node_id))
            if el is None or not el.key.startswith("water:"):
                continue
            ids = water_lines(self.net, set(water_ports(el.key)[0]))
            queues = [line_queue(self.net, lid) for lid in ids]
            usable = [
                (lid, q)
                for lid, q in zip(ids, queues, strict=True)
                if q is not None and (containers or q.shipment_units == TRAIN_WAGONS)
            ]
            if len(usable) < 2:
                return [(route, 1.0)]
            shares = self._line_shares(el.key, usable, containers=containers)
            out: list[tuple[Route, float]] = []
            kept = 0.0
            for lid, _ in usable:
                share = shares[lid]
                if lid == leg.link_id:
                    kept += share
                    continue
                net, graph = self._closed(tuple(x for x, _ in usable if x != lid))
                try:
                    found = compare(
                        net,
                        origin,
                        destination,
                        params=self.params,
                        corridors=(route.corridor,),
                        graph=graph,
                    )
                except UnreachableError:
                    found = []
                other = next((r for r in found if lid in r.link_ids), None)
                if other is None:
                    kept += share
                else:
                    out.append((other, share))
            return [(route, kept), *out] if kept > 0 else out
        return [(route, 1.0)]
