"""The 2024 demand on the shipped network: a stable simulation, and queues the delay
functions predict.

Before the route choice saw the capacities the simulation has, the China-Europe and
Central Asian 2024 demand went through Alashankou-Dostyk only (57 trains a day both ways
against 12 train paths a day per direction and three gauge-change tracks, 16.9 trains a
day): P50 of 97-99 days, 14,860 of 24,089 shipments still under way after a year.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import element_queue, shipments_per_h
from corridors.cost.ferry_lines import line_queue
from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.network import read_network
from corridors.network.model import Network
from corridors.scenarios.io import load_inputs
from corridors.simulation import (
    BuildOptions,
    RunResult,
    SimulationModel,
    queue_element,
    resource_table,
    simulate,
    station_loads,
    transit_percentiles,
)
from corridors.simulation.loads import ferry_loads
from corridors.simulation.weather import Closures
from corridors.studies.simulate import scenario_simulation_model, simulation_model

MARKETS = (
    "china_eu",
    "china_ru_by",
    "china_caucasus_tr",
    "kz_caucasus",
    "central_asia_tr",
    "central_asia_eu",
)
SEEDS = (11, 12, 13, 14)  # chosen before looking at the results

pytestmark = pytest.mark.slow

KNOWN_GAPS: dict[str, str] = {}
"""Elements whose delay function misses the simulated wait by more than 20 %, with the
measured gap (skipped by the checks below; none since the random delays behind a queue
keep a stream's regularity over at least one gap between its trains: the eastbound
Khorgos-Altynkol section 0.57 h against 0.50 h simulated, seeds 11-14, was 0.61 h; and
since the ferry storms' backlog was recalibrated from the simulation: Aktau's rail
ferries 21.3 h against 26.3 simulated)."""


WARMUP_H = 30 * 24.0
"""The network fills first: a station sees its full rate once the longest trip to it
has reached it (the first trains from Europe reach the eastbound Moyinty and Dostyk
paths after 5-8 days). Over the whole year the eastbound Moyinty paths saw a rate 2.5 %
below the offered one (utilisation 0.862 against 0.885), 20 % less wait from the delay
function at that utilisation, while their queue ran at the full rate."""


@pytest.fixture(scope="module")
def network() -> Network:
    return read_network(eurasia_path())


@pytest.fixture(scope="module")
def model(network: Network) -> SimulationModel:
    net = network
    demand = read_demand(eurasia_path() / "demand-2024.csv")
    demand = demand[demand["market"].isin(MARKETS)].reset_index(drop=True)
    options = BuildOptions(route_choice="equilibrium", feedback_rounds=0)
    return simulation_model(net, demand, options=options)


@pytest.fixture(scope="module")
def runs(model: SimulationModel) -> list[RunResult]:
    return [simulate(model, seed=s) for s in SEEDS]


def test_route_choice_keeps_every_station_below_capacity(model: SimulationModel) -> None:
    loads = {x.station.station_id: x for x in station_loads(model)}
    finite = [x for x in loads.values() if math.isfinite(x.capacity_per_day)]
    assert len(finite) >= 10
    assert max(x.utilisation for x in finite) < 0.97
    # the China-Kazakhstan crossings share the trains instead of Dostyk taking them all
    dostyk = loads["section:alashankou-dostyk:alashankou"].arrivals_per_day
    khorgos = loads["section:khorgos-altynkol:khorgos"].arrivals_per_day
    assert 0.0 < dostyk <= 12.0 * 0.97  # 12 train paths a day westbound
    assert khorgos > 0.0
    # the Caspian ferry and feeder lines too (decks offered over decks the fleets lift)
    ferries = [f for f in ferry_loads(model) if f.arrivals_per_day > 0]
    assert ferries
    assert max(f.utilisation for f in ferries) < 0.9
    # nothing is left out: every flow has a route
    assert model.left_out == ()


def test_throughput_equals_demand_at_2024_volumes(
    model: SimulationModel, runs: list[RunResult]
) -> None:
    per_year = sum(g.per_day for g in model.generators) * 365.0
    for r in runs:
        assert r.n_shipments == pytest.approx(per_year, rel=0.03)  # Poisson entries
        # what is still under way after a year is the pipeline of trips of a few weeks,
        # not a queue: ~24,000 shipments a year x ~20 days / 365 ~ 1,300
        assert r.n_in_system < 0.08 * r.n_shipments
        entered = r.ship_created < r.horizon_h - 60 * 24.0
        assert np.isfinite(r.ship_arrived[entered]).mean() > 0.995
    pct = transit_percentiles(runs[0], by=("corridor",)).set_index("corridor")
    assert pct["p50_h"].max() / 24.0 < 30.0
    assert pct.loc["northern", "p50_h"] / 24.0 < 20.0


def test_queue_delay_functions_match_the_simulated_waits(
    model: SimulationModel, runs: list[RunResult]
) -> None:
    """Each station's mean wait and its delay function agree within 20 % at rho <= 0.9.

    The delay function is evaluated at the simulated arrival rate; waits under 0.1 h
    (six minutes on trips of weeks) are compared in absolute terms. Both after the
    warm-up (:data:`WARMUP_H`).
    """
    tables = [resource_table(r, since_h=WARMUP_H).set_index("resource") for r in runs]
    checked = []
    for load in station_loads(model):
        sid = load.station.station_id
        if load.station.unlimited or load.arrivals_per_day <= 0.0:
            continue
        if load.open_share < 1.0:  # a Caspian port's berths: storms, see the test below
            continue
        arrivals = np.mean([t.loc[sid, "arrivals"] for t in tables])
        sim_wait = float(np.mean([t.loc[sid, "mean_wait_h"] for t in tables]))
        element = queue_element(load)
        rate = arrivals / (model.horizon_h - WARMUP_H)
        if element.utilisation(rate) > 0.9:
            continue
        predicted = element.wait_h(rate)
        checked.append((sid, round(sim_wait, 2), round(predicted, 2)))
        if sid not in KNOWN_GAPS:
            assert predicted == pytest.approx(sim_wait, rel=0.2, abs=0.1), sid
    # the busy single-track sections into Kazakhstan are among the elements checked (two
    # since China-EU counts only the cargo that can reach the EU, issue 11's markets)
    busy = [c for c in checked if c[1] > 2.0]
    assert len(busy) >= 2, checked


FERRY_YEARS = 25
"""Years each seed simulates the shipments that cross a water for the ferry test: a
year's mean wait for Aktau's rail ferries varies from 7 to 35 h between seeds (the
storms), so one year of four seeds put Kuryk's function 20 % above the simulated wait
and forty seeds 30 %; twenty-five years of four seeds vary by under 10 %."""


def _water_crossings(
    model: SimulationModel, *, years: int
) -> tuple[SimulationModel, list[RunResult]]:
    """``model``'s shipments that cross a water, ``years`` years a seed of :data:`SEEDS`."""
    crossing = dataclasses.replace(
        model,
        generators=tuple(
            g for g in model.generators if any(s.kind == "ferry" for s in g.itinerary)
        ),
        horizon_h=years * 8760.0,
    )
    return crossing, [simulate(crossing, seed=s) for s in SEEDS]


