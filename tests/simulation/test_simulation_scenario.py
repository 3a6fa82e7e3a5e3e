"""``simulate`` on the scenario equilibrium's flows and routes (baseline-2024, 2024)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from corridors.cli.app import build_app
from corridors.cost.element_queues import TEU_PER_WAGON, capacity_teu_yr, line_queue
from corridors.errors import ScenarioError, UnknownNameError
from corridors.scenarios.io import load_inputs
from corridors.simulation import RunResult, SimulationModel, simulate
from corridors.simulation.model import HOURS_PER_YEAR
from corridors.simulation.resource_stats import sailings_table
from corridors.simulation.results import throughput_table, transit_percentiles
from corridors.studies.simulate import scenario_simulation_model
from corridors.studies.simulation_equilibrium import (
    EquilibriumFlows,
    equilibrium_flows,
    overloaded_elements,
)
from corridors.studies.water_split import container_ferry_share

SEEDS = (21, 22)  # chosen before looking at the results

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built() -> tuple[SimulationModel, EquilibriumFlows]:
    inputs = load_inputs("baseline-2024")
    return scenario_simulation_model(
        inputs.network, inputs.scenario, year=2024, catalogue=inputs.catalogue
    )


@pytest.fixture(scope="module")
def runs(built: tuple[SimulationModel, EquilibriumFlows]) -> list[RunResult]:
    return [simulate(built[0], seed=s) for s in SEEDS]


def _volume_a_year(model: SimulationModel) -> pd.DataFrame:
    rows = [
        {
            "origin": g.origin,
            "destination": g.destination,
            "corridor": g.corridor,
            "teu": g.per_day * g.teu * HOURS_PER_YEAR / 24.0,
            "t": g.per_day * g.tonnes * HOURS_PER_YEAR / 24.0,
        }
        for g in model.generators
    ]
    return pd.DataFrame(rows).groupby(["origin", "destination", "corridor"]).sum()


def test_shipments_carry_the_equilibrium_volume_of_each_market_and_corridor(
    built: tuple[SimulationModel, EquilibriumFlows],
) -> None:
    model, eq = built
    sim = _volume_a_year(model)
    left = {(x.origin, x.destination) for x in model.left_out}
    per_pair = eq.volumes.groupby(["origin", "destination", "corridor", "unit"])["volume"].sum()
    checked = 0
    for (o, d, corridor, unit), volume in per_pair.items():
        if (o, d) in left:
            continue
        got = sim.loc[(o, d, corridor), "teu" if unit == "TEU" else "t"]
        assert got == pytest.approx(volume, rel=1e-9), (o, d, corridor)
        checked += 1
    assert checked >= 20
    # pairs with no route on a corridor of their market (e.g. Minsk - Xi'an on the Middle
    # Corridor): 4.5 % of the volume at the 2024 baseline
    assert eq.unrouted < 0.06 * eq.volumes["volume"].sum()
    # the pairs of a market carry the equilibrium's volume of that market on each
    # corridor, and the markets' 2024 volumes are the scenario's demand (no growth yet),
    # but for the unrouted volume
    cv = eq.result.corridor_volumes.set_index(["year", "market", "corridor"])
    demand: dict[str, float] = {}
    for m in load_inputs("baseline-2024").scenario.demand.markets:
        if m.cargo_class.name != "liquid_bulk":
            demand[m.id] = demand.get(m.id, 0.0) + m.volume
    simulated = 0.0
    for (market, corridor, unit), grp in eq.volumes.groupby(["market", "corridor", "unit"]):
        row = cv.loc[(2024, market, corridor)]
        assert grp["volume"].sum() <= row["volume_teu" if unit == "TEU" else "volume_t"] * (
            1 + 1e-9
        )
        simulated += grp["volume"].sum()
    assert simulated + eq.unrouted == pytest.approx(sum(demand.values()), rel=1e-6)
    # the routes are the equilibrium's routes (two per corridor in the 2024 scenarios),
    # each split over the Caspian lines of its water (each line in proportion to its lift)
    split = 0
    for routes in eq.routes.values():
        by_corridor: dict[str, list[tuple[str, ...]]] = {}
        for r, _ in routes:
            by_corridor.setdefault(r.corridor, []).append(r.link_ids)
        for ways in by_corridor.values():
            assert len(set(ways)) == len(ways)  # distinct routes
            split += len(ways) > 1
        assert sum(w for _, w in routes) == pytest.approx(1.0)
    assert split > 0  # the Kazakh-Azerbaijani crossing: Aktau and Kuryk


def test_corridors_below_capacity_deliver_their_demand(
    built: tuple[SimulationModel, EquilibriumFlows], runs: list[RunResult]
) -> None:
    """Where no simulated element is loaded past 0.95, what is still under way at the
    end of the year is the pipeline: arrivals over the last mean transit time. Not on a
    corridor that crosses the Caspian: the year ends in its storm season, with the
    backlog of December's storms under way too."""
    model, _ = built
    busy = overloaded_elements(model, threshold=0.95)
    stormy = {p for w in model.weather for p in w.ports}
    lines = {f.line_id for f in model.ferry_lines if {f.port_a, f.port_b} & stormy}
    seasonal = {g.corridor for g in model.generators if any(s.target in lines for s in g.itinerary)}
    free = sorted({g.corridor for g in model.generators} - set(busy) - seasonal)
    assert "sea_cape" in free  # 2.98 M TEU, three quarters of the shipments
    for r in runs:
        tt = throughput_table(r).groupby("corridor")[["entered", "arrived", "in_system"]].sum()
        pct = transit_percentiles(r, by=("corridor",)).set_index("corridor")
        for corridor in free:
            per_year = sum(g.per_day for g in model.generators if g.corridor == corridor) * 365.0
            entered = tt.loc[corridor, "entered"]
            assert entered == pytest.approx(per_year, rel=4.0 / math.sqrt(per_year))
            pipeline = entered * pct.loc[corridor, "mean_h"] / HOURS_PER_YEAR
            assert tt.loc[corridor, "in_system"] == pytest.approx(pipeline, rel=0.25, abs=5)


