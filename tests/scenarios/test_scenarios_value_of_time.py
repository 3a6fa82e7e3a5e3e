"""Values of time per market: segments of one market, honoured by the equilibrium.

A market (or a row of a demand table) may carry its own value of time
(``value_of_time_usd_h``, USD per unit-hour). On the toy network (see
``test_scenarios_model``: northern 190 h and 2,650 USD/TEU, middle 210 h and 4,650
USD/TEU, a northern premium of 2,000 USD/TEU) the middle route costs ``20 v`` more
than the northern one at a value of time ``v``, so the northern share of a segment is
``1 / (1 + exp(-0.001 * 20 v))``: 0.52498 at 5 USD/TEU-h and 0.88080 at 100.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridors.cost.parameters import CostParameters
from corridors.network import Network, read_network
from corridors.scenarios.demand_table import table_markets
from corridors.scenarios.model import ScenarioRunner, run_scenario
from corridors.scenarios.spec import Demand, Scenario
from corridors.scenarios.variables import apply_sample

HERE = Path(__file__).parent
SCALE = 0.001


@pytest.fixture(scope="module")
def net() -> Network:
    return read_network(HERE / "toy")


def _segment(vot: float | None, volume: float = 10_000.0) -> dict[str, object]:
    return {
        "id": "china_eu",
        "origin": "Xian",
        "destination": "Duisburg",
        "volume": volume,
        "value_of_time_usd_h": vot,
    }


def _scenario(markets: list[dict[str, object]]) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "toy-vot",
            "base_year": 2024,
            "horizon": 2024,
            "demand": {"markets": markets},
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": SCALE,
                "risk_premium_usd_teu": {"northern": 2000},
                "vdf": {"alpha": 0.0},
            },
        }
    )


def _northern(vot: float) -> float:
    return 1.0 / (1.0 + math.exp(-SCALE * 20.0 * vot))


def test_segments_choose_with_their_own_value_of_time(net: Network) -> None:
    result = run_scenario(net, _scenario([_segment(5.0), _segment(100.0)]))
    cv = result.corridor_volumes
    northern = float(cv.loc[cv["corridor"] == "northern", "volume_teu"].sum())
    assert northern == pytest.approx(10_000.0 * (_northern(5.0) + _northern(100.0)), rel=1e-9)
    # with the behaviour's 20 USD/TEU-h for both it would be 2 x 10,000 x 0.59869
    assert northern == pytest.approx(14_057.7, abs=0.1)


def test_a_market_without_its_own_value_takes_the_behaviours(net: Network) -> None:
    result = run_scenario(net, _scenario([_segment(None)]))
    cv = result.corridor_volumes
    northern = float(cv.loc[cv["corridor"] == "northern", "volume_teu"].sum())
    assert northern == pytest.approx(10_000.0 * _northern(20.0), rel=1e-9)


def test_values_of_time_per_teu_equivalent(net: Network) -> None:
    """A tonne market's value per tonne-hour counts per TEU-equivalent at its payload."""
    sc = _scenario(
        [
            _segment(5.0),
            {**_segment(0.22), "id": "bulk", "unit": "t", "commodity": "dry_bulk"},
            {**_segment(None), "id": "bulk2", "unit": "t", "commodity": "dry_bulk"},
        ]
    )
    runner = ScenarioRunner(net, sc)
    np.testing.assert_allclose(runner.market_values_of_time(), [5.0, 2.2, 20.0])
    assert CostParameters(unit="t", value_of_time_usd_h=0.22).vot_per_teu == pytest.approx(2.2)
    assert CostParameters(unit="FEU", value_of_time_usd_h=40.0).vot_per_teu == 20.0


def test_sampled_value_of_time_moves_segments_in_proportion() -> None:
    sc = apply_sample(_scenario([_segment(5.0), _segment(None)]), {"value_of_time": 30.0})
    assert sc.behaviour.value_of_time_usd_teu_h == 30.0
    assert [m.value_of_time_usd_h for m in sc.demand.markets] == [7.5, None]


