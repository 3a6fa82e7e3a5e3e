"""Split an optimal flow into paths (flow decomposition)."""

from __future__ import annotations

from collections import defaultdict

from corridors.flows.solve import FlowResult

EPS = 1e-7


def decompose(
    result: FlowResult, *, commodity: str, source: str, sink: str
) -> list[tuple[tuple[str, ...], float]]:
    """Paths from ``source`` to ``sink`` that together carry the flow of a commodity.

    Greedy decomposition: follow arcs that still carry flow from the source, take the
    smallest flow on the path, subtract it, repeat. Flow on cycles (there are none in
    a time-expanded network, and a minimum-cost flow with positive costs has none) is
    left out.

    Parameters
    ----------
    result : FlowResult
        A solved problem.
    commodity : str
        Commodity id.
    source, sink : str
        Node ids the paths start and end at.

    Returns
    -------
    list of (tuple of str, float)
        Arc ids of each path and the flow it carries (flow units), largest first.
    """
    k = result.commodity_ids.index(commodity)
    arcs = result.problem.arcs
    remaining = {i: float(result.flow[i, k]) for i in range(len(arcs)) if result.flow[i, k] > EPS}
    out_arcs: dict[str, list[int]] = defaultdict(list)
    for i in remaining:
        out_arcs[arcs[i].tail].append(i)
    paths: list[tuple[tuple[str, ...], float]] = []
    limit = len(arcs) + 1
    while True:
        node = source
        path: list[int] = []
        seen = {source}
        while node != sink and len(path) < limit:
            nxt = next((i for i in out_arcs.get(node, ()) if remaining.get(i, 0.0) > EPS), None)
            if nxt is None:
                break
            path.append(nxt)
            node = arcs[nxt].head
            if node in seen and node != sink:  # a cycle: stop following it
                break
            seen.add(node)
        if node != sink or not path:
            break
        amount = min(remaining[i] for i in path)
        for i in path:
            remaining[i] -= amount
        paths.append((tuple(arcs[i].id for i in path), amount))
    paths.sort(key=lambda p: -p[1])
    return paths