@pytest.fixture(scope="module")
def ferry_runs(model: SimulationModel) -> tuple[SimulationModel, list[RunResult]]:
    """The shipments that cross a water, :data:`FERRY_YEARS` years a seed."""
    return _water_crossings(model, years=FERRY_YEARS)


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
    ferry_runs: tuple[SimulationModel, list[RunResult]], network: Network
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
            element = line_queue(network, load.line.line_id.removeprefix("ferry:"))
            assert element is not None
            assert element.fills_in_storms is load.ferry_queue().fills_in_storms is False


BASELINE_YEARS = 10
"""Years each seed simulates baseline-2024's 2024 shipments that cross a water."""


@pytest.fixture(scope="module")
def baseline_runs() -> tuple[SimulationModel, list[RunResult]]:
    """baseline-2024's own equilibrium in 2024 (cargo both ways across the Caspian and
    Lake Van): its shipments that cross a water, :data:`BASELINE_YEARS` years a seed."""
    inputs = load_inputs("baseline-2024")
    model, _ = scenario_simulation_model(
        inputs.network, inputs.scenario, year=2024, catalogue=inputs.catalogue
    )
    return _water_crossings(model, years=BASELINE_YEARS)


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


def test_every_port_berth_queue_is_checked(model: SimulationModel) -> None:
    """The ports that had no servers before (a capacity with no delay below it) are
    stations with servers now, as the equilibrium counts them."""
    ports = {
        x.station.station_id: x.station.servers
        for x in station_loads(model)
        if x.station.station_id.startswith("port:") and not x.station.unlimited
    }
    assert {"port:aktau", "port:kuryk", "port:alat", "port:poti"} <= set(ports), ports
    assert ports["port:alat"] == 4
    assert ports["port:kuryk"] == 2


CASPIAN_YEARS = 25
"""Years each seed simulates the trains through the Caspian ports for the berths' test:
the storms' backlog is carried by the few longest closures of a year (one 310 h closure
followed by another six hours after it made a quarter of Kuryk's waits of a year), so a
year's mean wait at Aktau varies from 0.3 to 3 h between seeds; a hundred years bring
it within about 10 %."""


