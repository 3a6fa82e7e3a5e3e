"""Shortest paths and k shortest loopless paths on the expanded graph.

Dijkstra runs in compiled code (:func:`scipy.sparse.csgraph.dijkstra`) on a
:class:`SearchGraph`: parallel arcs (two links between the same pair of places, e.g. the
Suez and the Cape sea legs) reduced to the cheapest usable one and mapped back to arc
ids; built once per graph and corridor, it is narrowed per O-D pair and reweighted by
the link-penalty method without sorting the arcs again.
Yen's algorithm (Yen 1971) finds alternatives by repeated searches from spur
vertices with the arcs and vertices of earlier paths masked out.
"""

from __future__ import annotations

import dataclasses
import heapq
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Path:
    """A path as a sequence of arc ids and its total weight."""

    arcs: tuple[int, ...]
    weight: float


PENALTY = 0.5
"""Link-penalty method: weight added to the arcs of a path found, as a share of it."""


@dataclass(frozen=True)
class SearchGraph:
    """The cheapest usable arc between each ordered pair of vertices, ready for Dijkstra.

    Parallel arcs (two links between the same pair of places, e.g. the Suez and the
    Cape sea legs) are reduced to the cheapest usable one (the lowest arc id among
    equals) and mapped back to arc ids after the search. Built once for a graph and a
    set of usable arcs (a corridor's), then searched many times: :meth:`without`
    removes a few arcs (those an O-D pair may not use), :meth:`reweighted` changes
    weights (the link-penalty method). Both give the same entries, in the same order,
    as a build from scratch (they rebuild when a changed arc has a usable parallel
    arc), so every search finds the same path.

    Attributes
    ----------
    tail, head : numpy.ndarray of int64
        Arc end vertices (all arcs).
    weight : numpy.ndarray of float64
        Arc weights (all arcs).
    usable : numpy.ndarray of bool
        Arcs allowed.
    n_vertices : int
        Number of vertices.
    arcs : numpy.ndarray of int64
        The arc standing for each vertex pair (entry), entries sorted by tail, head.
    keys : numpy.ndarray of int64
        ``tail * n_vertices + head`` of each entry (sorted).
    indptr, indices : numpy.ndarray of int32
        CSR row pointers and column (head) of the entries.
    pair : numpy.ndarray of int64
        Entry of each usable arc's vertex pair (-1 for arcs not usable).
    single : numpy.ndarray of bool
        Whether an entry's vertex pair has a single usable arc.
    """

    tail: IntArray
    head: IntArray
    weight: FloatArray
    usable: BoolArray
    n_vertices: int
    arcs: IntArray
    keys: IntArray
    indptr: npt.NDArray[np.int32]
    indices: npt.NDArray[np.int32]
    pair: IntArray
    single: BoolArray

    @classmethod
    def build(
        cls,
        *,
        tail: IntArray,
        head: IntArray,
        weight: FloatArray,
        n_vertices: int,
        usable: BoolArray | None = None,
    ) -> SearchGraph:
        """Reduce the usable arcs of a graph to one per vertex pair."""
        if usable is None:
            usable = np.ones(tail.size, dtype=bool)
        idx = np.flatnonzero(usable)
        order = idx[np.lexsort((weight[idx], head[idx], tail[idx]))]
        t, h = tail[order], head[order]
        first = np.ones(order.size, dtype=bool)
        first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
        entry = np.cumsum(first) - 1
        pair = np.full(tail.size, -1, dtype=np.int64)
        pair[order] = entry
        return cls._of(
            tail=tail,
            head=head,
            weight=weight,
            usable=usable,
            n=n_vertices,
            arcs=order[first],
            pair=pair,
        )

    @classmethod
    def _of(
        cls,
        *,
        tail: IntArray,
        head: IntArray,
        weight: FloatArray,
        usable: BoolArray,
        n: int,
        arcs: IntArray,
        pair: IntArray,
    ) -> SearchGraph:
        # entries are sorted by tail and, within a row, by head: the CSR arrays directly
        indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(tail[arcs], minlength=n), out=indptr[1:])
        single = np.bincount(pair[pair >= 0], minlength=arcs.size) == 1
        keys = tail[arcs].astype(np.int64) * n + head[arcs]
        indices = head[arcs].astype(np.int32)
        return cls(tail, head, weight, usable, n, arcs, keys, indptr, indices, pair, single)

    def without(self, removed: BoolArray) -> SearchGraph:
        """The same graph with the arcs ``removed`` (a mask over all arcs) not usable."""
        drop = removed[self.arcs]
        gone = removed & self.usable
        if not gone.any():
            return self
        usable = self.usable & ~removed
        if (drop & ~self.single).any():
            alive = np.zeros(self.arcs.size, dtype=bool)
            alive[self.pair[usable]] = True
            if (drop & alive).any():  # a parallel arc takes over: reduce again
                return SearchGraph.build(
                    tail=self.tail,
                    head=self.head,
                    weight=self.weight,
                    n_vertices=self.n_vertices,
                    usable=usable,
                )
        kept = ~drop
        renumber = np.cumsum(kept) - 1
        pair = np.where(usable, renumber[np.maximum(self.pair, 0)], -1)
        return SearchGraph._of(
            tail=self.tail,
            head=self.head,
            weight=self.weight,
            usable=usable,
            n=self.n_vertices,
            arcs=self.arcs[kept],
            pair=pair,
        )

    def reweighted(self, weight: FloatArray) -> SearchGraph:
        """The same graph with new arc weights."""
        changed = self.usable & (weight != self.weight)
        if (~self.single[self.pair[changed]]).any():  # the cheapest of a pair may change
            return SearchGraph.build(
                tail=self.tail,
                head=self.head,
                weight=weight,
                n_vertices=self.n_vertices,
                usable=self.usable,
            )
        return dataclasses.replace(self, weight=weight)

    def penalised_paths(
        self,
        source: int,
        target: int,
        *,
        k: int,
        penalty: float = PENALTY,
        tries: int | None = None,
    ) -> list[Path]:
        """Up to ``k`` distinct paths by the link-penalty method (see :func:`penalised_paths`)."""
        weight = self.weight
        graph = self
        found: dict[tuple[int, ...], Path] = {}
        for _ in range(3 * k if tries is None else tries):
            path = graph.path(source, target)
            if path is None:
                break
            if path.arcs not in found:
                found[path.arcs] = Path(path.arcs, float(weight[list(path.arcs)].sum()))
                if len(found) == k:
                    break
            w = graph.weight.copy()
            w[list(path.arcs)] *= 1.0 + penalty
            graph = graph.reweighted(w)
        return sorted(found.values(), key=lambda p: p.weight)

    def path(self, source: int, target: int) -> Path | None:
        """Least-weight path from ``source`` to ``target`` (``None``: not reachable)."""
        return self.tree(source).path(target)

    def tree(self, source: int) -> PathTree:
        """The least-weight paths from ``source`` to every vertex (one Dijkstra)."""
        n = self.n_vertices
        mat = csr_matrix((self.weight[self.arcs], self.indices, self.indptr), shape=(n, n))
        dist, pred = dijkstra(mat, directed=True, indices=source, return_predecessors=True)
        return PathTree(self, source, dist, pred)


