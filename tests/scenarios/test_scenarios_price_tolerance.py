"""The corridor split converges where a small element binds at its queue's knee.

A lane of one server (38,000 TEU a year at the knee) is the cheap route of a small market
(50,000 TEU) next to a large market (10 million TEU) that never uses it, so the lane is full
with a shadow price and its queue at the knee, where its wait is steep. Each averaging
iteration solves the shadow prices only to a share of the gap
(:data:`corridors.scenarios.shadow_prices.PRICE_INEXACT`). Measured as a share of the
total demand, that flow error was a large part of the lane's own capacity: its wait then
jittered by hours from one iteration to the next, and averaging (SRA, MSA) stopped at the
iteration cap; held to the smallest capacity priced, it converges in a few iterations.
"""

from __future__ import annotations

import numpy as np
import pytest

from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import capacity_teu_yr, station_queue
from corridors.scenarios import choice
from corridors.scenarios.choice import Equilibrium, equilibrium_shares
from corridors.scenarios.shadow_prices import PRICE_INEXACT
from corridors.scenarios.supply import SharedElements

BIG, SMALL = 1e7, 5e4
"""Demand of the market that never uses the lane and of the one that does, TEU a year."""


def _solve(method: str) -> tuple[Equilibrium, float]:
    lane = station_queue("border", servers=1, service_h=21.9, service_cv=1.0)
    queue = capacity_teu_yr(lane)  # 40,000 TEU a year
    incidence = np.zeros((1, 2, 2))
    incidence[0, 1, 0] = 1.0  # the small market's first route crosses the lane
    elements = SharedElements(
        incidence,
        np.array([0.95 * queue]),
        np.zeros(1),
        ("node:lane",),
        hard=np.array([True]),
        queues=ElementDelays((lane,)),
        queue_capacity=np.array([queue]),
    )
    eq = equilibrium_shares(
        np.array([[1000.0, 1000.0], [1000.0, 12_000.0]]),
        np.zeros((2, 2)),
        np.array([BIG, SMALL]),
        np.full(2, np.inf),
        scale=0.005,
        value_of_time=16.7,
        max_iterations=3000,
        tolerance=1e-7,
        method=method,
        elements=elements,
        warn=False,
    )
    return eq, 0.95 * queue


@pytest.mark.parametrize("method", ["anderson", "sra"])
def test_a_small_element_full_at_its_knee_converges(method: str) -> None:
    eq, capacity = _solve(method)
    assert eq.converged, (method, eq.iterations, eq.gap)
    assert eq.iterations < 100
    # full: at its capacity (to the tolerance times the total demand) with a price, and
    # its wait the queue's at the knee: 0.95 / 0.05 x 21.9 h (M/M/1)
    assert eq.element_flows[0] == pytest.approx(capacity, abs=1e-7 * (BIG + SMALL))
    assert eq.shadow_prices[0] > 3000.0
    assert eq.queue_h[0] == pytest.approx(0.95 / 0.05 * 21.9, rel=1e-4)


def test_the_price_solve_to_the_total_demand_kept_averaging_from_converging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the tolerance as it was: a share of the total demand, not of the lane's capacity
    _, capacity = _solve("sra")
    monkeypatch.setattr(choice, "PRICE_INEXACT", PRICE_INEXACT * (BIG + SMALL) / capacity)
    eq, _ = _solve("sra")
    assert not eq.converged
    assert eq.iterations == 3000
    assert eq.gap > 1e-5
