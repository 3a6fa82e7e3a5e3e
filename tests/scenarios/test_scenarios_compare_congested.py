"""Congested compare on the shipped baseline: free-flow, P50/P90 and the queue per element."""

from __future__ import annotations

import dataclasses
import math

import pytest

from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.routing import compare
from corridors.scenarios.io import load_inputs
from corridors.studies.compare import (
    CongestedCompare,
    CongestedRoute,
    ElementLoad,
    ScenarioYear,
    YearOutsideScenarioError,
    congested_routes,
    scenario_year,
)

LINK = "link:alashankou-dostyk"
WATER = "water:aktau+alat+kuryk+turkmenbashi"


@pytest.fixture(scope="module")
def state() -> ScenarioYear:
    return scenario_year(load_inputs("baseline-2024"), 2024)


def by_corridor(routes: list[CongestedRoute]) -> dict[str, CongestedRoute]:
    return {r.corridor: r for r in routes}


def with_loads(state: ScenarioYear, loads: dict[str, ElementLoad]) -> ScenarioYear:
    return dataclasses.replace(state, loads=loads, _answers={})


def test_free_flow_days_are_todays_compare_in_the_2024_network(state: ScenarioYear) -> None:
    got = by_corridor(congested_routes(state, "Xi'an", "Duisburg"))
    net = read_network(eurasia_path()).for_year(2024)
    today = {r.corridor: r.days for r in compare(net, "Xi'an", "Duisburg")}
    for c in ("northern", "southern", "middle", "sea_cape"):
        assert got[c].free_h / 24.0 == pytest.approx(today[c], rel=1e-9)
    # the Red Sea diversions close Suez the whole of 2024 in the baseline
    assert "sea_suez" not in got
    assert all(r.open_share == 1.0 for r in got.values())


def test_mean_is_free_flow_plus_the_queues_and_quantiles_are_ordered(state: ScenarioYear) -> None:
    for r in congested_routes(state, "Xi'an", "Duisburg"):
        assert r.mean_h == pytest.approx(r.free_h + sum(q.queue_h for q in r.queues), rel=1e-9)
        assert r.p50_h <= r.p90_h
        scheduled = sum(s.wait_h for s in r.route.legs)
        assert r.p50_h >= r.free_h - scheduled  # waits are never negative


def test_one_train_path_wait_by_hand(state: ScenarioYear) -> None:
    # Alashankou-Dostyk: one train path (one server) at utilisation 0.5 with a mean wait of
    # 1 h in the equilibrium: a train waits with probability rho = 0.5, then 1 / 0.5 = 2 h
    # on average, exponential: P(W > t) = 0.5 exp(-t / 2). The Northern route has no other
    # wait, so its P50 is the free-flow time and its P90 that plus -2 ln(0.1 / 0.5) = 3.219 h
    st = with_loads(state, {LINK: ElementLoad(0.5, 0.0, 1.0)})
    north = by_corridor(congested_routes(st, "Xi'an", "Duisburg"))["northern"]
    assert [(q.element, q.kind, q.queue_h) for q in north.queues] == [(LINK, "section", 1.0)]
    assert north.mean_h == pytest.approx(north.free_h + 1.0, rel=1e-12)
    assert north.p50_h == pytest.approx(north.free_h, abs=0.05)
    assert north.p90_h - north.free_h == pytest.approx(-2.0 * math.log(0.2), rel=0.03)
    # full: the shadow price carries the rationing, per leg too
    full = with_loads(state, {LINK: ElementLoad(1.0, 800.0, 5.0)})
    north = by_corridor(congested_routes(full, "Xi'an", "Duisburg"))["northern"]
    assert north.queues[0].shadow_price_usd == 800.0
    leg = next(
        x
        for x in north.to_dict()["legs"]  # type: ignore[attr-defined]
        if x["link_id"] == "alashankou-dostyk"
    )
    assert leg["shadow_price_usd"] == 800.0
    assert leg["queue_h"] == pytest.approx(5.0)


def test_no_load_no_queue_and_longer_waits_widen_the_spread(state: ScenarioYear) -> None:
    empty = by_corridor(congested_routes(with_loads(state, {}), "Xi'an", "Duisburg"))
    assert all(not r.queues for r in empty.values())
    # with only scheduled departures the mean is the free-flow time
    assert empty["middle"].mean_h == pytest.approx(empty["middle"].free_h, rel=1e-12)
    spread = []
    for wait in (5.0, 20.0, 60.0):
        loads = {WATER: ElementLoad(0.6, 0.0, wait)}
        r = by_corridor(congested_routes(with_loads(state, loads), "Xi'an", "Duisburg"))
        spread.append(r["middle"].p90_h - r["middle"].p50_h)
    assert spread[0] < spread[1] < spread[2]


def test_shadow_prices_per_unit(state: ScenarioYear) -> None:
    teu = by_corridor(congested_routes(state, "Xi'an", "Duisburg"))["middle"]
    feu = by_corridor(
        congested_routes(state, "Xi'an", "Duisburg", params=state.cost_parameters(unit="FEU"))
    )["middle"]
    alat_teu = {q.element: q for q in teu.queues}["node:alat"].shadow_price_usd
    alat_feu = {q.element: q for q in feu.queues}["node:alat"].shadow_price_usd
    assert alat_teu > 0.0
    assert alat_feu == pytest.approx(2.0 * alat_teu)
    assert state.cost_parameters(unit="t").vot == pytest.approx(state.params.vot / 10.0)


def test_year_outside_the_scenario_is_refused() -> None:
    inputs = load_inputs("baseline-2024")
    with pytest.raises(YearOutsideScenarioError, match="2024 to 2030"):
        scenario_year(inputs, 2031)


def test_cache_keeps_a_scenario_year(state: ScenarioYear) -> None:
    inputs = load_inputs("baseline-2024")
    cache = CongestedCompare(size=1)
    first = cache.state(inputs, 2024)
    assert cache.state(inputs, 2024) is first
    a = congested_routes(first, "Xi'an", "Duisburg")
    b = congested_routes(first, "Xi'an", "Duisburg")
    assert [r.p90_h for r in a] == [r.p90_h for r in b]
    assert all(math.isfinite(r.p90_h) for r in a)
