"""Nested logit and hard capacities with shadow prices, against answers worked by hand."""

from __future__ import annotations

import logging
import math

import numpy as np
import pytest
from scipy.optimize import brentq

import corridors.scenarios.choice as choice
import corridors.scenarios.shadow_prices as shadow_prices
from corridors.cost.delay import bpr
from corridors.cost.logit import logit_shares, logsum
from corridors.scenarios.choice import SharedElements, equilibrium_shares
from corridors.scenarios.shadow_prices import HardCapacityPrices

RAIL_SEA = np.array([0, 0, 1])  # northern, middle: rail nest 0; sea: nest 1
COSTS = np.array([1000.0, 1200.0, 1100.0])  # USD/TEU
SCALE = 0.005  # 1/USD


# ---------------------------------------------------------------- nested logit


def test_nested_with_scale_one_is_multinomial() -> None:
    cost = np.array([[1000.0, 1200.0, 1100.0], [900.0, np.inf, 1300.0]])
    mnl = logit_shares(cost, scale=SCALE)
    assert np.array_equal(logit_shares(cost, scale=SCALE, nests=RAIL_SEA, nest_scale=1.0), mnl)
    assert np.array_equal(
        logsum(cost, scale=SCALE, nests=RAIL_SEA, nest_scale=1.0), logsum(cost, scale=SCALE)
    )
    # the nested formulas themselves: one alternative per nest is the MNL for any lam,
    # and lam -> 1 tends to the MNL
    own = np.arange(3)
    np.testing.assert_allclose(
        logit_shares(cost, scale=SCALE, nests=own, nest_scale=0.3), mnl, rtol=1e-12
    )
    np.testing.assert_allclose(
        logsum(cost, scale=SCALE, nests=own, nest_scale=0.3), logsum(cost, scale=SCALE)
    )
    near = logit_shares(cost, scale=SCALE, nests=RAIL_SEA, nest_scale=1.0 - 1e-9)
    np.testing.assert_allclose(near, mnl, atol=1e-8)


def test_nested_shares_and_logsum_by_hand() -> None:
    """Costs 1000/1200/1100 USD/TEU, scale 0.005/USD, lam 0.5, rail = {0, 1}, sea = {2}.

    V = -5, -6, -5.5; V/lam = -10, -12, -11.
    P(northern | rail) = 1 / (1 + e^-2) = 0.8807970779778823
    lam * IV_rail = 0.5 * (-10 + ln(1 + e^-2)) = -4.936535994478514; lam * IV_sea = -5.5
    P(rail) = 1 / (1 + e^(-5.5 + 4.936535994478514)) = 0.6372536648481423
    shares = 0.63725 * 0.88080, 0.63725 * 0.11920, 1 - 0.63725
    logsum = -(1/0.005) * ln(e^-4.936535994478514 + e^-5.5) = 897.1897019545546 USD/TEU
    """
    s = logit_shares(COSTS, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5)
    p_rail = 0.6372536648481423
    p_north = 0.8807970779778823
    np.testing.assert_allclose(
        s, [p_rail * p_north, p_rail * (1 - p_north), 1 - p_rail], rtol=1e-12
    )
    np.testing.assert_allclose(s, [0.5612911659289405, 0.0759624989192018, 0.3627463351518577])
    ls = float(logsum(COSTS, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5))
    assert ls == pytest.approx(897.1897019545546, rel=1e-12)
    # choice among close substitutes is worth less than under the MNL (lam < 1)
    assert float(logsum(COSTS, scale=SCALE)) < ls < COSTS.min()
    # any leading shape, and huge costs do not overflow (minima are subtracted)
    batch = np.stack([COSTS, COSTS + 5e6])
    np.testing.assert_allclose(
        logit_shares(batch, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5), [s, s], rtol=1e-9
    )
    np.testing.assert_allclose(
        logsum(batch, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5), [ls, ls + 5e6], rtol=1e-12
    )


