"""Multi-class equilibrium: hand-solved two-class cases, conservation, single-class identity."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from corridors.assignment.corridor import assign_corridors
from corridors.assignment.equilibrium import (
    Algorithm,
    DemandClass,
    assign_equilibrium,
    assign_multiclass,
)
from corridors.assignment.graph import AssignmentGraph, build_graph
from corridors.cost.parameters import CostParameters
from corridors.errors import DemandError
from corridors.network import read_network

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"

# Two routes from zone 0 to zone 1 after a shared first link (vertex 0 -> 1):
#   arc 0: shared link, BPR t = 1 (1 + 0.15 (x/1000)^4), every unit passes it;
#   arc 1: fast route, BPR t = 10 (1 + 0.15 (x/100)^4), toll USD 50;
#   arc 2: slow route, 20 h, free, no capacity limit.
# A class with value of time v pays 50 / v hours on arc 1.
T_FAST, CAP_FAST, T_SLOW, TOLL = 10.0, 100.0, 20.0, 50.0


def two_route_graph() -> AssignmentGraph:
    return build_graph(
        n_vertices=3,
        tail=[0, 1, 1],
        head=[1, 2, 2],
        free_time=[1.0, T_FAST, T_SLOW],
        group=[0, 1, -1],
        group_scale=[1.0, T_FAST],
        group_capacity=[1000.0, CAP_FAST],
        origins=[0, 2],
        destinations=[0, 2],
    )


def fast_time(x: float) -> float:
    return T_FAST * (1.0 + 0.15 * (x / CAP_FAST) ** 4)


def classes_for(vots: tuple[float, float], demands: tuple[float, float]) -> list[DemandClass]:
    out = []
    for name, v, d in zip(("high", "low"), vots, demands, strict=True):
        dem = np.zeros((2, 2))
        dem[0, 1] = d
        out.append(DemandClass(name, dem, np.array([0.0, TOLL / v, 0.0])))
    return out


def hand_solution(vots: tuple[float, float], demands: tuple[float, float]) -> tuple[float, float]:
    """Flows of each class on the fast route at the multi-class equilibrium.

    Classes are served in order of value of time: the fast route's time settles where
    the marginal class is indifferent, ``toll / v + t_fast(x) = t_slow``.
    """
    on_fast = [0.0, 0.0]
    for k in (0, 1):  # high value of time first
        before = sum(on_fast)
        target = T_SLOW - TOLL / vots[k]
        if target <= fast_time(before):
            break  # this class (and any lower one) stays on the slow route
        if fast_time(before + demands[k]) <= target:
            on_fast[k] = demands[k]  # the whole class fits before indifference
            continue
        x = brentq(lambda x, t=target: fast_time(x) - t, before, before + demands[k], xtol=1e-12)
        on_fast[k] = x - before
        break
    return on_fast[0], on_fast[1]


CASES = {
    # high class splits (156.5 on the fast route), low class all slow
    "high-splits": ((50.0, 5.0), (300.0, 100.0)),
    # high class all fast, low class splits (85.1 fast)
    "low-splits": ((50.0, 10.0), (50.0, 300.0)),
}


@pytest.mark.parametrize("algorithm", ["fw", "bfw", "cfw"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_two_class_equilibrium_matches_hand_solution(case: str, algorithm: str) -> None:
    vots, demands = CASES[case]
    # plain FW converges sublinearly (the last units leave an unused route like 1/k):
    # looser target and tolerance than its conjugate variants
    fw = algorithm == "fw"
    res = assign_multiclass(
        two_route_graph(),
        classes_for(vots, demands),
        algorithm=cast(Algorithm, algorithm),
        gap=1e-7,
        max_iter=3000,
        keep_routes=False,
    )
    assert res.converged or (fw and res.gap < 5e-4)
    expected = hand_solution(vots, demands)
    tol = 2e-3 * sum(demands) if fw else 1e-5 * sum(demands)
    for k in (0, 1):
        assert res.class_flow[k, 1] == pytest.approx(expected[k], abs=tol)
        # conservation per class: everything passes the shared link, fast + slow = demand
        assert res.class_flow[k, 0] == pytest.approx(demands[k], rel=1e-12)
        assert res.class_flow[k, 1] + res.class_flow[k, 2] == pytest.approx(demands[k], rel=1e-9)
    # the shared link's delay sees the total of both classes
    assert res.group_flow[0] == pytest.approx(sum(demands))
    # Wardrop per class: a used route is no dearer than the other (hours)
    for k in (0, 1):
        c = res.cost(k)
        fast, slow = c[0] + c[1], c[0] + c[2]
        if res.class_flow[k, 1] > tol:
            assert fast <= slow * (1 + 1e-3)
        if res.class_flow[k, 2] > tol:
            assert slow <= fast * (1 + 1e-3)
    skims = res.skims_frame()
    assert set(skims["class"]) == {"high", "low"}
    assert res.routes is None


def test_high_value_of_time_takes_the_fast_route() -> None:
    vots, demands = (1000.0, 2.0), (60.0, 60.0)
    res = assign_multiclass(two_route_graph(), classes_for(vots, demands), gap=1e-9, max_iter=2000)
    # toll is 0.05 h for the high class: it fills the fast route; 25 h for the low one
    assert res.class_flow[0, 1] == pytest.approx(60.0, rel=1e-6)
    assert res.class_flow[1, 1] == pytest.approx(0.0, abs=1e-6)
    assert res.class_flow[1, 2] == pytest.approx(60.0, rel=1e-6)


@pytest.mark.parametrize("algorithm", ["fw", "bfw"])
def test_equal_values_of_time_give_the_single_class_equilibrium(algorithm: str) -> None:
    g = two_route_graph()
    classes = classes_for((20.0, 20.0), (120.0, 80.0))
    multi = assign_multiclass(
        g, classes, algorithm=cast(Algorithm, algorithm), gap=1e-10, max_iter=3000
    )
    g1 = build_graph(
        n_vertices=3,
        tail=[0, 1, 1],
        head=[1, 2, 2],
        free_time=[1.0, T_FAST, T_SLOW],
        fixed_cost=[0.0, TOLL / 20.0, 0.0],
        group=[0, 1, -1],
        group_scale=[1.0, T_FAST],
        group_capacity=[1000.0, CAP_FAST],
        origins=[0, 2],
        destinations=[0, 2],
    )
    single = assign_equilibrium(
        g1,
        classes[0].demand + classes[1].demand,
        algorithm=cast(Algorithm, algorithm),
        gap=1e-10,
        max_iter=3000,
    )
    np.testing.assert_allclose(multi.flow, single.flow, rtol=1e-6)
    # analytic: 2.5 h toll + t_fast(x) = 20 h
    x = brentq(lambda x: fast_time(x) - (T_SLOW - TOLL / 20.0), 0.0, 200.0, xtol=1e-12)
    assert multi.flow[1] == pytest.approx(x, rel=1e-5)


def test_one_class_is_exactly_the_single_class_assignment() -> None:
    g = build_graph(
        n_vertices=2,
        tail=[0, 0, 0],
        head=[1, 1, 1],
        free_time=[2.0, 4.0, 3.0],
        group=[0, 1, 2],
        group_scale=[2.0, 4.0, 3.0],
        group_capacity=[10.0, 20.0, 15.0],
        group_alpha=1.0,
        group_beta=1.0,
        origins=[0, 1],
        destinations=[0, 1],
    )
    dem = np.array([[0.0, 30.0], [0.0, 0.0]])
    algorithms: tuple[Algorithm, ...] = ("fw", "cfw", "bfw", "msa")
    for algorithm in algorithms:
        one = assign_equilibrium(g, dem, algorithm=algorithm, gap=1e-12, max_iter=50)
        multi = assign_multiclass(
            g, [DemandClass("all", dem)], algorithm=algorithm, gap=1e-12, max_iter=50
        )
        assert np.array_equal(one.flow, multi.class_flow[0])
        assert np.array_equal(one.gap_history, multi.gap_history)


def test_bad_classes_are_rejected() -> None:
    g = two_route_graph()
    with pytest.raises(ValueError, match="at least one"):
        assign_multiclass(g, [])
    c = classes_for((10.0, 10.0), (1.0, 1.0))
    with pytest.raises(ValueError, match="unique"):
        assign_multiclass(g, [c[0], c[0]])
    with pytest.raises(ValueError, match="fixed cost"):
        assign_multiclass(g, [DemandClass("x", c[0].demand, np.array([0.0, -1.0, 0.0]))])


def _mini_two_classes(vot_a: str, vot_b: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": ["Alpha", "Alpha", "Alpha"],
            "destination": ["Echo", "Echo", "Echo"],
            "commodity": ["containers", "containers", "dry_bulk"],
            "volume": [600.0, 400.0, 5000.0],
            "unit": ["TEU", "TEU", "t"],
            "value_of_time_usd_h": [vot_a, vot_b, ""],
        }
    )


def test_corridor_classes_share_capacity_and_report_volumes_per_class() -> None:
    net = read_network(MINI)
    res = assign_corridors(
        net,
        _mini_two_classes("30", "5"),
        params=CostParameters(unit="TEU"),
        gap=1e-6,
        max_iter=2000,
    )
    assert res.class_names == ("containers@5", "containers@30", "dry_bulk")
    # dry bulk: blank value of time = the default per tonne-hour, converted to per TEU-hour
    assert res.class_vot[2] == pytest.approx(CostParameters(unit="TEU").vot)
    total = 600.0 + 400.0 + 5000.0 / CostParameters().tonnes_per_teu
    nodes = res.nodes().set_index("node_id")
    assert nodes.loc["xb", "throughput_teu_yr"] == pytest.approx(total)
    worst = res.bottlenecks()
    row = worst[worst["label"] == "node:xb"].iloc[0]
    per_class = [row[f"flow[{n}]"] for n in res.class_names]
    assert per_class == pytest.approx([400.0, 600.0, 500.0])
    assert sum(per_class) == pytest.approx(row["flow"])
    skims = res.skims()
    assert set(skims["class"]) == set(res.class_names)
    # same route and hours, money weighed at each class's value of time
    h = skims.set_index("class")["hours"]
    assert h["containers@30"] == pytest.approx(h["containers@5"])
    flows = res.corridor_flows()
    assert flows["volume"].sum() == pytest.approx(total)


def test_corridor_bad_value_of_time_is_reported_with_line() -> None:
    net = read_network(MINI)
    with pytest.raises(DemandError) as err:
        assign_corridors(net, _mini_two_classes("0", "abc"))
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(2, "value_of_time_usd_h"), (3, "value_of_time_usd_h")}
