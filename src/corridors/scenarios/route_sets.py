"""Route sets of a market: k loopless routes per corridor, with the elements each uses.

A market (an O-D pair, a cargo class) chooses among routes, each labelled with its
corridor: the ``k`` least-cost loopless routes of every corridor it may use
(:func:`corridors.routing.compare` with ``k``; Yen's algorithm on the corridor's links
and shared links, loopless over places). Each route carries the capacitated elements
it passes (:func:`corridors.scenarios.elements.route_elements`). No I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from corridors.errors import UnreachableError
from corridors.network.model import Network
from corridors.routing import CostParameters, ExpandedGraph, compare
from corridors.scenarios.elements import (
    NetworkElements,
    RouteOption,
    element_share,
    element_use,
    link_elements,
    network_elements,
    route_elements,
)

logger = logging.getLogger(__name__)

__all__ = ["market_routes"]


def market_routes(
    network: Network,
    origin: str,
    destination: str,
    *,
    params: CostParameters,
    tonnes_per_teu: float,
    corridors: Sequence[str] | None = None,
    routes_per_corridor: int = 1,
    containers: bool = True,
    graph: ExpandedGraph | None = None,
    groups: NetworkElements | None = None,
) -> list[RouteOption]:
    """The route options of one market: ``routes_per_corridor`` per corridor, cheapest first.

    Parameters
    ----------
    network : Network
        The network state (year, measures, closures applied).
    origin, destination : str
        Places (names, aliases or node ids).
    params : CostParameters
        Routing cost parameters (the unit and value of time of the model).
    tonnes_per_teu : float
        Converts tonne capacities to TEU-equivalents.
    corridors : sequence of str, optional
        Corridors the market may use (default: all).
    routes_per_corridor : int
        Loopless routes per corridor (1: the least-cost route of each corridor).
    containers : bool
        The market's cargo is containers (TEU capacities apply to it).
    graph : ExpandedGraph, optional
        The graph of ``network`` and ``params`` when already built.
    groups : mapping, optional
        Capacitated elements of ``network``
        (:func:`~corridors.scenarios.elements.network_elements`; built when not given).

    Returns
    -------
    list of RouteOption
        Empty when no corridor connects the two places (the runner reports the
        market's demand as unserved).
    """
    try:
        routes = compare(
            network,
            origin,
            destination,
            params=params,
            corridors=tuple(corridors) if corridors else None,
            graph=graph,
            k=routes_per_corridor,
        )
    except UnreachableError:
        logger.info("no route from %s to %s", origin, destination)
        return []
    if groups is None:
        groups = network_elements(network, tonnes_per_teu=tonnes_per_teu)
    out = []
    link_from = network.links["from_node_id"].to_numpy()
    for r in routes:
        elems = route_elements(
            r,
            network,
            tonnes_per_teu=tonnes_per_teu,
            containers=containers,
            groups=groups,
        )
        keys = [k for k, _, _ in elems]
        by_link = link_elements(r, groups, keys)
        km = tuple(float(s.km) for s in r.legs)
        forward = tuple(
            str(s.from_node_id) == str(link_from[network.link_index[str(s.link_id)]])
            for s in r.legs
        )
        use = element_use(r, groups, keys, containers=containers)
        out.append(
            RouteOption(
                r.corridor,
                r.usd,
                r.hours,
                r.link_ids,
                elems,
                by_link,
                link_km=km,
                route=r,
                link_forward=forward,
                element_use=use,
                element_share=element_share(r, groups, keys),
            )
        )
    return out