def test_caspian_berths_match_the_simulated_waits_net_of_the_storms(
    model: SimulationModel, network: Network
) -> None:
    """At a Caspian port a train arriving in a storm first waits for the port to reopen
    (12-17 h at Aktau, Kuryk and Turkmenbashi, where trains board by rail; the
    equilibrium counts the storms in the ferry lines' queue); the wait for a berth
    after that is the berths' queue with the backlog the storms leave, which the delay
    function should match. Only the trains through the Caspian ports are simulated, for
    :data:`CASPIAN_YEARS` years a seed."""
    berths = {"port:aktau", "port:kuryk", "port:alat", "port:turkmenbashi"}
    caspian = dataclasses.replace(
        model,
        generators=tuple(
            g for g in model.generators if any(s.target in berths for s in g.itinerary)
        ),
    )
    horizon_h = CASPIAN_YEARS * 8760.0
    runs = [simulate(caspian, seed=s, horizon_h=horizon_h) for s in SEEDS]
    checked = []
    for load in station_loads(caspian):
        sid = load.station.station_id
        if load.station.unlimited or load.open_share == 1.0 or load.arrivals_per_day <= 0:
            continue
        net, n = 0.0, 0
        for r in runs:
            i = r.res_ids.index(sid)
            storms = Closures(iv for _, ivs in r.storms for iv in ivs)
            arr, start = r.v_arr[r.v_res == i], r.v_start[r.v_res == i]
            ok = np.isfinite(start)
            reopen = np.array([storms.next_open(a) for a in arr[ok]])
            net += float(np.sum(start[ok] - reopen))
            n += int(ok.sum())
        element = queue_element(load)
        rate = n / len(runs) / horizon_h
        if element.utilisation(rate) > 0.9:
            continue
        # the equilibrium's own delay: its element's queue from the node table, at the
        # simulated utilisation and share of the trains that came by land
        berth = element_queue(network, "node:" + sid.partition(":")[2])
        assert berth is not None
        own = ElementDelays((berth,)).wait_h(
            np.array([rate / shipments_per_h(berth)]),
            np.array([load.landside_per_day / load.arrivals_per_day]),
        )[0]
        checked.append((sid, round(net / n, 2), round(element.wait_h(rate), 2), round(own, 2)))
    assert {c[0] for c in checked} >= {"port:aktau", "port:kuryk", "port:alat"}, checked
    for _sid, sim_wait, predicted, own in checked:
        assert predicted == pytest.approx(sim_wait, rel=0.2, abs=0.1), checked
        assert own == pytest.approx(sim_wait, rel=0.2, abs=0.1), checked
    # the storms' backlog is most of it where trains board by rail (Aktau, Kuryk); none
    # where they come off the ferries (Alat)
    waits = {c[0]: c[1] for c in checked}
    assert waits["port:kuryk"] > 2.0
    assert waits["port:aktau"] > 0.5
    assert waits["port:alat"] < 0.2


def test_dostyk_clears_each_direction_in_its_own_time(
    model: SimulationModel, runs: list[RunResult]
) -> None:
    """The routes pay CAREC's inbound 78 h into Kazakhstan at Dostyk and its outbound
    6.8 h out of it (``border_h``, ``border_exit_h``); the simulation clears each
    direction at a station of its own, a delay with no servers, and the trains spend
    that long there (one station for both gave the eastbound trains the 78 h)."""
    node = read_network(eurasia_path()).nodes.set_index("node_id").loc["dostyk"]
    expected = {
        "border:dostyk@entry": float(node["border_h"]),
        "border:dostyk@exit": float(node["border_exit_h"]),
    }
    assert expected == {"border:dostyk@entry": 78.0, "border:dostyk@exit": 6.8}
    # westbound trains (from Alashankou's paths) enter, eastbound (to them) leave
    coming = {"border:dostyk@entry": "alashankou", "border:dostyk@exit": "dostyk"}
    loads = {load.station.station_id: load for load in station_loads(model)}
    for sid, hours in expected.items():
        through = [g for g in model.generators if any(s.target == sid for s in g.itinerary)]
        assert through, sid
        for g in through:
            targets = [s.target for s in g.itinerary]
            assert f"section:alashankou-dostyk:{coming[sid]}" in targets, (sid, g.origin)
        load = loads[sid]
        assert load.station.unlimited
        # its function: the clearance, with no queue on top
        assert load.service_h == pytest.approx(hours)
        assert queue_element(load).wait_h(load.arrivals_per_day / 24.0) == 0.0
        times = []
        for r in runs:
            i = r.res_ids.index(sid)
            done = (r.v_res == i) & np.isfinite(r.v_end)
            times.append(float(np.mean(r.v_end[done] - r.v_arr[done])))
        assert np.mean(times) == pytest.approx(hours, rel=0.05), (sid, times)
