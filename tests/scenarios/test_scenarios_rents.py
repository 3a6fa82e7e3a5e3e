"""Scarcity rents in the appraisal: a full element's shadow price times its flow.

The toy (``tests/scenarios/toy``) has one market, 10,000 TEU in 2024 growing 5 % a year,
on two corridors: northern at 8,450 USD per TEU and middle at 8,850 plus the shadow price
of its ferry, hard-limited to 1,500 TEU a year; ``ferry_x2`` doubles it from 2026. With a
full ferry the logit (scale 0.001 per USD) puts exactly its capacity ``C`` on the middle
route: ``d / (1 + exp(0.001 (400 + mu))) = C``, so ``mu = 1000 ln(d / C - 1) - 400``.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from corridors.cli.scenario_views import RANKING_NARROW, rankings_view
from corridors.network import read_network
from corridors.reports.run_report import stored_run_report
from corridors.scenarios.appraisal import appraise
from corridors.scenarios.io import load_inputs, read_measures
from corridors.scenarios.result import (
    CORRIDOR_VOLUME_COLUMNS,
    LINK_FLOW_COLUMNS,
    RANKING_COLUMNS,
    TRANSIT_TIME_COLUMNS,
    ScenarioResult,
    empty,
)
from corridors.scenarios.spec import Scenario
from corridors.scenarios.store import ResultsStore, RunRecord

HERE = Path(__file__).parent
FERRY_TEU = 20_000.0  # the toy's m2 (link.csv)


def price(demand: float, capacity: float) -> float:
    """Shadow price of the full ferry, USD per TEU (the module docstring)."""
    return 1000.0 * math.log(demand / capacity - 1.0) - 400.0


def toy_ranking() -> pd.DataFrame:
    sc = Scenario.model_validate(
        {
            "name": "toy-rents",
            "base_year": 2024,
            "horizon": 2028,
            "discount_rate": 0.06,
            "measures": ["ferry_x2"],
            "demand": {
                "markets": [
                    {
                        "id": "china_eu",
                        "origin": "Xian",
                        "destination": "Duisburg",
                        "volume": 10_000,
                        "growth": 0.05,
                    }
                ]
            },
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": 0.001,
                "risk_premium_usd_teu": {"northern": 2000},
                "capacity_limits": "hard",
                "equilibrium": {"tolerance": 1e-12, "max_iterations": 5000},
            },
            # the ferry at 1,500 TEU a year (3,000 with ferry_x2, whose scale comes first)
            "adjustments": [
                {"target": "link", "link": "m2", "scale": {"capacity_teu_yr": 1500 / FERRY_TEU}}
            ],
        }
    )
    net = read_network(HERE / "toy")
    catalogue = read_measures(HERE / "files" / "toy-measures.yaml")
    rankings, _ = appraise(net, sc, catalogue=catalogue)
    return rankings.set_index("measure_id")


def test_rents_of_a_relieved_full_ferry_by_hand() -> None:
    ranked = toy_ranking().loc["ferry_x2"]
    demand = {y: 10_000.0 * 1.05 ** (y - 2024) for y in range(2024, 2029)}
    change = {
        y: 3000.0 * price(d, 3000.0) - 1500.0 * price(d, 1500.0)
        for y, d in demand.items()
        if y >= 2026
    }
    # 2026: 3,000 x 583.9 - 1,500 x 1,448.5 = -420.8k USD: the price falls more than the flow rises
    assert change[2026] == pytest.approx(3000 * 583.949 - 1500 * 1448.455, abs=5.0)
    assert ranked["rents_usd"] == pytest.approx(sum(change.values()), rel=1e-6)
    # with the rents: the NPV gains their change over the life, 2026-2055 (30 years),
    # the horizon's held after 2028, discounted at 6 % to 2024
    life = {y: change.get(y, change[2028]) for y in range(2026, 2056)}
    pv_rents = sum(v / 1.06 ** (y - 2024) for y, v in life.items())
    assert ranked["npv_with_rents_usd"] - ranked["npv_usd"] == pytest.approx(pv_rents, rel=1e-6)
    # the ranking's own figures stay the shippers': the surplus is positive, the rents fall
    assert ranked["usd_saved"] > 0 > ranked["rents_usd"]


def test_shipped_alat_phase2_raises_rents() -> None:
    """Alat's phase 2 in middle-corridor-investments-2030: more flow through elements that
    stay full (the lead measured +77.6 M$ in 2030 alone, shippers +18.1 M$)."""
    inputs = load_inputs("middle-corridor-investments-2030")
    rankings, results = appraise(
        inputs.network,
        inputs.scenario,
        catalogue=inputs.catalogue,
        measure_ids=["alat_phase2"],
        package=False,
    )
    row = rankings.set_index("measure_id").loc["alat_phase2"]
    assert row["rents_usd"] > 0
    # the column is the runs' own flow x price, summed over elements and years
    sums = []
    for name in ("alat_phase2", "reference"):
        b = results[name].bottlenecks
        sums.append(float((b["volume_teu"] * b["shadow_price_usd_teu"]).sum()))
    assert row["rents_usd"] == pytest.approx(sums[0] - sums[1], rel=1e-9)
    assert row["npv_with_rents_usd"] > row["npv_usd"]


def _ranking(npv_usd: float) -> ScenarioResult:
    """A stored run's minimal result: one ranked measure, every column."""
    row = dict.fromkeys(RANKING_COLUMNS, 1.0) | {"measure_id": "m", "npv_usd": npv_usd}
    rankings = pd.DataFrame([row], columns=list(RANKING_COLUMNS))
    return ScenarioResult(
        corridor_volumes=empty(CORRIDOR_VOLUME_COLUMNS),
        link_flows=empty(LINK_FLOW_COLUMNS),
        transit_times=empty(TRANSIT_TIME_COLUMNS),
        rankings=rankings,
    )


def test_a_store_made_before_the_rents_opens_and_keeps_them(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with ResultsStore(path) as store:
        old = store.write_run(RunRecord("old", "h", "text", seed=1), _ranking(3e5))
    # the table as a store made before this version has it
    con = duckdb.connect(str(path))
    for col in ("rents_usd", "npv_with_rents_usd"):
        con.execute(f"ALTER TABLE measure_rankings DROP COLUMN {col}")
    con.close()
    # read-only: the old ranking as it is, shown without the rents
    with ResultsStore(path, read_only=True) as store:
        before = store.table("measure_rankings", old)
    assert "rents_usd" not in before.columns
    assert "rents M$" not in rankings_view(before, wide=True).columns
    assert list(rankings_view(before).columns) == list(RANKING_NARROW.values())
    toy = read_network(HERE / "toy")
    with ResultsStore(path, read_only=True) as store:
        html = stored_run_report(store, old, toy)
    assert "Measures, best first" in html
    assert "Scarcity rents" not in html
    # opened to write: the columns are added (old rows have none) and a new run keeps them
    with ResultsStore(path) as store:
        new = store.write_run(RunRecord("new", "h", "text", seed=2), _ranking(4e5))
        after, stored = store.table("measure_rankings", old), store.table("measure_rankings", new)
        assert "Scarcity rents<" in stored_run_report(store, new, toy)
    assert list(after.columns) == list(RANKING_COLUMNS)
    assert after["rents_usd"].isna().all()
    assert after["npv_usd"].tolist() == [3e5]
    assert stored[["npv_usd", "rents_usd", "npv_with_rents_usd"]].to_numpy().tolist() == [
        [4e5, 1.0, 1.0]
    ]
