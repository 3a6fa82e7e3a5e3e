"""Scenario markets from a demand table; cargo classes in their own units and money."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from corridors.demand.classes import CARGO_CLASSES, cargo_class
from corridors.errors import ScenarioError
from corridors.network import read_network
from corridors.network.schema import COMMODITIES
from corridors.scenarios.io import load_inputs
from corridors.scenarios.model import run_scenario
from corridors.scenarios.variables import apply_sample

TABLE = """\
origin,destination,commodity,volume,unit,year,market,source
Alpha,Echo,containers,100,TEU,2024,boxes,hand-made
Alpha,Echo,dry_bulk,1000,t,2024,bulk,hand-made
Alpha,Bravo,dry_bulk,500,t,2024,bulk,hand-made
Alpha,Charlie,dry_bulk,250,t,2024,bulk,hand-made
"""


def _scenario(folder: Path, demand: str) -> Path:
    (folder / "demand.csv").write_text(TABLE)
    path = folder / "s.yaml"
    body = textwrap.indent(textwrap.dedent(demand).strip("\n"), "  ")
    head = "name: table\nbase_year: 2024\nhorizon: 2025\nnetwork: mini\ndemand:\n"
    path.write_text(head + body + "\nbehaviour:\n  capacity_limits: hard\n")
    return path


def test_every_commodity_of_the_demand_table_has_one_class() -> None:
    assert {c.name for c in CARGO_CLASSES} == set(COMMODITIES)
    crude = cargo_class("liquid_bulk")
    assert crude.unit == "t"
    assert not crude.counts_against_teu
    assert cargo_class("containers").teu_equivalents(5.0) == 5.0
    assert cargo_class("dry_bulk").teu_equivalents(1000.0) == pytest.approx(100.0)
    with pytest.raises(KeyError, match="known: containers"):
        cargo_class("grain")


def test_per_tonne_tariff_by_hand(mini_copy: Path) -> None:
    """A tonne market pays the per-tonne money of the tables, per TEU-equivalent."""
    links = pd.read_csv(mini_copy / "link.csv", dtype=str, keep_default_na=False)
    # the ferry quotes 40 USD/t: per TEU / 20 t, not the 80 (per TEU / 10 t) of the fixture
    links.loc[links["link_id"] == "l3", "tariff_usd_t"] = "40"
    links.to_csv(mini_copy / "link.csv", index=False)
    path = _scenario(
        mini_copy.parent,
        """
        table: demand.csv
        table_markets:
          - {id: boxes, corridors: [middle]}
          - {id: bulk, corridors: [middle]}
        """,
    )
    inputs = load_inputs(path)
    result = run_scenario(inputs.network, inputs.scenario.until(2024))
    cv = result.corridor_volumes.set_index("market")
    # Alpha -> Echo on the middle corridor, per tonne: handling Alpha 5 + rail l1 30 +
    # border Bravo 10 + gauge change Bravo 20 + rail l2 40 + port Charlie 15 + ferry l3 40 +
    # port Delta 15 + rail l4 50 + terminal Echo 5 = 230 USD/t; 10 t per TEU-equivalent
    # (the class table's payload) = 2,300 USD. A TEU pays the per-TEU columns: 2,700 USD.
    # (The bulk market's Bravo and Charlie pairs pay less, so it is the Echo pair alone here.)
    only_echo = run_scenario(
        inputs.network,
        inputs.scenario.model_copy(
            update={
                "horizon": 2024,
                "demand": inputs.scenario.demand.model_copy(
                    update={
                        "markets": [
                            m for m in inputs.scenario.demand.markets if m.destination == "Echo"
                        ]
                    }
                ),
            }
        ),
    ).corridor_volumes.set_index("market")
    assert only_echo.loc["bulk", "usd_teu"] == pytest.approx(2300.0)
    assert only_echo.loc["boxes", "usd_teu"] == pytest.approx(2700.0)
    # volumes in their own units: the bulk market's tonnes, its TEU-equivalents at 10 t
    assert cv.loc["bulk", "volume_t"] == pytest.approx(1750.0)
    assert cv.loc["bulk", "volume_teu"] == pytest.approx(175.0)
    assert cv.loc["boxes", "volume_teu"] == pytest.approx(100.0)


@pytest.mark.parametrize(("grouping", "n_bulk"), [("od", 3), ("country", 2), ("market", 1)])
def test_table_rows_become_markets(mini_copy: Path, grouping: str, n_bulk: int) -> None:
    path = _scenario(
        mini_copy.parent,
        f"""
        table: demand.csv
        grouping: {grouping}
        table_markets:
          - {{id: bulk, growth: 0.1, share: 0.5}}
        """,
    )
    sc = load_inputs(path).scenario
    bulk = [m for m in sc.demand.markets if m.id == "bulk"]
    assert len(bulk) == n_bulk
    assert sum(m.volume for m in bulk) == pytest.approx(0.5 * 1750.0)
    assert {m.unit for m in bulk} == {"t"}
    assert {m.commodity for m in bulk} == {"dry_bulk"}
    assert all(m.growth == 0.1 for m in bulk)
    # a group goes between its largest pair's places (Echo's 1000 t; Bravo and Charlie
    # are both in Kazakhstan: the country grouping sends their 750 t to Bravo)
    assert max(bulk, key=lambda m: m.volume).destination == "Echo"
    boxes = [m for m in sc.demand.markets if m.id == "boxes"]
    assert [(m.volume, m.unit, m.growth) for m in boxes] == [(100.0, "TEU", 0.0)]
    # a sweep variable of a market changes every pair of it
    sampled = apply_sample(sc, {"demand.bulk.growth": 0.2})
    assert {m.growth for m in sampled.demand.markets if m.id == "bulk"} == {0.2}
    # the pairs of one market are one row of the result, demand conserved
    result = run_scenario(read_network(mini_copy), sc)
    mk = result.markets.set_index(["year", "market"])["volume_teu"]
    assert mk[2024, "bulk"] == pytest.approx(0.5 * 1750.0 / 10.0)
    assert mk[2025, "bulk"] == pytest.approx(0.5 * 1750.0 / 10.0 * 1.1)
    cv = result.corridor_volumes.groupby(["year", "market"])["volume_teu"].sum()
    assert cv[2025, "bulk"] == pytest.approx(mk[2025, "bulk"])


@pytest.mark.parametrize(
    ("demand", "words"),
    [
        ("table: nowhere.csv\n", "no such demand table"),
        ("table: demand.csv\ntable_markets:\n  - {id: bluk}\n", "did you mean 'bulk'"),
        (
            "markets: [{id: a, origin: Alpha, destination: Echo, volume: 1}]\ntable_markets: [{id: bulk}]\n",
            "'table_markets' need a 'table'",
        ),
        ("grouping: od\n", "demand needs 'markets' or a 'table'"),
    ],
)
def test_bad_demand_tables_are_clear_errors(mini_copy: Path, demand: str, words: str) -> None:
    path = _scenario(mini_copy.parent, demand)
    with pytest.raises(ScenarioError) as err:
        load_inputs(path)
    assert words in str(err.value)
    assert "s.yaml" in str(err.value)


def test_crude_in_teu_is_refused_with_its_line(mini_copy: Path) -> None:
    path = _scenario(mini_copy.parent, "table: demand.csv\n")
    with (mini_copy.parent / "demand.csv").open("a") as fh:
        fh.write("Alpha,Echo,liquid_bulk,10,TEU,2024,crude,hand-made\n")
    with pytest.raises(ScenarioError) as err:
        load_inputs(path)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("demand.csv", 6, "unit")
    assert "liquid_bulk is counted in t" in str(err.value)
