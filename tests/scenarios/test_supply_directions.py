"""Hard limits per direction: a ferry or a line carries its capacity each way.

Toy network (tests/scenarios/toy): the middle route crosses the ferry m2 Aktau-Baku
(``akt`` in Kazakhstan, ``bak`` in Azerbaijan). Westbound alone, its middle share is
logistic(-0.4) = 0.401 of 10,000 TEU (test_scenarios_cargo_capacity.py). With 1,000 TEU a
year on the ferry, the westbound shippers get 1,000 TEU at the price
``N - M - ln(0.1 / 0.9) / scale``. Counting both directions against one capacity (as
before), an eastbound market of the same size took half of it.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from corridors.network import Network, read_network
from corridors.scenarios.elements import network_elements, on_link
from corridors.scenarios.model import run_scenario
from corridors.scenarios.spec import Scenario
from corridors.scenarios.store import ResultsStore, RunRecord

HERE = Path(__file__).parent
N_COST, M_COST = 8450.0, 8850.0
SCALE = 0.001
FERRY_TEU = 1000.0
WEST = {"id": "west", "origin": "Xian", "destination": "Duisburg", "volume": 10000}
EAST = {"id": "east", "origin": "Duisburg", "destination": "Xian", "volume": 10000}


@pytest.fixture(scope="module")
def net() -> Network:
    return read_network(HERE / "toy")


def scenario(markets: list[dict[str, object]], *, limits: str = "hard") -> Scenario:
    return Scenario.model_validate(
        {
            "name": "toy",
            "base_year": 2024,
            "horizon": 2024,
            "demand": {"markets": markets},
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": SCALE,
                "risk_premium_usd_teu": {"northern": 2000},
                "vdf": {"alpha": 0.0},
                "capacity_limits": limits,
                "equilibrium": {"tolerance": 1e-10, "max_iterations": 5000},
            },
            "adjustments": [{"link": "m2", "set": {"capacity_teu_yr": FERRY_TEU}}],
        }
    )


def middle(cv: pd.DataFrame, market: str) -> tuple[float, float]:
    """(volume, share) of ``market`` on the middle corridor."""
    row = cv[(cv["market"] == market) & (cv["corridor"] == "middle")].iloc[0]
    return float(row["volume_teu"]), float(row["share"])


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def test_the_ferry_is_one_element_each_way(net: Network) -> None:
    els = network_elements(net, tonnes_per_teu=10.0)
    west, east = els.link("m2", "akt"), els.link("m2", "bak")
    assert west is not None
    assert east is not None
    assert (west.key, east.key) == ("water:akt+bak@akt", "water:akt+bak@bak")
    assert west.capacities == east.capacities == {"all": 20_000.0}  # link.csv, each way
    assert on_link(west.key, "m2", "akt", "bak")
    assert not on_link(west.key, "m2", "bak", "akt")


def test_eastbound_flow_leaves_the_westbound_capacity_alone(net: Network, tmp_path: Path) -> None:
    alone = run_scenario(net, scenario([WEST]))
    both = run_scenario(net, scenario([WEST, EAST]))
    price = N_COST - M_COST - math.log(0.1 / 0.9) / SCALE  # share 0.1 = 1,000 / 10,000
    for r in (alone, both):
        volume, _ = middle(r.corridor_volumes, "west")
        assert volume == pytest.approx(FERRY_TEU, rel=1e-6)
        b = r.bottlenecks.set_index("element")
        assert b.loc["water:akt+bak@akt", "shadow_price_usd_teu"] == pytest.approx(price, abs=0.5)
        assert b.loc["water:akt+bak@akt", "utilisation"] == pytest.approx(1.0, rel=1e-6)
    # eastbound: unconstrained share s (the costs differ by direction: border clearance
    # is paid entering), held at 0.1 by its own price logit(s) / scale - logit(0.1) / scale
    free = run_scenario(net, scenario([EAST], limits="soft"))
    free_share = middle(free.corridor_volumes, "east")[1]
    assert free_share > 0.1
    east_volume, _ = middle(both.corridor_volumes, "east")
    assert east_volume == pytest.approx(FERRY_TEU, rel=1e-6)
    b = both.bottlenecks.set_index("element")
    assert b.loc["water:akt+bak@bak", "shadow_price_usd_teu"] == pytest.approx(
        (logit(free_share) - logit(0.1)) / SCALE, abs=0.5
    )
    # the ferry carries twice its capacity in all, its capacity each way; the store keeps
    # both directions
    assert b.loc["water:akt+bak@bak", "volume_teu"] == pytest.approx(FERRY_TEU, rel=1e-6)
    assert "water:akt+bak" not in b.index
    with ResultsStore(tmp_path / "r.duckdb") as store:
        run_id = store.write_run(RunRecord("toy", "h", "text", seed=1), both)
        stored = store.table("bottlenecks", run_id)
    assert {"water:akt+bak@akt", "water:akt+bak@bak"} <= set(stored["element"])
