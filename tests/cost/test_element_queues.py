"""Network elements as queues: the mapping from the tables, and the delay with its tail."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

import corridors.cost.element_queues as element_queues
from corridors.cost.element_queues import (
    ElementDelays,
    element_queue,
    ferry_queue,
    node_servers,
    sailing_h,
    station_queue,
)
from corridors.datasets import eurasia_path
from corridors.network import Network, read_network


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path())


def test_docstring_example() -> None:
    assert doctest.testmod(element_queues).failed == 0


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
    # Dostyk: border of 78 h, 12 trains a day -> 39 inspection servers
    dostyk = element_queue(eurasia, "node:dostyk")
    assert dostyk is not None
    assert (dostyk.kind, dostyk.servers, dostyk.service_h, dostyk.cv) == ("border", 39, 78.0, 0.8)
    # the Alashankou-Dostyk line: one train path every 24 / 12 = 2 h, fixed
    line = element_queue(eurasia, "link:alashankou-dostyk")
    assert line is not None
    assert (line.kind, line.servers, line.service_h, line.cv) == ("section", 1, 2.0, 0.0)
    # a single-track link with no trains a day: 24 paths a day
    single = element_queue(eurasia, "link:tbilisi-akhalkalaki")
    assert single is not None
    assert single.service_h == pytest.approx(1.0)
    # Alat's container yard: no servers in the tables -> a hard limit with no queue
    assert element_queue(eurasia, "node:alat#teu") is None
    # the Caspian: every ship of every line across that water is a server of decks
    key = "water:aktau+alat+kuryk+turkmenbashi"
    water = element_queue(eurasia, key)
    ships = eurasia.vessels["link_id"].isin(
        ["aktau-alat", "kuryk-alat", "turkmenbashi-alat", "aktau-alat-feeder"]
    )
    assert water is not None
    assert water.kind == "ferry"
    assert water.servers == int(ships.sum())
    # mean round trip (2 x sailing + loading + unloading) over the 21 ships: Baku-Aktau
    # 7 x (44 + 7) h, Baku-Turkmenbashi 7 x (34 + 7), Kuryk-Alat 47 + 2 x 43, and the
    # feeders (no sailing time or length in the table: 24 h) 64 + 58 + 58 + 60
    assert water.servers == 21
    assert water.service_h == pytest.approx((357 + 287 + 133 + 240) / 21)
    assert element_queue(eurasia, "node:nowhere") is None
    assert element_queue(eurasia, "other:x") is None
