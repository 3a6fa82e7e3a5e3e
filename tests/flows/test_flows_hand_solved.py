"""Minimum-cost multi-commodity flow on small networks solved by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.flows import (
    Commodity,
    FlowArc,
    FlowInputError,
    FlowNode,
    FlowProblem,
    solve,
)
from corridors.flows.paths import decompose


def _nodes(*ids: str, **caps: float) -> tuple[FlowNode, ...]:
    return tuple(FlowNode(i, capacity=caps.get(i, math.inf)) for i in ids)


def test_binding_arc_capacity_and_its_shadow_price() -> None:
    # 100 t from A to B: the cheap arc (USD 10/t) holds 60 t, the rest pays USD 15/t.
    # One more tonne of cheap capacity saves 15 - 10 = USD 5.
    problem = FlowProblem(
        _nodes("A", "B"),
        (
            FlowArc("cheap", "A", "B", capacity=60, cost=10),
            FlowArc("dear", "A", "B", cost=15),
        ),
        (Commodity("crude", supply={"A": 100}, demand={"B": 100}, unmet_penalty=1000),),
    )
    res = solve(problem)
    assert res.arc_flow("cheap") == pytest.approx(60)
    assert res.arc_flow("dear") == pytest.approx(40)
    assert res.transport_cost == pytest.approx(60 * 10 + 40 * 15)
    assert res.penalty_cost == 0
    assert res.unmet_total("crude") == pytest.approx(0)
    [bind] = res.binding()
    assert (bind.kind, bind.id) == ("arc", "cheap")
    assert bind.shadow_price == pytest.approx(5)
    assert res.arc_shadow_price[res.arc_ids.index("dear")] == 0
    # the marginal tonne at B goes the dear way
    assert res.node_price[res.node_ids.index("B"), 0] == pytest.approx(15)


def test_short_capacity_reports_unmet_and_prices_it_at_penalty_less_cost() -> None:
    problem = FlowProblem(
        _nodes("A", "B"),
        (FlowArc("only", "A", "B", capacity=30, cost=10),),
        (Commodity("crude", supply={"A": 100}, demand={"B": 100}, unmet_penalty=1000),),
    )
    res = solve(problem)
    assert res.arc_flow("only") == pytest.approx(30)
    assert res.unmet["crude"]["B"] == pytest.approx(70)
    assert res.stranded["crude"]["A"] == pytest.approx(70)
    assert res.delivered("crude") == pytest.approx(30)
    assert res.penalty_cost == pytest.approx(70 * 1000)
    assert res.binding()[0].shadow_price == pytest.approx(1000 - 10)


def test_node_capacity_binds_and_is_priced() -> None:
    # A -> T -> B costs 4 but the terminal T handles 50; the direct arc costs 9.
    problem = FlowProblem(
        _nodes("A", "T", "B", T=50),
        (
            FlowArc("a-t", "A", "T", cost=2),
            FlowArc("t-b", "T", "B", cost=2),
            FlowArc("a-b", "A", "B", cost=9),
        ),
        (Commodity("crude", supply={"A": 80}, demand={"B": 80}),),
    )
    res = solve(problem)
    assert res.arc_flow("t-b") == pytest.approx(50)
    assert res.arc_flow("a-b") == pytest.approx(30)
    assert res.node_throughput[res.node_ids.index("T")] == pytest.approx(50)
    [bind] = res.binding()
    assert (bind.kind, bind.id, bind.shadow_price) == ("node", "T", pytest.approx(5))
    # conservation at every node
    load = res.arc_load
    for j, node in enumerate(res.node_ids):
        out = sum(load[i] for i, a in enumerate(problem.arcs) if a.tail == node)
        inn = sum(load[i] for i, a in enumerate(problem.arcs) if a.head == node)
        net = {"A": 80, "B": -80}.get(node, 0)
        assert out - inn == pytest.approx(net), node
        del j


def test_commodity_that_cannot_be_moved_is_reported_not_dropped() -> None:
    # power may not use the pipeline; it has no other way, so all 40 MWh stay put.
    problem = FlowProblem(
        _nodes("A", "B"),
        (FlowArc("pipe", "A", "B", cost=1, commodities=frozenset({"crude"})),),
        (
            Commodity("crude", supply={"A": 10}, demand={"B": 10}),
            Commodity("power", supply={"A": 40}, demand={"B": 40}, unmet_penalty=50),
        ),
    )
    res = solve(problem)
    assert res.arc_flow("pipe", "crude") == pytest.approx(10)
    assert res.arc_flow("pipe", "power") == 0
    assert res.unmet_total("crude") == pytest.approx(0)
    assert res.unmet_total("power") == pytest.approx(40)
    assert res.stranded["power"] == {"A": pytest.approx(40)}
    assert res.penalty_cost == pytest.approx(40 * 50)
    assert res.total_cost == pytest.approx(10 + 2000)


def test_shared_capacity_goes_to_the_commodity_that_loses_most_without_it() -> None:
    # Both goods want the shared arc (cap 50); crude's detour costs +5, gas's +20.
    problem = FlowProblem(
        _nodes("A", "B"),
        (
            FlowArc("shared", "A", "B", capacity=50, cost=1),
            FlowArc("crude-detour", "A", "B", cost=6, commodities=frozenset({"crude"})),
            FlowArc("gas-detour", "A", "B", cost=21, commodities=frozenset({"gas"})),
        ),
        (
            Commodity("crude", supply={"A": 40}, demand={"B": 40}),
            Commodity("gas", supply={"A": 30}, demand={"B": 30}),
        ),
    )
    res = solve(problem)
    assert res.arc_flow("shared", "gas") == pytest.approx(30)
    assert res.arc_flow("shared", "crude") == pytest.approx(20)
    assert res.arc_flow("crude-detour") == pytest.approx(20)
    assert res.binding()[0].shadow_price == pytest.approx(5)
    assert res.transport_cost == pytest.approx(50 * 1 + 20 * 6)


def test_paths_carry_the_whole_flow() -> None:
    problem = FlowProblem(
        _nodes("A", "M", "B"),
        (
            FlowArc("a-m", "A", "M", capacity=25, cost=1),
            FlowArc("m-b", "M", "B", cost=1),
            FlowArc("a-b", "A", "B", cost=5),
        ),
        (Commodity("c", supply={"A": 60}, demand={"B": 60}),),
    )
    res = solve(problem)
    paths = decompose(res, commodity="c", source="A", sink="B")
    assert paths == [(("a-b",), pytest.approx(35)), (("a-m", "m-b"), pytest.approx(25))]


def test_bad_input_lists_every_problem() -> None:
    with pytest.raises(FlowInputError) as err:
        FlowProblem(
            _nodes("A", "B"),
            (
                FlowArc("x", "A", "Nowhere", capacity=float("nan")),
                FlowArc("y", "A", "B", cost=-1),
            ),
            (Commodity("c", supply={"A": 5}, demand={"B": 4}),),
        )
    text = str(err.value)
    assert "arc x.head" in text
    assert "unknown node" in text
    assert "arc x.capacity" in text
    assert "expected a finite number" in text
    assert "arc y.cost" in text
    assert "must not be negative" in text
    assert "do not balance" in text
    assert isinstance(err.value, ValueError)
    assert len(err.value.problems) == 4


def test_empty_problem_solves_to_nothing() -> None:
    res = solve(FlowProblem(_nodes("A"), (), ()))
    assert res.flow.shape == (0, 0)
    assert res.total_cost == 0
    assert np.all(res.node_throughput == 0)
