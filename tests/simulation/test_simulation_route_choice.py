"""Route choice of the simulation builder: equilibrium shares, per-unit alternatives."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridors.network import read_network
from corridors.network.model import Network
from corridors.routing import CostParameters, compare
from corridors.simulation import BuildOptions, SimulationModel, simulate
from corridors.simulation.build import ferry_waits
from corridors.studies.simulate import simulation_model as build_model

# value of time that makes the faster middle route (via the single-track l2, 2,000 TEU a
# year) the cheaper one at free flow: middle 87 h + USD 2,700, northern 102 h + USD 1,980
VOT = 100.0
DEMAND_TEU = 4000.0


def _demand(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["origin", "destination", "commodity", "volume", "unit"])
    frame["year"] = 2024
    return frame


@pytest.fixture(scope="module")
def mini(mini_path: Path) -> Network:
    return read_network(mini_path)


def _hand_equilibrium(net: Network, params: CostParameters) -> float:
    """Middle-route volume where both routes cost the same (BPR on l2, hours)."""
    routes = {r.corridor: r for r in compare(net, "xa", "xe", params=params)}
    diff_h = (
        routes["northern"].generalised_cost_usd - routes["middle"].generalised_cost_usd
    ) / params.vot
    assert diff_h > 0  # middle is cheaper at free flow
    # l2: free time 500 km / 50 km/h = 10 h < 24 h, so the BPR scale is 24 h;
    # delay = 24 * 0.15 * (v / 2000) ** 4; node xb is on both routes and cancels out
    v = 2000.0 * float(diff_h / (24.0 * 0.15)) ** 0.25
    assert 0 < v < DEMAND_TEU  # both routes used
    return float(v)


def test_equilibrium_shares_match_hand_solution_and_simulated_counts(mini: Network) -> None:
    params = CostParameters(unit="TEU", value_of_time_usd_h=VOT)
    v_middle = _hand_equilibrium(net=mini, params=params)  # ~2,427 TEU
    share = v_middle / DEMAND_TEU
    opt = BuildOptions(
        route_choice="equilibrium",
        equilibrium_gap=1e-7,
        days=730.0,
        teu_per_train=10.0,
        wagons_per_train=5,
    )
    model = build_model(
        mini, _demand([("xa", "xe", "containers", DEMAND_TEU, "TEU")]), options=opt, params=params
    )
    rates = {g.corridor: g.per_day for g in model.generators}
    assert set(rates) == {"middle", "northern"}
    total = sum(rates.values())
    assert rates["middle"] / total == pytest.approx(share, abs=0.005)
    assert total * 365.0 == pytest.approx(DEMAND_TEU / 10.0, rel=1e-9)  # nothing lost
    assert model.left_out == ()
    run = simulate(model, seed=7)
    corridor = np.asarray(run.gen_corridor)[run.ship_gen]
    n = len(corridor)
    n_mid = int((corridor == "middle").sum())
    expected = n * share
    # Poisson arrivals: the split of n shipments is binomial(n, share)
    assert abs(n_mid - expected) < 4.0 * math.sqrt(n * share * (1.0 - share))
    assert abs(n - 2 * DEMAND_TEU / 10.0) < 4.0 * math.sqrt(2 * DEMAND_TEU / 10.0)


def test_equilibrium_with_one_route_puts_everything_on_it(mini: Network) -> None:
    opt = BuildOptions(route_choice="equilibrium", corridors=("middle",))
    model = build_model(mini, _demand([("xa", "xe", "containers", 500.0, "TEU")]), options=opt)
    assert {g.corridor for g in model.generators} == {"middle"}
    assert sum(g.per_day * g.teu for g in model.generators) * 365 == pytest.approx(500.0)


@pytest.mark.parametrize("choice", ["logit", "equilibrium", "cheapest"])
def test_units_no_ship_carries_are_routed_around_or_reported(mini: Network, choice: str) -> None:
    # the only ferry (l3) carries wagons, not trucks: on any corridor trucks take the
    # northern land route; on the middle corridor alone they cannot go and are reported
    demand = _demand(
        [("xa", "xe", "containers", 1000.0, "TEU"), ("xa", "xe", "trucks", 3000.0, "t")]
    )
    free = build_model(mini, demand, options=BuildOptions(route_choice=choice))  # type: ignore[arg-type]
    trucks = [g for g in free.generators if g.kind == "truck"]
    assert trucks
    assert {g.corridor for g in trucks} == {"northern"}
    assert sum(g.per_day * g.tonnes for g in trucks) * 365 == pytest.approx(3000.0)
    assert free.left_out == ()
    middle = build_model(
        mini, demand, options=BuildOptions(route_choice=choice, corridors=("middle",))
    )  # type: ignore[arg-type]
    assert not [g for g in middle.generators if g.kind == "truck"]
    assert middle.left_out_totals() == {"t": pytest.approx(3000.0)}
    assert "trucks" in middle.notes[0]


def test_border_time_sojourn_adds_no_queue(mini: Network) -> None:
    demand = _demand([("xa", "xe", "containers", 1000.0, "TEU")])
    soj = build_model(mini, demand, options=BuildOptions(border_time="sojourn"))
    svc = build_model(mini, demand, options=BuildOptions(border_time="service"))
    borders = [s for s in soj.stations if s.kind == "border"]
    assert borders
    assert all(s.unlimited for s in borders)
    assert {s.station_id: s.service for s in borders} == {
        s.station_id: s.service for s in svc.stations if s.kind == "border"
    }


def test_feedback_moves_cargo_off_an_overloaded_ferry(mini: Network) -> None:
    # no limit on l2: only the single ship of l3 (50 wagons, 48 h cycle one way loaded:
    # 9,125 wagons = 18,250 TEU a year at most) limits the middle route, which is 7.8 h
    # cheaper at VOT 100. 20,000 TEU = 10,000 wagons a year overload it; the BPR delay
    # alone (a few hours at v/c ~ 1) keeps most cargo there, the simulated waits do not.
    # nor on Bravo's gauge change (its 1,000 TEU a year would give it a server, the
    # capacity rule of corridors.cost.element_queues.node_servers)
    links = mini.links.copy()
    links["capacity_teu_yr"] = np.nan
    nodes = mini.nodes.copy()
    nodes["capacity_teu_yr"] = np.nan
    net = mini.with_tables(links=links, nodes=nodes)
    params = CostParameters(unit="TEU", value_of_time_usd_h=VOT)
    demand = _demand([("xa", "xe", "containers", 20000.0, "TEU")])
    base = BuildOptions(route_choice="equilibrium", teu_per_train=10.0, wagons_per_train=5)
    plain = build_model(net, demand, options=base, params=params)
    fed = build_model(net, demand, options=replace(base, feedback_rounds=3), params=params)
    again = build_model(net, demand, options=replace(base, feedback_rounds=3), params=params)
    assert fed == again  # deterministic

    def middle_share(m: SimulationModel) -> float:
        rates = {g.corridor: g.per_day for g in m.generators}
        return rates.get("middle", 0.0) / sum(rates.values())

    assert middle_share(plain) > 0.9
    assert middle_share(fed) < middle_share(plain) - 0.1
    for m in (plain, fed):  # nothing lost either way
        assert sum(g.per_day * g.teu for g in m.generators) * 365 == pytest.approx(20000.0)
    wait_plain = ferry_waits(simulate(plain, seed=3))[("l3", "xc")]
    wait_fed = ferry_waits(simulate(fed, seed=3))[("l3", "xc")]
    assert wait_plain > 240.0  # a queue growing over the year (10 days on average)
    assert wait_fed < wait_plain / 4
