"""Networks of a year shared across runs and years never go stale.

The runner keeps the network of each year and state and everything keyed by it
(graphs, routes, queues); a sweep's samples share the networks with the measures in
force. On the toy network (tests/scenarios/toy): the middle route is c1-m1-m2-m3,
4,650 USD/TEU and 210 h, until the ``shortcut`` measure opens z1 in 2027 (c1-m1-m2-z1,
4,350 USD/TEU, 205 h); ``border_half`` halves the Kazakh border time from 2025.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridors.cost.element_queues import element_queues, station_queue
from corridors.demand.classes import CONTAINER_PAYLOAD_T
from corridors.network import Network, read_network
from corridors.scenarios import network_states
from corridors.scenarios.elements import RouteOption, network_elements
from corridors.scenarios.io import load_inputs, read_measures
from corridors.scenarios.model import ScenarioRunner, run_scenario
from corridors.scenarios.network_states import MeasuredNetworks, NetworkStates, run_measures
from corridors.scenarios.route_sets import market_routes
from corridors.scenarios.spec import Disruption, MeasureCatalogue, Scenario
from corridors.scenarios.sweep import Job, Sample, evaluate
from corridors.scenarios.variables import apply_sample
from corridors.studies.reliability import scenario_buffers

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def net() -> Network:
    return read_network(HERE / "toy")


@pytest.fixture(scope="module")
def catalogue() -> MeasureCatalogue:
    return read_measures(HERE / "files" / "toy-measures.yaml")


def toy(measures: list[str]) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "toy",
            "base_year": 2024,
            "horizon": 2028,
            "measures": measures,
            "demand": {
                "markets": [
                    {"id": "china_eu", "origin": "Xian", "destination": "Duisburg", "volume": 1e4}
                ]
            },
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": 0.001,
                "capacity_limits": "soft",
                "vdf": {"alpha": 0.0},
            },
        }
    )


def middle(cv: pd.DataFrame, year: int, column: str) -> float:
    row = cv[(cv["year"] == year) & (cv["corridor"] == "middle")]
    return float(row[column].iloc[0])


def test_a_measure_in_a_later_year_changes_the_route(
    net: Network, catalogue: MeasureCatalogue
) -> None:
    sc = toy(["shortcut", "border_half"])
    measures, links = run_measures(sc, catalogue)
    shared = MeasuredNetworks(net, measures, links)
    # a first run fills the shared networks (with an adjustment of its own) ...
    slower = apply_sample(sc, {"border_time.KZ": 2.0})
    first = run_scenario(net, slower, catalogue=catalogue, networks=shared)
    # ... a second one reads them: the routes still follow the years and the measures
    cv = run_scenario(net, sc, catalogue=catalogue, networks=shared).corridor_volumes
    assert middle(cv, 2026, "usd_teu") == pytest.approx(4650.0)
    assert middle(cv, 2027, "usd_teu") == pytest.approx(4350.0)  # z1 from 2027
    # 205 h by z1, less the 20 h border_half takes off the Kazakh border from 2025
    assert middle(cv, 2027, "hours") == pytest.approx(185.0)
    runner = ScenarioRunner(net, sc, catalogue=catalogue, networks=shared)
    runner.run()
    route_2026 = runner.route(2026, "china_eu", "middle")
    route_2027 = runner.route(2027, "china_eu", "middle")
    assert route_2026 is not None
    assert route_2027 is not None
    assert route_2026.link_ids[-1] == "m3"
    assert route_2027.link_ids[-1] == "z1"
    # the Kazakh border time (40 h): halved from 2025 by the measure, doubled by the
    # sample (border_h x 0.5 then x 2 in 2025: the 2024 time again)
    hours = {y: middle(cv, y, "hours") for y in (2024, 2025)}
    slow = {y: middle(first.corridor_volumes, y, "hours") for y in (2024, 2025)}
    assert hours == pytest.approx({2024: 210.0, 2025: 190.0})
    assert slow == pytest.approx({2024: 250.0, 2025: 210.0})
    # each run equals a run that shares nothing
    for scen, got in ((slower, first.corridor_volumes), (sc, cv)):
        alone = run_scenario(net, scen, catalogue=catalogue).corridor_volumes
        pd.testing.assert_frame_equal(got, alone)


def test_networks_of_other_measures_are_refused(net: Network, catalogue: MeasureCatalogue) -> None:
    measures, links = run_measures(toy(["shortcut"]), catalogue)
    shared = MeasuredNetworks(net, measures, links)
    with pytest.raises(ValueError, match="another network or measures"):
        ScenarioRunner(net, toy(["border_half"]), catalogue=catalogue, networks=shared)
    with pytest.raises(ValueError, match="another network or measures"):
        ScenarioRunner(read_network(HERE / "toy"), toy(["shortcut"]), catalogue=catalogue,
                       networks=shared)  # fmt: skip


def test_samples_in_one_process_equal_runs_alone(net: Network, catalogue: MeasureCatalogue) -> None:
    sc = toy(["shortcut", "border_half"])
    job = Job(scenario=sc, catalogue=catalogue, network=net)
    for i, values in enumerate(
        [{"border_time.KZ": 0.5}, {"border_time.KZ": 3.0}, {"value_of_time": 40.0}, {}]
    ):
        _, result = evaluate(job, Sample(i, i, values))
        alone = run_scenario(net, apply_sample(sc, values), catalogue=catalogue)
        pd.testing.assert_frame_equal(result.corridor_volumes, alone.corridor_volumes)
        pd.testing.assert_frame_equal(result.link_flows, alone.link_flows)


def test_equal_queues_share_their_delays(net: Network) -> None:
    """Queue delays are made once per set of equal queues and kept for later runs.

    Two lanes of 2 and 3 servers at the same utilisation (of their own capacity) wait
    differently (M/M/c), so each set of queues has its own delays.
    """
    shared = MeasuredNetworks(net, [], frozenset())
    lane = station_queue("border", servers=2, service_h=3.0)
    delays = shared.queue_delays((lane, None))
    again = shared.queue_delays((station_queue("border", servers=2, service_h=3.0), None))
    other = shared.queue_delays((station_queue("border", servers=3, service_h=3.0), None))
    assert again is delays
    assert other is not delays
    # two M/M/c lanes at the same utilisation: the slower one serves fewer an hour
    rho = np.array([0.8, 0.0])
    assert float(delays.wait_h(rho)[0]) != float(other.wait_h(rho)[0])


@pytest.mark.slow
def test_forecast_samples_sharing_queue_delays_equal_runs_alone() -> None:
    """The shipped baseline's samples (ferry queues shared) equal each run made alone."""
    inputs = load_inputs("baseline-2024")
    sc = inputs.scenario.until(2025)
    reliability = scenario_buffers(inputs.network, sc)
    job = Job(
        scenario=sc, catalogue=inputs.catalogue, network=inputs.network, reliability=reliability
    )
    samples = [{"border_time.KZ": 0.7}, {"sailings.middle": 0.8}, {"value_of_time": 30.0}]
    for i, values in enumerate(samples):
        _, result = evaluate(job, Sample(i, i, values))
        alone = run_scenario(
            inputs.network,
            apply_sample(sc, values),
            catalogue=inputs.catalogue,
            reliability=reliability,
        )
        pd.testing.assert_frame_equal(result.corridor_volumes, alone.corridor_volumes)
        pd.testing.assert_frame_equal(result.bottlenecks, alone.bottlenecks)