def test_nested_unavailable_alternatives_and_nests() -> None:
    # the rail nest has nothing available: it drops out
    cost = np.array([[np.inf, np.inf, 1000.0], [np.inf, np.inf, np.inf], [1000.0, np.inf, 1100.0]])
    s = logit_shares(cost, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5)
    assert s[0].tolist() == [0.0, 0.0, 1.0]
    assert s[1].tolist() == [0.0, 0.0, 0.0]
    # one rail alternative left: a nest of one is a plain alternative, P = MNL of two
    assert s[2, 1] == 0.0
    assert s[2, 0] == pytest.approx(1.0 / (1.0 + math.exp(-0.5)), rel=1e-12)
    ls = logsum(cost, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5)
    assert ls[0] == pytest.approx(1000.0)
    assert ls[1] == np.inf
    assert ls[2] == pytest.approx(-math.log(math.exp(-5.0) + math.exp(-5.5)) / SCALE)


def test_nested_breaks_iia_as_expected() -> None:
    """A dearer northern route sends relatively more traffic to the middle corridor."""
    dearer = COSTS + np.array([100.0, 0.0, 0.0])
    mnl0, mnl1 = logit_shares(COSTS, scale=SCALE), logit_shares(dearer, scale=SCALE)
    # MNL (IIA): middle and sea gain in the same proportion
    assert mnl1[1] / mnl0[1] == pytest.approx(mnl1[2] / mnl0[2], rel=1e-12)
    nl0 = logit_shares(COSTS, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5)
    nl1 = logit_shares(dearer, scale=SCALE, nests=RAIL_SEA, nest_scale=0.5)
    middle_gain = nl1[1] / nl0[1] - 1.0
    sea_gain = nl1[2] / nl0[2] - 1.0
    assert middle_gain > 2.0 * sea_gain > 0.0
    assert nl1.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("nests", "nest_scale"),
    [
        (RAIL_SEA, 0.0),
        (RAIL_SEA, 1.5),
        (RAIL_SEA, float("nan")),
        ([0, 1], 0.5),
        ([0.0, 0.0, 1.0], 0.5),
        ([0, -1, 1], 0.5),
    ],
)
def test_nested_rejects_bad_options(nests: object, nest_scale: float) -> None:
    with pytest.raises(ValueError, match="nest"):
        logit_shares(COSTS, scale=SCALE, nests=nests, nest_scale=nest_scale)  # type: ignore[arg-type]


# ------------------------------------------------------------- hard capacities


def _hard(incidence: list[list[list[float]]], capacity: list[float]) -> SharedElements:
    inc = np.array(incidence, dtype=float)
    n = inc.shape[0]
    return SharedElements(
        inc, np.array(capacity), np.zeros(n), tuple(f"e{i}" for i in range(n)), np.ones(n, bool)
    )


