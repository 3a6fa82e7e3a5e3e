"""Route sets from the network: k routes per corridor in the year solver, path size by hand.

Toy network in 2030 (tests/scenarios/toy), Xian -> Duisburg, VoT 20 USD/TEU-h, a
Northern constant of 2,000 USD/TEU, logit scale 0.001/USD:

* northern c1-n1-n2: 2,650 USD + 20 x 190 h + 2,000 = 8,450 USD/TEU;
* middle c1-m1-m2-z1 (the link opening in 2030): 4,350 + 20 x 205 = 8,450;
* middle c1-m1-m2-m3: 4,650 + 20 x 210 = 8,850.

The two middle routes share c1, m1 and m2 (3,550 km): path sizes
3,550 / 7,000 / 2 + 3,450 / 7,000 = 0.746429 and 3,550 / 7,250 / 2 + 3,700 / 7,250 =
0.755172; the Northern route is alone in its corridor (1).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from corridors.network import Network, read_network
from corridors.routing import CostParameters
from corridors.scenarios.route_sets import market_routes
from corridors.scenarios.spec import Behaviour
from corridors.scenarios.year_solver import solve_year

TOY = Path(__file__).parent / "toy"


@pytest.fixture(scope="module")
def net2030() -> Network:
    return read_network(TOY).for_year(2030)


def _behaviour(k: int) -> Behaviour:
    return Behaviour(
        value_of_time_usd_teu_h=20,
        logit_scale_per_usd=0.001,
        risk_premium_usd_teu={"northern": 2000},
        routes_per_corridor=k,
        equilibrium={"tolerance": 1e-10},
    )


def _routes(net: Network, k: int) -> list[object]:
    return market_routes(  # type: ignore[return-value]
        net,
        "Xian",
        "Duisburg",
        params=CostParameters(unit="TEU", value_of_time_usd_h=20),
        tonnes_per_teu=10,
        routes_per_corridor=k,
    )


def test_k_routes_with_path_size_by_hand(net2030: Network) -> None:
    routes = _routes(net2030, 3)
    assert [(r.corridor, r.link_ids) for r in routes] == [  # type: ignore[attr-defined]
        ("northern", ("c1", "n1", "n2")),
        ("middle", ("c1", "m1", "m2", "z1")),
        ("middle", ("c1", "m1", "m2", "m3")),
    ]
    y = solve_year([routes], np.array([10_000.0]), _behaviour(3))  # type: ignore[list-item]
    assert y is not None
    assert y.columns == ("middle", "middle", "northern")
    ps = {"z1": 3550 / 7000 / 2 + 3450 / 7000, "m3": 3550 / 7250 / 2 + 3700 / 7250}
    cost = {"z1": 8450 - math.log(ps["z1"]) / 0.001, "m3": 8850 - math.log(ps["m3"]) / 0.001}
    cost["n"] = 8450.0
    e = {k: math.exp(-0.001 * v) for k, v in cost.items()}
    total = sum(e.values())
    got = {a.link_ids[-1]: y.equilibrium.shares[0, j] for j, a in enumerate(y.options[0])}  # type: ignore[union-attr]
    assert got["z1"] == pytest.approx(e["z1"] / total, rel=1e-9)
    assert got["m3"] == pytest.approx(e["m3"] / total, rel=1e-9)
    assert got["n2"] == pytest.approx(e["n"] / total, rel=1e-9)
    flows = y.corridor_flows()
    assert flows["middle"] + flows["northern"] == pytest.approx(10_000.0)
    assert flows["middle"] == pytest.approx(10_000 * (e["z1"] + e["m3"]) / total, rel=1e-9)
    # the ferry carries both middle routes
    (key, flow, cap, price, _) = y.element_table()[0]
    assert (key, cap, price) == ("water:akt+bak@akt", 20_000.0, 0.0)
    assert flow == pytest.approx(flows["middle"])


def test_path_sizes_made_once_per_route_set(net2030: Network) -> None:
    """A ``path_sizes`` cache gives the shares made without it and is filled once per
    route set: the hand case above solved twice, then with the routes in another order."""
    routes = _routes(net2030, 3)
    demand = np.array([10_000.0])
    alone = solve_year([routes], demand, _behaviour(3))  # type: ignore[list-item]
    known: dict[object, np.ndarray] = {}
    for _ in range(2):
        y = solve_year([routes], demand, _behaviour(3), path_sizes=known)  # type: ignore[list-item]
        assert y is not None
        assert alone is not None
        np.testing.assert_array_equal(y.equilibrium.shares, alone.equilibrium.shares)
        assert len(known) == 1
    (ps,) = known.values()
    assert ps[0, 0] == pytest.approx(3550 / 7000 / 2 + 3450 / 7000)  # the z1 route, by hand
    solve_year([routes[::-1]], demand, _behaviour(3), path_sizes=known)  # type: ignore[list-item]
    assert len(known) == 2


def test_one_route_per_corridor_is_the_least_cost_route(net2030: Network) -> None:
    routes = _routes(net2030, 1)
    assert [r.link_ids for r in routes] == [("c1", "n1", "n2"), ("c1", "m1", "m2", "z1")]  # type: ignore[attr-defined]
    y = solve_year([routes], np.array([10_000.0]), _behaviour(1))  # type: ignore[list-item]
    assert y is not None
    # equal costs (8,450 each), no path size: an even split
    assert y.equilibrium.shares[0].tolist() == pytest.approx([0.5, 0.5], rel=1e-12)
    assert solve_year([[]], np.array([1.0]), _behaviour(1)) is None


def test_runner_route_is_the_first_route_option_and_searched_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``ScenarioRunner.route`` reads the route options the run found: no second search.

    With the ``shortcut`` measure (z1 opens in 2027), the Northern route is c1-n1-n2
    (2,650 USD/TEU, 190 h), the Middle one the shortcut c1-m1-m2-z1 (4,350 USD/TEU,
    205 h) from 2027; in 2026 the Middle route ends on m3 (4,650 USD/TEU, 210 h).
    """
    from corridors.routing import routes as routing_routes
    from corridors.scenarios import model as scenario_model
    from corridors.scenarios import route_sets
    from corridors.scenarios.io import load_inputs
    from corridors.scenarios.model import ScenarioRunner

    inputs = load_inputs(Path(__file__).parent / "files" / "toy.yaml")
    calls: list[str] = []
    real = routing_routes.compare

    def counted(*args: object, **kw: object) -> object:
        calls.append(str(args[1]))
        return real(*args, **kw)  # type: ignore[arg-type]

    for module in (route_sets, scenario_model):  # wherever the runner might search
        monkeypatch.setattr(module, "compare", counted, raising=False)
    runner = ScenarioRunner(
        inputs.network, inputs.scenario, catalogue=inputs.catalogue, measure_ids=("shortcut",)
    )
    runner.run()
    searched = len(calls)
    north = runner.route(2027, "china_eu", "northern")
    middle = runner.route(2027, "china_eu", "middle")
    before = runner.route(2026, "china_eu", "middle")
    assert len(calls) == searched  # the years run were searched once, by the run
    assert north is not None
    assert middle is not None
    assert before is not None
    assert (north.link_ids, north.usd, north.hours) == (("c1", "n1", "n2"), 2650.0, 190.0)
    assert (middle.link_ids, middle.usd, middle.hours) == (("c1", "m1", "m2", "z1"), 4350.0, 205.0)
    assert (before.link_ids, before.usd) == (("c1", "m1", "m2", "m3"), 4650.0)
    assert runner.route(2030, "china_eu", "southern") is None