def test_every_corridor_delivers_its_demand(
    built: tuple[SimulationModel, EquilibriumFlows], runs: list[RunResult]
) -> None:
    """Throughput equals demand on every corridor: no simulated element is loaded past
    its capacity, and every shipment that entered before October has arrived: no
    backlog builds up through the year. The Caspian's storm season (October to
    February, CASPIAN_STORM_DAYS) leaves a backlog at the year's end that clears in
    spring (the FerryQueue's seasonal term), so later shipments may still be under way."""
    model, _ = built
    assert overloaded_elements(model, threshold=1.0) == {}
    corridor_of = np.array([g.corridor for g in model.generators])
    for r in runs:
        early = r.ship_created < 273 * 24.0  # before 1 October
        arrived = np.isfinite(r.ship_arrived) & (r.ship_arrived <= r.horizon_h)
        for c in sorted(set(corridor_of)):
            mine = early & (corridor_of[r.ship_gen] == c)
            assert mine.sum() > 0, c
            assert arrived[mine].mean() > 0.995, (c, arrived[mine].mean())


def test_overloaded_elements_are_the_ones_simulated_past_capacity(
    built: tuple[SimulationModel, EquilibriumFlows],
) -> None:
    """Half as much again of the equilibrium's cargo: the elements named overloaded
    build a queue that grows through the year."""
    model, _ = built
    assert overloaded_elements(model, threshold=1.0) == {}
    heavy = replace(
        model, generators=tuple(replace(g, per_day=g.per_day * 1.5) for g in model.generators)
    )
    busy = overloaded_elements(heavy, threshold=1.0)
    for corridor, elements in busy.items():
        for element, rho in elements.items():
            assert rho >= 1.0, (corridor, element)
    # Dostyk's gauge change (0.95 at the equilibrium) serves both land corridors
    assert {"middle", "northern"} <= set(busy), busy
    assert "gauge:dostyk" in busy["northern"]
    stuck = dict.fromkeys(busy, 0.0)
    entered = dict.fromkeys(busy, 0.0)
    # the Lake Van ferry, full both ways: the ships lift what their joint ship-hours give
    # (issue 11), each way ``capacity / (1 + k)``, not the one-way capacity
    van = line_queue(load_inputs("baseline-2024").network, "van-tatvan")
    assert van is not None
    assert "ferry:van-tatvan@van" in busy["southern"]
    both_ways = capacity_teu_yr(van) / (1.0 + van.return_use)
    in_step = capacity_teu_yr(van) / (1.0 + 7.0 / 16.0)  # no berth waits: 3.5 + 3.5 h
    for seed in SEEDS:
        run = simulate(heavy, seed=seed)
        tt = throughput_table(run).groupby("corridor")[["entered", "in_system"]].sum()
        for c in busy:
            stuck[c] += float(tt.loc[c, "in_system"])
            entered[c] += float(tt.loc[c, "entered"])
        sailings = sailings_table(run)
        lifted = sailings[sailings["line"] == "ferry:van-tatvan"].groupby("from_port")["units"]
        for port, wagons in lifted.sum().items():  # 36 wagons of 2 TEU a deck
            # the two ships either meet at the berths (each waits for the other's
            # unloading, FERRY_BERTH_WAITS) or fall into step, one at each port, and
            # never do: between the two
            assert 0.9 * both_ways <= wagons * TEU_PER_WAGON <= 1.02 * in_step, (port, seed)
    for c in ("middle", "northern"):  # a tenth or more of the year's shipments queueing
        assert stuck[c] > 0.1 * entered[c], (c, stuck[c], entered[c])


