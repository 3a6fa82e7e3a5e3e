"""The 2024 demand on the shipped network: a stable simulation, and queues the delay
functions predict (the ferry and feeder lines': ``test_simulation_shipped_ferries.py``;
the network, the model and the seeds: ``conftest.py``).

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
from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.network.model import Network
from corridors.simulation import (
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

pytestmark = pytest.mark.slow

KNOWN_GAPS: dict[str, str] = {}
"""Stations whose delay function misses the simulated wait by more than 20 %, with the
measured gap (skipped by the checks below; none since the random delays behind a queue
keep a stream's regularity over at least one gap between its trains: the eastbound
Khorgos-Altynkol section 0.57 h against 0.50 h simulated, seeds 11-14, was 0.61 h)."""


WARMUP_H = 30 * 24.0
"""The network fills first: a station sees its full rate once the longest trip to it
has reached it (the first trains from Europe reach the eastbound Moyinty and Dostyk
paths after 5-8 days). Over the whole year the eastbound Moyinty paths saw a rate 2.5 %
below the offered one (utilisation 0.862 against 0.885), 20 % less wait from the delay
function at that utilisation, while their queue ran at the full rate."""


@pytest.fixture(scope="module")
def runs(shipped_model: SimulationModel, shipped_seeds: tuple[int, ...]) -> list[RunResult]:
    return [simulate(shipped_model, seed=s) for s in shipped_seeds]


def test_route_choice_keeps_every_station_below_capacity(shipped_model: SimulationModel) -> None:
    loads = {x.station.station_id: x for x in station_loads(shipped_model)}
    finite = [x for x in loads.values() if math.isfinite(x.capacity_per_day)]
    assert len(finite) >= 10
    assert max(x.utilisation for x in finite) < 0.97
    # the China-Kazakhstan crossings share the trains instead of Dostyk taking them all
    dostyk = loads["section:alashankou-dostyk:alashankou"].arrivals_per_day
    khorgos = loads["section:khorgos-altynkol:khorgos"].arrivals_per_day
    assert 0.0 < dostyk <= 12.0 * 0.97  # 12 train paths a day westbound
    assert khorgos > 0.0
    # the Caspian ferry and feeder lines too (decks offered over decks the fleets lift)
    ferries = [f for f in ferry_loads(shipped_model) if f.arrivals_per_day > 0]
    assert ferries
    assert max(f.utilisation for f in ferries) < 0.9
    # nothing is left out: every flow has a route
    assert shipped_model.left_out == ()


def test_throughput_equals_demand_at_2024_volumes(
    shipped_model: SimulationModel, runs: list[RunResult]
) -> None:
    per_year = sum(g.per_day for g in shipped_model.generators) * 365.0
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
    shipped_model: SimulationModel, runs: list[RunResult]
) -> None:
    """Each station's mean wait and its delay function agree within 20 % at rho <= 0.9.

    The delay function is evaluated at the simulated arrival rate; waits under 0.1 h
    (six minutes on trips of weeks) are compared in absolute terms. Both after the
    warm-up (:data:`WARMUP_H`).
    """
    tables = [resource_table(r, since_h=WARMUP_H).set_index("resource") for r in runs]
    checked = []
    for load in station_loads(shipped_model):
        sid = load.station.station_id
        if load.station.unlimited or load.arrivals_per_day <= 0.0:
            continue
        if load.open_share < 1.0:  # a Caspian port's berths: storms, see the test below
            continue
        arrivals = np.mean([t.loc[sid, "arrivals"] for t in tables])
        sim_wait = float(np.mean([t.loc[sid, "mean_wait_h"] for t in tables]))
        element = queue_element(load)
        rate = arrivals / (shipped_model.horizon_h - WARMUP_H)
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


def test_every_port_berth_queue_is_checked(shipped_model: SimulationModel) -> None:
    """The ports that had no servers before (a capacity with no delay below it) are
    stations with servers now, as the equilibrium counts them."""
    ports = {
        x.station.station_id: x.station.servers
        for x in station_loads(shipped_model)
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
    shipped_model: SimulationModel, shipped_network: Network, shipped_seeds: tuple[int, ...]
) -> None:
    """At a Caspian port a train arriving in a storm first waits for the port to reopen
    (12-17 h at Aktau, Kuryk and Turkmenbashi, where trains board by rail; the
    equilibrium counts the storms in the ferry lines' queue); the wait for a berth
    after that is the berths' queue with the backlog the storms leave, which the delay
    function should match. Only the trains through the Caspian ports are simulated, for
    :data:`CASPIAN_YEARS` years a seed."""
    berths = {"port:aktau", "port:kuryk", "port:alat", "port:turkmenbashi"}
    caspian = dataclasses.replace(
        shipped_model,
        generators=tuple(
            g for g in shipped_model.generators if any(s.target in berths for s in g.itinerary)
        ),
    )
    horizon_h = CASPIAN_YEARS * 8760.0
    runs = [simulate(caspian, seed=s, horizon_h=horizon_h) for s in shipped_seeds]
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
        berth = element_queue(shipped_network, "node:" + sid.partition(":")[2])
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
    shipped_model: SimulationModel, runs: list[RunResult]
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
    loads = {load.station.station_id: load for load in station_loads(shipped_model)}
    for sid, hours in expected.items():
        through = [g for g in shipped_model.generators if any(s.target == sid for s in g.itinerary)]
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
