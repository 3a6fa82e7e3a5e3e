"""``reliability: simulate``: buffer hours from a short simulation of the toy network."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corridors.network import Network, read_network
from corridors.scenarios.io import read_scenario_text
from corridors.scenarios.model import run_scenario
from corridors.scenarios.spec import Scenario
from corridors.studies.reliability import simulated_buffers
from corridors.studies.scenario import scenario_run

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def net() -> Network:
    return read_network(HERE / "toy")


def at(frame: pd.DataFrame, corridor: str, column: str) -> float:
    """Value of ``column`` in the row of ``corridor`` (frame indexed by corridor)."""
    return float(frame[column].to_numpy(dtype=float)[list(frame.index).index(corridor)])


def scenario(reliability: object, seed: int = 3) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "r",
            "base_year": 2024,
            "horizon": 2024,
            "seed": seed,
            "demand": {
                "markets": [
                    {"id": "m", "origin": "Xian", "destination": "Duisburg", "volume": 10000}
                ]
            },
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": 0.001,
                "reliability_buffer_h": {"middle": 500.0, "northern": 500.0},
                "reliability": reliability,
            },
        }
    )


def test_simulated_buffers_enter_the_cost(net: Network) -> None:
    sc = scenario({"days": 60, "replications": 2})
    buffers = simulated_buffers(net, sc)
    assert set(buffers) == {"middle", "northern"}
    # random border and handling times: the 95th percentile is above the median
    assert all(0.0 < h < 500.0 for h in buffers.values())
    assert simulated_buffers(net, sc) == buffers  # seeded: the same again
    assert simulated_buffers(net, scenario({"days": 60, "replications": 2}, seed=4)) != buffers
    cv = scenario_run(net, sc).corridor_volumes.set_index("corridor")
    for c in ("middle", "northern"):  # cost = USD + VoT x (congested hours + buffer)
        expected = at(cv, c, "usd_teu") + 20 * (at(cv, c, "hours") + buffers[c])
        assert at(cv, c, "cost_usd_teu") == pytest.approx(expected)
    # buffers given to the run win over the simulated ones
    forced = scenario_run(net, sc, reliability={"middle": 0.0, "northern": 0.0})
    fc = forced.corridor_volumes.set_index("corridor")
    assert at(fc, "middle", "cost_usd_teu") == pytest.approx(
        at(fc, "middle", "usd_teu") + 20 * at(fc, "middle", "hours")
    )


def test_buffers_option_is_unchanged(net: Network) -> None:
    """Without ``simulate`` the scenario's buffer hours are used (500 h each)."""
    cv = run_scenario(net, scenario("buffers")).corridor_volumes.set_index("corridor")
    assert at(cv, "middle", "cost_usd_teu") == pytest.approx(
        at(cv, "middle", "usd_teu") + 20 * (at(cv, "middle", "hours") + 500.0)
    )


def test_reliability_word_is_checked() -> None:
    text = """name: r
base_year: 2024
horizon: 2024
demand: {markets: [{id: m, origin: a, destination: b, volume: 1}]}
behaviour:
  reliability: simulated
"""
    with pytest.raises(ValueError, match=r"line 6.*unknown reliability 'simulated'"):
        read_scenario_text(text, file="r.yaml")


def test_the_runner_never_simulates(net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scenario runner uses the buffers it is given; only a study simulates."""
    import corridors.studies.reliability as reliability

    def no_simulation(*args: object, **kwargs: object) -> dict[str, float]:
        raise AssertionError("the runner must not simulate")

    monkeypatch.setattr(reliability, "simulated_buffers", no_simulation)
    sc = scenario({"days": 60, "replications": 2})
    cv = run_scenario(net, sc).corridor_volumes.set_index("corridor")
    assert at(cv, "middle", "cost_usd_teu") == pytest.approx(
        at(cv, "middle", "usd_teu") + 20 * (at(cv, "middle", "hours") + 500.0)
    )
    with pytest.raises(AssertionError, match="must not simulate"):
        scenario_run(net, sc)
