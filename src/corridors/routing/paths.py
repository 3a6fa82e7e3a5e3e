"""Shortest paths and k shortest loopless paths on the expanded graph.

Dijkstra runs in compiled code (:func:`scipy.sparse.csgraph.dijkstra`); parallel arcs
(two links between the same pair of places, e.g. the Suez and the Cape sea legs) are
reduced to the cheapest usable one before each search and mapped back to arc ids.
Yen's algorithm (Yen 1971) finds alternatives by repeated searches from spur
vertices with the arcs and vertices of earlier paths masked out.
"""

from __future__ import annotations

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


def _reduced_csr(
    tail: IntArray, head: IntArray, weight: FloatArray, usable: BoolArray, n: int
) -> tuple[csr_matrix, IntArray, IntArray]:
    """CSR matrix of the cheapest usable arc per vertex pair, and the arc it stands for.

    Returns the matrix, the sorted keys ``tail * n + head`` of its entries and the
    arc of each key (looked up with ``searchsorted``, no dict per call).
    """
    idx = np.flatnonzero(usable)
    order = idx[np.lexsort((weight[idx], head[idx], tail[idx]))]
    t, h = tail[order], head[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    keep = order[first]
    # rows are sorted by tail and, within a row, by head: the CSR arrays directly (a
    # COO matrix would sort them again)
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(tail[keep], minlength=n), out=indptr[1:])
    mat = csr_matrix((weight[keep], head[keep].astype(np.int32), indptr), shape=(n, n))
    keys = tail[keep].astype(np.int64) * n + head[keep]  # sorted: order is by tail, head
    return mat, keys, keep


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
    if usable is None:
        usable = np.ones(tail.size, dtype=bool)
    mat, keys, keep = _reduced_csr(tail, head, weight, usable, n_vertices)
    dist, pred = dijkstra(mat, directed=True, indices=source, return_predecessors=True)
    if not np.isfinite(dist[target]):
        return None
    vertices = [target]
    while vertices[-1] != source:
        vertices.append(int(pred[vertices[-1]]))
    walk = np.array(vertices[::-1], dtype=np.int64)
    arcs = keep[np.searchsorted(keys, walk[:-1] * n_vertices + walk[1:])]
    return Path(arcs=tuple(int(a) for a in arcs), weight=float(dist[target]))


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


PENALTY = 0.5
"""Link-penalty method: weight added to the arcs of a path found, as a share of it."""


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
    w = np.array(weight, dtype=np.float64)
    found: dict[tuple[int, ...], Path] = {}
    for _ in range(3 * k if tries is None else tries):
        path = shortest_path(
            tail=tail,
            head=head,
            weight=w,
            n_vertices=n_vertices,
            source=source,
            target=target,
            usable=usable,
        )
        if path is None:
            break
        if path.arcs not in found:
            found[path.arcs] = Path(path.arcs, float(weight[list(path.arcs)].sum()))
            if len(found) == k:
                break
        w[list(path.arcs)] *= 1.0 + penalty
    return sorted(found.values(), key=lambda p: p.weight)
