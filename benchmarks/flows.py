"""Minimum-cost flow: corridors.flows (HiGHS LP) vs networkx's network simplex.

A square grid of ``size`` x ``size`` nodes with arcs both ways (random integer costs and
capacities, fixed seed) carries ``supply`` from one corner to the opposite one. Both tools
solve the same single-commodity problem; the script checks that the costs agree and prints
the best-of-``repeat`` seconds and the ratio ours / networkx. Ours also returns the shadow
prices and would carry several commodities and node capacities, which networkx does not.

    python benchmarks/flows.py --sizes 10 20 40 --repeat 3
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np

from corridors.flows import Commodity, FlowArc, FlowNode, FlowProblem, solve


def grid(size: int, seed: int) -> tuple[nx.DiGraph, FlowProblem, int]:
    rng = np.random.default_rng(seed)
    graph = nx.DiGraph()
    arcs = []
    for r in range(size):
        for c in range(size):
            for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0)):
                r2, c2 = r + dr, c + dc
                if 0 <= r2 < size and 0 <= c2 < size:
                    a, b = r * size + c, r2 * size + c2
                    cap, cost = int(rng.integers(20, 100)), int(rng.integers(1, 30))
                    graph.add_edge(a, b, capacity=cap, weight=cost)
                    arcs.append(FlowArc(f"{a}-{b}", str(a), str(b), capacity=cap, cost=cost))
    supply = 40  # two arcs of at least 20 leave the corner: always feasible
    last = size * size - 1
    graph.add_node(0, demand=-supply)
    graph.add_node(last, demand=supply)
    problem = FlowProblem(
        tuple(FlowNode(str(i)) for i in range(size * size)),
        tuple(arcs),
        (Commodity("c", {"0": supply}, {str(last): supply}, unmet_penalty=1e6),),
    )
    return graph, problem, len(arcs)


def best(fn, repeat: int) -> tuple[float, float]:
    times, value = [], 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| grid | arcs | ours s | networkx s | cost equal | ratio ours/networkx |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        graph, problem, n_arcs = grid(size, seed=size)
        ours_s, ours_cost = best(lambda p=problem: solve(p).transport_cost, args.repeat)
        nx_s, nx_cost = best(lambda g=graph: float(nx.network_simplex(g)[0]), args.repeat)
        same = abs(ours_cost - nx_cost) <= 1e-6 * max(1.0, nx_cost)
        ratio = ours_s / nx_s
        print(f"| {size}x{size} | {n_arcs} | {ours_s:.3f} | {nx_s:.3f} | {same} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
