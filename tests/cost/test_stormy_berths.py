"""A Caspian port's berths in the equilibrium: storms month by month, with their backlog.

The berths of a Caspian port (Aktau, Kuryk, Alat, Turkmenbashi) close with the port in
storms; the equilibrium's element has the same delay function as the simulation's port
station (:class:`~corridors.cost.mean_waits.QueueElement` with ``storm_months``), its
storms' backlog made of the trains that came by land: a share the routes give
(:meth:`~corridors.scenarios.supply.SharedElements.landside_share`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from corridors.cost.element_delays import FERRY_GRID, ElementDelays
from corridors.cost.element_queues import (
    STORM_CV,
    STORM_MEAN_H,
    element_queue,
    port_storm_months,
    shipments_per_h,
)
from corridors.cost.ferry_lines import port_open_share
from corridors.cost.mean_waits import QueueElement
from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.network.model import Network


@pytest.fixture(scope="module")
def network() -> Network:
    return read_network(eurasia_path())


def test_caspian_berths_have_the_storm_months_and_others_not(network: Network) -> None:
    months = port_storm_months()
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    # their mean over the year's days is the port's open share (the capacity is unchanged)
    aktau = network.node_row(network.node_index["aktau"])
    assert float(np.dot(months, days) / days.sum()) == pytest.approx(port_open_share(aktau))
    for port in ("aktau", "kuryk", "alat"):
        q = element_queue(network, f"node:{port}")
        assert isinstance(q, QueueElement)
        assert q.storm_months == months
        assert (q.closure_h, q.closure_cv) == (STORM_MEAN_H, STORM_CV)
        assert q.open_share == pytest.approx(float(np.dot(months, days) / days.sum()))
    poti = element_queue(network, "node:poti")
    assert isinstance(poti, QueueElement)
    assert poti.storm_months == ()


def test_berths_wait_grows_with_the_flow_and_the_cargo_by_land(network: Network) -> None:
    """Finite and increasing up to the knee, through the months whose open days saturate.

    A month's queue was infinite at that month's capacity and 0 beyond it (the seasonal
    backlog took over from 0): at Kuryk's 2 berths January saturates at a utilisation of
    0.80 of the year's capacity. Now its queue continues along its tangent above 95 % of
    the month's capacity (``MONTH_KNEE``) and its storms' backlog clears at least at the
    knee's spare rate.
    """
    q = element_queue(network, "node:kuryk")
    assert isinstance(q, QueueElement)
    delays = ElementDelays((q,))
    rho = np.linspace(0.002, 0.99, 400)
    for share in (0.0, 0.5, 1.0):
        w = np.array([delays.wait_h(np.array([r]), np.array([share]))[0] for r in rho])
        assert np.isfinite(w).all()
        assert (np.diff(w) >= -1e-9).all(), share
    low = delays.wait_h(np.array([0.3]), np.array([0.0]))[0]
    high = delays.wait_h(np.array([0.3]), np.array([1.0]))[0]
    assert 0.0 < low < high
    # on the grid the wait is the delay function's own, with that share by land
    rate = shipments_per_h(q)
    step = 300
    exact = dataclasses.replace(q, storm_share=0.5).wait_h(step * FERRY_GRID * rate)
    got = delays.wait_h(np.array([step * FERRY_GRID]), np.array([0.5]))[0]
    assert got == pytest.approx(exact, rel=1e-12)
    # without a share given, the queue's own (every arrival by land)
    assert delays.wait_h(np.array([0.3]))[0] == pytest.approx(high, rel=1e-12)


def test_the_routes_give_the_share_of_the_berths_cargo_that_came_by_land() -> None:
    """Westbound trains board at Aktau (by land) and leave the ships at Alat; eastbound
    the other way round: at 300 TEU west and 100 east, 3/4 of Aktau's and 1/4 of Alat's
    cargo came by land."""
    from corridors.scenarios.elements import RouteOption
    from corridors.scenarios.year_elements import shared_elements

    water = "water:aktau+alat+kuryk"
    west = RouteOption(
        "middle",
        0.0,
        0.0,
        ("a",),
        elements=(
            ("node:aktau", 1e6, 1.0),
            (f"{water}@aktau+kuryk", 1e6, 1.0),
            ("node:alat", 1e6, 1.0),
        ),
    )
    east = RouteOption(
        "middle",
        0.0,
        0.0,
        ("b",),
        elements=(("node:alat", 1e6, 1.0), (f"{water}@alat", 1e6, 1.0), ("node:aktau", 1e6, 1.0)),
    )
    berths = QueueElement(
        "port",
        servers=4,
        service_h=7.0,
        storm_months=port_storm_months(),
        closure_h=STORM_MEAN_H,
        closure_cv=STORM_CV,
    )
    keys = ("node:aktau", f"{water}@aktau+kuryk", "node:alat", f"{water}@alat")
    e_index = {k: e for e, k in enumerate(keys)}
    use = [(0, 0, 0), (1, 0, 0), (2, 0, 0), (2, 1, 0), (3, 1, 0), (0, 1, 0)]
    elements = shared_elements(
        e_index,
        [1e6] * 4,
        [1.0] * 4,
        use,
        (2, 1),
        slows=(),
        per_market=((west,), (east,)),
        columns=("middle",),
        hard="all",
        queues=ElementDelays((berths, None, berths, None)),
    )
    assert elements.landside[:, :, 0].tolist() == [[1, 0], [0, 0], [0, 1], [0, 0]]
    share = elements.landside_share(np.array([300.0, 100.0]), np.ones((2, 1)))
    assert share is not None
    assert share[[0, 2]].tolist() == [0.75, 0.25]