def test_year_outside_the_scenario_is_an_error() -> None:
    inputs = load_inputs("baseline-2024")
    with pytest.raises(ScenarioError, match="year"):
        equilibrium_flows(inputs.network, inputs.scenario, year=2023)


def test_cli_rejects_bad_combinations_of_scenario_and_demand() -> None:
    runner = CliRunner()
    app = build_app()
    env = {"COLUMNS": "80", "NO_COLOR": "1"}
    bad_year = runner.invoke(
        app, ["simulate", "--scenario", "baseline-2024", "--year", "2019"], env=env
    )
    assert bad_year.exit_code == 2
    assert "--year 2019" in bad_year.output
    both = runner.invoke(
        app, ["simulate", "eurasia", "demand.csv", "--scenario", "baseline-2024"], env=env
    )
    assert both.exit_code == 2
    assert "not both" in both.output
    neither = runner.invoke(app, ["simulate"], env=env)
    assert neither.exit_code == 2
    unknown = runner.invoke(app, ["simulate", "--scenario", "baseline-2042"], env=env)
    assert isinstance(unknown.exception, UnknownNameError)  # main() exits 2 on it
    assert "baseline-2024" in str(unknown.exception)


def test_cli_simulates_the_equilibrium_of_a_scenario(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    result = CliRunner().invoke(
        build_app(),
        [
            *("simulate", "--scenario", "baseline-2024", "--days", "60", "-r", "1"),
            *("--serial", "--no-timelines", "-o", str(out)),
        ],
        env={"COLUMNS": "80", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    assert "sea_cape" in result.output
    shipments = pd.read_parquet(out / "shipments.parquet")
    assert set(shipments["corridor"]) >= {"middle", "northern", "sea_cape"}


def test_module_example_runs() -> None:
    import doctest

    import corridors.studies.simulation_equilibrium as module

    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_containers_fill_what_general_cargo_leaves_on_the_water() -> None:
    """The simulation splits a water's containers so that its lines are equally full, as
    the equilibrium's capacity of the water takes them (general cargo on rail ferries)."""
    # ferries lift 100, feeders 50 (TEU of deck a year); 60 of general cargo, 30 boxes:
    # (60 + x) / 100 = (30 - x) / 50 -> x = (30 x 100 - 60 x 50) / 150 = 0
    assert container_ferry_share(60.0, 30.0, ferries=100.0, feeders=50.0) == 0.0
    # no general cargo: containers in proportion to lift
    assert container_ferry_share(0.0, 30.0, ferries=100.0, feeders=50.0) == pytest.approx(2 / 3)
    # 30 general, 60 boxes: x = (6000 - 1500) / 150 = 30 of 60 -> 0.5; both lines at 0.6
    share = container_ferry_share(30.0, 60.0, ferries=100.0, feeders=50.0)
    assert share == pytest.approx(0.5)
    assert (30.0 + 60.0 * share) / 100.0 == pytest.approx(60.0 * (1 - share) / 50.0)
    # much general cargo: every box on the feeders
    assert container_ferry_share(90.0, 10.0, ferries=100.0, feeders=50.0) == 0.0
