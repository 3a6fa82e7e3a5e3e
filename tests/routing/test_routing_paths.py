"""Shortest and k-shortest paths on small graphs checked against networkx-free hand results."""

from __future__ import annotations

import itertools

import numpy as np

from corridors.routing.paths import k_shortest_paths, shortest_path


def _graph():
    # 0 -> 1 -> 3, 0 -> 2 -> 3, 0 -> 3 direct, with a parallel cheaper 0 -> 3 arc
    tail = np.array([0, 1, 0, 2, 0, 0, 1], dtype=np.int64)
    head = np.array([1, 3, 2, 3, 3, 3, 2], dtype=np.int64)
    weight = np.array([1.0, 1.0, 2.0, 2.0, 5.0, 4.5, 0.5])
    return tail, head, weight


def _all_simple_paths(tail, head, weight, s, t):
    """Brute force: every loopless arc sequence from s to t, by weight."""
    out = []
    arcs = range(tail.size)
    for r in range(1, tail.size + 1):
        for seq in itertools.permutations(arcs, r):
            if tail[seq[0]] != s or head[seq[-1]] != t:
                continue
            if any(head[a] != tail[b] for a, b in itertools.pairwise(seq)):
                continue
            verts = [tail[seq[0]], *(head[a] for a in seq)]
            if len(set(verts)) != len(verts):
                continue
            out.append((float(weight[list(seq)].sum()), seq))
    return sorted(out)


def test_shortest_path_picks_cheapest_parallel_arc():
    tail, head, weight = _graph()
    p = shortest_path(tail=tail, head=head, weight=weight, n_vertices=4, source=0, target=3)
    assert p is not None
    assert p.arcs == (0, 1)
    assert p.weight == 2.0
    usable = np.ones(tail.size, dtype=bool)
    usable[[0, 2]] = False
    p = shortest_path(
        tail=tail, head=head, weight=weight, n_vertices=4, source=0, target=3, usable=usable
    )
    assert p is not None
    assert p.arcs == (5,)  # 4.5 beats the parallel 5.0


def test_unreachable_returns_none():
    tail, head, weight = _graph()
    assert (
        shortest_path(tail=tail, head=head, weight=weight, n_vertices=5, source=0, target=4) is None
    )


def test_yen_matches_brute_force_enumeration():
    tail, head, weight = _graph()
    expected = _all_simple_paths(tail, head, weight, 0, 3)
    paths = k_shortest_paths(
        tail=tail, head=head, weight=weight, n_vertices=4, source=0, target=3, k=10
    )
    assert [round(p.weight, 9) for p in paths] == [round(w, 9) for w, _ in expected]
    assert {p.arcs for p in paths} == {seq for _, seq in expected}


def test_yen_on_random_graphs_matches_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(5):
        n = 5
        pairs = [(u, v) for u in range(n) for v in range(n) if u != v and rng.random() < 0.45]
        tail = np.array([u for u, _ in pairs], dtype=np.int64)
        head = np.array([v for _, v in pairs], dtype=np.int64)
        weight = rng.uniform(1, 10, size=len(pairs))
        if tail.size > 9:
            tail, head, weight = tail[:9], head[:9], weight[:9]
        expected = _all_simple_paths(tail, head, weight, 0, n - 1)
        paths = k_shortest_paths(
            tail=tail, head=head, weight=weight, n_vertices=n, source=0, target=n - 1, k=50
        )
        assert [round(p.weight, 9) for p in paths] == [round(w, 9) for w, _ in expected]
