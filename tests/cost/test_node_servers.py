"""Servers and service times of ports and borders: declared once, the same queue in the
equilibrium and the simulation, each serving only the stops of its kind."""

from __future__ import annotations

import pytest

from corridors.cost.element_queues import (
    capacity_teu_yr,
    element_queue,
    node_service,
    serves,
    stop_station,
)
from corridors.cost.mean_waits import QueueElement
from corridors.datasets import eurasia_path
from corridors.network import Network, read_network
from corridors.network.schema import NODE
from corridors.routing import Route, compare
from corridors.scenarios.elements import network_elements
from corridors.scenarios.measures import apply_changes
from corridors.scenarios.route_elements import route_elements
from corridors.scenarios.spec import Change
from corridors.simulation import UNLIMITED, BuildOptions
from corridors.simulation.resources import ResourceBuilder


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path()).for_year(2024)


def route(net: Network, origin: str, destination: str, corridor: str) -> Route:
    return next(r for r in compare(net, origin, destination) if r.corridor == corridor)


def test_service_time_is_a_declared_field() -> None:
    field = next(f for f in NODE.fields if f.name == "service_h")
    assert (field.unit, field.type) == ("h", "float")
    assert "queue" in field.description


def test_node_service_and_the_stops_it_serves_by_hand() -> None:
    assert node_service({"kind": "port", "handling_h": 72, "service_h": 7}) == ("port", 7.0)
    assert node_service({"kind": "port", "handling_h": 24}) == ("port", 24.0)
    # a border with a gauge change serves at its handling, one without at its lanes
    assert node_service({"kind": "border", "handling_h": 4.25}) == ("transshipment", 4.25)
    assert node_service({"kind": "border", "service_h": 6.8}) == ("border", 6.8)
    assert node_service({"kind": "border", "border_h": 30.5}) is None
    # the stop a route makes, as the simulation names its station
    assert stop_station("transfer", {"rail", "ferry"}, lined=True) == "port"
    assert stop_station("transfer", {"rail", "sea"}, lined=False) == "terminal"  # a tanker
    assert stop_station("terminal", {"ferry"}, lined=True) == "terminal"  # an origin at a port
    assert stop_station("transfer", {"rail"}, lined=False) == "transshipment"
    assert stop_station("border", {"rail"}, lined=False) == "border"
    # a port's berths serve its ferries only; gauge tracks every transfer, no clearance
    assert serves("port", "port")
    assert not serves("port", "terminal")
    assert serves("border", "border")
    assert not serves("border", "transshipment")
    assert serves("transshipment", "transshipment")
    assert not serves("transshipment", "border")


def test_shipped_ports_and_borders_queue(eurasia: Network) -> None:
    # Alat given 3 berths of 7 h a train (SEANEWS-2021) by a scenario change (the table
    # has 4, PORT-BAKU-BERTHS)
    given = apply_changes(eurasia, [Change(node="alat", set={"berths": 3, "service_h": 7})])
    alat = element_queue(given, "node:alat")
    assert isinstance(alat, QueueElement)
    assert (alat.kind, alat.servers, alat.service_h) == ("port", 3, 7.0)
    # closed in the Caspian storms (54.5 days a year) as the simulation's weather closes it
    assert alat.open_share == pytest.approx(1 - 54.5 / 365)
    assert capacity_teu_yr(alat) == pytest.approx(3 * 24 / 7 * (365 - 54.5) * 100)
    # Brest given lanes for 14 trains a day (RAILTECH-2018) cleared in 6.8 h: ceil(14 x
    # 6.8 / 24) = 4 lanes (its table has none yet, SOURCES.md)
    lanes = Change(node="brest", set={"trains_per_day": 14, "service_h": 6.8})
    brest = element_queue(apply_changes(eurasia, [lanes]), "node:brest")
    assert isinstance(brest, QueueElement)
    assert (brest.kind, brest.servers, brest.service_h, brest.cv) == ("border", 4, 6.8, 0.8)
    # Dostyk: 27 trains a day at 4.25 h: 5 gauge-change tracks
    dostyk = element_queue(eurasia, "node:dostyk")
    assert isinstance(dostyk, QueueElement)
    assert (dostyk.kind, dostyk.servers, dostyk.service_h) == ("gauge", 5, 4.25)
    # a border crossing with no servers in the tables: a delay with no queue
    assert element_queue(eurasia, "node:alashankou") is None
    # a port's throughput is its table capacity: no queue
    assert element_queue(eurasia, "node:aktau@throughput") is None


def test_crude_through_aktau_never_takes_a_ferry_berth(eurasia: Network) -> None:
    # Aktau given two ferry berths of 7 h (the table has none: 7 by the capacity rule)
    eurasia = apply_changes(eurasia, [Change(node="aktau", set={"berths": 2, "service_h": 7})])
    groups = network_elements(eurasia, tonnes_per_teu=10.0)
    crude = route(eurasia, "Tengiz", "Ceyhan", "energy")
    assert "aktau" in crude.node_ids  # by tanker from Aktau to Sangachal
    keys = {k for k, _, _ in route_elements(crude, eurasia, tonnes_per_teu=10.0, groups=groups)}
    assert "node:aktau" not in keys
    # it counts against the port's 11 Mt (PRESS-PORTS) with the ferry cargo
    assert "node:aktau@throughput" in keys
    throughput = groups.throughput["aktau"]
    assert throughput.capacities == {"all": pytest.approx(11e6 / 10.0)}
    boxes = route(eurasia, "Xi'an", "Baku", "middle")
    assert "aktau" in boxes.node_ids
    keys = {k for k, _, _ in route_elements(boxes, eurasia, tonnes_per_teu=10.0, groups=groups)}
    assert {"node:aktau", "node:aktau@throughput", "node:dostyk"} <= keys
    # the simulation: the ferry cargo queues for Aktau's two berths, the crude does not
    builder = ResourceBuilder(eurasia, BuildOptions())
    builder.itinerary(boxes)
    builder.itinerary(crude)
    assert builder.stations["port:aktau"].servers == 2
    assert builder.stations["terminal:aktau"].servers == UNLIMITED


def test_the_simulation_serves_the_same_servers(eurasia: Network) -> None:
    lanes = Change(node="brest", set={"trains_per_day": 14, "service_h": 6.8})
    eurasia = apply_changes(eurasia, [lanes])
    builder = ResourceBuilder(eurasia, BuildOptions())
    builder.itinerary(route(eurasia, "Xi'an", "Baku", "middle"))
    builder.itinerary(route(eurasia, "Xi'an", "Duisburg", "northern"))
    stations = builder.stations
    checked = []
    for node in ("brest", "malaszewicze", "dostyk"):
        queue = element_queue(eurasia, f"node:{node}")
        assert isinstance(queue, QueueElement)
        served = [
            st
            for sid, st in stations.items()
            if sid.endswith(f":{node}") and not sid.startswith("section") and not st.unlimited
        ]
        assert served, node
        for st in served:
            assert st.servers == queue.servers, (node, st.station_id)
            assert st.service.mean_h == pytest.approx(queue.service_h), (node, st.station_id)
            checked.append(st.station_id)
    # Dostyk's clearance has no servers (a delay, the CAREC average with its queue)
    assert stations["border:dostyk@entry"].unlimited
    assert "border:brest" in checked
