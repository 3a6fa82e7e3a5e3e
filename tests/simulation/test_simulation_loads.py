"""Offered loads by hand (simulation/station_load.py, ferry_load.py), against hand sums."""

from __future__ import annotations

import doctest
import importlib
import math

import pytest

from corridors.simulation import (
    UNLIMITED,
    Distribution,
    ShipmentGenerator,
    SimulationModel,
    Station,
    Step,
)
from corridors.simulation.station_load import (
    StationLoad,
    departure_scv,
    kept_share,
    relaxation_h,
    span_h,
    station_loads,
)


def test_station_load_example_runs() -> None:
    module = importlib.import_module("corridors.simulation.station_load")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_the_old_module_still_gives_the_same_functions() -> None:
    loads = importlib.import_module("corridors.simulation.loads")
    ferry = importlib.import_module("corridors.simulation.ferry_load")
    assert loads.station_loads is station_loads
    assert loads.departure_scv is departure_scv
    assert loads.ferry_loads is ferry.ferry_loads


def test_departure_variability_by_whitts_linking_equation() -> None:
    # 2 servers, fixed 2 h service: 24 a day; 12 a day arrive (rho 0.5), Poisson (ca 1)
    station = Station("s", "section", 2, Distribution.fixed(2.0))
    load = StationLoad(station, 12.0, 0.0, 2.0, 0.0, 1.0)
    assert load.utilisation == pytest.approx(0.5)
    # Whitt: cd^2 = 1 + (1 - rho^2)(ca^2 - 1) + rho^2 (cs^2 - 1) / sqrt(c), here 1 - 0.25 / sqrt 2
    assert departure_scv(load) == pytest.approx(1.0 - 0.25 / math.sqrt(2.0))


def test_arrival_variability_flows_downstream_and_trains_stay_spaced() -> None:
    a = Station("path:a", "section", 1, Distribution.fixed(2.0), link_id="a-b")
    b = Station("path:b", "section", 1, Distribution.fixed(1.0), link_id="b-c")
    g = ShipmentGenerator(
        "g", "a", "c", (Step.station(a.station_id), Step.station(b.station_id)), per_day=6.0
    )
    first, second = station_loads(SimulationModel(stations=(a, b), generators=(g,)))
    assert (first.arrival_cv, first.spaced) == (1.0, False)
    # behind a: cd^2 = 1 + 0.75 (1 - 1) + 0.25 (0 - 1) = 0.75, all of it comes to b
    assert second.arrival_cv == pytest.approx(math.sqrt(0.75))
    assert second.spaced  # a 2 h path feeds a 1 h path: the trains never wait
    assert second.capacity_per_day == pytest.approx(24.0)


def test_a_busier_queue_downstream_sees_the_arrivals_variability() -> None:
    # a: one fixed 2 h path (12 a day), 6 a day of Poisson trains: rho 0.5, relaxation
    # time 2 x 0.5 x 2 h / 0.5^2 = 8 h; b: a fixed 3 h path (8 a day): rho 0.75, busier
    a = Station("path:a", "section", 1, Distribution.fixed(2.0), link_id="a-b")
    b = Station("path:b", "section", 1, Distribution.fixed(3.0), link_id="b-c")
    g = ShipmentGenerator(
        "g", "a", "c", (Step.station(a.station_id), Step.station(b.station_id)), per_day=6.0
    )
    first, second = station_loads(SimulationModel(stations=(a, b), generators=(g,)))
    assert second.utilisation == pytest.approx(0.75)
    assert relaxation_h(first) == pytest.approx(8.0)
    # b waits (Kingman) 3 x ca^2 / 2 x 3 h = 4.5 ca^2 and builds it over 4.5 ca^2 / 0.25
    # = 18 ca^2 hours, over which it sees a's service term weighed 1 / (1 + 1.5 x 18
    # ca^2 / 8): ca^2 = 1 - 0.25 / (1 + 3.375 ca^2)
    ca2 = 1.0
    for _ in range(50):
        ca2 = 1.0 - 0.25 / (1.0 + 3.375 * ca2)
    assert 0.93 < ca2 < 0.95
    assert second.arrival_cv**2 == pytest.approx(ca2, abs=1e-6)
    assert span_h(second) == pytest.approx(18.0 * ca2, rel=1e-5)
    assert departure_scv(first, span_h=18.0 * ca2) == pytest.approx(ca2, abs=1e-6)
    assert not second.spaced
    # the time between consecutive departures (no span): the plain linking equation
    assert departure_scv(first) == pytest.approx(0.75)


def _two_paths_with_a_border(
    first_h: float, second_h: float, border: Distribution
) -> tuple[StationLoad, StationLoad]:
    # Poisson trains, 6 a day, through path a, a border with no limit, then path b
    a = Station("path:a", "section", 1, Distribution.fixed(first_h), link_id="a-b")
    check = Station("border:b", "border", UNLIMITED, border, node_id="b")
    b = Station("path:b", "section", 1, Distribution.fixed(second_h), link_id="b-c")
    steps = tuple(Step.station(s.station_id) for s in (a, check, b))
    g = ShipmentGenerator("g", "a", "c", steps, per_day=6.0)
    first, _, second = station_loads(SimulationModel(stations=(a, check, b), generators=(g,)))
    return first, second


def test_random_delays_between_queues_give_back_part_of_the_poisson_variability() -> None:
    # a: fixed 2 h path, rho 0.5; b: fixed 3 h path, rho 0.75; between them a border
    # check of 10 h, cv 0.5 (sd 5 h). Over b's span t (18 ca^2 hours, the test above)
    # the trains crossing its ends take 2 x 5 / sqrt(pi) / t of a's regularity away
    first, second = _two_paths_with_a_border(2.0, 3.0, Distribution.gamma(10.0, 0.5))
    assert (first.utilisation, second.utilisation) == (pytest.approx(0.5), pytest.approx(0.75))
    t = span_h(second)
    assert t == pytest.approx(18.0 * second.arrival_cv**2, rel=1e-5)
    kept = t / (t + 10.0 / math.sqrt(math.pi))
    assert kept_share(second, spread_h=5.0) == pytest.approx(kept)
    assert second.arrival_cv**2 == pytest.approx(
        1.0 + kept * (departure_scv(first, span_h=t) - 1.0), abs=1e-6
    )
    assert not second.spaced
    # a fixed check shuffles nothing: b sees a's departures as if it came straight after
    _, fixed = _two_paths_with_a_border(2.0, 3.0, Distribution.fixed(10.0))
    assert fixed.arrival_cv**2 == pytest.approx(departure_scv(first, span_h=span_h(fixed)))
    assert fixed.arrival_cv**2 < second.arrival_cv**2 < 1.0
    assert kept_share(second, spread_h=0.0) == 1.0


def test_a_random_delay_breaks_the_spacing_of_train_paths() -> None:
    # a 2 h path feeds a 1 h path: spaced, unless a random check between moves the trains
    _, spaced = _two_paths_with_a_border(2.0, 1.0, Distribution.fixed(10.0))
    assert spaced.spaced
    assert spaced.arrival_cv == pytest.approx(math.sqrt(0.75))
    _, shuffled = _two_paths_with_a_border(2.0, 1.0, Distribution.gamma(10.0, 0.5))
    assert not shuffled.spaced
    assert 0.75 < shuffled.arrival_cv**2 < 1.0
