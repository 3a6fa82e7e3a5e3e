"""A route found on one network, retraced over the same legs of another and priced there."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.network import read_network
from corridors.routing import CostParameters, build_graph, compare, retrace
from corridors.scenarios.measures import apply_changes
from corridors.scenarios.spec import Change


def test_retrace_on_the_same_graph_is_the_route(mini_path: Path) -> None:
    """Every route of Alpha-Echo in 2030 (gauge changes at Bravo and Foxtrot, the ferry's
    transfers at Charlie and Delta, the road l7) comes back step for step."""
    params = CostParameters(year=2030, value_of_time_usd_h=10)
    net = read_network(mini_path)
    graph = build_graph(net, params)
    routes = compare(net, "Alpha", "Echo", params=params, graph=graph, k=3)
    assert len(routes) == 3
    for r in routes:
        assert retrace(graph, r, corridor=r.corridor) == r


def test_retrace_prices_the_legs_on_the_other_network(mini_path: Path) -> None:
    """Bravo's border at 2 h instead of 10 h: each route is the one the search of that
    network finds over the same links, 8 h faster (every route enters Kazakhstan
    there); a route over the road l7, not open in 2024, has no path then."""
    params = CostParameters(year=2030, value_of_time_usd_h=10)
    net = read_network(mini_path)
    routes = compare(net, "Alpha", "Echo", params=params, k=3)
    faster = apply_changes(net, [Change.model_validate({"node": "xb", "set": {"border_h": 2}})])
    graph = build_graph(faster, params)
    found = {r.link_ids: r for r in compare(faster, "Alpha", "Echo", params=params, k=3)}
    for r in routes:
        moved = retrace(graph, r, corridor=r.corridor)
        assert moved is not None
        assert moved.hours == pytest.approx(r.hours - 8.0, abs=1e-9)
        assert moved.usd == r.usd
        if r.link_ids in found:
            assert moved == found[r.link_ids]
    assert len(set(found) & {r.link_ids for r in routes}) >= 2
    early = build_graph(net, CostParameters(year=2024, value_of_time_usd_h=10))
    road = [r for r in routes if "l7" in r.link_ids]
    assert road
    assert retrace(early, road[0]) is None
    assert all(retrace(early, r) is not None for r in routes if "l7" not in r.link_ids)
