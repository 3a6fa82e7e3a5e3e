"""The equilibrium's queues see the arrival variability of the queues upstream
(scenarios/arrival_chains.py), on a toy route by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.cost.arrival_variability import Streams
from corridors.cost.element_delays import ElementDelays
from corridors.cost.ferry_queue import FerryQueue
from corridors.cost.mean_waits import QueueElement
from corridors.routing.route import Route, Step
from corridors.scenarios.arrival_chains import CV_TOLERANCE, route_streams
from corridors.scenarios.elements import RouteOption
from corridors.scenarios.supply import SharedElements

KEYS = ("link:a-b@a", "link:b-x@b", "node:x", "link:x-c@x", "water:c+d@c", "link:d-e@d")


def _route() -> RouteOption:
    # a -(path 2 h)- b -(path 2 h)- x: gauge change, then a 10 h border check with no
    # lanes; x -(path 2 h)- c, the ferry c-d, then d -(path 2 h)- e
    steps = (
        Step("link", link_id="a-b", from_node_id="a", to_node_id="b", mode="rail", hours=5.0),
        Step("link", link_id="b-x", from_node_id="b", to_node_id="x", mode="rail", hours=5.0),
        Step("transfer", node_id="x", hours=4.0),
        Step("border", node_id="x", hours=10.0),
        Step("link", link_id="x-c", from_node_id="x", to_node_id="c", mode="rail", hours=5.0),
        Step("link", link_id="c-d", from_node_id="c", to_node_id="d", mode="ferry", hours=20.0),
        Step("link", link_id="d-e", from_node_id="d", to_node_id="e", mode="rail", hours=5.0),
    )
    route = Route("middle", "a", "e", "TEU", 54.0, 0.0, 0.0, 0.0, 0.0, 1, 1, steps)
    # the elements in another order than the route's, as route_elements lists them
    order = (0, 1, 4, 5, 6, 2)
    return RouteOption(
        "middle",
        0.0,
        54.0,
        ("a-b", "b-x", "x-c", "c-d", "d-e"),
        tuple((KEYS[i], 1e6, 1.0) for i in (0, 1, 3, 4, 5, 2)),
        route=route,
        element_steps=tuple((s,) for s in order),
    )


def _queues() -> tuple[object, ...]:
    path = QueueElement("section", servers=1, service_h=2.0, service_cv=0.0)
    gauge = QueueElement("gauge", servers=2, service_h=4.0, service_cv=0.5)
    ferry = FerryQueue(
        ships=1, round_trip_h=10.0, shipment_units=50, deck_units=(50,), max_wait_h=0.0
    )
    return (path, path, gauge, path, ferry, path)


def test_a_route_streams_through_its_queues_in_order() -> None:
    e_index = {k: i for i, k in enumerate(KEYS)}
    found = route_streams([[_route()]], ["middle"], e_index, _queues())
    assert found is not None
    streams = found.streams
    hops: dict[int, list[tuple[int, float]]] = {int(t): [] for t in streams.target}
    for s, q, var in zip(
        streams.hop_stream.tolist(),
        streams.hop_queue.tolist(),
        streams.hop_spread_sq_h2.tolist(),
        strict=True,
    ):
        hops[int(streams.target[s])].append((q, var))
    border = (0.8 * 10.0) ** 2  # the border check's lognormal cv 0.8 x 10 h
    assert hops == {
        0: [],  # from the origin
        1: [(0, 0.0)],  # straight behind the a-b path
        2: [(0, 0.0), (1, 0.0)],  # the gauge change behind both paths
        3: [(0, 0.0), (1, 0.0), (2, border)],  # the border check after the gauge change
        5: [],  # off the ship (a ferry line keeps its own queue): Poisson again
    }
    assert isinstance(streams, Streams)
    assert found.market.tolist() == [0] * 5
    # no route passes two queues in a row: nothing to do
    lone = RouteOption("middle", 0.0, 5.0, ("a-b",), ((KEYS[0], 1e6, 1.0),))
    assert route_streams([[lone]], ["middle"], {KEYS[0]: 0}, _queues()[:1]) is None


def test_the_queues_take_the_arrival_variability_of_the_split() -> None:
    e_index = {k: i for i, k in enumerate(KEYS)}
    queues = _queues()
    found = route_streams([[_route()]], ["middle"], e_index, queues)
    assert found is not None
    delays = ElementDelays(queues)  # type: ignore[arg-type]
    # 8 trains a day of 100 TEU: the paths at 2/3, the gauge change at 2/3
    teu = 8.0 * 365.0 * 100.0
    capacity = np.array([12.0, 12.0, 12.0, 12.0, 1e9, 12.0]) * 365.0 * 100.0
    n = len(KEYS)
    elements = SharedElements(
        np.ones((n, 1, 1)), capacity, np.ones(n), KEYS, queue_capacity=capacity
    )
    better = found.delays(delays, elements, np.array([teu]), np.array([[1.0]]))
    assert better is not None
    new = better.queues
    a_b, b_x, gauge, x_c, ferry, d_e = new
    assert all(isinstance(q, QueueElement) for q in (a_b, b_x, gauge, x_c))
    assert isinstance(b_x, QueueElement)
    assert isinstance(gauge, QueueElement)
    assert isinstance(x_c, QueueElement)
    assert a_b == queues[0]  # Poisson from the origin
    assert d_e == queues[5]  # and off the ship
    assert ferry is queues[4]  # a ferry line keeps its own
    # b-x takes its trains straight from a path as long: they stay spaced (it passes them
    # on unchanged) and it waits with the a-b path's departures, seen over its span
    rho = np.full(n, 2.0 / 3.0)
    assert 0.0 < b_x.arrival_cv < 1.0
    assert better.wait_h(rho)[1] < delays.wait_h(rho)[1]
    # the gauge change and the path after the border see regular trains (from the
    # a-b path's departures), the path less so behind the border's shuffling
    assert 0.0 < gauge.arrival_cv < x_c.arrival_cv < 1.0
    # taken again at the same split, the variability holds: nothing to renew
    assert found.delays(better, elements, np.array([teu]), np.array([[1.0]])) is None
    # the gauge change's cv: the a-b path's departures (the b-x path passes them on)
    # over the gauge change's span W / (1 - rho) of its own wait
    wait = better.wait_h(rho)[2]
    span = wait / (1.0 - 2.0 / 3.0)
    relax = 2.0 * (2.0 / 3.0) * 2.0 / (1.0 / 3.0) ** 2  # the a-b path's, 24 h
    weight = 1.0 / (1.0 + 1.5 * span / relax)
    expected = 1.0 - (4.0 / 9.0) * weight
    assert gauge.arrival_cv == pytest.approx(math.sqrt(expected), abs=CV_TOLERANCE)
    assert wait < delays.wait_h(rho)[2]
