"""The expanded routing graph: where transfers, gauge breaks and borders cost.

Each network node is split by *layer*, one layer per mode (and per gauge for rail):
an arrival vertex ``A(n, l)`` and a departure vertex ``D(n, l)`` for each layer ``l``
of the links that touch the node, plus a source ``S(n)`` and a sink ``T(n)`` for trips
that start or end there. Arcs:

``link``
    ``D(u, l) -> A(v, l)``: moving over a link (and waiting for its scheduled service).
    A link between two countries also pays the outbound clearance of ``u``
    (``border_exit_*``) and the inbound clearance of ``v`` (``border_*``), so each
    direction of a crossing has its own border time (CAREC publishes them apart).
``through``
    ``A(n, l) -> D(n, l)``: passing a node on the same mode and gauge.
``transfer``
    ``A(n, l) -> D(n, l')``: changing mode or gauge (rail -> ferry, 1520 -> 1435 mm);
    pays handling.
``origin`` / ``destination``
    ``S(n) -> D(n, l)`` and ``A(n, l) -> T(n)``: terminal handling where the trip starts
    and ends.

Every arc carries hours, USD, kg CO2e and km per unit, and a generalised cost; arcs at
a node with a capacity share one capacity group (as do both directions of a
single-track line), which the assignment engine uses to build queues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from corridors.cost.parameters import CostParameters, money_columns
from corridors.network.model import Network
from corridors.routing.capacity_groups import capacity_groups
from corridors.routing.element_costs import border_clearance, link_times
from corridors.routing.paths import PathTree, SearchGraph

if TYPE_CHECKING:
    from corridors.routing.route import ArcSteps

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

LINK, THROUGH, TRANSFER, ORIGIN, DESTINATION = 0, 1, 2, 3, 4
ARC_KINDS = ("link", "through", "transfer", "origin", "destination")
EPSILON_USD = 1e-6
"""Added to every arc's cost so that ties prefer fewer arcs and no arc weighs zero."""


def layer_of(mode: str, gauge: float) -> str:
    """Layer key of a link: the mode, with the gauge for rail (``rail:1520``)."""
    return f"rail:{int(gauge)}" if mode == "rail" and not np.isnan(gauge) else mode


@dataclass(frozen=True)
class RouteTables:
    """Node and link attributes as arrays, by row, for describing routes quickly."""

    node_ids: npt.NDArray[np.object_]
    countries: npt.NDArray[np.object_]
    handling_h: FloatArray
    handling_usd: FloatArray
    entry_h: FloatArray
    entry_usd: FloatArray
    exit_h: FloatArray
    exit_usd: FloatArray
    link_ids: npt.NDArray[np.object_]
    link_modes: npt.NDArray[np.object_]


