"""One model of supply: the equilibrium's capacities are the simulated servers', and the
wait at a full element is its rationing wait."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from corridors.cost.element_delays import KNEE
from corridors.cost.element_queues import capacity_teu_yr, element_queue
from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.scenarios.elements import network_elements, on_link
from corridors.scenarios.io import load_inputs
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.supply import element_waits, rationing_wait_h


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path()).for_year(2024)


def test_rationing_wait_by_hand() -> None:
    # a shadow price of 3,340 USD/TEU at 16.7 USD per TEU-hour: 200 h of waiting
    assert rationing_wait_h(3340.0, 16.7) == pytest.approx(200.0)
    assert rationing_wait_h(0.0, 16.7) == 0.0
    with pytest.raises(ValueError, match="value of time"):
        rationing_wait_h(100.0, 0.0)


def test_element_waits_add_the_prices_the_cargo_pays() -> None:
    rows = pd.DataFrame(
        {
            "year": [2024, 2024, 2024, 2025],
            "element": ["node:port", "node:port", "water:a+b", "node:port"],
            "cargo": ["all", "containers", "general", "all"],
            "volume_teu": [1.0, 1.0, 1.0, 1.0],
            "capacity_teu": [1.0, 1.0, 1.0, 1.0],
            "utilisation": [0.7, 1.0, 1.0, 0.1],
            "shadow_price_usd_teu": [0.0, 500.0, 200.0, 0.0],
            "queue_h": [3.0, 3.0, 8.0, 1.0],
        }
    )
    boxes = element_waits(rows, 2024, value_of_time_usd_teu_h=10.0)
    assert boxes["node:port"].queue_h == 3.0
    assert boxes["node:port"].rationing_h == pytest.approx(50.0)  # 500 / 10
    assert boxes["node:port"].total_h == pytest.approx(53.0)
    assert boxes["node:port"].utilisation == 1.0
    assert boxes["water:a+b"].rationing_h == 0.0  # general cargo's price: not a container's
    bulk = element_waits(rows, 2024, value_of_time_usd_teu_h=10.0, containers=False)
    assert bulk["node:port"].rationing_h == 0.0
    assert bulk["water:a+b"].rationing_h == pytest.approx(20.0)
    assert element_waits(rows.iloc[:0], 2024, value_of_time_usd_teu_h=10.0) == {}


def test_capacities_are_the_simulated_servers_at_the_knee(eurasia: Network) -> None:
    els = network_elements(eurasia, tonnes_per_teu=10.0)
    # Dostyk: 5 gauge-change tracks of 4.25 h a train, 100 TEU a train, at 0.95
    dostyk = els.node("dostyk")
    assert dostyk is not None
    assert dostyk.capacities == {"all": pytest.approx(KNEE * 5 / 4.25 * 8760 * 100)}
    assert dostyk.bulk_use == pytest.approx(100 / 150)
    # Alashankou-Dostyk: 12 train paths a day in each direction, one element each
    west = els.link("alashankou-dostyk", "alashankou")
    east = els.link("alashankou-dostyk", "dostyk")
    assert west is not None
    assert east is not None
    assert (west.key, east.key) == (
        "link:alashankou-dostyk@alashankou",
        "link:alashankou-dostyk@dostyk",
    )
    assert west.capacities == {"all": pytest.approx(KNEE * 12 * 365 * 100)}
    # the Kazakh-Azerbaijani crossing: Aktau and Kuryk rail ferries and the feeders
    water = els.link("kuryk-alat", "kuryk")
    assert water is not None
    assert water is els.link("aktau-alat-feeder", "aktau")
    assert water.key == "water:aktau+alat+kuryk@aktau+kuryk"
    # the other direction is its own element with the same capacity (a ship carries its
    # deck each way)
    back = els.link("aktau-alat-feeder", "alat")
    assert back is not None
    assert back is els.link("kuryk-alat", "alat")
    assert back.key == "water:aktau+alat+kuryk@alat"
    assert back.capacities == water.capacities
    lift = capacity_teu_yr(element_queue(eurasia, water.key))  # type: ignore[arg-type]
    rail = capacity_teu_yr(element_queue(eurasia, water.key + "#general"))  # type: ignore[arg-type]
    assert water.capacities["all"] <= KNEE * lift + 1e-6
    assert water.capacities["general"] == pytest.approx(KNEE * rail)
    assert water.bulk_use == pytest.approx(1 / 3)
    turkmen = els.link("turkmenbashi-alat", "turkmenbashi")
    assert turkmen is not None
    assert turkmen.key == "water:alat+turkmenbashi@turkmenbashi"
    # a pipeline keeps its table capacity, per direction
    pipe = els.link("sangachal-ceyhan", "sangachal")
    assert pipe is not None
    assert pipe.key == "link:sangachal-ceyhan@sangachal"
    assert on_link(west.key, "alashankou-dostyk", "alashankou", "dostyk")
    assert not on_link(west.key, "alashankou-dostyk", "dostyk", "alashankou")
    assert on_link(pipe.key, "sangachal-ceyhan", "sangachal", "ceyhan")
    assert not on_link(pipe.key, "sangachal-ceyhan", "ceyhan", "sangachal")
    assert on_link(water.key, "kuryk-alat", "kuryk", "alat")
    assert on_link(water.key, "aktau-alat-feeder", "aktau", "alat")
    assert not on_link(water.key, "kuryk-alat", "alat", "kuryk")
    assert on_link(back.key, "kuryk-alat", "alat", "kuryk")
    # keys of both directions, as older stores hold them, match either way
    assert on_link("water:aktau+alat+kuryk", "kuryk-alat", "alat", "kuryk")
    assert on_link("link:sangachal-ceyhan", "sangachal-ceyhan", "ceyhan", "sangachal")


def test_no_simulated_server_beyond_the_knee_in_the_2024_equilibrium() -> None:
    """Every element with servers carries at most 0.95 of what they serve (TEU of
    100-TEU trains, bulk at its share of a shipment)."""
    inputs = load_inputs("baseline-2024")
    runner = ScenarioRunner(inputs.network, inputs.scenario.until(2024), catalogue=inputs.catalogue)
    result = runner.run()
    net = runner.year_network(2024)
    b = result.bottlenecks
    checked = 0
    for element, cargo, flow in zip(b["element"], b["cargo"], b["volume_teu"], strict=True):
        if cargo != "all":
            continue
        queue = element_queue(net, str(element))
        if queue is None:
            continue
        assert flow <= KNEE * capacity_teu_yr(queue) * (1 + 1e-6), element
        checked += 1
    assert checked >= 8
    # the train paths westbound from China bind: priced, not overloaded
    paths = b[(b["element"] == "link:alashankou-dostyk@alashankou") & (b["cargo"] == "all")]
    assert float(paths["utilisation"].iloc[0]) == pytest.approx(1.0, abs=1e-3)
    assert float(paths["shadow_price_usd_teu"].iloc[0]) > 0.0
    assert all(math.isfinite(x) for x in b["queue_h"])
