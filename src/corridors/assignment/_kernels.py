"""Compiled kernels (numba) of the shortest-path trees and all-or-nothing loading.

Importing this module raises ImportError when numba is not installed; callers fall
back on scipy. The functions are compiled on first use and cached on disk.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
from numpy.typing import NDArray

nb: Any = importlib.import_module("numba")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _tree_py(  # noqa: PLR0917
    indptr: IntArray,
    heads: IntArray,
    arcs: IntArray,
    cost_pos: FloatArray,
    source: int,
    dist: FloatArray,
    pred: IntArray,
    order: IntArray,
    heap: IntArray,
    hkey: FloatArray,
    pos: IntArray,
    need: NDArray[np.bool_],
    n_need: int,
) -> int:  # pragma: no cover - compiled
    """Binary-heap Dijkstra from ``source``; returns the number of settled vertices.

    ``heap`` holds vertices and ``hkey`` their distances side by side (fewer cache
    misses); ``pos`` is a vertex's heap slot, -1 when unseen, -2 once settled.
    """
    dist[source] = 0.0
    heap[0] = source
    hkey[0] = 0.0
    pos[source] = 0
    size = 1
    n_settled = 0
    while size > 0:
        v = heap[0]
        size -= 1
        pos[v] = -2
        order[n_settled] = v
        n_settled += 1
        if size > 0:  # move last to root and sift down
            last = heap[size]
            dl = hkey[size]
            i = 0
            while True:
                c = 2 * i + 1
                if c >= size:
                    break
                kc = hkey[c]
                if c + 1 < size and hkey[c + 1] < kc:
                    c += 1
                    kc = hkey[c]
                if kc < dl:
                    heap[i] = heap[c]
                    hkey[i] = kc
                    pos[heap[i]] = i
                    i = c
                else:
                    break
            heap[i] = last
            hkey[i] = dl
            pos[last] = i
        if need[v]:
            n_need -= 1
            if n_need == 0:
                break
        dv = dist[v]
        for k in range(indptr[v], indptr[v + 1]):
            w = heads[k]
            pw = pos[w]
            if pw == -2:
                continue
            nd = dv + cost_pos[k]
            if nd < dist[w]:
                dist[w] = nd
                pred[w] = arcs[k]
                i = pw
                if i < 0:
                    i = size
                    size += 1
                while i > 0:  # sift up
                    p = (i - 1) >> 1
                    if hkey[p] > nd:
                        heap[i] = heap[p]
                        hkey[i] = hkey[p]
                        pos[heap[i]] = i
                        i = p
                    else:
                        break
                heap[i] = w
                hkey[i] = nd
                pos[w] = i
    return n_settled


tree = nb.njit(cache=True, nogil=True)(_tree_py)


def _aon_py(  # noqa: PLR0917
    indptr: IntArray,
    heads: IntArray,
    arcs: IntArray,
    cost_pos: FloatArray,
    tails: IntArray,
    origins: IntArray,
    dests: IntArray,
    demand: FloatArray,
    n_vertices: int,
    n_arcs: int,
    n_chunks: int,
    full: bool,
    keep: bool,
    out_cost: FloatArray,
    out_pred: IntArray,
    out_sp: FloatArray,
) -> Any:  # pragma: no cover - compiled
    n_orig = origins.shape[0]
    n_dest = dests.shape[0]
    flows = np.zeros((n_chunks, n_arcs))
    for c in nb.prange(n_chunks):
        dist = np.empty(n_vertices)
        pred = np.empty(n_vertices, dtype=np.int64)
        order = np.empty(n_vertices, dtype=np.int64)
        heap = np.empty(n_vertices, dtype=np.int64)
        hkey = np.empty(n_vertices)
        pos = np.empty(n_vertices, dtype=np.int64)
        need = np.zeros(n_vertices, dtype=np.bool_)
        node_flow = np.zeros(n_vertices)
        for i in range(c, n_orig, n_chunks):
            n_need = 0
            for j in range(n_dest):
                if (full or demand[i, j] > 0.0) and not need[dests[j]]:
                    need[dests[j]] = True
                    n_need += 1
            if n_need == 0:
                continue
            dist[:] = np.inf
            pred[:] = -1
            pos[:] = -1
            # with ``keep`` the whole tree is grown (the target count never reaches 0)
            n_settled = tree(
                indptr,
                heads,
                arcs,
                cost_pos,
                origins[i],
                dist,
                pred,
                order,
                heap,
                hkey,
                pos,
                need,
                n_need + 1 if keep else n_need,
            )
            for j in range(n_dest):
                need[dests[j]] = False
                if pos[dests[j]] == -2:
                    out_cost[i, j] = dist[dests[j]]
                    if demand[i, j] > 0.0:
                        out_sp[i] += demand[i, j] * dist[dests[j]]
            if keep:
                for v in range(n_vertices):
                    out_pred[i, v] = pred[v] if pos[v] == -2 else -1
            for j in range(n_dest):
                node_flow[dests[j]] += demand[i, j]
            for k in range(n_settled - 1, 0, -1):
                v = order[k]
                f = node_flow[v]
                if f != 0.0:
                    a = pred[v]
                    flows[c, a] += f
                    node_flow[tails[a]] += f
                    node_flow[v] = 0.0
            node_flow[order[0]] = 0.0
    return flows.sum(axis=0)


aon = nb.njit(cache=True, parallel=True)(_aon_py)
