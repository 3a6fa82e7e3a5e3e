"""Hand-computed cases: analytic equilibria, shared node capacity, logit splits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.assignment.equilibrium import (
    assign_all_or_nothing,
    assign_equilibrium,
    relative_gap,
)
from corridors.assignment.graph import AssignmentGraph, build_graph
from corridors.assignment.stochastic import (
    RouteSet,
    assign_stochastic,
    generate_routes,
    path_size,
    route_probabilities,
)
from corridors.cost.delay import (
    GroupDelay,
    bpr,
    bpr_derivative,
    bpr_integral,
    conical,
    conical_derivative,
    conical_integral,
)
from corridors.errors import NetworkError, UnreachableError

BACKENDS = ["scipy", "numba"]


def three_parallel_routes(demand: float = 30.0) -> tuple[AssignmentGraph, np.ndarray]:
    """Zone 0 (vertex 0) to zone 1 (vertex 1) over three parallel arcs (a multigraph).

    Linear BPR (beta = 1, alpha = 1): t = t0 * (1 + x / c) with t0 = 2, 4, 3 and
    c = 10, 20, 15, i.e. t = 2 + 0.2 x, 4 + 0.2 x, 3 + 0.2 x. Equal times T with
    x1 + x2 + x3 = 30 give T = 5 and flows 15, 5, 10 (hand-computed).
    """
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
    dem = np.array([[0.0, demand], [0.0, 0.0]])
    return g, dem


@pytest.mark.parametrize("algorithm", ["fw", "cfw", "bfw", "msa"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_three_route_analytic_equilibrium(algorithm: str, backend: str) -> None:
    g, dem = three_parallel_routes()
    gap = 1e-4 if algorithm == "msa" else 1e-10
    res = assign_equilibrium(
        g,
        dem,
        algorithm=algorithm,
        gap=gap,
        max_iter=20000,  # type: ignore[arg-type]
        backend=backend,
    )  # type: ignore[arg-type]
    assert res.converged
    tol = 5e-3 if algorithm == "msa" else 1e-6
    np.testing.assert_allclose(res.flow, [15.0, 5.0, 10.0], atol=tol * 30)
    np.testing.assert_allclose(res.time, [5.0, 5.0, 5.0], atol=tol * 5)
    # routes and shares: three routes with shares 0.5, 1/6, 1/3
    assert res.routes is not None
    shares = {r.arcs: r.share for r in res.routes}
    assert shares[(0,)] == pytest.approx(0.5, abs=tol)
    assert shares[(1,)] == pytest.approx(1 / 6, abs=tol)
    assert shares[(2,)] == pytest.approx(1 / 3, abs=tol)
    table = res.routes_frame()
    assert table["flow"].sum() == pytest.approx(30.0)


def test_gap_history_decreases_overall_and_callback_sees_it() -> None:
    g, dem = three_parallel_routes()
    seen: list[tuple[int, float]] = []
    res = assign_equilibrium(
        g, dem, algorithm="fw", gap=1e-8, max_iter=5000, callback=lambda i, v: seen.append((i, v))
    )
    assert [v for _, v in seen] == list(res.gap_history)
    assert seen[0][0] == 2
    assert res.gap_history[-1] < res.gap_history[0]
    assert res.iterations == seen[-1][0]


def test_iteration_limit_stops_and_reports_not_converged() -> None:
    g, dem = three_parallel_routes()
    res = assign_equilibrium(g, dem, algorithm="fw", gap=1e-14, max_iter=5)
    assert not res.converged
    assert res.iterations == 5
    assert len(res.gap_history) == 4


def test_shared_node_capacity_diverts_flow_to_second_route() -> None:
    """Two origins reach D through a port P whose two entry arcs share one capacity.

    Vertices: O1=0, O2=1, D=2, P_in1=3, P_in2=4, P_out=5. Via P: free 10 h through P
    plus a delay 10 * (x_P / 100) where x_P is the total through P; direct arcs cost 20.
    Each origin sends 100. Equilibrium: 10 + 0.1 x_P = 20 -> x_P = 100, split 50/50,
    and 50 from each origin takes the direct arc. With separate capacities each entry
    would carry all 100 (10 + 10 * 100/100 = 20 with nothing diverted).
    """
    tail = [0, 1, 3, 4, 5, 0, 1]
    head = [3, 4, 5, 5, 2, 2, 2]
    free = [0.0, 0.0, 10.0, 10.0, 0.0, 20.0, 20.0]
    dem = np.zeros((3, 3))
    dem[0, 2] = dem[1, 2] = 100.0

    def solve(groups: list[int], caps: list[float]) -> np.ndarray:
        g = build_graph(
            n_vertices=6,
            tail=tail,
            head=head,
            free_time=free,
            group=groups,
            group_scale=[10.0] * len(caps),
            group_capacity=caps,
            group_alpha=1.0,
            group_beta=1.0,
            origins=[0, 1, 2],
            destinations=[0, 1, 2],
        )
        res = assign_equilibrium(g, dem, algorithm="bfw", gap=1e-10, max_iter=2000)
        assert res.converged
        return res.flow

    shared = solve([-1, -1, 0, 0, -1, -1, -1], [100.0])
    np.testing.assert_allclose(shared[[2, 3]], [50.0, 50.0], atol=1e-4)
    np.testing.assert_allclose(shared[[5, 6]], [50.0, 50.0], atol=1e-4)
    separate = solve([-1, -1, 0, 1, -1, -1, -1], [100.0, 100.0])
    np.testing.assert_allclose(separate[[2, 3]], [100.0, 100.0], atol=1e-3)


def test_flow_conservation_on_a_grid() -> None:
    rng = np.random.default_rng(7)
    side = 5
    n = side * side
    tail: list[int] = []
    head: list[int] = []
    for r in range(side):
        for c in range(side):
            v = r * side + c
            for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0)):
                rr, cc = r + dr, c + dc
                if 0 <= rr < side and 0 <= cc < side:
                    tail.append(v)
                    head.append(rr * side + cc)
    m = len(tail)
    zones = [0, 4, 12, 20, 24]
    g = build_graph(
        n_vertices=n,
        tail=tail,
        head=head,
        free_time=rng.uniform(1, 3, m),
        fixed_cost=rng.uniform(0, 1, m),
        group=np.arange(m),
        group_scale=rng.uniform(1, 3, m),
        group_capacity=rng.uniform(50, 100, m),
        origins=zones,
        destinations=zones,
    )
    dem = rng.uniform(10, 60, (5, 5))
    np.fill_diagonal(dem, 0.0)
    res = assign_equilibrium(g, dem, algorithm="bfw", gap=1e-7, max_iter=3000)
    assert res.converged
    balance = np.bincount(head, res.flow, n) - np.bincount(tail, res.flow, n)
    expected = np.zeros(n)
    np.add.at(expected, zones, dem.sum(axis=0) - dem.sum(axis=1))
    np.testing.assert_allclose(balance, expected, atol=1e-8)
    # the skims along shortest paths equal the cheapest used route costs
    skims = res.skims()
    assert skims.cost.shape == (5, 5)
    assert np.all(np.diag(skims.cost) == 0.0)
    assert res.routes is not None
    for route in res.routes:
        if route.share > 1e-3:
            route_cost = float(res.cost[list(route.arcs)].sum())
            assert route_cost <= skims.cost[route.origin, route.destination] * (1 + 1e-3)


def test_first_thru_style_sink_cannot_be_passed_through() -> None:
    # zone vertex 1 lies between 0 and 2 but only as a sink; its outgoing arc starts
    # at a separate source vertex 3, so the path 0 -> 2 must use the long arc.
    g = build_graph(
        n_vertices=4,
        tail=[0, 3, 0],
        head=[1, 2, 2],
        free_time=[1.0, 1.0, 5.0],
        origins=[0, 3, 2],
        destinations=[0, 1, 2],
    )
    dem = np.zeros((3, 3))
    dem[0, 2] = 1.0
    dem[1, 2] = 2.0
    res = assign_all_or_nothing(g, dem)
    np.testing.assert_allclose(res.flow, [0.0, 2.0, 1.0])


def test_unreachable_demand_and_bad_arrays_raise() -> None:
    g = build_graph(
        n_vertices=2, tail=[0], head=[1], free_time=[1.0], origins=[0, 1], destinations=[0, 1]
    )
    with pytest.raises(UnreachableError, match="no path from zone 1 to zone 0"):
        assign_equilibrium(g, np.array([[0.0, 0.0], [5.0, 0.0]]))
    with pytest.raises(NetworkError) as err:
        build_graph(
            n_vertices=2,
            tail=[0, 5],
            head=[1, 0],
            free_time=[1.0, -2.0],
            group=[0, 0],
            group_capacity=[-1.0],
            group_scale=[1.0],
            origins=[0],
            destinations=[1],
        )
    text = str(err.value)
    assert "tail" in text
    assert "free_time" in text
    assert "group_capacity" in text


def test_relative_gap_definition() -> None:
    assert relative_gap(100.0, 90.0) == pytest.approx(0.1)
    assert relative_gap(0.0, 0.0) == 0.0


def test_vdf_derivatives_and_integrals_match_numerics() -> None:
    t0, c = 3.0, 100.0
    x = np.array([0.0, 40.0, 100.0, 160.0])
    h = 1e-4
    for f, df, integral, kw in (
        (bpr, bpr_derivative, bpr_integral, {"alpha": 0.15, "beta": 4.0}),
        (conical, conical_derivative, conical_integral, {"alpha": 4.0}),
    ):
        num = (f(t0, x + h, c, **kw) - f(t0, x - h, c, **kw)) / (2 * h)
        np.testing.assert_allclose(df(t0, x, c, **kw), num, rtol=1e-6, atol=1e-9)
        grid = np.linspace(0.0, 160.0, 20001)
        vals = f(t0, grid, c, **kw)
        trap = float(np.sum((vals[1:] + vals[:-1]) / 2 * np.diff(grid)))
        assert float(integral(t0, 160.0, c, **kw)) == pytest.approx(trap, rel=1e-7)
    assert float(conical(t0, 0.0, c)) == pytest.approx(t0)
    assert float(conical(t0, c, c)) == pytest.approx(2 * t0)
    assert float(bpr(t0, c, c)) == pytest.approx(t0 * 1.15)
    gd = GroupDelay(
        scale=np.array([3.0, 3.0]),
        capacity=np.array([100.0, 100.0]),
        alpha=np.array([0.15, 4.0]),
        beta=np.array([4.0, 4.0]),
        kind=np.array([0, 1], dtype=np.int8),
    )
    np.testing.assert_allclose(gd.delay(np.array([100.0, 100.0])), [0.45, 3.0])


def _psl_graph() -> AssignmentGraph:
    # 0 -s-> 2 -m1/m2-> 1 and 0 -r-> 1; costs s=4, m1=m2=6, r=10: three routes of 10.
    return build_graph(
        n_vertices=3,
        tail=[0, 2, 2, 0],
        head=[2, 1, 1, 1],
        free_time=[4.0, 6.0, 6.0, 10.0],
        origins=[0, 1],
        destinations=[0, 1],
    )


def test_logit_split_by_hand() -> None:
    g = build_graph(
        n_vertices=2,
        tail=[0, 0],
        head=[1, 1],
        free_time=[10.0, 12.0],
        origins=[0, 1],
        destinations=[0, 1],
    )
    dem = np.array([[0.0, 100.0], [0.0, 0.0]])
    res = assign_stochastic(g, dem, theta=0.5, model="mnl", max_routes=3)
    p1 = 1.0 / (1.0 + math.exp(-0.5 * 2.0))  # 0.7311
    np.testing.assert_allclose(res.flow, [100 * p1, 100 * (1 - p1)], rtol=1e-12)
    assert res.routes is not None
    assert sorted(r.share for r in res.routes) == pytest.approx(sorted([p1, 1 - p1]))


def test_path_size_logit_by_hand() -> None:
    g = _psl_graph()
    dem = np.array([[0.0, 60.0], [0.0, 0.0]])
    routes = generate_routes(g, dem, max_routes=5, penalty=1.0)
    assert sorted(routes.arcs) == [(0, 1), (0, 2), (3,)]
    ps = path_size(routes, g.free_time)
    expected_ps = {(0, 1): 0.8, (0, 2): 0.8, (3,): 1.0}  # 4/10/2 + 6/10 = 0.8
    for arcs, value in zip(routes.arcs, ps, strict=True):
        assert value == pytest.approx(expected_ps[arcs])
    mnl = assign_stochastic(g, dem, theta=1.0, model="mnl", route_set=routes)
    np.testing.assert_allclose(mnl.flow, [40.0, 20.0, 20.0, 20.0])
    psl = assign_stochastic(g, dem, theta=1.0, model="psl", route_set=routes)
    # equal costs: P ~ PS -> 0.8/2.6, 0.8/2.6, 1/2.6
    np.testing.assert_allclose(psl.flow, [60 * 1.6 / 2.6, 60 * 0.8 / 2.6, 60 * 0.8 / 2.6, 60 / 2.6])
    probs = route_probabilities(
        routes, np.array([10.0, 10.0, 10.0]), theta=1.0, model="psl", path_size=ps
    )
    assert probs.sum() == pytest.approx(1.0)


def test_stochastic_user_equilibrium_is_a_fixed_point() -> None:
    g, dem = three_parallel_routes()
    rs = RouteSet.from_routes(g, [(0, 1, [0]), (0, 1, [1]), (0, 1, [2])])
    res = assign_stochastic(g, dem, theta=2.0, route_set=rs, tol=1e-6, max_iter=20000)
    assert res.converged
    cost = res.cost
    p = np.exp(-2.0 * cost) / np.exp(-2.0 * cost).sum()
    np.testing.assert_allclose(res.flow, 30.0 * p, rtol=2e-4)
    # a larger scale parameter is closer to the deterministic equilibrium (15, 5, 10)
    sharp = assign_stochastic(g, dem, theta=50.0, route_set=rs, tol=1e-7, max_iter=50000)
    assert np.abs(sharp.flow - [15, 5, 10]).max() < np.abs(res.flow - [15, 5, 10]).max()
    with pytest.raises(ValueError, match="connected path"):
        RouteSet.from_routes(g, [(0, 1, [5])])