@dataclass(frozen=True)
class ExpandedGraph:
    """Arrays of the expanded graph (one entry per arc unless noted).

    Attributes
    ----------
    n_vertices : int
        Number of vertices.
    tail, head : numpy.ndarray of int64
        Arc end vertices.
    kind : numpy.ndarray of int64
        Arc kind: 0 link, 1 through, 2 transfer, 3 origin, 4 destination.
    hours, usd, kg_co2e, km : numpy.ndarray of float64
        Time (h), money (USD), emissions (kg CO2e) and distance (km) per unit.
    wait_h : numpy.ndarray of float64
        Part of ``hours`` spent waiting for a scheduled service.
    cost : numpy.ndarray of float64
        Generalised cost, USD per unit.
    arc_link : numpy.ndarray of int64
        Row of the link in ``network.links`` (link arcs), else -1.
    arc_node : numpy.ndarray of int64
        Row of the node in ``network.nodes`` (node arcs), else -1.
    capacity_group : numpy.ndarray of int64
        Capacity group of each arc, -1 when none.
    group_capacity : numpy.ndarray of float64
        Capacity of each group, units a year.
    group_label : list of str
        ``node:<id>`` or ``link:<id>`` (``link:<id>:<from>-><to>`` per direction).
    source_vertex, sink_vertex : numpy.ndarray of int64
        ``S(n)`` and ``T(n)`` for each node row.
    vertex_node : numpy.ndarray of int64
        Node row of each vertex.
    unit : str
        ``TEU`` or ``t``.
    """

    network: Network
    params: CostParameters
    n_vertices: int
    tail: IntArray
    head: IntArray
    kind: IntArray
    hours: FloatArray
    wait_h: FloatArray
    usd: FloatArray
    kg_co2e: FloatArray
    km: FloatArray
    cost: FloatArray
    arc_link: IntArray
    arc_node: IntArray
    capacity_group: IntArray
    group_capacity: FloatArray
    group_label: list[str]
    source_vertex: IntArray
    sink_vertex: IntArray
    vertex_node: IntArray
    unit: str
    link_tags: list[tuple[str, ...]] = field(repr=False)

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.tail.size)

    def source(self, node_id: str) -> int:
        """Source vertex of a node (trips starting there)."""
        return int(self.source_vertex[self.network.node_index[node_id]])

    def sink(self, node_id: str) -> int:
        """Sink vertex of a node (trips ending there)."""
        return int(self.sink_vertex[self.network.node_index[node_id]])

    @cached_property
    def tables(self) -> RouteTables:
        """Per-node and per-link arrays used to describe routes (computed once)."""
        nodes, links = self.network.nodes, self.network.links
        per_unit, factor = money_columns(self.unit)
        entry_h, entry_usd, exit_h, exit_usd = border_clearance(nodes, per_unit)
        return RouteTables(
            node_ids=nodes["node_id"].to_numpy(dtype=object),
            countries=nodes["country"].to_numpy(dtype=object),
            handling_h=nodes["handling_h"].to_numpy(dtype=float),
            handling_usd=nodes[f"handling_usd_{per_unit}"].to_numpy(dtype=float) * factor,
            entry_h=entry_h,
            entry_usd=entry_usd * factor,
            exit_h=exit_h,
            exit_usd=exit_usd * factor,
            link_ids=links["link_id"].to_numpy(dtype=object),
            link_modes=links["mode"].to_numpy(dtype=object),
        )

    def corridor_mask(self, corridor: str | None) -> npt.NDArray[np.bool_]:
        """Arcs usable by a corridor: its links, shared (untagged) links and node arcs.

        A new array each call (callers narrow it in place); the masks are computed
        once per graph and corridor.
        """
        if corridor is None:
            return np.ones(self.n_arcs, dtype=bool)
        mask = self._corridor_masks.get(corridor)
        if mask is None:
            link_ok = np.array([not t or corridor in t for t in self.link_tags], dtype=bool)
            mask = np.ones(self.n_arcs, dtype=bool)
            is_link = self.arc_link >= 0
            mask[is_link] = link_ok[self.arc_link[is_link]]
            self._corridor_masks[corridor] = mask
        return mask.copy()

    @cached_property
    def _corridor_masks(self) -> dict[str, npt.NDArray[np.bool_]]:
        return {}

    def search_graph(self, corridor: str | None) -> SearchGraph:
        """The :class:`~corridors.routing.paths.SearchGraph` of a corridor's arcs by cost.

        Built once per graph and corridor; O-D searches narrow it
        (:meth:`~corridors.routing.paths.SearchGraph.without`).
        """
        found = self._search_graphs.get(corridor)
        if found is None:
            found = self._search_graphs[corridor] = SearchGraph.build(
                tail=self.tail,
                head=self.head,
                weight=self.cost,
                n_vertices=self.n_vertices,
                usable=self.corridor_mask(corridor),
            )
        return found

    @cached_property
    def _search_graphs(self) -> dict[str | None, SearchGraph]:
        return {}

    @cached_property
    def origin_trees(self) -> dict[tuple[str | None, str], PathTree]:
        """Least-cost paths from an origin on a corridor, by ``(corridor, origin id)``.

        Filled by :func:`corridors.routing.routes.compare` (one search per origin and
        corridor serves every destination).
        """
        return {}

    @cached_property
    def arc_ids(self) -> dict[tuple[int, int, int], int]:
        """Arc ids: ``(link row, tail's node row, -1)`` of a link arc, else ``(-1, tail, head)``.

        Built once per graph (:func:`corridors.routing.routes.retrace` walks a route's
        legs with it).
        """
        tail, head = self.tail.tolist(), self.head.tolist()
        ends = zip(
            self.arc_link.tolist(), self.vertex_node[self.tail].tolist(), tail, head, strict=True
        )
        return {((li, u, -1) if li >= 0 else (-1, t, h)): a for a, (li, u, t, h) in enumerate(ends)}

    @cached_property
    def arc_cache(self) -> dict[int, ArcSteps]:
        """What each arc adds to a route, filled as routes are described.

        See :func:`corridors.routing.route.arc_steps`.
        """
        return {}