def test_the_oldest_queue_delays_make_room(net: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``KEPT_QUEUES`` sets of queues the oldest is dropped (made again if asked)."""
    monkeypatch.setattr(network_states, "KEPT_QUEUES", 2)
    shared = MeasuredNetworks(net, [], frozenset())
    lanes = [(station_queue("border", servers=n, service_h=3.0),) for n in (1, 2, 3)]
    first, second = shared.queue_delays(lanes[0]), shared.queue_delays(lanes[1])
    shared.queue_delays(lanes[2])  # drops the first
    assert shared.queue_delays(lanes[1]) is second
    assert shared.queue_delays(lanes[0]) is not first


def _scaled(network: Network, factor: float) -> Network:
    """``network`` with every column of :data:`COST_COLUMNS` it has times ``factor``."""
    tables = {}
    for name, original in (("nodes", network.nodes), ("links", network.links)):
        table = original.copy()
        for col in network_states.COST_COLUMNS & set(table.columns):
            table[col] = table[col] * factor
        tables[name] = table
    return network.with_tables(**tables)


def test_the_elements_and_queues_read_no_cost_column() -> None:
    """The shipped network's capacitated elements and their queues are the same with its
    border times and charges, tariffs and speeds scaled: the states of a forecast's
    samples of ``border_time`` share them (``NetworkStates.structure``)."""
    network = load_inputs("baseline-2024").network.for_year(2030)
    other = _scaled(network, 1.7)
    assert not other.nodes["border_h"].equals(network.nodes["border_h"])
    elements = network_elements(network, tonnes_per_teu=CONTAINER_PAYLOAD_T)
    assert network_elements(other, tonnes_per_teu=CONTAINER_PAYLOAD_T) == elements
    keys = tuple(
        e.key
        for e in (*elements.nodes.values(), *elements.links.values(), *elements.throughput.values())
    )
    assert any(k.startswith("water:") for k in keys)
    assert element_queues(other, keys) == element_queues(network, keys)


def test_states_priced_apart_share_one_structure(net: Network, catalogue: MeasureCatalogue) -> None:
    sc = toy(["shortcut", "border_half"])
    measures, links = run_measures(sc, catalogue)
    shared = MeasuredNetworks(net, measures, links)
    in_force = shared.in_force(2027)

    def structure(values: dict[str, float], closures: tuple[Disruption, ...] = ()) -> object:
        states = NetworkStates(
            shared, apply_sample(sc, values, node_ids=frozenset(net.node_index)).adjustments
        )
        return states.structure(2027, in_force, closures)

    base = structure({})
    assert structure({"border_time.KZ": 2.0, "tariff.middle": 0.5, "speed.middle": 1.2}) == base
    assert structure({"capacity.m2": 0.5}) != base
    assert structure({"handling_time.m2": 2.0}) != base  # a queue's service time
    closed = Disruption.model_validate(
        {"id": "a", "start": "2027-01-01", "end": "2027-12-31", "links": ["m3"]}
    )
    same = closed.model_copy(update={"id": "b"})
    assert structure({}, (closed,)) == structure({}, (same,)) != base
    # the runs of two samples find the elements of a state once
    first = ScenarioRunner(
        net, apply_sample(sc, {"border_time.KZ": 0.5}), catalogue=catalogue, networks=shared
    )
    second = ScenarioRunner(
        net, apply_sample(sc, {"border_time.KZ": 3.0}), catalogue=catalogue, networks=shared
    )
    assert first.options.elements(2027, in_force, ()) is second.options.elements(2027, in_force, ())


def test_route_options_take_the_anatomy_of_routes_found_before() -> None:
    """A sample's route over the legs and stops of a route another sample found takes
    its elements, capacities and shares from it (``RouteAnatomy``), and its own hours:
    the shipped baseline in 2030 with the Middle Corridor's speeds x0.8 and x1.25,
    sharing the measured networks, gives the options each finds on its own."""
    inputs = load_inputs("baseline-2024")
    sc = inputs.scenario
    shared = MeasuredNetworks(inputs.network, *run_measures(sc, inputs.catalogue))
    node_ids = frozenset(inputs.network.node_index)
    runners = [
        ScenarioRunner(
            inputs.network,
            apply_sample(sc, {"speed.middle": f}, node_ids=node_ids),
            catalogue=inputs.catalogue,
            networks=shared,
        )
        for f in (0.8, 1.25)
    ]
    in_force = runners[0]._in_force(2030)
    k = sc.behaviour.routes_per_corridor
    first, second = (r._year_options(2030, in_force, (), k) for r in runners)
    anatomies = runners[1].options.anatomies(2030, in_force, ())
    assert anatomies is runners[0].options.anatomies(2030, in_force, ())
    slower = 0
    for i, (slow, fast) in enumerate(zip(first, second, strict=True)):
        assert fast == market_routes_alone(runners[1], i, 2030)  # every field
        for a, b in zip(slow, fast, strict=False):
            if a.link_ids == b.link_ids and a.corridor == "middle":
                assert a.route is not None
                assert b.route is not None
                assert a.route.steps != b.route.steps  # a route of its own ...
                # ... over the same elements, slower on the Middle Corridor's sections
                assert [e[:2] for e in a.elements] == [e[:2] for e in b.elements]
                slower += sum(x[2] > y[2] for x, y in zip(a.elements, b.elements, strict=True))
    assert slower > 0


def market_routes_alone(runner: ScenarioRunner, i: int, year: int) -> list[RouteOption]:
    """A market's route options in ``year`` found with no anatomy shared."""
    opts = runner.options
    in_force = runner._in_force(year)
    net = runner.states.network(year, in_force, ())
    m = opts.markets[i]
    params = opts.market_parameters(m)
    alts = market_routes(
        net,
        m.origin,
        m.destination,
        params=params,
        tonnes_per_teu=CONTAINER_PAYLOAD_T,
        corridors=m.corridors or None,
        routes_per_corridor=runner.scenario.behaviour.routes_per_corridor,
        containers=m.containers,
        graph=opts.graph(net, params),
        groups=opts.elements(year, in_force, ()),
    )
    tonnes = m.cargo_class.tonnes_per_teu if m.cargo_class.unit != "TEU" else 1.0
    return [dataclasses.replace(a, usd=a.usd * tonnes) if tonnes != 1.0 else a for a in alts]
