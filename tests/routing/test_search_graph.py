"""The search graph built once and narrowed or reweighted gives the same searches as a new one."""

from __future__ import annotations

from pathlib import Path as FilePath

import numpy as np
import pytest

from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.routing import CostParameters, build_graph
from corridors.routing.graph import ExpandedGraph
from corridors.routing.paths import Path, SearchGraph, penalised_paths, shortest_path
from corridors.routing.routes import _paths, od_mask


def _parallel() -> dict[str, object]:
    """0 -> 1 by arc 0 (weight 5) or arc 1 (weight 2, parallel); 1 -> 2 by arc 2 (1); 0 -> 2 by arc 3 (9)."""
    return {
        "tail": np.array([0, 0, 1, 0], dtype=np.int64),
        "head": np.array([1, 1, 2, 2], dtype=np.int64),
        "weight": np.array([5.0, 2.0, 1.0, 9.0]),
        "n_vertices": 3,
    }


def _same(a: SearchGraph, b: SearchGraph) -> None:
    """The same entries, in the same order, standing for the same arcs at the same weights."""
    assert a.arcs.tolist() == b.arcs.tolist()
    assert a.keys.tolist() == b.keys.tolist()
    assert a.indptr.tolist() == b.indptr.tolist()
    assert a.indices.tolist() == b.indices.tolist()
    assert a.single.tolist() == b.single.tolist()
    assert a.weight[a.arcs].tolist() == b.weight[b.arcs].tolist()


def _penalised_anew(
    tail: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    n: int,
    usable: np.ndarray,
    k: int = 3,
) -> list[Path]:
    """The link-penalty method with every search on a graph reduced from scratch."""
    w = weight.copy()
    found: dict[tuple[int, ...], Path] = {}
    for _ in range(3 * k):
        path = shortest_path(
            tail=tail, head=head, weight=w, n_vertices=n, source=0, target=n - 1, usable=usable
        )
        if path is None:
            break
        if path.arcs not in found:
            found[path.arcs] = Path(path.arcs, float(weight[list(path.arcs)].sum()))
            if len(found) == k:
                break
        w[list(path.arcs)] *= 1.5
    return sorted(found.values(), key=lambda p: p.weight)


def test_parallel_arcs_by_hand() -> None:
    g = SearchGraph.build(**_parallel())  # type: ignore[arg-type]
    # the cheaper of the parallel arcs stands for the pair 0 -> 1: 0-1-2 costs 2 + 1
    assert g.arcs.tolist() == [1, 3, 2]
    assert g.single.tolist() == [False, True, True]
    best = g.path(0, 2)
    assert best is not None
    assert (best.arcs, best.weight) == ((1, 2), 3.0)
    # without arc 1 its parallel arc 0 takes over (5 + 1 = 6 < 9): rebuilt, not dropped
    narrowed = g.without(np.array([False, True, False, False]))
    path = narrowed.path(0, 2)
    assert path is not None
    assert (path.arcs, path.weight) == ((0, 2), 6.0)
    # without both, the pair is gone: the direct arc (9)
    both = g.without(np.array([True, True, False, False]))
    path = both.path(0, 2)
    assert path is not None
    assert (path.arcs, path.weight) == ((3,), 9.0)
    assert both.arcs.tolist() == [3, 2]
    # arc 1 made dearer than arc 0: arc 0 stands for the pair again
    heavier = g.reweighted(np.array([5.0, 7.0, 1.0, 9.0]))
    assert heavier.arcs.tolist() == [0, 3, 2]
    path = heavier.path(0, 2)
    assert path is not None
    assert (path.arcs, path.weight) == ((0, 2), 6.0)
    # unreachable
    assert g.without(np.array([True, True, False, True])).path(0, 2) is None


def test_narrowed_and_reweighted_equal_a_new_build() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        n = int(rng.integers(3, 9))
        m = int(rng.integers(n, 4 * n))
        tail = rng.integers(0, n, m).astype(np.int64)
        head = rng.integers(0, n, m).astype(np.int64)
        ok = tail != head
        tail, head = tail[ok], head[ok]
        # parallel arcs with equal weights too (the lowest arc id stands for the pair)
        weight = rng.integers(1, 4, tail.size).astype(np.float64)
        usable = rng.random(tail.size) < 0.9
        g = SearchGraph.build(tail=tail, head=head, weight=weight, n_vertices=n, usable=usable)
        removed = rng.random(tail.size) < 0.3
        _same(
            g.without(removed),
            SearchGraph.build(
                tail=tail, head=head, weight=weight, n_vertices=n, usable=usable & ~removed
            ),
        )
        w = weight.copy()
        w[rng.random(tail.size) < 0.3] *= 1.5
        _same(
            g.reweighted(w),
            SearchGraph.build(tail=tail, head=head, weight=w, n_vertices=n, usable=usable),
        )
        both = g.without(removed).reweighted(w)
        fresh = SearchGraph.build(
            tail=tail, head=head, weight=w, n_vertices=n, usable=usable & ~removed
        )
        _same(both, fresh)
        for s in range(n):
            p, q = both.path(s, (s + 1) % n), fresh.path(s, (s + 1) % n)
            assert (p is None) == (q is None)
            if p is not None and q is not None:
                assert (p.arcs, p.weight) == (q.arcs, q.weight)
        # the link-penalty method from the narrowed graph: as a new search each time
        assert g.without(removed).penalised_paths(0, n - 1, k=3) == _penalised_anew(
            tail, head, weight, n, usable & ~removed
        )
        assert penalised_paths(
            tail=tail, head=head, weight=weight, n_vertices=n, source=0, target=n - 1, k=2
        ) == _penalised_anew(tail, head, weight, n, np.ones(tail.size, dtype=bool), k=2)
        one = shortest_path(
            tail=tail, head=head, weight=weight, n_vertices=n, source=0, target=n - 1
        )
        assert one == SearchGraph.build(tail=tail, head=head, weight=weight, n_vertices=n).path(
            0, n - 1
        )


def _pair_by_itself(graph: ExpandedGraph, o: str, d: str, corridor: str) -> tuple[int, ...] | None:
    """The pair's least-cost path searched alone over :func:`od_mask` (the definition)."""
    path = shortest_path(
        tail=graph.tail,
        head=graph.head,
        weight=graph.cost,
        n_vertices=graph.n_vertices,
        source=graph.source(o),
        target=graph.sink(d),
        usable=od_mask(graph, o, d, corridor),
    )
    return None if path is None else path.arcs


@pytest.mark.parametrize("year", [2024, 2035])
def test_one_search_per_origin_finds_each_pairs_path(year: int, mini_path: FilePath) -> None:
    # compare keeps the search from an origin for every destination: on the shipped
    # network (and the mini one) each pair's path is the one its own search finds
    rng = np.random.default_rng(year)
    for net in (read_network(eurasia_path()), read_network(mini_path)):
        graph = build_graph(net, CostParameters(year=year))
        places = list(graph.network.node_index)
        origins = rng.choice(len(places), size=min(8, len(places)), replace=False)
        for i in origins:
            o = places[int(i)]
            for j in rng.choice(len(places), size=min(25, len(places)), replace=False):
                d = places[int(j)]
                if d == o:
                    continue
                for corridor in net.corridor_ids:
                    found = _paths(graph, o, d, corridor, 1)
                    got = found[0].arcs if found else None
                    assert got == _pair_by_itself(graph, o, d, corridor), (o, d, corridor)
        assert graph.origin_trees  # the searches were kept
