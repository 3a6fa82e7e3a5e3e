"""The 2024 demand on the shipped network: the ferry and feeder lines' waits the delay
functions predict, against the simulated ships.

The shipments that cross a water (the Caspian, Lake Van) simulated for years a seed:
the routes' own 2024 loads, and baseline-2024's with cargo both ways. The stations'
queues: ``test_simulation_shipped_2024.py``; the network, the model and the seeds:
``conftest.py``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from corridors.cost.ferry_lines import line_queue
from corridors.network.model import Network
from corridors.scenarios.io import load_inputs
from corridors.simulation import RunResult, SimulationModel, simulate
from corridors.simulation.loads import ferry_loads
from corridors.simulation.weather import Closures
from corridors.studies.simulate import scenario_simulation_model

pytestmark = pytest.mark.slow

KNOWN_GAPS: dict[str, str] = {}
"""Ferry and feeder lines whose delay function misses the simulated wait by more than
20 %, with the measured gap (skipped by the checks below; none since the ferry storms'
backlog was recalibrated from the simulation: Aktau's rail ferries 21.3 h against 26.3
simulated)."""


FERRY_YEARS = 25
"""Years each seed simulates the shipments that cross a water for the ferry test: a
year's mean wait for Aktau's rail ferries varies from 7 to 35 h between seeds (the
storms), so one year of four seeds put Kuryk's function 20 % above the simulated wait
and forty seeds 30 %; twenty-five years of four seeds vary by under 10 %."""


def _water_crossings(
    model: SimulationModel, *, years: int, seeds: tuple[int, ...]
) -> tuple[SimulationModel, list[RunResult]]:
    """``model``'s shipments that cross a water, ``years`` years a seed of ``seeds``."""
    crossing = dataclasses.replace(
        model,
        generators=tuple(
            g for g in model.generators if any(s.kind == "ferry" for s in g.itinerary)
        ),
        horizon_h=years * 8760.0,
    )
    return crossing, [simulate(crossing, seed=s) for s in seeds]


@pytest.fixture(scope="module")
def ferry_runs(
    shipped_model: SimulationModel, shipped_seeds: tuple[int, ...]
) -> tuple[SimulationModel, list[RunResult]]:
    """The shipments that cross a water, :data:`FERRY_YEARS` years a seed."""
    return _water_crossings(shipped_model, years=FERRY_YEARS, seeds=shipped_seeds)


def ferry_waits(run: RunResult, resource: str) -> tuple[int, float, float]:
    """Shipments that boarded ``resource``, the hours they waited for a ship, and the
    hours they waited at the port's station for a storm's end before, in all.

    A train that reaches a Caspian port in a storm waits at the port's station for the
    storm's end before it joins the line's queue; the equilibrium counts that wait in
    the line's (the berths' test nets it out of theirs): from the arrival at the port's
    station to the storm's end (or to its start there, if sooner).
    """
    i = run.res_ids.index(resource)
    storms = Closures(iv for _, ivs in run.storms for iv in ivs)
    rows = np.flatnonzero((run.v_res == i) & np.isfinite(run.v_start))
    ship_h = float(np.sum(run.v_start[rows] - run.v_arr[rows]))
    key = run.v_ship.astype(np.int64) * 10_000 + run.v_step
    order = np.argsort(key, kind="stable")
    want = key[rows] - 1  # the step before: the port's station, if any
    at = np.minimum(np.searchsorted(key[order], want), len(order) - 1)
    storm_h = 0.0
    for j in np.flatnonzero(key[order][at] == want):
        k = order[at[j]]
        if run.res_ids[run.v_res[k]].startswith("port:"):
            arrived = float(run.v_arr[k])
            storm_h += max(min(storms.next_open(arrived), float(run.v_start[k])) - arrived, 0.0)
    return len(rows), ship_h, storm_h


