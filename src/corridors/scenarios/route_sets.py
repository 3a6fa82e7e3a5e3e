"""Route sets of a market: k loopless routes per corridor, with the elements each uses.

A market (an O-D pair, a cargo class) chooses among routes, each labelled with its
corridor: the ``k`` least-cost loopless routes of every corridor it may use
(:func:`corridors.routing.compare` with ``k``; Yen's algorithm on the corridor's links
and shared links, loopless over places). Each route carries the capacitated elements
it passes (:func:`corridors.scenarios.route_elements.route_elements`). No I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, MutableMapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from corridors.errors import UnreachableError
from corridors.network.model import Network
from corridors.routing import CostParameters, ExpandedGraph, Route, compare
from corridors.scenarios.elements import (
    NetworkElements,
    RouteOption,
    element_order,
    network_elements,
)
from corridors.scenarios.route_elements import (
    element_hours,
    element_share,
    element_steps,
    element_use,
    link_elements,
)

logger = logging.getLogger(__name__)

__all__ = ["RouteAnatomy", "market_routes", "route_anatomy", "route_options"]


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
    anatomies: MutableMapping[Hashable, RouteAnatomy] | None = None,
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
    anatomies : mutable mapping, optional
        The anatomies of routes already found on ``groups``, by their steps (filled
        here): route options over the same legs and stops share theirs
        (:class:`RouteAnatomy`) whatever their costs.

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
    return route_options(
        routes,
        network,
        groups=groups,
        anatomies={} if anatomies is None else anatomies,
        containers=containers,
    )


def route_options(
    routes: Sequence[Route],
    network: Network,
    *,
    groups: NetworkElements,
    anatomies: MutableMapping[Hashable, RouteAnatomy],
    containers: bool,
) -> list[RouteOption]:
    """The route options of routes found on ``network``, with the elements each passes.

    ``groups``, ``anatomies`` and ``containers`` as in :func:`market_routes` (whose
    routes these are, or routes found elsewhere and priced on ``network``:
    :func:`corridors.routing.retrace`).
    """
    out = []
    for r in routes:
        key = (containers, tuple(map(_STEP_PARTS, r.steps)))
        anatomy = anatomies.get(key)
        if anatomy is None:
            anatomy = anatomies[key] = route_anatomy(
                r, network, groups=groups, containers=containers
            )
        out.append(anatomy.option(r))
    return out


_STEP_PARTS = attrgetter("kind", "node_id", "link_id", "from_node_id", "to_node_id", "mode", "km")
"""What of a step its route's anatomy depends on (not its hours, money or emissions)."""


@dataclass(frozen=True)
class RouteAnatomy:
    """What a route option takes from its steps but their hours, money and emissions.

    The same for every route over the same legs and stops of one network state's
    capacitated elements (:func:`~corridors.scenarios.elements.network_elements`):
    the routes of a forecast's samples that change only border times, charges,
    tariffs, speeds and the value of time share it (:func:`market_routes`'
    ``anatomies``).
    """

    link_ids: tuple[str, ...]
    elements: tuple[tuple[str, float, tuple[int, ...]], ...]
    """``(key, capacity, steps)``: :func:`~corridors.scenarios.route_elements.element_steps`."""
    link_elements: tuple[tuple[str, str], ...]
    link_km: tuple[float, ...]
    link_forward: tuple[bool, ...]
    element_use: tuple[float, ...]
    element_share: tuple[float, ...]
    element_order: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = ()
    """:func:`~corridors.scenarios.elements.element_order` of the route's elements."""

    def option(self, route: Route) -> RouteOption:
        """The route option of ``route`` (a route over these steps)."""
        return RouteOption(
            route.corridor,
            route.usd,
            route.hours,
            self.link_ids,
            element_hours(route.steps, self.elements),
            self.link_elements,
            link_km=self.link_km,
            route=route,
            link_forward=self.link_forward,
            element_use=self.element_use,
            element_share=self.element_share,
            element_steps=tuple(at for _, _, at in self.elements),
            element_order=self.element_order,
        )


def route_anatomy(
    route: Route, network: Network, *, groups: NetworkElements, containers: bool
) -> RouteAnatomy:
    """The anatomy of a route over the capacitated elements ``groups`` of ``network``."""
    elements = element_steps(route, groups, containers=containers)
    keys = [k for k, _, _ in elements]
    link_from = network.links["from_node_id"].to_numpy()
    legs = route.legs
    return RouteAnatomy(
        route.link_ids,
        elements,
        link_elements(route, groups, keys),
        tuple(float(s.km) for s in legs),
        tuple(
            str(s.from_node_id) == str(link_from[network.link_index[str(s.link_id)]]) for s in legs
        ),
        element_use(route, groups, keys, containers=containers),
        element_share(route, groups, keys),
        element_order(route.steps, [at for _, _, at in elements]),
    )
