"""The shadow prices' Newton step where the dual is singular: elements in series, flat prices.

Hand answers: the trust-region step on a singular Hessian (Newton's on its range, the
gradient's component on its null space, no longer than the radius), and two hard
elements in series on the same route, whose prices together equal the cost difference
that keeps the route at capacity (each alone is indeterminate).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.cost.delay import bpr
from corridors.scenarios import shadow_prices
from corridors.scenarios.choice import Equilibrium, equilibrium_shares
from corridors.scenarios.shadow_prices import HardCapacityPrices, trust_step
from corridors.scenarios.supply import SharedElements

SCALE = 0.01  # 1/USD


def test_trust_step_is_newtons_within_the_radius() -> None:
    hess = np.array([[2.0, 0.5], [0.5, 1.0]])
    grad = np.array([0.3, -0.2])
    step = trust_step(hess, grad, 10.0)
    np.testing.assert_allclose(step, -np.linalg.solve(hess, grad), rtol=1e-9)


def test_trust_step_on_a_singular_hessian_with_the_gradient_in_its_range() -> None:
    # two elements in series: the same curvature h in both prices and in their sum;
    # equal gradients g: the least-norm Newton step moves each price by -g / (2h) (to
    # the rounding the ridge of 1e-12 amplifies along their difference, which no flow sees)
    h, g = 0.4, 0.1
    hess = np.full((2, 2), h)
    step = trust_step(hess, np.array([g, g]), 10.0)
    np.testing.assert_allclose(step, [-g / (2 * h), -g / (2 * h)], rtol=1e-4)
    assert float(step.sum()) == pytest.approx(-g / h, rel=1e-9)


def test_trust_step_on_a_flat_direction_is_the_radius_long() -> None:
    # curvature 1 in the first price, none in the second: Newton's step is infinite;
    # the step is -(H + mu I)^-1 g with the mu > 0 that makes it the radius long
    hess = np.diag([1.0, 0.0])
    grad = np.array([0.1, -0.5])
    step = trust_step(hess, grad, 2.0)
    assert float(np.linalg.norm(step)) == pytest.approx(2.0, rel=0.011)
    mu = 0.5 / step[1]  # the flat price: step = -g / mu, so it rises
    assert mu > 0
    assert step[0] == pytest.approx(-0.1 / (1.0 + mu), rel=1e-9)
    assert trust_step(hess, np.zeros(2), 2.0).tolist() == [0.0, 0.0]


def _series(capacity: tuple[float, float]) -> SharedElements:
    # one market, corridor 0 through both elements, corridor 1 through neither
    inc = np.zeros((2, 1, 2))
    inc[:, 0, 0] = 1.0
    return SharedElements(inc, np.array(capacity), np.zeros(2), ("e0", "e1"), np.ones(2, bool))


def _solve_series(base: np.ndarray, capacity: tuple[float, float]) -> Equilibrium:
    return equilibrium_shares(
        base,
        np.zeros_like(base),
        np.array([100.0]),
        np.full(2, np.inf),
        scale=SCALE,
        value_of_time=10.0,
        elements=_series(capacity),
        vdf=bpr,
        tolerance=1e-9,
    )


def _count_evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    evaluate = HardCapacityPrices._evaluate

    def counted(self: HardCapacityPrices, u: np.ndarray, x: np.ndarray) -> object:
        calls[0] += 1
        return evaluate(self, u, x)

    monkeypatch.setattr(HardCapacityPrices, "_evaluate", counted)
    return calls


@pytest.mark.parametrize("cost_difference", [200.0, 3000.0])
def test_two_elements_in_series_price_the_cost_difference(
    monkeypatch: pytest.MonkeyPatch, cost_difference: float
) -> None:
    """d = 100 TEU, both elements of corridor 0 hold 50 TEU: half the market on it.

    1 / (1 + exp(-scale (G1 - G0 - mu0 - mu1))) = 1/2  =>  mu0 + mu1 = G1 - G0.
    The dual is flat along mu0 - mu1 (the Hessian singular): the solve takes a few
    evaluations, not the dozens of halvings of a Newton step ~1e12 long. At 3,000 USD
    the route through is 30 utility units cheaper: at zero prices the other route's
    share is e^-30, so the curvature in both prices is ~1e-13 until they approach it.
    """
    calls = _count_evaluations(monkeypatch)
    eq = _solve_series(np.array([[1000.0, 1000.0 + cost_difference]]), (50.0, 50.0))
    assert eq.converged
    assert eq.shares[0, 0] == pytest.approx(0.5, abs=1e-8)
    assert eq.element_flows.tolist() == pytest.approx([50.0, 50.0], abs=1e-6)
    assert float(eq.shadow_prices.sum()) == pytest.approx(cost_difference, abs=1e-4)
    assert (eq.shadow_prices >= 0).all()
    assert calls[0] <= 15


def test_in_series_only_the_tighter_element_is_priced() -> None:
    # 30 and 40 TEU: the 30 binds (share 0.3), the 40 is free
    eq = _solve_series(np.array([[1000.0, 1200.0]]), (30.0, 40.0))
    assert eq.converged
    assert eq.shadow_prices[0] == pytest.approx(200.0 - math.log(3.0 / 7.0) / SCALE, abs=1e-3)
    assert eq.shadow_prices[1] == 0.0


def test_a_price_far_above_where_its_flow_responds_comes_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A warm start 40 utility units above the answer (the flow through is ~e^-40 of
    the market: no curvature) returns to mu = 200 - ln(3/7) / scale in a few steps."""
    calls = _count_evaluations(monkeypatch)
    inc = np.zeros((1, 1, 2))
    inc[0, 0, 0] = 1.0
    prices = HardCapacityPrices(
        inc,
        np.array([30.0]),
        np.array([100.0]),
        np.ones((1, 2), bool),
        scale=SCALE,
        nests=None,
        nest_scale=1.0,
        max_price=50_000.0,
        tolerance=1e-9,
        method="newton",
    )
    mu = 200.0 - math.log(3.0 / 7.0) / SCALE
    x, shares, ok = prices.solve(np.array([[1000.0, 1200.0]]), np.array([SCALE * mu + 40.0]))
    assert ok
    assert x[0] / SCALE == pytest.approx(mu, abs=1e-3)
    assert shares[0, 0] == pytest.approx(0.3, abs=1e-8)
    assert calls[0] <= 15
    assert shadow_prices.PRICE_TRUST_RADIUS > 0