def compare_ferries(
    crossing: SimulationModel, runs: list[RunResult]
) -> list[tuple[str, float, float, float]]:
    """Each ferry line from each port at utilisation up to 0.9: ``(resource, simulated
    wait, function, storm's end at the port)``, hours, over ``runs``.

    The simulated wait counts the storm's end waited for at the port (:func:`ferry_waits`);
    the function is the equilibrium's, the line's at the joint load with the cargo back,
    at the simulated arrivals.
    """
    checked = []
    for load in ferry_loads(crossing):
        if load.arrivals_per_day <= 0.0:
            continue
        rid = f"{load.line.line_id}@{load.port}"
        n, ship_h, storm_h = np.sum([ferry_waits(r, rid) for r in runs], axis=0)
        rate = n / len(runs) / crossing.horizon_h
        line = load.ferry_queue()
        joint = load.joint_per_h(rate)  # with the ships' time the cargo back takes
        if line.utilisation(joint) > 0.9:
            continue
        wait = load.wait_h(rate)  # the equilibrium's function: the line's at the joint load
        # its deck filled by its own cargo, its ships held by the other port's
        assert wait == line.wait_h(joint, own_per_h=rate, back_units=load.back_units)
        checked.append((rid, float((ship_h + storm_h) / n), wait, float(storm_h / n)))
    return checked


def test_ferry_delay_functions_match_the_simulated_waits(
    ferry_runs: tuple[SimulationModel, list[RunResult]], shipped_network: Network
) -> None:
    """Each ferry and feeder line's mean wait for a ship and its delay function agree
    within 20 % at utilisation up to 0.9 (deck filling, the queue of sailings, storms),
    the simulated wait with the storms' end waited for at the port (:func:`ferry_waits`)."""
    crossing, runs = ferry_runs
    checked = compare_ferries(crossing, runs)
    for rid, sim_wait, wait, _ in checked:
        if rid not in KNOWN_GAPS:
            assert wait == pytest.approx(sim_wait, rel=0.2), checked
    # the rail ferries from Kuryk and Aktau and the Aktau container feeder are among them
    lines = {c[0].partition("@")[0].removeprefix("ferry:") for c in checked}
    assert {"kuryk-alat", "aktau-alat", "aktau-alat-feeder"} <= lines, checked
    # where trains board by rail in the Caspian the storms' end is waited for at the port
    # (about 10 h of Kuryk's 42), and not at Lake Van (no storms)
    storms = {c[0]: c[3] for c in checked}
    assert storms["ferry:kuryk-alat@kuryk"] > 5.0, checked
    assert storms["ferry:van-tatvan@van"] == 0.0, checked
    # every shipment boards from the port's station, so no ship takes cargo in a storm,
    # in the simulation's line loads as in the equilibrium's lines
    for load in ferry_loads(crossing):
        if load.arrivals_per_day > 0.0:
            assert load.held_at_port, load.port
            element = line_queue(shipped_network, load.line.line_id.removeprefix("ferry:"))
            assert element is not None
            assert element.fills_in_storms is load.ferry_queue().fills_in_storms is False


BASELINE_YEARS = 10
"""Years each seed simulates baseline-2024's 2024 shipments that cross a water."""


@pytest.fixture(scope="module")
def baseline_runs(shipped_seeds: tuple[int, ...]) -> tuple[SimulationModel, list[RunResult]]:
    """baseline-2024's own equilibrium in 2024 (cargo both ways across the Caspian and
    Lake Van): its shipments that cross a water, :data:`BASELINE_YEARS` years a seed."""
    inputs = load_inputs("baseline-2024")
    model, _ = scenario_simulation_model(
        inputs.network, inputs.scenario, year=2024, catalogue=inputs.catalogue
    )
    return _water_crossings(model, years=BASELINE_YEARS, seeds=shipped_seeds)


def test_ferry_waits_with_cargo_back_match_the_simulated_waits(
    baseline_runs: tuple[SimulationModel, list[RunResult]],
) -> None:
    """baseline-2024's own ferry loads, with cargo both ways: each line from each port
    within 20 % at utilisation up to 0.9 (10 years x seeds 11-14; the Aktau rail ferries
    -17 %, the feeder from Alat +17 %, docs/model.md)."""
    crossing, runs = baseline_runs
    back = [f for f in ferry_loads(crossing) if f.arrivals_per_day > 0]
    assert sum(f.back_decks_per_day > 0 for f in back) >= 6
    checked = compare_ferries(crossing, runs)
    assert len(checked) >= 6, checked
    for _, sim_wait, wait, _ in checked:
        assert wait == pytest.approx(sim_wait, rel=0.2), checked
