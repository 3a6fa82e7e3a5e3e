"""Door-to-door routes: per corridor, and k alternatives, with their legs and stops."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import TypedDict

import numpy as np

from corridors.cost.parameters import CostParameters
from corridors.errors import UnknownNameError, UnreachableError, did_you_mean
from corridors.network.model import Network
from corridors.routing.graph import LINK, THROUGH, TRANSFER, ExpandedGraph, build_graph
from corridors.routing.paths import (
    BoolArray,
    FloatArray,
    IntArray,
    Path,
    k_shortest_paths,
    shortest_path,
)
from corridors.routing.route import HOURS_PER_DAY, Route, Step, label_corridor, route_from_path

__all__ = [
    "HOURS_PER_DAY",
    "Route",
    "Step",
    "UnknownCorridorError",
    "alternatives",
    "best_route",
    "check_corridors",
    "compare",
    "label_corridor",
    "od_mask",
    "retrace",
    "route_costs",
    "route_from_path",
]

logger = logging.getLogger(__name__)


def _ends(network: Network, origin: str, destination: str) -> tuple[str, str]:
    o, d = network.place(origin), network.place(destination)
    if o == d:
        msg = f"origin and destination are the same place ({network.node_name(o)})"
        raise UnreachableError(msg)
    return o, d


def compare(
    network: Network,
    origin: str,
    destination: str,
    *,
    params: CostParameters | None = None,
    corridors: tuple[str, ...] | None = None,
    graph: ExpandedGraph | None = None,
    k: int = 1,
) -> list[Route]:
    """Least-cost door-to-door route on each corridor, cheapest first.

    A corridor's route may use the corridor's own links and shared (untagged) links;
    corridors with no route between the two places are left out. With ``k`` > 1, up to
    ``k`` loopless routes of each corridor with distinct links, by the link-penalty
    method (:func:`corridors.routing.paths.penalised_paths`: each route found makes its
    links dearer by half for the next search), each labelled with its corridor.

    Parameters
    ----------
    network : Network
        The network.
    origin, destination : str
        Place names, aliases or node ids.
    params : CostParameters, optional
        Unit, value of time, carbon price, year, closed passages.
    corridors : tuple of str, optional
        Corridors to compare (default: all declared).
    graph : ExpandedGraph, optional
        A graph already built for ``network`` and ``params`` (saves rebuilding it when
        many pairs are compared).
    k : int
        Routes per corridor (>= 1); fewer where fewer exist.

    Raises
    ------
    UnknownPlaceError
        If a place is not in the network (with suggestions).
    UnreachableError
        If no corridor connects the two places.
    """
    params = params or CostParameters()
    o, d = _ends(network, origin, destination)
    graph = graph or build_graph(network, params)
    if corridors is not None:
        check_corridors(network, corridors)
    wanted = corridors if corridors is not None else network.corridor_ids
    routes: list[Route] = []
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    for corridor in wanted:
        paths = _paths(graph, o, d, corridor, k)
        if not paths:
            logger.info("no %s route from %s to %s", corridor, o, d)
            continue
        seen: set[tuple[str, ...]] = set()
        for path in paths:
            route = route_from_path(graph, path)
            if route.corridor != corridor:
                if corridor not in route.corridor.split("+"):
                    logger.info("%s route from %s to %s uses no %s link", corridor, o, d, corridor)
                    continue
                route = dataclasses.replace(route, corridor=corridor)
            links = route.link_ids
            if links in seen:  # the same links through other layers of a place
                continue
            seen.add(links)
            routes.append(route)
    if not routes:
        raise UnreachableError(_unreachable(network, o, d, params, graph))
    routes.sort(key=lambda r: r.generalised_cost_usd)
    return routes


def od_mask(graph: ExpandedGraph, o: str, d: str, corridor: str | None) -> BoolArray:
    """Arcs usable from ``o`` to ``d`` on a corridor.

    The corridor's arcs, minus passing through ``d`` or coming back into ``o``: a route
    visits each place once.
    """
    return np.asarray(graph.corridor_mask(corridor) & ~od_barred(graph, o, d), dtype=bool)


def od_barred(graph: ExpandedGraph, o: str, d: str) -> BoolArray:
    """Arcs no route from ``o`` to ``d`` may use: through ``d``, or back into ``o``."""
    return np.asarray(_through(graph, d) | _back_into(graph, o), dtype=bool)


def _through(graph: ExpandedGraph, d: str) -> BoolArray:
    """The arcs passing through place ``d`` (through and transfer arcs at it)."""
    inside = (graph.kind == THROUGH) | (graph.kind == TRANSFER)
    return np.asarray(inside & (graph.arc_node == graph.network.node_index[d]), dtype=bool)


def _back_into(graph: ExpandedGraph, o: str) -> BoolArray:
    """The link arcs coming into place ``o``."""
    into = graph.vertex_node[graph.head] == graph.network.node_index[o]
    return np.asarray((graph.kind == LINK) & into, dtype=bool)


class _Search(TypedDict):
    """The arguments every path finder takes for one O-D pair on a corridor."""

    tail: IntArray
    head: IntArray
    weight: FloatArray
    n_vertices: int
    source: int
    target: int
    usable: BoolArray


def _search(graph: ExpandedGraph, o: str, d: str, corridor: str | None) -> _Search | None:
    """The search from ``o`` to ``d`` on a corridor, ``None`` when a place is not in the graph."""
    index = graph.network.node_index
    if o not in index or d not in index:
        return None
    return _Search(
        tail=graph.tail,
        head=graph.head,
        weight=graph.cost,
        n_vertices=graph.n_vertices,
        source=graph.source(o),
        target=graph.sink(d),
        usable=od_mask(graph, o, d, corridor),
    )


def _paths(graph: ExpandedGraph, o: str, d: str, corridor: str | None, k: int) -> list[Path]:
    """Up to ``k`` loopless paths of a corridor (link-penalty method; one Dijkstra for 1).

    Searches the corridor's :meth:`~corridors.routing.graph.ExpandedGraph.search_graph`
    without the arcs the pair may not use: the same paths as a search over
    :func:`od_mask`, without reducing the graph again for every pair. For one path, the
    search from ``o`` (without the arcs back into it) is kept on the graph and serves
    every destination: its path to ``d`` is the pair's when it does not pass through
    ``d`` (it is then a least-cost path of the pair's graph, which has fewer arcs);
    otherwise the pair is searched on its own.
    """
    index = graph.network.node_index
    if o not in index or d not in index:
        return []
    source, target = graph.source(o), graph.sink(d)
    if k == 1:
        tree = graph.origin_trees.get((corridor, o))
        if tree is None:
            tree = graph.search_graph(corridor).without(_back_into(graph, o)).tree(source)
            graph.origin_trees[corridor, o] = tree
        path = tree.path(target)
        if path is not None and _through(graph, d)[list(path.arcs)].any():
            path = graph.search_graph(corridor).without(od_barred(graph, o, d)).path(source, target)
        return [] if path is None else [path]
    search = graph.search_graph(corridor).without(od_barred(graph, o, d))
    return search.penalised_paths(source, target, k=k)


class UnknownCorridorError(UnknownNameError):
    """A corridor id the network does not declare."""


def check_corridors(network: Network, corridors: Iterable[str]) -> None:
    """Raise :class:`UnknownCorridorError` for a corridor the network does not declare."""
    known = network.corridor_ids
    for c in corridors:
        if c not in known:
            hint = did_you_mean(c, known) or "known: " + ", ".join(known)
            raise UnknownCorridorError(f"unknown corridor {c!r}; {hint}")


def _unreachable(
    network: Network, o: str, d: str, params: CostParameters, graph: ExpandedGraph | None = None
) -> str:
    if graph is not None and not np.isfinite(graph.cost).all():
        return (
            "generalised costs overflow (not finite numbers) on some links: check the "
            "value of time, the carbon price and the link values"
        )
    msg = f"no route from {network.node_name(o)} to {network.node_name(d)}"
    extra = []
    if params.year is not None:
        extra.append(f"in {params.year}")
    if params.closed_passages:
        extra.append("with " + ", ".join(params.closed_passages) + " closed")
    return msg + (" " + " ".join(extra) if extra else "")


def best_route(
    network: Network, origin: str, destination: str, *, params: CostParameters | None = None
) -> Route:
    """Least-cost route over the whole network, labelled with its corridor."""
    params = params or CostParameters()
    o, d = _ends(network, origin, destination)
    graph = build_graph(network, params)
    search = _search(graph, o, d, None)
    path = None if search is None else shortest_path(**search)
    if path is None:
        raise UnreachableError(_unreachable(network, o, d, params, graph))
    return route_from_path(graph, path)


def alternatives(
    network: Network,
    origin: str,
    destination: str,
    *,
    k: int = 5,
    params: CostParameters | None = None,
    corridor: str | None = None,
) -> list[Route]:
    """The ``k`` least-cost loopless routes (Yen), each labelled with its corridor.

    Parameters
    ----------
    k : int
        Number of routes wanted.
    corridor : str, optional
        Restrict the search to one corridor's links (and shared links).
    """
    params = params or CostParameters()
    o, d = _ends(network, origin, destination)
    if corridor is not None:
        check_corridors(network, [corridor])
    graph = build_graph(network, params)
    search = _search(graph, o, d, corridor)
    if search is None:
        raise UnreachableError(_unreachable(network, o, d, params, graph))
    paths = k_shortest_paths(**search, k=k, vertex_group=graph.vertex_node)
    if not paths:
        raise UnreachableError(_unreachable(network, o, d, params, graph))
    return [route_from_path(graph, p) for p in paths]


def retrace(graph: ExpandedGraph, route: Route, *, corridor: str | None = None) -> Route | None:
    """A route found on another network, over the same legs of ``graph``, priced there.

    Each leg (a link, in the direction the route took it) and, between legs, the
    through or transfer arc of the node, from the origin's terminal to the
    destination's: the route's path on ``graph``, whose hours, money and emissions are
    ``graph``'s (an appraisal prices the routes found with a measure on the network
    without it, and the reverse).

    Parameters
    ----------
    graph : ExpandedGraph
        The graph to price the route on.
    route : Route
        A route with its steps (found on any network with the same link and node ids).
    corridor : str, optional
        The corridor label (default: from the links' tags on ``graph``).

    Returns
    -------
    Route or None
        ``None`` when a place, a link or a change of layer of the route is not in
        ``graph`` (a link the measure opens, a link closed).
    """
    ids = graph.arc_ids
    nodes, links = graph.network.node_index, graph.network.link_index
    if route.origin not in nodes or route.destination not in nodes:
        return None
    arcs: list[int] = []
    at = graph.source(route.origin)
    for leg in route.legs:
        li, u = links.get(str(leg.link_id)), nodes.get(str(leg.from_node_id))
        a = None if li is None or u is None else ids.get((li, u, -1))
        join = None if a is None else ids.get((-1, at, int(graph.tail[a])))
        if a is None or join is None:
            return None
        arcs += (join, a)
        at = int(graph.head[a])
    last = ids.get((-1, at, graph.sink(route.destination)))
    if last is None:
        return None
    arcs.append(last)
    path = Path(tuple(arcs), float(graph.cost[arcs].sum()))
    return route_from_path(graph, path, corridor=corridor)


def route_costs(routes: list[Route]) -> np.ndarray:
    """Generalised costs of routes as an array, USD per unit."""
    return np.asarray([r.generalised_cost_usd for r in routes], dtype=float)
