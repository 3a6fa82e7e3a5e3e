"""Congested compare on the shipped baseline: free-flow, P50/P90 and the queue per element."""

from __future__ import annotations

import dataclasses
import math

import pytest

from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.routing import compare
from corridors.scenarios.io import ScenarioInputs, load_inputs
from corridors.scenarios.supply import element_waits
from corridors.studies.compare import (
    CongestedCompare,
    CongestedRoute,
    ElementLoad,
    ScenarioYear,
    YearOutsideScenarioError,
    congested_routes,
    scenario_year,
)

LINK = "link:alashankou-dostyk@alashankou"
WATER = "water:aktau+alat+kuryk@aktau+kuryk"


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
        waits = sum(q.queue_h + q.rationing_h for q in r.queues)
        assert r.mean_h == pytest.approx(r.free_h + waits, rel=1e-9)
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
    # full: the shadow price rations it, paid as a wait of price / value of time, listed
    # per leg and added to the P50 and P90 as a fixed time (800 / 16.7 = 47.9 h)
    rationing = 800.0 / state.params.vot
    full = with_loads(state, {LINK: ElementLoad(1.0, 800.0, 5.0, rationing)})
    north_full = by_corridor(congested_routes(full, "Xi'an", "Duisburg"))["northern"]
    assert north_full.queues[0].shadow_price_usd == 800.0
    assert north_full.queues[0].rationing_h == pytest.approx(47.90, abs=0.01)
    leg = next(
        x
        for x in north_full.to_dict()["legs"]  # type: ignore[attr-defined]
        if x["link_id"] == "alashankou-dostyk"
    )
    assert leg["shadow_price_usd"] == 800.0
    assert leg["queue_h"] == pytest.approx(5.0)
    assert leg["rationing_h"] == pytest.approx(rationing, abs=1e-3)
    assert north_full.mean_h == pytest.approx(north_full.free_h + 5.0 + rationing, rel=1e-12)
    five = with_loads(state, {LINK: ElementLoad(1.0, 0.0, 5.0)})
    north_five = by_corridor(congested_routes(five, "Xi'an", "Duisburg"))["northern"]
    assert north_full.p50_h - north_five.p50_h == pytest.approx(rationing, rel=1e-9)
    assert north_full.p90_h - north_five.p90_h == pytest.approx(rationing, rel=1e-9)


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
    full = next(q.element for q in teu.queues if q.shadow_price_usd > 0.0)
    at_teu = {q.element: q for q in teu.queues}[full]
    at_feu = {q.element: q for q in feu.queues}[full]
    assert at_feu.shadow_price_usd == pytest.approx(2.0 * at_teu.shadow_price_usd)
    # the wait that rations it is the same for a TEU and an FEU (price and value of time
    # both per unit)
    assert at_feu.rationing_h == pytest.approx(at_teu.rationing_h)
    assert at_teu.rationing_h == pytest.approx(at_teu.shadow_price_usd / state.params.vot)
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


def test_a_rationed_element_adds_its_queue_not_the_price_cap(
    rationed_zangezur: ScenarioInputs,
) -> None:
    """zangezur-open 2032 with 8 train paths at Dostyk and one route a corridor
    (``rationed_zangezur``): Alashankou - Dostyk is rationed at the price cap (captive
    cargo to Moscow, Minsk, Alat and Tbilisi exceeds it). The served cargo pays no rationing
    price, so compare's legs through it carry its queue at capacity and no rationing wait
    (before: the cap's 50,000 / 16.7 = 2,994 h, P50 about 146 days Xi'an - Duisburg by the
    Northern corridor); the wait is the one the calibration's segment times take
    (``element_waits`` of the run's bottlenecks: queue plus rationing wait)."""
    st = scenario_year(rationed_zangezur, 2032)
    wait = element_waits(st.result.bottlenecks, 2032, value_of_time_usd_teu_h=st.params.vot)[LINK]
    assert wait.utilisation == pytest.approx(1.0, abs=1e-6)
    assert (wait.shadow_price_usd_teu, wait.rationing_h) == (0.0, 0.0)
    assert wait.queue_h > 0.0
    north = by_corridor(congested_routes(st, "Xi'an", "Moscow"))["northern"]
    leg = {q.element: q for q in north.queues}[LINK]
    assert (leg.queue_h, leg.rationing_h) == (pytest.approx(wait.queue_h), 0.0)
    waits = sum(q.queue_h + q.rationing_h for q in north.queues)
    assert north.mean_h == pytest.approx(north.free_h + waits, rel=1e-9)
    assert north.p50_h < north.free_h + waits + 24.0