@dataclass(frozen=True)
class PathTree:
    """The least-weight paths from one vertex of a :class:`SearchGraph` to all others.

    Attributes
    ----------
    graph : SearchGraph
        The graph searched.
    source : int
        The vertex the paths start from.
    dist : numpy.ndarray of float64
        Weight of the least-weight path to each vertex (``inf``: not reachable).
    pred : numpy.ndarray of int32
        Vertex before each one on its path (scipy's predecessor array).
    """

    graph: SearchGraph
    source: int
    dist: FloatArray
    pred: npt.NDArray[np.int32]

    def path(self, target: int) -> Path | None:
        """The least-weight path to ``target`` (``None``: not reachable)."""
        if not np.isfinite(self.dist[target]):
            return None
        pred = self.pred  # walked back from the target: a path's few vertices, not all
        vertices = [target]
        while vertices[-1] != self.source:
            vertices.append(int(pred[vertices[-1]]))
        walk = np.array(vertices[::-1], dtype=np.int64)
        g = self.graph
        arcs = g.arcs[np.searchsorted(g.keys, walk[:-1] * g.n_vertices + walk[1:])]
        return Path(arcs=tuple(arcs.tolist()), weight=float(self.dist[target]))


def shortest_path(
    *,
    tail: IntArray,
    head: IntArray,
    weight: FloatArray,
    n_vertices: int,
    source: int,
    target: int,
    usable: BoolArray | None = None,
) -> Path | None:
    """Least-weight path from ``source`` to ``target`` over the usable arcs.

    Returns
    -------
    Path or None
        ``None`` when the target cannot be reached.
    """
    graph = SearchGraph.build(
        tail=tail, head=head, weight=weight, n_vertices=n_vertices, usable=usable
    )
    return graph.path(source, target)


