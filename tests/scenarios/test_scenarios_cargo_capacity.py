"""Container and general-cargo capacities, hard capacity limits and nests in scenario runs.

Toy network (tests/scenarios/toy): northern 8,450 and middle 8,850 USD/TEU of generalised
cost at a value of time of 20 USD/TEU-h and a northern premium of 2,000 USD/TEU (see
test_scenarios_model.py); the middle route crosses the ferry m2 (20,000 TEU a year).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from corridors.errors import ScenarioError
from corridors.network import Network, read_network
from corridors.scenarios.elements import element_capacities
from corridors.scenarios.io import load_inputs
from corridors.scenarios.model import run_scenario
from corridors.scenarios.spec import Change, Scenario
from corridors.scenarios.store import ResultsStore, RunRecord
from corridors.scenarios.water_elements import water_capacities

HERE = Path(__file__).parent
N_COST, M_COST = 8450.0, 8850.0
SCALE = 0.001


@pytest.fixture(scope="module")
def net() -> Network:
    return read_network(HERE / "toy")


def scenario(*, markets: list[dict[str, object]], **behaviour: object) -> Scenario:
    beh: dict[str, object] = {
        "value_of_time_usd_teu_h": 20,
        "logit_scale_per_usd": SCALE,
        "risk_premium_usd_teu": {"northern": 2000},
        "vdf": {"alpha": 0.0},
        "equilibrium": {"tolerance": 1e-10, "max_iterations": 5000},
    }
    beh.update(behaviour)
    return Scenario.model_validate(
        {
            "name": "toy",
            "base_year": 2024,
            "horizon": 2024,
            "demand": {"markets": markets},
            "behaviour": beh,
        }
    )


BOXES = {"id": "boxes", "origin": "Xian", "destination": "Duisburg", "volume": 10000}
BULK = {
    "id": "bulk",
    "origin": "Xian",
    "destination": "Duisburg",
    "volume": 100000,
    "unit": "t",
}


def middle_share(net: Network, sc: Scenario, market: str) -> float:
    cv = run_scenario(net, sc).corridor_volumes
    row = cv[(cv["market"] == market) & (cv["corridor"] == "middle")]
    return float(row["share"].iloc[0])


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def test_element_capacities_by_cargo() -> None:
    # Alat: 15 Mt (1.5M TEU-eq at 10 t/TEU) for all cargo, 100k TEU for containers
    assert element_capacities(100_000.0, 1_500_000.0) == {
        "all": 1_500_000.0,
        "containers": 100_000.0,
    }
    # Dostyk-like, TEU limit above the tonnes: the tonnes bind containers too
    assert element_capacities(3e6, 2e6) == {"all": 2e6}
    # a terminal with only a TEU capacity limits containers only
    assert element_capacities(400_000.0, math.nan) == {"containers": 400_000.0}
    assert element_capacities(math.nan, math.nan) == {}


def test_water_capacities_ferries_and_feeders() -> None:
    # two rail ferries (185.3k and 79.4k TEU-eq of tonnes; 78.2k and 33.5k TEU of
    # containers) and a container feeder of 89k TEU across the same water
    teu = np.array([78_200.0, 33_500.0, 89_000.0])
    t_eq = np.array([185_300.0, 79_400.0, math.nan])
    caps = water_capacities(teu, t_eq, container_ships=np.array([False, False, True]))
    assert caps["all"] == pytest.approx(185_300 + 79_400 + 89_000)
    assert caps["containers"] == pytest.approx(78_200 + 33_500 + 89_000)
    assert caps["general"] == pytest.approx(185_300 + 79_400)  # feeders carry no bulk
    # ferries only: general cargo and all cargo are one limit
    only = water_capacities(np.array([math.nan]), np.array([50_000.0]))
    assert only == {"all": 50_000.0}
    # a ferry with only a TEU figure carries that many TEU-equivalents of any cargo
    assert water_capacities(np.array([20_000.0]), np.array([math.nan])) == {"all": 20_000.0}


def test_hard_limit_caps_the_ferry_with_the_hand_computed_price(
    net: Network, tmp_path: Path
) -> None:
    # unconstrained middle share logistic(-0.4) = 0.401 of 10,000 TEU; the ferry takes
    # 1,000 TEU: share 0.1 = logistic(scale * (N - M - price))
    sc = scenario(markets=[BOXES], capacity_limits="hard").model_copy(
        update={"adjustments": [Change(link="m2", set={"capacity_teu_yr": 1000})]}
    )
    r = run_scenario(net, sc)
    cv = r.corridor_volumes.set_index("corridor")
    assert cv.loc["middle", "volume_teu"] == pytest.approx(1000.0, rel=1e-6)
    price = N_COST - M_COST - math.log(0.1 / 0.9) / SCALE
    b = r.bottlenecks
    ferry = b[b["shadow_price_usd_teu"] > 0]
    assert list(ferry["element"]) == ["water:akt+bak@akt"]
    assert float(ferry["shadow_price_usd_teu"].iloc[0]) == pytest.approx(price, abs=0.5)
    assert float(ferry["utilisation"].iloc[0]) == pytest.approx(1.0, rel=1e-6)
    # shippers face the price: the middle cost includes it
    assert cv.loc["middle", "cost_usd_teu"] == pytest.approx(M_COST + price, abs=0.5)
    # the bottleneck table goes to the results store with the run
    with ResultsStore(tmp_path / "r.duckdb") as store:
        run_id = store.write_run(RunRecord("toy", "h", "text", seed=1), r)
        stored = store.table("bottlenecks", run_id)
    assert float(stored["shadow_price_usd_teu"].max()) == pytest.approx(price, abs=0.5)
    assert r.busiest()["element"].tolist() == ["water:akt+bak@akt"]
    # soft limits (alpha 0): no cap, no price
    soft_beh = sc.behaviour.model_copy(update={"capacity_limits": "soft"})
    soft = run_scenario(net, sc.model_copy(update={"behaviour": soft_beh}))
    assert soft.corridor_volumes.set_index("corridor").loc["middle", "share"] == pytest.approx(
        logistic(-0.4), rel=1e-9
    )
    assert (soft.bottlenecks["shadow_price_usd_teu"] == 0).all()


def test_container_limit_leaves_general_cargo_alone(net: Network) -> None:
    # the port of Aktau (middle route only) gets a 500 TEU container capacity (hard); the
    # ferry m2 (20,000 TEU a year of any cargo) does not bind: 0.4 x 20,000 TEU-eq = 8,000
    adjust = [Change(node="akt", set={"capacity_teu_yr": 500})]
    sc = scenario(markets=[BOXES, BULK], capacity_limits="ports").model_copy(
        update={"adjustments": adjust}
    )
    r = run_scenario(net, sc)
    cv = r.corridor_volumes
    boxes = cv[cv["market"] == "boxes"].set_index("corridor")
    bulk = cv[cv["market"] == "bulk"].set_index("corridor")
    # containers: middle share 500 / 10,000 = logistic(scale * (N - M - price))
    assert boxes.loc["middle", "volume_teu"] == pytest.approx(500.0, rel=1e-6)
    price = N_COST - M_COST - math.log(0.05 / 0.95) / SCALE
    b = r.bottlenecks.set_index(["element", "cargo"])
    assert b.loc[("node:akt", "containers"), "shadow_price_usd_teu"] == pytest.approx(
        price, abs=0.5
    )
    # general cargo never meets the container limit: its split is the plain logit
    assert bulk.loc["middle", "share"] == pytest.approx(logistic(-0.4), rel=1e-9)
    assert ("node:akt", "all") not in b.index


def test_land_crossings_limit_tonnes_not_containers(net: Network) -> None:
    # a container figure at the border kzb is ignored (one crossing of several); its
    # tonne capacity counts for all cargo
    boxes_only = scenario(markets=[BOXES], capacity_limits="hard").model_copy(
        update={"adjustments": [Change(node="kzb", set={"capacity_teu_yr": 500})]}
    )
    r = run_scenario(net, boxes_only)
    assert r.corridor_volumes.set_index("corridor").loc["middle", "share"] == pytest.approx(
        logistic(-0.4), rel=1e-9
    )
    assert "node:kzb" not in set(r.bottlenecks["element"])


def test_nests_in_a_run_follow_the_hand_formula(net: Network) -> None:
    # both corridors in one nest at nest scale 0.5: the split inside the nest is a logit
    # with scale 0.001 / 0.5
    sc = scenario(markets=[BOXES], nests={"rail": ["northern", "middle"]}, nest_scale=0.5)
    assert middle_share(net, sc, "boxes") == pytest.approx(logistic(-0.8), rel=1e-9)
    # a corridor alone in its nest: the multinomial logit whatever the nest scale
    alone = scenario(markets=[BOXES], nests={"rail": ["northern"]}, nest_scale=0.5)
    assert middle_share(net, alone, "boxes") == pytest.approx(logistic(-0.4), rel=1e-9)


def test_nest_errors_name_the_field(tmp_path: Path) -> None:
    text = f"""\
name: toy
base_year: 2024
horizon: 2025
network: {HERE / "toy"}
demand:
  markets:
    - id: china_eu
      origin: Xian
      destination: Duisburg
      volume: 10000
behaviour:
  nests:
    rail: [northern, midle]
"""
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_inputs(p)
    msg = "\n".join(str(x) for x in info.value.problems)
    assert "line 13" in msg
    assert "behaviour.nests.rail[1]" in msg
    assert "did you mean 'middle'" in msg
    p.write_text(text.replace("[northern, midle]", "[northern, middle]\n    sea: [middle]"))
    with pytest.raises(ScenarioError, match="'middle' is in nests 'rail' and 'sea'"):
        load_inputs(p)
