"""Door-to-door routes: per corridor, and k alternatives, with their legs and stops."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corridors.cost.parameters import CostParameters
from corridors.errors import UnknownNameError, UnreachableError, did_you_mean
from corridors.network.model import Network
from corridors.routing.graph import (
    DESTINATION,
    LINK,
    ORIGIN,
    THROUGH,
    TRANSFER,
    ExpandedGraph,
    build_graph,
)
from corridors.routing.paths import Path, k_shortest_paths, penalised_paths, shortest_path

logger = logging.getLogger(__name__)

HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a route: a leg over a link, or a stop at a node.

    Attributes
    ----------
    kind : str
        ``link`` (moving), ``terminal`` (handling at the origin or destination),
        ``border`` (clearance) or ``transfer`` (change of mode or gauge).
    node_id : str or None
        Node of a stop.
    link_id, from_node_id, to_node_id, mode : str or None
        Link of a leg, the direction it is used in, and its mode.
    hours : float
        Time of the step, h (for legs including ``wait_h``).
    wait_h : float
        Expected wait for the scheduled service of a leg, h.
    usd : float
        Money per unit, USD.
    kg_co2e : float
        Emissions per unit, kg CO2e.
    km : float
        Distance, km.
    """

    kind: str
    node_id: str | None = None
    link_id: str | None = None
    from_node_id: str | None = None
    to_node_id: str | None = None
    mode: str | None = None
    hours: float = 0.0
    wait_h: float = 0.0
    usd: float = 0.0
    kg_co2e: float = 0.0
    km: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """The step as a JSON-ready dict (empty fields left out)."""
        out: dict[str, object] = {"kind": self.kind}
        for name in ("node_id", "link_id", "from_node_id", "to_node_id", "mode"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out |= {
            "hours": round(self.hours, 3),
            "usd": round(self.usd, 2),
            "kg_co2e": round(self.kg_co2e, 3),
            "km": round(self.km, 1),
        }
        if self.wait_h:
            out["wait_h"] = round(self.wait_h, 3)
        return out


@dataclass(frozen=True, slots=True)
class Route:
    """A door-to-door route and its totals per unit (TEU or tonne).

    Attributes
    ----------
    corridor : str
        Corridor label (``middle``, ``northern``, ``sea_suez`` ...; ``a+b`` when the
        route mixes corridors, ``shared`` when it uses only shared links).
    origin, destination : str
        Node ids.
    unit : str
        ``TEU`` or ``t``.
    hours, usd, kg_co2e, km : float
        Totals: time (h), money (USD), emissions (kg CO2e), distance (km).
    generalised_cost_usd : float
        Money plus valued time and priced carbon, USD per unit.
    borders : int
        Border crossings (changes of country along the route).
    transfers : int
        Changes of mode or gauge.
    steps : tuple of Step
        Legs and stops in order.
    """

    corridor: str
    origin: str
    destination: str
    unit: str
    hours: float
    usd: float
    kg_co2e: float
    km: float
    generalised_cost_usd: float
    borders: int
    transfers: int
    steps: tuple[Step, ...]

    @property
    def days(self) -> float:
        """Door-to-door time, days."""
        return self.hours / HOURS_PER_DAY

    @property
    def legs(self) -> tuple[Step, ...]:
        """The link steps."""
        return tuple(s for s in self.steps if s.kind == "link")

    @property
    def link_ids(self) -> tuple[str, ...]:
        """Links used, in order."""
        return tuple(str(s.link_id) for s in self.legs)

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Places passed, in order, from origin to destination."""
        legs = self.legs
        if not legs:
            return (self.origin,)
        return (str(legs[0].from_node_id), *(str(s.to_node_id) for s in legs))

    def to_dict(self) -> dict[str, object]:
        """The route as a JSON-ready dict with the documented field names."""
        return {
            "corridor": self.corridor,
            "origin": self.origin,
            "destination": self.destination,
            "unit": self.unit,
            "days": round(self.days, 3),
            "hours": round(self.hours, 2),
            "usd": round(self.usd, 2),
            "kg_co2e": round(self.kg_co2e, 2),
            "km": round(self.km, 1),
            "borders": self.borders,
            "transfers": self.transfers,
            "generalised_cost_usd": round(self.generalised_cost_usd, 2),
            "legs": [s.to_dict() for s in self.legs],
            "stops": [s.to_dict() for s in self.steps if s.kind != "link"],
        }


def label_corridor(tags: list[tuple[str, ...]], order: tuple[str, ...]) -> str:
    """Corridor a route belongs to, from the tags of the links it uses.

    The corridor shared by every tagged link wins (the first in ``order`` when several
    are); a route whose links have no common corridor is labelled by joining the
    corridors it passes in order of first use (``northern+middle``), and a route on
    shared links only is ``shared``.
    """
    tagged = [set(t) for t in tags if t]
    if not tagged:
        return "shared"
    common = set.intersection(*tagged)
    rank = {c: i for i, c in enumerate(order)}
    if common:
        return min(common, key=lambda c: (rank.get(c, len(rank)), c))
    seq: list[str] = []
    for t in tags:
        if t and not any(c in t for c in seq[-1:]):
            best = min(t, key=lambda c: (rank.get(c, len(rank)), c))
            if best not in seq:
                seq.append(best)
    return "+".join(seq)


def route_from_path(graph: ExpandedGraph, path: Path, *, corridor: str | None = None) -> Route:
    """Turn a path of arc ids into a :class:`Route` with its steps and totals."""
    net = graph.network
    tab = graph.tables
    node_ids, countries = tab.node_ids, tab.countries
    handling_h, handling_usd = tab.handling_h, tab.handling_usd
    entry_h, entry_usd, exit_h, exit_usd = tab.entry_h, tab.entry_usd, tab.exit_h, tab.exit_usd
    steps: list[Step] = []
    tags: list[tuple[str, ...]] = []
    borders = transfers = 0
    origin = destination = ""
    for a in path.arcs:
        k = int(graph.kind[a])
        if k == LINK:
            li = int(graph.arc_link[a])
            nu = int(graph.vertex_node[graph.tail[a]])
            nv = int(graph.vertex_node[graph.head[a]])
            u, v = str(node_ids[nu]), str(node_ids[nv])
            crossing = bool(countries[nu] != countries[nv])
            out_h, out_usd = (float(exit_h[nu]), float(exit_usd[nu])) if crossing else (0.0, 0.0)
            in_h, in_usd = (float(entry_h[nv]), float(entry_usd[nv])) if crossing else (0.0, 0.0)
            if out_h or out_usd:
                steps.append(Step(kind="border", node_id=u, hours=out_h, usd=out_usd))
            steps.append(
                Step(
                    kind="link",
                    link_id=str(tab.link_ids[li]),
                    from_node_id=u,
                    to_node_id=v,
                    mode=str(tab.link_modes[li]),
                    hours=float(graph.hours[a] - out_h - in_h),
                    wait_h=float(graph.wait_h[a]),
                    usd=float(graph.usd[a] - out_usd - in_usd),
                    kg_co2e=float(graph.kg_co2e[a]),
                    km=float(graph.km[a]),
                )
            )
            if in_h or in_usd:
                steps.append(Step(kind="border", node_id=v, hours=in_h, usd=in_usd))
            tags.append(graph.link_tags[li])
            borders += int(crossing)
            continue
        n = int(graph.arc_node[a])
        nid = str(node_ids[n])
        terminal = Step(
            kind="terminal", node_id=nid, hours=float(handling_h[n]), usd=float(handling_usd[n])
        )
        if k == ORIGIN:
            origin = nid
        elif k == DESTINATION:
            destination = nid
        if k in (ORIGIN, DESTINATION):
            if terminal.hours or terminal.usd:
                steps.append(terminal)
        elif k == TRANSFER:
            transfers += 1
            steps.append(
                Step(
                    kind="transfer",
                    node_id=nid,
                    hours=float(handling_h[n]),
                    usd=float(handling_usd[n]),
                )
            )
        elif k != THROUGH:  # pragma: no cover - all kinds handled
            raise AssertionError(k)
    arcs = list(path.arcs)
    hours = float(graph.hours[arcs].sum())
    usd = float(graph.usd[arcs].sum())
    kg = float(graph.kg_co2e[arcs].sum())
    params = graph.params
    return Route(
        corridor=corridor or label_corridor(tags, net.corridor_ids),
        origin=origin,
        destination=destination,
        unit=graph.unit,
        hours=hours,
        usd=usd,
        kg_co2e=kg,
        km=float(graph.km[arcs].sum()),
        generalised_cost_usd=params.generalised(usd=usd, hours=hours, kg_co2e=kg),
        borders=borders,
        transfers=transfers,
        steps=tuple(steps),
    )


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
            if route.corridor != corridor and corridor not in route.corridor.split("+"):
                logger.info("%s route from %s to %s uses no %s link", corridor, o, d, corridor)
                continue
            if route.link_ids in seen:  # the same links through other layers of a place
                continue
            seen.add(route.link_ids)
            routes.append(dataclasses.replace(route, corridor=corridor))
    if not routes:
        raise UnreachableError(_unreachable(network, o, d, params, graph))
    routes.sort(key=lambda r: r.generalised_cost_usd)
    return routes


def od_mask(graph: ExpandedGraph, o: str, d: str, corridor: str | None) -> np.ndarray:
    """Arcs usable from ``o`` to ``d`` on a corridor.

    The corridor's arcs, minus passing through ``d`` or coming back into ``o``: a route
    visits each place once.
    """
    net = graph.network
    n_o, n_d = net.node_index[o], net.node_index[d]
    mask = graph.corridor_mask(corridor)
    inside = (graph.kind == THROUGH) | (graph.kind == TRANSFER)
    mask &= ~(inside & (graph.arc_node == n_d))
    mask &= ~((graph.kind == LINK) & (graph.vertex_node[graph.head] == n_o))
    return mask


def _paths(graph: ExpandedGraph, o: str, d: str, corridor: str | None, k: int) -> list[Path]:
    """Up to ``k`` loopless paths of a corridor (link-penalty method; one Dijkstra for 1)."""
    if k == 1:
        path = _path(graph, o, d, corridor)
        return [] if path is None else [path]
    net = graph.network
    if o not in net.node_index or d not in net.node_index:
        return []
    return penalised_paths(
        tail=graph.tail,
        head=graph.head,
        weight=graph.cost,
        n_vertices=graph.n_vertices,
        source=graph.source(o),
        target=graph.sink(d),
        k=k,
        usable=od_mask(graph, o, d, corridor),
    )


def _path(graph: ExpandedGraph, o: str, d: str, corridor: str | None) -> Path | None:
    net = graph.network
    if o not in net.node_index or d not in net.node_index:
        return None
    return shortest_path(
        tail=graph.tail,
        head=graph.head,
        weight=graph.cost,
        n_vertices=graph.n_vertices,
        source=graph.source(o),
        target=graph.sink(d),
        usable=od_mask(graph, o, d, corridor),
    )


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
    path = _path(graph, o, d, None)
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
    if o not in graph.network.node_index or d not in graph.network.node_index:
        raise UnreachableError(_unreachable(network, o, d, params, graph))
    paths = k_shortest_paths(
        tail=graph.tail,
        head=graph.head,
        weight=graph.cost,
        n_vertices=graph.n_vertices,
        source=graph.source(o),
        target=graph.sink(d),
        k=k,
        usable=od_mask(graph, o, d, corridor),
        vertex_group=graph.vertex_node,
    )
    if not paths:
        raise UnreachableError(_unreachable(network, o, d, params, graph))
    return [route_from_path(graph, p) for p in paths]


def route_costs(routes: list[Route]) -> np.ndarray:
    """Generalised costs of routes as an array, USD per unit."""
    return np.asarray([r.generalised_cost_usd for r in routes], dtype=float)