def _priced(
    base: np.ndarray, demand: np.ndarray, elements: SharedElements, **kw: object
) -> choice.Equilibrium:
    return equilibrium_shares(
        base,
        np.zeros_like(base),
        demand,
        np.full(base.shape[1], np.inf),
        scale=SCALE,
        value_of_time=10.0,
        elements=elements,
        vdf=bpr,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("price_method", ["newton", "lbfgsb"])
def test_hard_capacity_one_market_by_hand(price_method: str) -> None:
    """d = 100 TEU, g = 1000 / 1200 USD/TEU, corridor 1 capped at 30 TEU.

    1 / (1 + exp(-scale * (200 - mu))) = 0.3  =>  mu = 200 - ln(3/7) / scale = 369.4596 USD.
    """
    eq = _priced(
        np.array([[1000.0, 1200.0]]),
        np.array([100.0]),
        _hard([[[1.0, 0.0]]], [30.0]),
        price_method=price_method,
    )
    mu = 200.0 - math.log(3.0 / 7.0) / SCALE
    assert eq.shares[0, 0] == pytest.approx(0.3, abs=1e-6)
    assert eq.shadow_prices[0] == pytest.approx(mu, abs=1e-3)
    assert eq.element_flows[0] == pytest.approx(30.0, abs=1e-4)
    # the cost shippers face includes the price, and the shares are its logit
    assert eq.cost[0].tolist() == pytest.approx([1000.0 + mu, 1200.0], abs=1e-3)
    np.testing.assert_allclose(logit_shares(eq.cost, scale=SCALE), eq.shares, atol=1e-9)
    assert eq.converged
    assert eq.over_capacity == ()
    # a hard element has no volume-delay: the hours stay free-flow
    assert eq.hours.tolist() == [[0.0, 0.0]]


def test_non_binding_hard_capacity_is_free_and_skips_the_solve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_solve(*args: object, **kwargs: object) -> None:
        raise AssertionError("the price solve should be skipped")

    monkeypatch.setattr(HardCapacityPrices, "solve", no_solve)
    base = np.array([[1000.0, 1200.0]])
    # free-flow share of corridor 1 is 1 / (1 + e^-1) = 0.731: 73 TEU under a cap of 90
    eq = _priced(base, np.array([100.0]), _hard([[[1.0, 0.0]]], [90.0]))
    assert eq.shadow_prices.tolist() == [0.0]
    assert np.array_equal(eq.shares, logit_shares(base, scale=SCALE))
    assert np.array_equal(eq.cost, base)
    assert eq.shares[0, 0] == pytest.approx(1.0 / (1.0 + math.exp(-1.0)), rel=1e-12)


def test_two_markets_share_one_hard_element() -> None:
    """60 + 40 TEU, corridor 1 through one element capped at 50 TEU; the price solves
    60 / (1 + e^(-b (200 - mu))) + 40 / (1 + e^(-b (100 - mu))) = 50."""
    base = np.array([[1000.0, 1200.0], [1000.0, 1100.0]])
    demand = np.array([60.0, 40.0])
    eq = _priced(base, demand, _hard([[[1.0, 0.0], [1.0, 0.0]]], [50.0]))

    def excess(mu: float) -> float:
        return (
            60.0 / (1.0 + math.exp(-SCALE * (200.0 - mu)))
            + 40.0 / (1.0 + math.exp(-SCALE * (100.0 - mu)))
            - 50.0
        )

    mu = brentq(excess, 0.0, 2000.0, xtol=1e-10)
    assert eq.shadow_prices[0] == pytest.approx(mu, abs=1e-3)
    assert (demand * eq.shares[:, 0]).sum() == pytest.approx(50.0, abs=1e-4)
    assert eq.element_flows[0] == pytest.approx(50.0, abs=1e-4)
    # both markets see the same price
    np.testing.assert_allclose(eq.cost[:, 0] - base[:, 0], [mu, mu], atol=1e-3)
    np.testing.assert_array_equal(eq.cost[:, 1], base[:, 1])


def test_market_that_cannot_fit_stops_at_the_price_cap(caplog: pytest.LogCaptureFixture) -> None:
    """One market, one corridor of 30 TEU, 100 TEU to move: no price can make it fit."""
    with caplog.at_level(logging.WARNING, logger="corridors.scenarios.choice"):
        eq = _priced(
            np.array([[1000.0]]),
            np.array([100.0]),
            _hard([[[1.0]]], [30.0]),
            max_shadow_price=5000.0,
        )
    assert eq.shadow_prices.tolist() == [5000.0]
    assert eq.over_capacity == (0,)
    assert eq.shares.tolist() == [[1.0]]
    assert eq.element_flows.tolist() == [100.0]
    assert eq.cost.tolist() == [[6000.0]]
    assert "e0" in caplog.text
    # a second market with an alternative leaves the element entirely; the first still
    # overfills it
    eq2 = _priced(
        np.array([[1000.0, np.inf], [1000.0, 1100.0]]),
        np.array([100.0, 50.0]),
        _hard([[[1.0, 0.0], [1.0, 0.0]]], [30.0]),
        max_shadow_price=5000.0,
        warn=False,
    )
    assert eq2.over_capacity == (0,)
    assert eq2.shadow_prices[0] == 5000.0
    assert eq2.shares[1, 0] == pytest.approx(1.0 / (1.0 + math.exp(SCALE * 4900.0)), rel=1e-9)


@pytest.mark.parametrize(("nests", "nest_scale"), [(None, 1.0), (RAIL_SEA, 0.5)])
@pytest.mark.parametrize("value_of_time", [2.0, (2.0, 8.0)])
def test_bpr_and_hard_elements_together(
    nests: np.ndarray | None, nest_scale: float, value_of_time: float | tuple[float, float]
) -> None:
    """Soft element 0 (BPR) on the middle corridor, hard element 1 on the northern one.

    At the fixed point the costs are the BPR costs of the element flows plus the
    shadow price, the shares are their (nested) logit, the hard element is full and
    the soft element is not priced. With a value of time per market (2 and 8 USD/TEU-h)
    each market weighs the delay at its own value and pays the same USD shadow price.
    """
    base = np.array([[1000.0, 1150.0, 1100.0], [1050.0, 1000.0, 1200.0]])
    hours = np.array([[400.0, 300.0, 800.0], [420.0, 310.0, 820.0]])
    demand = np.array([600.0, 400.0])
    inc = np.zeros((2, 2, 3))
    inc[0, :, 1] = 1.0  # soft: middle corridor's ferries
    inc[1, :, 0] = 1.0  # hard: northern border
    t0 = np.array([50.0, 20.0])
    cap = np.array([300.0, 250.0])
    el = SharedElements(inc, cap, t0, ("ferry", "border"), np.array([False, True]))
    vot = np.asarray(value_of_time, dtype=float)
    alpha, beta, tol = 0.5, 2.0, 1e-9
    eq = equilibrium_shares(
        base,
        hours,
        demand,
        np.full(3, np.inf),
        scale=SCALE,
        value_of_time=vot,
        alpha=alpha,
        beta=beta,
        tolerance=tol,
        max_iterations=5000,
        vdf=bpr,
        elements=el,
        nests=nests,
        nest_scale=nest_scale,
    )
    assert eq.converged
    v = eq.element_flows
    mu = eq.shadow_prices
    # the hard element binds, the soft one carries no price
    assert mu[1] > 0.0
    assert mu[0] == 0.0
    assert v[1] == pytest.approx(250.0, abs=1e-4)
    assert mu[1] * (cap[1] - v[1]) == pytest.approx(0.0, abs=1e-3)
    # costs: BPR delay of the soft element at its flow, plus the shadow price
    delay = t0[0] * alpha * (v[0] / cap[0]) ** beta
    expected = base + vot.reshape(-1, 1) * delay * inc[0] + mu[1] * inc[1]
    np.testing.assert_allclose(eq.cost, expected, rtol=1e-12)
    np.testing.assert_allclose(eq.hours, hours + delay * inc[0], rtol=1e-12)
    # the target of the last iteration equals the shares
    target = logit_shares(eq.cost, scale=SCALE, nests=nests, nest_scale=nest_scale)
    np.testing.assert_allclose(target, eq.shares, atol=1e-8)
    np.testing.assert_allclose(v, np.einsum("emc,m,mc->e", inc, demand, eq.shares))


def test_newton_and_lbfgsb_agree_on_three_hard_elements() -> None:
    rng = np.random.default_rng(3)
    base = 1000.0 + rng.uniform(0.0, 400.0, (6, 4))
    demand = rng.uniform(50.0, 150.0, 6)
    inc = np.zeros((3, 6, 4))
    inc[0, :, 0] = 1.0
    inc[1, :3, 1] = 1.0
    inc[2, :, 2] = 1.0
    inc[2, 3:, 1] = 1.0
    free = logit_shares(base, scale=SCALE)
    load = np.einsum("emc,m,mc->e", inc, demand, free)
    el = SharedElements(inc, 0.7 * load, np.zeros(3), (), np.ones(3, bool))
    results = [_priced(base, demand, el, price_method=m) for m in ("newton", "lbfgsb")]
    for eq in results:
        assert (eq.shadow_prices > 0).all()
        np.testing.assert_allclose(eq.element_flows, 0.7 * load, rtol=1e-6)
    np.testing.assert_allclose(results[0].shadow_prices, results[1].shadow_prices, atol=1e-2)


def test_shared_elements_and_equilibrium_defaults() -> None:
    inc = np.zeros((2, 1, 2))
    with pytest.raises(ValueError, match="hard"):
        SharedElements(inc, np.ones(2), np.ones(2), (), np.array([True]))
    el = SharedElements(inc, np.ones(2), np.ones(2))
    assert el.hard_mask.tolist() == [False, False]
    eq = _priced(np.array([[1000.0, 1200.0]]), np.array([10.0]), el)
    assert eq.shadow_prices.tolist() == [0.0, 0.0]
    assert eq.over_capacity == ()
    with pytest.raises(ValueError, match="max_shadow_price"):
        _priced(np.array([[1000.0, 1200.0]]), np.array([10.0]), el, max_shadow_price=0.0)
    with pytest.raises(ValueError, match="price_method"):
        _priced(np.array([[1000.0, 1200.0]]), np.array([10.0]), el, price_method="simplex")


def test_a_stalled_newton_price_solve_is_finished_by_lbfgsb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the Newton steps cannot move (here: none allowed), L-BFGS-B from where they
    stopped solves the prices: the same 369.46 USD as by hand, converged (in forecasts,
    prices stuck at the cap on elements below capacity stalled Newton)."""
    monkeypatch.setattr(shadow_prices, "PRICE_NEWTON_ITERATIONS", 0)
    eq = _priced(
        np.array([[1000.0, 1200.0]]),
        np.array([100.0]),
        _hard([[[1.0, 0.0]]], [30.0]),
        price_method="newton",
    )
    assert eq.shadow_prices[0] == pytest.approx(200.0 - math.log(3.0 / 7.0) / SCALE, abs=1e-3)
    assert eq.element_flows[0] == pytest.approx(30.0, abs=1e-4)
    assert eq.converged


def test_two_hard_elements_in_series_are_priced_in_few_trials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two elements on corridor 1 only (30 and 45 TEU): the smaller binds at the price of
    the one-element case (369.46 USD by hand), the other is free. Their Hessian is
    singular (only the sum of the prices moves the flows), so the Newton step along
    their difference is orders of magnitude too long; the line search cuts it by the
    parabola's minimum (down to 1/100 a trial) instead of halving it some 35 times."""
    trials = 0
    evaluate = shadow_prices.HardCapacityPrices._evaluate

    def counted(self: shadow_prices.HardCapacityPrices, u: np.ndarray, x: np.ndarray) -> object:
        nonlocal trials
        trials += 1
        return evaluate(self, u, x)

    monkeypatch.setattr(shadow_prices.HardCapacityPrices, "_evaluate", counted)
    eq = _priced(
        np.array([[1000.0, 1200.0]]),
        np.array([100.0]),
        _hard([[[1.0, 0.0]], [[1.0, 0.0]]], [30.0, 45.0]),
        price_method="newton",
    )
    assert eq.converged
    assert eq.shadow_prices[0] == pytest.approx(200.0 - math.log(3.0 / 7.0) / SCALE, abs=1e-3)
    assert eq.shadow_prices[1] == pytest.approx(0.0, abs=1e-3)
    assert eq.element_flows.tolist() == pytest.approx([30.0, 30.0], abs=1e-4)
    assert trials <= 30, trials  # 26; 40 when halving