def test_demand_table_rows_with_other_values_of_time_are_segments() -> None:
    frame = pd.DataFrame(
        {
            "origin": ["xian", "xian", "chengdu"],
            "destination": ["duisburg", "duisburg", "duisburg"],
            "commodity": ["containers"] * 3,
            "volume": [100.0, 50.0, 30.0],
            "unit": ["TEU"] * 3,
            "year": [2024] * 3,
            "market": ["china_eu"] * 3,
            "value_of_time_usd_h": [16.7, 10.0, 16.7],
            "source": ["test"] * 3,
        }
    )
    markets, problems = table_markets(frame, Demand(table="t.csv", grouping="market"), file="t.csv")
    assert not problems
    got = sorted((m.value_of_time_usd_h, m.volume) for m in markets)
    assert got == [(10.0, 50.0), (16.7, 130.0)]
    assert {m.id for m in markets} == {"china_eu"}


def test_written_segments_need_distinct_values_of_time() -> None:
    with pytest.raises(ValueError, match="market id"):
        _scenario([_segment(5.0), _segment(5.0)])


def test_class_scale_by_hand(net: Network) -> None:
    """A class chooses at k times the scale; the constant stays per TEU of containers.

    Containers at k = 2 and 20 USD/TEU-h: utility difference
    0.001 x (2 x (2,000 + 20 x 20) - 2,000) = 2.8, northern share 1 / (1 + e^-2.8).
    """
    sc = _scenario([_segment(20.0)])
    sc = sc.model_copy(
        update={"behaviour": sc.behaviour.model_copy(update={"class_scale": {"containers": 2.0}})}
    )
    cv = run_scenario(net, sc).corridor_volumes
    northern = float(cv.loc[cv["corridor"] == "northern", "volume_teu"].sum())
    assert northern == pytest.approx(10_000.0 / (1.0 + math.exp(-2.8)), rel=1e-9)


def test_class_scale_with_a_hard_capacity(net: Network) -> None:
    """Containers (scale 1) and bulk (scale 1.5) share a full ferry on the middle route.

    The ferry carries no more than its 3,000 TEU-equivalents, and each market's split is
    the logit, at its own scale, of the costs it faces (shadow price included): the
    log ratio of its corridor volumes is ``-0.001 k (G_n - G_m)``.
    """
    bulk = {**_segment(None, 100_000.0), "id": "bulk", "unit": "t", "commodity": "dry_bulk"}
    sc = _scenario([_segment(20.0), bulk])
    beh = sc.behaviour.model_copy(
        update={
            "class_scale": {"dry_bulk": 1.5},
            "capacity_limits": "hard",
            "risk_premium_usd_teu": {"northern": 6000},
        }
    )
    adjust = [{"target": "link", "link": "m2", "set": {"capacity_teu_yr": 3000}}]
    sc = Scenario.model_validate(
        {**sc.model_dump(), "behaviour": beh.model_dump(), "adjustments": adjust}
    )
    result = run_scenario(net, sc)
    b = result.bottlenecks
    ferry = b[b["element"] == "water:akt+bak@akt"]
    assert float(ferry["shadow_price_usd_teu"].max()) > 0.0
    assert float(ferry["volume_teu"].max()) <= 3000.0 * (1 + 1e-6)
    cv = result.corridor_volumes.set_index(["market", "corridor"])
    for market, k in (("china_eu", 1.0), ("bulk", 1.5)):
        n, m = cv.loc[(market, "northern")], cv.loc[(market, "middle")]
        ratio = math.log(float(n["volume_teu"]) / float(m["volume_teu"]))
        gap = float(n["cost_usd_teu"]) - float(m["cost_usd_teu"])
        assert ratio == pytest.approx(-SCALE * k * gap, rel=1e-6)
    # the constant is paid / k by bulk: 2,650 + 190 h x 20 + 6,000 / 1.5 USD per TEU-eq
    assert float(cv.loc[("bulk", "northern"), "cost_usd_teu"]) == pytest.approx(10_450.0)


