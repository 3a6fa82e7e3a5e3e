"""Network elements as queues: the mapping from the tables, and the delay with its tail."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

import corridors.cost.element_delays as element_delays
import corridors.cost.element_queues as element_queues
import corridors.cost.ferry_grids as ferry_grids
import corridors.cost.ferry_lines as ferry_lines
from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import (
    AnyQueue,
    FerryLines,
    bulk_use,
    capacity_teu_yr,
    element_queue,
    ferry_queue,
    node_servers,
    sailing_h,
    station_queue,
)
from corridors.cost.element_queues import (
    element_queues as queues_of,
)
from corridors.cost.ferry_queue import FerryQueue
from corridors.cost.mean_waits import QueueElement
from corridors.datasets import eurasia_path
from corridors.network import Network, read_network


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path())


def test_docstring_example() -> None:
    for module in (element_queues, element_delays, ferry_grids, ferry_lines):
        result = doctest.testmod(module)
        assert result.attempted > 0
        assert result.failed == 0


def test_mm1_delay_below_the_knee_and_its_tangent_above() -> None:
    """M/M/1, E[S] = 2 h: W(rho) = 2 rho / (1 - rho); knee 0.95: W = 38 h, W' = 2/(0.05)^2."""
    lane = station_queue("border", servers=1, service_h=2.0, service_cv=1.0)
    delays = ElementDelays((lane,), knee=0.95)
    rho = np.array([0.0, 0.5, 0.9, 0.95])
    got = [float(delays.wait_h(np.array([r]))[0]) for r in rho]
    assert got == pytest.approx([0.0, 2.0, 18.0, 38.0], rel=1e-9)
    slope = 2.0 / 0.05**2  # 800 h per unit of utilisation
    for r in (0.97, 1.0, 1.2):
        expected = 38.0 + slope * (r - 0.95)
        assert float(delays.wait_h(np.array([r]))[0]) == pytest.approx(expected, rel=1e-5)
    # finite at capacity (78 h), continuous at the knee
    assert delays.any
    assert float(delays.wait_h(np.array([1.0]))[0]) == pytest.approx(78.0, rel=1e-5)


def test_elements_without_a_queue_wait_nothing() -> None:
    delays = ElementDelays((None, station_queue("port", servers=None, service_h=24.0)))
    assert not delays.any
    assert delays.wait_h(np.array([0.99, 0.99])).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="knee"):
        ElementDelays((None,), knee=1.0)


def test_servers_and_sailing_by_hand() -> None:
    assert node_servers(4, 12, 78.0) == 4  # berths first
    assert node_servers(math.nan, 12, 78.0) == 39  # ceil(12 x 78 / 24)
    assert node_servers("", "", 78.0) is None  # no data: no limit
    assert sailing_h(22.0, 468.0, [11.5]) == 22.0
    assert sailing_h(math.nan, 185.2, [10.0]) == pytest.approx(10.0)  # 185.2 km at 10 kn
    assert sailing_h(None, None, []) == 24.0
    # a fleet of 3 ships as a queue of decks: 3 servers, fixed round trip
    q = ferry_queue(ships=3, round_trip_h=50.0, shipments_per_deck=4.0)
    assert (q.kind, q.servers, q.service_h, q.cv, q.arrival_cv) == ("ferry", 3, 50.0, 0.0, 0.5)


def test_shipped_elements_as_queues(eurasia: Network) -> None:
    # Dostyk: the gauge change the simulation serves, 4.25 h a train (SILKROADNEWS),
    # 15 + 12 trains a day on its two gauges (INDEX1520) -> ceil(27 x 4.25 / 24) = 5
    # tracks, 28.2 trains a day
    dostyk = element_queue(eurasia, "node:dostyk")
    assert isinstance(dostyk, QueueElement)
    assert (dostyk.kind, dostyk.servers, dostyk.service_h, dostyk.cv) == ("gauge", 5, 4.25, 0.5)
    assert capacity_teu_yr(dostyk) == pytest.approx(5 / 4.25 * 8760 * 100)
    # the Alashankou-Dostyk line: one train path every 24 / 12 = 2 h, fixed
    line = element_queue(eurasia, "link:alashankou-dostyk@alashankou")
    assert isinstance(line, QueueElement)
    assert (line.kind, line.servers, line.service_h, line.cv) == ("section", 1, 2.0, 0.0)
    assert capacity_teu_yr(line) == pytest.approx(12 * 365 * 100)
    # a single-track link with no trains a day: 24 paths a day
    single = element_queue(eurasia, "link:tbilisi-akhalkalaki@tbilisi")
    assert isinstance(single, QueueElement)
    assert single.service_h == pytest.approx(1.0)
    # Alat: 2 rail-ferry + 2 Ro-Ro berths (PORT-BAKU-BERTHS), 7 h a train
    # (SEANEWS-2021), open outside the Caspian storms; a cargo part of an element has no
    # queue of its own (its cargo waits in the element's queue once)
    alat = element_queue(eurasia, "node:alat")
    assert isinstance(alat, QueueElement)
    assert (alat.kind, alat.servers, alat.service_h) == ("port", 4, 7.0)
    assert queues_of(eurasia, ["node:dostyk", "node:dostyk#teu"])[1] is None
    # the crossing from Kazakhstan: the rail ferries from Aktau and Kuryk and the feeders
    water = element_queue(eurasia, "water:aktau+alat+kuryk")
    assert isinstance(water, FerryLines)
    lines = {(q.ships, q.shipment_units, q.deck_units) for q in water.lines}
    assert lines == {
        (6, 50, (50,) * 6),  # Aktau-Alat rail ferries (the Ro-Ro carries trucks only)
        (3, 50, (56, 54, 54)),  # Kuryk-Alat: Ro-Pax and two KTZ ferries
        (4, 100, (350, 125, 125, 225)),  # Aktau-Alat feeders: 100-TEU shipments
    }
    # Baku-Aktau: round trip 2 x 22 h + 7 h; 54.5 storm days a year
    aktau = next(q for q in water.lines if q.deck_units == (50,) * 6)
    assert aktau.round_trip_h == pytest.approx(51.0)
    assert aktau.open_share == pytest.approx(1 - 54.5 / 365)
    # the lines take cargo in proportion to their lift, so each runs at one utilisation
    lift = [q.capacity_per_h(0.0) for q in water.lines]
    assert water.shares == pytest.approx([x / sum(lift) for x in lift])
    rail = element_queue(eurasia, "water:aktau+alat+kuryk#general")
    assert isinstance(rail, FerryLines)
    assert len(rail.lines) == 2  # general cargo boards the rail ferries only
    assert element_queue(eurasia, "node:nowhere") is None
    assert element_queue(eurasia, "other:x") is None


