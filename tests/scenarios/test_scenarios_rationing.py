"""Rationing at a full element no price relieves: hand-computed cases.

A market whose only route passes a full element cannot be priced off it; what the
element cannot pass is not carried (proportional rationing) and becomes unserved demand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.scenarios.choice import SharedElements, equilibrium_shares
from corridors.scenarios.rationing import ration

SCALE = 0.002


def _hard(incidence: list[list[list[float]]], capacity: list[float]) -> SharedElements:
    inc = np.array(incidence, dtype=float)
    n = inc.shape[0]
    return SharedElements(
        inc, np.array(capacity), np.zeros(n), tuple(f"e{i}" for i in range(n)), np.ones(n, bool)
    )


def test_captive_market_keeps_capacity_over_flow_of_its_volume() -> None:
    """100 TEU, one route through a 30 TEU element: 30 carried (share 0.3), 70 unserved."""
    elements = _hard([[[1.0]]], [30.0])
    kept = ration(elements, np.array([100.0]), np.array([[1.0]]), over=(0,))
    assert kept.tolist() == [[pytest.approx(0.3, rel=1e-12)]]
    assert elements.flows(np.array([100.0]), kept).tolist() == [pytest.approx(30.0)]


def test_every_route_through_the_element_keeps_the_same_factor() -> None:
    """Markets A (100 TEU, only the lane) and B (50 TEU: 40 % on the lane, 60 % on a free
    route) load a 60 TEU lane with 120 TEU: each lane route keeps 60 / 120 = 0.5; B's free
    route keeps its share. Carried: A 50, B 10 + 30; the lane carries exactly 60."""
    elements = _hard([[[1.0, 0.0], [1.0, 0.0]]], [60.0])
    demand = np.array([100.0, 50.0])
    shares = np.array([[1.0, 0.0], [0.4, 0.6]])
    kept = ration(elements, demand, shares, over=(0,))
    np.testing.assert_allclose(kept, [[0.5, 0.0], [0.2, 0.6]], rtol=1e-12)
    assert elements.flows(demand, kept)[0] == pytest.approx(60.0, rel=1e-12)
    unserved = demand * (1.0 - kept.sum(axis=1))
    np.testing.assert_allclose(unserved, [50.0, 10.0], rtol=1e-12)


def test_two_full_elements_in_series_the_tighter_holds() -> None:
    """One route through e0 (40 TEU) and e1 (25 TEU), 100 TEU: factors 0.4 and 0.25; the
    route keeps the smaller, so both elements are within capacity (25 <= 40, 25 <= 25)."""
    elements = _hard([[[1.0]], [[1.0]]], [40.0, 25.0])
    kept = ration(elements, np.array([100.0]), np.array([[1.0]]), over=(0, 1))
    assert kept[0, 0] == pytest.approx(0.25, rel=1e-12)
    flows = elements.flows(np.array([100.0]), kept)
    assert bool((flows <= np.array([40.0, 25.0]) * (1 + 1e-12)).all())


def test_an_element_within_capacity_is_left_alone() -> None:
    elements = _hard([[[1.0]]], [300.0])
    kept = ration(elements, np.array([100.0]), np.array([[1.0]]), over=(0,))
    assert kept.tolist() == [[1.0]]


def test_equilibrium_at_the_price_cap_then_rationing() -> None:
    """The equilibrium of a captive 100 TEU market on a 30 TEU lane stops at the price cap
    with 100 TEU on the lane; rationed, the lane carries its 30 and 70 are unserved. A
    second market with an alternative left the lane at the cap price (hand logit)."""
    base = np.array([[1000.0, np.inf], [1000.0, 1100.0]])
    demand = np.array([100.0, 50.0])
    elements = _hard([[[1.0, 0.0], [1.0, 0.0]]], [30.0])
    eq = equilibrium_shares(
        base,
        np.zeros_like(base),
        demand,
        np.full(2, np.inf),
        scale=SCALE,
        value_of_time=10.0,
        elements=elements,
        max_shadow_price=5000.0,
        warn=False,
    )
    assert eq.over_capacity == (0,)
    lane_b = 1.0 / (1.0 + math.exp(SCALE * 4900.0))
    assert eq.shares[1, 0] == pytest.approx(lane_b, rel=1e-9)
    kept = ration(elements, demand, eq.shares, eq.over_capacity)
    factor = 30.0 / (100.0 + 50.0 * lane_b)
    np.testing.assert_allclose(kept[:, 0], [factor, lane_b * factor], rtol=1e-9)
    assert kept[1, 1] == pytest.approx(1.0 - lane_b, rel=1e-12)
    assert elements.flows(demand, kept)[0] == pytest.approx(30.0, rel=1e-12)