def build_graph(network: Network, params: CostParameters | None = None) -> ExpandedGraph:
    """Build the expanded graph of a network for one unit and set of cost parameters.

    Parameters
    ----------
    network : Network
        The network; planned and closed links are dropped unless ``params.year`` opens
        them, and links through ``params.closed_passages`` are dropped.
    params : CostParameters, optional
        Unit, value of time, carbon price, year and closures.

    Returns
    -------
    ExpandedGraph
    """
    params = params or CostParameters()
    net = network.for_year(params.year) if params.year is not None else network.operating()
    if params.closed_passages:
        net = net.with_closed(passages=params.closed_passages)
    nodes, links = net.nodes, net.links
    per_unit, factor = money_columns(params.unit)
    n_nodes = len(nodes)
    node_row = net.node_index

    travel, wait = link_times(links)
    km = links["km"].to_numpy(dtype=float)
    tariff = links[f"tariff_usd_{per_unit}"].to_numpy(dtype=float) * factor
    ef = links["ef_g_tkm"].to_numpy(dtype=float)
    co2 = ef * km * params.tonnes_per_unit / 1000.0
    layers = [
        layer_of(m, g)
        for m, g in zip(links["mode"], links["gauge_mm"].to_numpy(dtype=float), strict=True)
    ]
    directed = links["directed"].to_numpy(dtype=bool)
    frm = np.array([node_row[x] for x in links["from_node_id"]], dtype=np.int64)
    to = np.array([node_row[x] for x in links["to_node_id"]], dtype=np.int64)

    # vertices: S(n), T(n) for every node, then A/D per (node, layer)
    node_layers: list[dict[str, tuple[int, int]]] = [{} for _ in range(n_nodes)]
    next_vertex = 2 * n_nodes

    def vertex_pair(n: int, layer: str) -> tuple[int, int]:
        nonlocal next_vertex
        pair = node_layers[n].get(layer)
        if pair is None:
            pair = (next_vertex, next_vertex + 1)
            node_layers[n][layer] = pair
            next_vertex += 2
        return pair

    tail: list[int] = []
    head: list[int] = []
    kind: list[int] = []
    a_link: list[int] = []
    a_node: list[int] = []
    a_dir_group: list[str] = []
    for i in range(len(links)):
        vertex_pair(int(frm[i]), layers[i])
        vertex_pair(int(to[i]), layers[i])
        ends = [(int(frm[i]), int(to[i]))]
        if not directed[i]:
            ends.append((int(to[i]), int(frm[i])))
        for u, v in ends:
            tail.append(node_layers[u][layers[i]][1])
            head.append(node_layers[v][layers[i]][0])
            kind.append(LINK)
            a_link.append(i)
            a_node.append(-1)
            a_dir_group.append(f"{u}->{v}")

    handling_h = nodes["handling_h"].to_numpy(dtype=float)
    handling_usd = nodes[f"handling_usd_{per_unit}"].to_numpy(dtype=float) * factor
    entry_h, entry_usd, exit_h, exit_usd = border_clearance(nodes, per_unit)
    entry_usd, exit_usd = entry_usd * factor, exit_usd * factor
    n_link_arcs = len(tail)
    vertex_node = np.empty(next_vertex, dtype=np.int64)
    vertex_node[:n_nodes] = np.arange(n_nodes)
    vertex_node[n_nodes : 2 * n_nodes] = np.arange(n_nodes)
    for n, pairs in enumerate(node_layers):
        for arr, dep in pairs.values():
            vertex_node[arr] = vertex_node[dep] = n
    node_h: list[float] = []
    node_usd: list[float] = []
    for n in range(n_nodes):
        pairs = node_layers[n]
        for la, (arr_a, _dep_a) in pairs.items():
            for lb, (_arr_b, dep_b) in pairs.items():
                tail.append(arr_a)
                head.append(dep_b)
                kind.append(THROUGH if la == lb else TRANSFER)
                node_h.append(0.0 if la == lb else handling_h[n])
                node_usd.append(0.0 if la == lb else handling_usd[n])
                a_link.append(-1)
                a_node.append(n)
        for _, (arr, dep) in pairs.items():
            tail.extend((n, arr))
            head.extend((dep, n_nodes + n))
            kind.extend((ORIGIN, DESTINATION))
            node_h.extend((handling_h[n], handling_h[n]))
            node_usd.extend((handling_usd[n], handling_usd[n]))
            a_link.extend((-1, -1))
            a_node.extend((n, n))

    t_arr = np.asarray(tail, dtype=np.int64)
    h_arr = np.asarray(head, dtype=np.int64)
    k_arr = np.asarray(kind, dtype=np.int64)
    link_arr = np.asarray(a_link, dtype=np.int64)
    node_arr = np.asarray(a_node, dtype=np.int64)
    is_link = link_arr >= 0
    li = link_arr[is_link]
    hours = np.zeros(t_arr.size)
    wait_arr = np.zeros(t_arr.size)
    usd = np.zeros(t_arr.size)
    kg = np.zeros(t_arr.size)
    dist = np.zeros(t_arr.size)
    hours[is_link] = travel[li] + wait[li]
    wait_arr[is_link] = wait[li]
    usd[is_link] = tariff[li]
    # a crossing pays outbound clearance where it leaves and inbound where it arrives
    countries = nodes["country"].to_numpy()
    u_node, v_node = vertex_node[t_arr[is_link]], vertex_node[h_arr[is_link]]
    crossing = countries[u_node] != countries[v_node]
    hours[is_link] += np.where(crossing, exit_h[u_node] + entry_h[v_node], 0.0)
    usd[is_link] += np.where(crossing, exit_usd[u_node] + entry_usd[v_node], 0.0)
    kg[is_link] = co2[li]
    dist[is_link] = km[li]
    hours[n_link_arcs:] = node_h
    usd[n_link_arcs:] = node_usd
    cost = usd + params.vot * hours + params.carbon_price_usd_t * kg / 1000.0 + EPSILON_USD

    group, capacities, labels = capacity_groups(
        nodes, links, params, arc_link=link_arr, arc_node=node_arr, arc_direction=a_dir_group
    )

    return ExpandedGraph(
        network=net,
        params=params,
        n_vertices=next_vertex,
        tail=t_arr,
        head=h_arr,
        kind=k_arr,
        hours=hours,
        wait_h=wait_arr,
        usd=usd,
        kg_co2e=kg,
        km=dist,
        cost=cost,
        arc_link=link_arr,
        arc_node=node_arr,
        capacity_group=group,
        group_capacity=capacities,
        group_label=labels,
        source_vertex=np.arange(n_nodes, dtype=np.int64),
        sink_vertex=np.arange(n_nodes, 2 * n_nodes, dtype=np.int64),
        vertex_node=vertex_node,
        unit=params.unit,
        link_tags=[tuple(t) for t in links["corridors"]],
    )
