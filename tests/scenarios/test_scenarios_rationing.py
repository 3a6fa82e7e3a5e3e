"""Rationing at a full element no price relieves: hand-computed cases.

A market whose only route passes a full element cannot be priced off it; what the
element cannot pass is not carried and becomes unserved demand: cargo with another way
keeps its choice at the price cap, the captive markets share the rest; the served cargo
pays no rationing price.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from corridors.scenarios.choice import SharedElements, equilibrium_shares
from corridors.scenarios.rationing import NEGLIGIBLE_TEU, ration, rationed_equilibrium
from corridors.scenarios.supply import element_waits


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


def test_cargo_with_another_way_keeps_its_choice_the_captive_share_the_rest() -> None:
    """Markets A (100 TEU, only the lane) and B (50 TEU: 40 % on the lane, 60 % on a free
    route) load a 60 TEU lane with 120 TEU. B can go round: it keeps its 20 TEU on the
    lane; captive A shares the rest, (60 - 20) / 100 = 0.4. Carried: A 40, B 20 + 30; the
    lane carries exactly 60; A's 60 TEU are unserved, B loses nothing."""
    elements = _hard([[[1.0, 0.0], [1.0, 0.0]]], [60.0])
    demand = np.array([100.0, 50.0])
    shares = np.array([[1.0, 0.0], [0.4, 0.6]])
    available = np.array([[True, False], [True, True]])
    kept = ration(elements, demand, shares, over=(0,), available=available)
    np.testing.assert_allclose(kept, [[0.4, 0.0], [0.4, 0.6]], rtol=1e-12)
    assert elements.flows(demand, kept)[0] == pytest.approx(60.0, rel=1e-12)
    unserved = demand * (1.0 - kept.sum(axis=1))
    np.testing.assert_allclose(unserved, [60.0, 0.0], atol=1e-12)


def test_when_cargo_with_another_way_alone_fills_it_every_route_is_cut() -> None:
    """B's lane volume (80 TEU) alone exceeds the 60 TEU lane: every route through it keeps
    60 / (100 + 80) = 1/3 (A 33.3, B 26.7 on the lane)."""
    elements = _hard([[[1.0, 0.0], [1.0, 0.0]]], [60.0])
    demand = np.array([100.0, 100.0])
    shares = np.array([[1.0, 0.0], [0.8, 0.2]])
    kept = ration(elements, demand, shares, over=(0,))
    np.testing.assert_allclose(kept, [[1 / 3, 0.0], [0.8 / 3, 0.2]], rtol=1e-12)
    assert elements.flows(demand, kept)[0] == pytest.approx(60.0, rel=1e-12)


def test_a_negligible_loss_is_served_and_the_others_absorb_it() -> None:
    """A 1,000,000 TEU and C 0.3 TEU, both captive, on a 999,000 TEU lane: rationed alike
    (factor 0.999) C would lose 3e-4 TEU, below NEGLIGIBLE_TEU: C is served in full and A
    keeps (999,000 - 0.3) / 1,000,000; the lane carries exactly its capacity and served
    plus unserved is each market's demand."""
    assert NEGLIGIBLE_TEU > 3e-4
    elements = _hard([[[1.0], [1.0]]], [999_000.0])
    demand = np.array([1_000_000.0, 0.3])
    kept = ration(elements, demand, np.ones((2, 1)), over=(0,))
    assert kept[1, 0] == 1.0
    assert kept[0, 0] == pytest.approx((999_000.0 - 0.3) / 1_000_000.0, rel=1e-12)
    assert elements.flows(demand, kept)[0] == pytest.approx(999_000.0, rel=1e-12)
    lost = demand * (1.0 - kept.sum(axis=1))
    assert lost[0] == pytest.approx(1000.3, rel=1e-9)
    assert lost[1] == 0.0


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
    """Toy: captive market A (100 TEU, one route through a 30 TEU lane) and elastic market
    B (50 TEU: the lane at 1,000 USD or a free route at 1,100 USD), logit scale
    0.0005/USD, price cap 5,000 USD/TEU, value of time 10 USD/TEU-h.

    The equilibrium stops at the cap with A's 100 TEU on the lane; B keeps the lane share
    p = 1 / (1 + exp(0.0005 x 4,900)) = 0.0794 (3.97 TEU). Rationed, B keeps its choice
    and A keeps (30 - 50 p) / 100 = 0.2603 of its volume: 73.97 TEU unserved, the lane
    carries exactly 30. The price the served cargo pays is 0, so the reported rationing
    wait is 0 h (it was 5,000 / 10 = 500 h at the cap). Re-solving the price with A's
    rationed volume fixed gives the cap back: at any lower price B puts more than 50 p on
    the lane, so the lowest price that keeps the lane within 30 TEU is the cap itself.
    """
    scale = 0.0005
    base = np.array([[1000.0, np.inf], [1000.0, 1100.0]])
    demand = np.array([100.0, 50.0])
    elements = _hard([[[1.0, 0.0], [1.0, 0.0]]], [30.0])
    eq = equilibrium_shares(
        base,
        np.zeros_like(base),
        demand,
        np.full(2, np.inf),
        scale=scale,
        value_of_time=10.0,
        elements=elements,
        max_shadow_price=5000.0,
        warn=False,
    )
    assert eq.over_capacity == (0,)
    assert eq.shadow_prices[0] == 5000.0
    lane_b = 1.0 / (1.0 + math.exp(scale * 4900.0))
    assert lane_b == pytest.approx(0.07944, abs=1e-5)
    assert eq.shares[1, 0] == pytest.approx(lane_b, rel=1e-9)
    out = rationed_equilibrium(eq, elements, demand)
    factor = (30.0 - 50.0 * lane_b) / 100.0
    assert factor == pytest.approx(0.26028, abs=1e-5)
    np.testing.assert_allclose(out.shares[:, 0], [factor, lane_b], rtol=1e-9)
    assert out.shares[1, 1] == pytest.approx(1.0 - lane_b, rel=1e-12)
    assert out.element_flows[0] == pytest.approx(30.0, rel=1e-12)
    unserved = demand * (1.0 - out.shares.sum(axis=1))
    np.testing.assert_allclose(unserved, [100.0 * (1.0 - factor), 0.0], atol=1e-9)
    assert unserved[0] == pytest.approx(73.97, abs=0.01)
    assert out.shadow_prices.tolist() == [0.0]
    # the wait compare and the calibration take from the run's bottlenecks
    row = {"year": 2030, "cargo": "all", "utilisation": 1.0, "queue_h": 0.0}
    at_cap = pd.DataFrame([row | {"element": "e0", "shadow_price_usd_teu": 5000.0}])
    served = pd.DataFrame([row | {"element": "e0", "shadow_price_usd_teu": 0.0}])
    assert element_waits(at_cap, 2030, value_of_time_usd_teu_h=10.0)["e0"].rationing_h == 500.0
    assert element_waits(served, 2030, value_of_time_usd_teu_h=10.0)["e0"].rationing_h == 0.0
    # the price re-solved with A's rationed volume fixed: the cap
    for price in (4999.0, 4000.0, 0.0):
        b_lane = 1.0 / (1.0 + math.exp(scale * (1000.0 + price - 1100.0)))
        assert 100.0 * factor + 50.0 * b_lane > 30.0