def _bulk_at_k_with_sanctions(
    net: Network, markets: list[dict[str, object]], *, extra_usd_teu: float, basis: str = "teu"
) -> pd.DataFrame:
    """Corridor volumes by market and corridor: bulk at k = 1.5, a Northern surcharge."""
    sc = _scenario(markets)
    sc = Scenario.model_validate(
        {
            **sc.model_dump(),
            "behaviour": {**sc.behaviour.model_dump(), "class_scale": {"dry_bulk": 1.5}},
            "disruptions": [
                {
                    "id": "sanctions",
                    "corridors": ["northern"],
                    "start": "2024-01-01",
                    "extra_usd_teu": extra_usd_teu,
                    "extra_usd_basis": basis,
                }
            ],
        }
    )
    return run_scenario(net, sc).corridor_volumes.set_index(["market", "corridor"])


def test_a_class_pays_surcharges_in_full(net: Network) -> None:
    """A surcharge of a disruption is money: bulk pays it per TEU-equivalent in full.

    Bulk at k = 1.5, 10,000 TEU-eq; a Northern surcharge of 300 USD/TEU on top of the
    2,000 constant (paid / k). Per TEU-eq the Northern route costs 2,650 + 190 x 20 + 300
    + 2,000 / 1.5 = 8,083.33, the Middle one 4,650 + 210 x 20 = 8,850: the Northern share
    is 1 / (1 + exp(0.001 x 1.5 x (8,083.33 - 8,850))) = 1 / (1 + e^-1.15).
    """
    bulk = {**_segment(None, 100_000.0), "id": "bulk", "unit": "t", "commodity": "dry_bulk"}
    cv = _bulk_at_k_with_sanctions(net, [bulk], extra_usd_teu=300.0)
    northern = float(cv.loc[("bulk", "northern"), "volume_teu"])
    total = northern + float(cv.loc[("bulk", "middle"), "volume_teu"])
    assert northern / total == pytest.approx(1.0 / (1.0 + math.exp(-1.15)), rel=1e-9)
    assert float(cv.loc[("bulk", "northern"), "cost_usd_teu"]) == pytest.approx(8083.3333333)


def test_a_risk_premium_is_paid_in_proportion_to_the_cargos_value(net: Network) -> None:
    """A premium on the cargo's value (``extra_usd_basis: value``) scales with the value of time.

    A Northern premium of 1,200 USD per TEU of containers at the behaviour's 20 USD/TEU-h.
    Dry bulk at 0.5 USD/t-h is 5 USD per TEU-equivalent-hour (10 t a TEU-equivalent) and
    pays 1,200 x 5 / 20 = 300 USD per TEU-eq: at k = 1.5 its Northern route costs
    2,650 + 190 x 5 + 300 + 2,000 / 1.5 = 5,233.33 and its Middle one 4,650 + 210 x 5 =
    5,700, a Northern share of 1 / (1 + e^-0.7). Containers at 40 USD/TEU-h pay
    1,200 x 40 / 20 = 2,400: 2,650 + 190 x 40 + 2,400 + 2,000 = 14,650 against
    4,650 + 210 x 40 = 13,050, a Northern share of 1 / (1 + e^1.6).
    """
    bulk = {
        **_segment(0.5, 100_000.0),
        "id": "bulk",
        "unit": "t",
        "commodity": "dry_bulk",
    }
    cv = _bulk_at_k_with_sanctions(net, [bulk, _segment(40.0)], extra_usd_teu=1200.0, basis="value")

    def northern_share(market: str) -> float:
        north = float(cv.loc[(market, "northern"), "volume_teu"])
        return north / (north + float(cv.loc[(market, "middle"), "volume_teu"]))

    assert northern_share("bulk") == pytest.approx(1.0 / (1.0 + math.exp(-0.7)), rel=1e-9)
    assert float(cv.loc[("bulk", "northern"), "cost_usd_teu"]) == pytest.approx(5233.3333333)
    assert northern_share("china_eu") == pytest.approx(1.0 / (1.0 + math.exp(1.6)), rel=1e-9)
    # charged per TEU in full (the default basis) the bulk would pay 1,200, not 300
    assert float(cv.loc[("china_eu", "northern"), "cost_usd_teu"]) == pytest.approx(14_650.0)