def test_bulk_takes_the_share_of_a_shipment_by_hand() -> None:
    path = station_queue("section", servers=1, service_h=2.0, service_cv=0.0)
    # a wagon group of 25 x 60 t = 1,500 t (150 TEU-equivalents of 10 t) takes a path
    # like a 100-TEU block train
    assert bulk_use(path, 10.0) == pytest.approx(100 / 150)
    ferry = FerryQueue(
        ships=1, round_trip_h=10.0, shipment_units=50, deck_units=(50,), max_wait_h=0.0
    )
    # a 60 t wagon takes the deck of 2 TEU
    assert bulk_use(ferry, 10.0) == pytest.approx(2 / 6)
    feeder = FerryQueue(
        ships=1, round_trip_h=10.0, shipment_units=100, deck_units=(300,), max_wait_h=0.0
    )
    assert bulk_use(feeder, 10.0) == 1.0
    assert bulk_use(None, 10.0) == 1.0


def test_ferry_lines_share_the_cargo_by_lift() -> None:
    """Two lines lifting 2 and 1 shipments a sailing-hour: 2/3 and 1/3 of the cargo."""
    big = FerryQueue(
        ships=2, round_trip_h=10.0, shipment_units=1, deck_units=(1, 1), max_wait_h=0.0
    )
    small = FerryQueue(
        ships=1, round_trip_h=10.0, shipment_units=1, deck_units=(1,), max_wait_h=0.0
    )
    both = FerryLines((big, small))
    assert both.shares == pytest.approx((2 / 3, 1 / 3))
    assert both.capacity_per_h(0.0) == pytest.approx(0.3)
    lam = 0.15  # each at utilisation 0.5
    assert both.wait_h(lam) == pytest.approx(2 / 3 * big.wait_h(0.1) + 1 / 3 * small.wait_h(0.05))
    assert big.utilisation(0.1) == pytest.approx(small.utilisation(0.05))
    with pytest.raises(ValueError, match="at least one"):
        FerryLines(())


def test_a_ferry_line_delay_in_the_equilibrium_is_its_ferry_queue() -> None:
    line = FerryQueue(
        ships=3, round_trip_h=40.0, shipment_units=25, deck_units=(50, 50, 50), max_wait_h=48.0
    )
    delays = ElementDelays((line,))
    rate = line.capacity_per_h(0.0)
    for rho in (0.2, 0.5, 0.8):
        got = float(delays.wait_h(np.array([rho]))[0])
        assert got == pytest.approx(line.wait_h(rho * rate), rel=1e-6)
    assert delays.capacity_teu_yr[0] == pytest.approx(rate * 8760 * 100)
    # finite and growing at and above capacity
    at = float(delays.wait_h(np.array([1.0]))[0])
    assert math.isfinite(at)
    assert at >= float(delays.wait_h(np.array([0.95]))[0])


def test_delays_of_one_ferry_line_share_its_evaluated_waits() -> None:
    """Delays given one ``ferry_waits`` evaluate a line's wait at a grid step once.

    The line sits at different places in the two sets of elements; its waits, read
    through either, equal those of delays that share nothing.
    """
    line = FerryQueue(
        ships=3, round_trip_h=40.0, shipment_units=25, deck_units=(50, 50, 50), max_wait_h=48.0
    )
    lane = station_queue("border", servers=2, service_h=3.0)
    shared: dict[AnyQueue, dict[int, float]] = {}
    first = ElementDelays((line, lane), ferry_waits=shared)
    grid = dict(shared[line])  # the knee's grid steps, evaluated when made
    second = ElementDelays((lane, None, line), ferry_waits=shared)
    assert shared[line] == grid  # nothing evaluated again
    alone = ElementDelays((line,))
    for rho in (0.2, 0.5, 0.8):
        want = float(alone.wait_h(np.array([rho]))[0])
        assert float(first.wait_h(np.array([rho, 0.0]))[0]) == want
        assert float(second.wait_h(np.array([0.0, 0.0, rho]))[2]) == want
    assert len(shared) == 1  # the lane has no grid
