"""The flow engine agrees with networkx's network simplex on random capacitated networks."""

from __future__ import annotations

import numpy as np
import pytest

from corridors.flows import Commodity, FlowArc, FlowNode, FlowProblem, solve

nx = pytest.importorskip("networkx")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_min_cost_equals_network_simplex(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 30
    graph = nx.DiGraph()
    arcs: list[FlowArc] = []
    for i in range(n):
        for j in rng.choice(n, size=4, replace=False):
            if i == j or graph.has_edge(i, int(j)):
                continue
            cap, cost = int(rng.integers(5, 40)), int(rng.integers(1, 20))
            graph.add_edge(i, int(j), capacity=cap, weight=cost)
            arcs.append(FlowArc(f"{i}-{j}", str(i), str(int(j)), capacity=cap, cost=cost))
    # a path 0 -> n-1 through every node keeps the problem feasible
    for i in range(n - 1):
        if not graph.has_edge(i, i + 1):
            graph.add_edge(i, i + 1, capacity=100, weight=50)
            arcs.append(FlowArc(f"{i}-{i + 1}", str(i), str(i + 1), capacity=100, cost=50))
    supply = 60
    graph.add_node(0, demand=-supply)
    graph.add_node(n - 1, demand=supply)
    expected = nx.network_simplex(graph)[0]
    problem = FlowProblem(
        tuple(FlowNode(str(i)) for i in range(n)),
        tuple(arcs),
        (Commodity("c", {"0": supply}, {str(n - 1): supply}, unmet_penalty=1e6),),
    )
    result = solve(problem)
    assert result.unmet_total("c") == pytest.approx(0, abs=1e-7)
    assert result.transport_cost == pytest.approx(expected)
    # every arc within its capacity, flow conserved
    load = result.arc_load
    assert np.all(load <= np.array([a.capacity for a in arcs]) + 1e-7)
