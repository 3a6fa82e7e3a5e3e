"""Shortest-path trees and all-or-nothing loading.

Two interchangeable back ends compute one shortest-path tree per origin zone:

* ``"numba"`` (used when :mod:`numba` is installed): a compiled binary-heap Dijkstra
  over the forward star, run for several origins in parallel threads, with the
  all-or-nothing loading done in the same compiled loop (destinations are unwound in
  reverse settling order, so each tree is loaded in one pass over its vertices).
* ``"scipy"``: :func:`scipy.sparse.csgraph.dijkstra` for all origins in one call; the
  loading is vectorised across origins (one numpy step per settling rank).

Both return the same flows (up to ties between equal-cost paths). Neither loops over
vertices in Python for a single origin.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from corridors.assignment.graph import AssignmentGraph
from corridors.errors import UnreachableError

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Backend = Literal["auto", "numba", "scipy"]


@dataclass(frozen=True, slots=True)
class AonResult:
    """Result of one all-or-nothing loading.

    Attributes
    ----------
    arc_flow : numpy.ndarray
        Flow on each arc (demand unit).
    od_cost : numpy.ndarray
        Shortest generalised cost from each origin zone (rows) to each destination
        zone (columns); ``inf`` where unreachable or (with ``full=False``) where the
        pair has no demand and the tree was cut short.
    pred_arc : numpy.ndarray or None
        For each origin zone and vertex, the arc entering the vertex in the tree
        (-1 at the root and at unreached vertices), when trees were kept.
    shortest_total : float
        Sum over O-D pairs with demand of demand x shortest cost (the all-or-nothing
        total cost, used by the relative gap).
    """

    arc_flow: FloatArray
    od_cost: FloatArray
    pred_arc: IntArray | None
    shortest_total: float


@functools.lru_cache(maxsize=1)
def _numba_kernels() -> dict[str, Callable[..., Any]] | None:
    """The numba kernels (compiled on first use, cached on disk); ``None`` without numba."""
    try:
        kernels: Any = importlib.import_module("corridors.assignment._kernels")
    except ImportError:
        return None
    return {"aon": kernels.aon, "tree": kernels.tree}


def _threads() -> int:
    nb: Any = importlib.import_module("numba")
    return int(nb.get_num_threads())


def available_backends() -> tuple[str, ...]:
    """Back ends usable in this environment (``"scipy"`` always, ``"numba"`` if installed)."""
    return ("numba", "scipy") if _numba_kernels() is not None else ("scipy",)


def _resolve(backend: Backend) -> str:
    if backend == "auto":
        return "numba" if _numba_kernels() is not None else "scipy"
    if backend == "numba" and _numba_kernels() is None:
        raise ImportError("the numba back end needs the numba package (pip install numba)")
    return backend


@dataclass(frozen=True, slots=True)
class _ScipyPlan:
    """Unique (tail, head) pairs of a multigraph, for a simple CSR matrix per iteration."""

    order: IntArray  # arcs sorted by pair key
    starts: IntArray  # first position of each pair in ``order``
    pair_of_pos: IntArray  # pair index at each position
    keys: IntArray  # sorted unique pair keys (tail * n + head)
    indices: NDArray[np.int32]  # CSR column (head) per pair
    indptr: NDArray[np.int32]  # CSR row pointer
    simple: bool  # no parallel arcs


def _scipy_plan(graph: AssignmentGraph) -> _ScipyPlan:
    plan = graph.cached("scipy_plan")
    if isinstance(plan, _ScipyPlan):
        return plan
    n = graph.n_vertices
    key = graph.tail * n + graph.head
    order = np.argsort(key, kind="stable").astype(np.int64)
    skey = key[order]
    first = np.ones(skey.shape[0], dtype=bool)
    first[1:] = skey[1:] != skey[:-1]
    starts = np.flatnonzero(first).astype(np.int64)
    keys = skey[starts]
    pair_of_pos = (np.cumsum(first) - 1).astype(np.int64)
    tails = keys // n
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(tails, minlength=n), out=indptr[1:])
    plan = _ScipyPlan(
        order,
        starts,
        pair_of_pos,
        keys,
        (keys % n).astype(np.int32),
        indptr,
        bool(starts.shape[0] == order.shape[0]),
    )
    graph.remember("scipy_plan", plan)
    return plan


def _scipy_trees(
    graph: AssignmentGraph, cost: FloatArray, sources: IntArray
) -> tuple[FloatArray, IntArray]:
    """Distances and entering arcs (rows: sources) with one call to csgraph.dijkstra."""
    plan = _scipy_plan(graph)
    n = graph.n_vertices
    c_sorted = cost[plan.order]
    if plan.simple:
        pair_cost = c_sorted
        pair_arc = plan.order
    else:
        pair_cost = np.minimum.reduceat(c_sorted, plan.starts)
        is_min = c_sorted == pair_cost[plan.pair_of_pos]
        cand = np.flatnonzero(is_min)
        _, first = np.unique(plan.pair_of_pos[cand], return_index=True)
        pair_arc = plan.order[cand[first]]
    # explicit zeros are kept as zero-cost edges by csgraph when given as CSR arrays
    matrix = sp.csr_matrix((pair_cost, plan.indices, plan.indptr), shape=(n, n))
    dist, pred = dijkstra(matrix, directed=True, indices=sources, return_predecessors=True)
    dist = np.asarray(dist, dtype=np.float64).reshape(len(sources), n)
    pred = np.asarray(pred, dtype=np.int64).reshape(len(sources), n)
    pred_arc = np.full(pred.shape, -1, dtype=np.int64)
    reached = pred >= 0
    rows, cols = np.nonzero(reached)
    pair = np.searchsorted(plan.keys, pred[rows, cols] * n + cols)
    pred_arc[rows, cols] = pair_arc[pair]
    return dist, pred_arc


def _scipy_load(
    graph: AssignmentGraph, dist: FloatArray, pred_arc: IntArray, demand: FloatArray
) -> FloatArray:
    """Load demand on trees, vectorised across origins (one step per settling rank)."""
    n_orig, n = dist.shape
    node_flow = np.zeros((n_orig, n), dtype=np.float64)
    np.add.at(node_flow, (np.arange(n_orig)[:, None], graph.destinations[None, :]), demand)
    # vertices by decreasing distance; unreached (inf) ones first, they carry nothing
    order = np.argsort(-dist, axis=1, kind="stable")
    rows = np.arange(n_orig)
    tails = graph.tail
    for k in range(n):
        v = order[:, k]
        a = pred_arc[rows, v]
        ok = a >= 0
        if not ok.any():
            continue
        r = rows[ok]
        node_flow[r, tails[a[ok]]] += node_flow[r, v[ok]]
    mask = pred_arc >= 0
    return np.bincount(pred_arc[mask], weights=node_flow[mask], minlength=graph.n_arcs).astype(
        np.float64
    )


def shortest_trees(
    graph: AssignmentGraph, cost: FloatArray, *, backend: Backend = "auto"
) -> tuple[FloatArray, IntArray]:
    """Shortest-path trees from every origin zone at the given arc costs.

    Parameters
    ----------
    graph : AssignmentGraph
        The network.
    cost : numpy.ndarray
        Non-negative cost per arc (time units).
    backend : {"auto", "numba", "scipy"}
        Implementation; ``"auto"`` prefers numba.

    Returns
    -------
    dist : numpy.ndarray
        Distance from each origin zone (rows) to each vertex (``inf`` if unreachable).
    pred_arc : numpy.ndarray
        Arc entering each vertex in each tree (-1 at roots and unreached vertices).
    """
    if _resolve(backend) == "scipy":
        return _scipy_trees(graph, cost, graph.origins)
    res = all_or_nothing(
        graph,
        cost,
        np.zeros((graph.n_zones, graph.n_zones)),
        full=True,
        keep_trees=True,
        backend="numba",
    )
    assert res.pred_arc is not None
    dist = tree_sums(graph, res.pred_arc, cost)
    return dist, res.pred_arc


def all_or_nothing(
    graph: AssignmentGraph,
    cost: FloatArray,
    demand: FloatArray,
    *,
    full: bool = False,
    keep_trees: bool = False,
    backend: Backend = "auto",
) -> AonResult:
    """Load every O-D demand on its shortest path at fixed arc costs.

    Parameters
    ----------
    graph : AssignmentGraph
        The network.
    cost : numpy.ndarray
        Non-negative generalised cost per arc (time units).
    demand : numpy.ndarray
        Demand matrix, origin zones by destination zones (flow unit, e.g. TEU/yr).
    full : bool
        Compute costs to every destination, not only those with demand (skims).
    keep_trees : bool
        Return the entering arc of every vertex in every tree (for routes and skims).
    backend : {"auto", "numba", "scipy"}
        Implementation; ``"auto"`` prefers numba.

    Returns
    -------
    AonResult

    Raises
    ------
    UnreachableError
        If an O-D pair with positive demand has no path.
    """
    n_z = graph.n_zones
    dem = np.ascontiguousarray(demand, dtype=np.float64)
    if dem.shape != (n_z, n_z):
        raise ValueError(f"demand must be {n_z} x {n_z} (zones), got {dem.shape}")
    cst = np.ascontiguousarray(cost, dtype=np.float64)
    if _resolve(backend) == "numba":
        kernels = _numba_kernels()
        assert kernels is not None
        star = graph.forward_star
        n_chunks = max(1, min(_threads() * 2, n_z))
        od_cost = np.full((n_z, n_z), np.inf)
        pred = (
            np.full((n_z, graph.n_vertices), -1, dtype=np.int64)
            if keep_trees
            else np.empty((1, 1), dtype=np.int64)
        )
        sp_total = np.zeros(n_z)
        flow = kernels["aon"](
            star.indptr,
            star.heads,
            star.arcs,
            cst[star.arcs],
            graph.tail,
            graph.origins,
            graph.destinations,
            dem,
            graph.n_vertices,
            graph.n_arcs,
            n_chunks,
            full,
            keep_trees,
            od_cost,
            pred,
            sp_total,
        )
        result = AonResult(
            np.asarray(flow, dtype=np.float64),
            od_cost,
            pred if keep_trees else None,
            float(sp_total.sum()),
        )
    else:
        dist, pred_arc = _scipy_trees(graph, cst, graph.origins)
        od_cost = dist[:, graph.destinations]
        flow = _scipy_load(graph, dist, pred_arc, dem)
        has = dem > 0.0
        result = AonResult(
            flow, od_cost, pred_arc if keep_trees else None, float(np.dot(dem[has], od_cost[has]))
        )
    unreachable = (dem > 0.0) & ~np.isfinite(result.od_cost)
    if unreachable.any():
        o, d = np.argwhere(unreachable)[0]
        n_bad = int(unreachable.sum())
        raise UnreachableError(
            f"no path from zone {graph.zone_ids[o]!r} to zone {graph.zone_ids[d]!r}"
            + (f" (and {n_bad - 1} more O-D pairs with demand)" if n_bad > 1 else "")
        )
    return result


def tree_sums(graph: AssignmentGraph, pred_arc: IntArray, values: FloatArray) -> FloatArray:
    """Sum an arc attribute along every tree path (skims), by pointer doubling.

    Parameters
    ----------
    graph : AssignmentGraph
        The network.
    pred_arc : numpy.ndarray
        Entering arc per origin zone and vertex, from :func:`all_or_nothing`.
    values : numpy.ndarray
        Attribute per arc (time, cost, distance...).

    Returns
    -------
    numpy.ndarray
        Sum of ``values`` from each origin zone (rows) to each vertex; ``inf`` at
        unreached vertices, 0 at the origin itself.
    """
    n_orig, n = pred_arc.shape
    reached = pred_arc >= 0
    reached[np.arange(n_orig), graph.origins] = True
    safe = np.where(pred_arc >= 0, pred_arc, 0)
    total = np.where(pred_arc >= 0, values[safe], 0.0)
    parent = np.where(pred_arc >= 0, graph.tail[safe], np.arange(n)[None, :])
    rows = np.arange(n_orig)[:, None]
    while True:
        grand = parent[rows, parent]
        if np.array_equal(grand, parent):
            break
        total = total + total[rows, parent]
        parent = grand
    total[~reached] = np.inf
    return np.asarray(total, dtype=np.float64)


def trace_route(graph: AssignmentGraph, pred_arc_row: IntArray, destination: int) -> list[int]:
    """Arcs of the tree path to ``destination`` (a vertex), from origin to destination."""
    route: list[int] = []
    v = destination
    for _ in range(graph.n_vertices):
        a = int(pred_arc_row[v])
        if a < 0:
            break
        route.append(a)
        v = int(graph.tail[a])
    route.reverse()
    return route