def k_shortest_paths(
    *,
    tail: IntArray,
    head: IntArray,
    weight: FloatArray,
    n_vertices: int,
    source: int,
    target: int,
    k: int,
    usable: BoolArray | None = None,
    vertex_group: IntArray | None = None,
) -> list[Path]:
    """The ``k`` least-weight loopless paths (Yen's algorithm), cheapest first.

    Parameters
    ----------
    tail, head : numpy.ndarray of int64
        Arc end vertices.
    weight : numpy.ndarray of float64
        Positive arc weights.
    n_vertices : int
        Number of vertices.
    source, target : int
        End vertices.
    k : int
        Number of paths wanted; fewer are returned when fewer exist.
    usable : numpy.ndarray of bool, optional
        Arcs allowed (default: all).
    vertex_group : numpy.ndarray of int64, optional
        Group of each vertex (the physical place it belongs to in an expanded graph).
        When given, paths are loopless over groups: a spur path may not enter a group
        the root path has visited.
    """
    tail_group = head_group = None
    if vertex_group is not None:
        tail_group, head_group = vertex_group[tail], vertex_group[head]
    base = np.ones(tail.size, dtype=bool) if usable is None else usable.copy()
    first = shortest_path(
        tail=tail,
        head=head,
        weight=weight,
        n_vertices=n_vertices,
        source=source,
        target=target,
        usable=base,
    )
    if first is None or k < 1:
        return []
    found: list[Path] = [first]
    candidates: list[tuple[float, tuple[int, ...]]] = []
    seen: set[tuple[int, ...]] = {first.arcs}
    while len(found) < k:
        prev = found[-1]
        vertices = [int(tail[prev.arcs[0]])] + [int(head[a]) for a in prev.arcs]
        for i in range(len(prev.arcs)):
            spur = vertices[i]
            root = prev.arcs[:i]
            mask = base.copy()
            for p in found:
                if p.arcs[:i] == root and len(p.arcs) > i:
                    mask[p.arcs[i]] = False
            banned = np.asarray(vertices[:i], dtype=np.int64)
            if banned.size:
                mask &= ~np.isin(tail, banned) & ~np.isin(head, banned)
            if tail_group is not None and head_group is not None and vertex_group is not None:
                visited = np.unique(vertex_group[np.asarray(vertices[: i + 1], dtype=np.int64)])
                mask &= ~(np.isin(head_group, visited) & (tail_group != head_group))
            spur_path = shortest_path(
                tail=tail,
                head=head,
                weight=weight,
                n_vertices=n_vertices,
                source=spur,
                target=target,
                usable=mask,
            )
            if spur_path is None:
                continue
            arcs = root + spur_path.arcs
            if arcs in seen:
                continue
            seen.add(arcs)
            heapq.heappush(candidates, (float(weight[list(arcs)].sum()), arcs))
        if not candidates:
            break
        w, arcs = heapq.heappop(candidates)
        found.append(Path(arcs=arcs, weight=w))
    return found


def penalised_paths(
    *,
    tail: IntArray,
    head: IntArray,
    weight: FloatArray,
    n_vertices: int,
    source: int,
    target: int,
    k: int,
    usable: BoolArray | None = None,
    penalty: float = PENALTY,
    tries: int | None = None,
) -> list[Path]:
    """Up to ``k`` distinct loopless paths by the link-penalty method, cheapest first.

    The least-weight path is found; its arcs' weights are raised by ``penalty`` times
    their weight and the search repeated, at most ``tries`` times (default ``3 k``),
    until ``k`` distinct paths are found. Each search is one compiled Dijkstra, so this
    is far cheaper than Yen's ``k x path length`` searches; the paths are loopless
    (least-weight paths on positive weights) but not the ``k`` least-weight ones.
    Weights of the returned paths are their unpenalised weights.
    """
    graph = SearchGraph.build(
        tail=tail,
        head=head,
        weight=np.asarray(weight, dtype=np.float64),
        n_vertices=n_vertices,
        usable=usable,
    )
    return graph.penalised_paths(source, target, k=k, penalty=penalty, tries=tries)
