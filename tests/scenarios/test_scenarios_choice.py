"""Logit split and capacity fixed point, against answers computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from corridors.cost.delay import bpr
from corridors.cost.logit import logit_shares, logsum
from corridors.scenarios.choice import equilibrium_shares


def test_logit_two_corridors_by_hand() -> None:
    # costs 1000 and 1200 USD/TEU, scale 0.01/USD: share of the first = 1 / (1 + e^-2)
    s = logit_shares(np.array([1000.0, 1200.0]), scale=0.01)
    assert s[0] == pytest.approx(1.0 / (1.0 + math.exp(-2.0)), rel=1e-12)
    assert s.sum() == pytest.approx(1.0)


def test_logit_unavailable_and_large_costs() -> None:
    s = logit_shares(np.array([[5e6, np.inf, 5e6 + 100.0]]), scale=0.01)
    assert s[0, 1] == 0.0
    assert s[0, 0] == pytest.approx(1.0 / (1.0 + math.exp(-1.0)))
    none = logit_shares(np.array([np.inf, np.inf]), scale=0.01)
    assert none.tolist() == [0.0, 0.0]


def test_logsum_by_hand() -> None:
    # -(1/b) log(e^{-b*1000} + e^{-b*1200}) with b = 0.01
    expected = -math.log(math.exp(-10.0) + math.exp(-12.0)) / 0.01
    assert float(logsum(np.array([1000.0, 1200.0]), scale=0.01)) == pytest.approx(expected)
    # the logsum is below the cheapest cost (choice has value)
    assert float(logsum(np.array([1000.0, 1200.0]), scale=0.01)) < 1000.0


def test_fixed_point_by_hand() -> None:
    """One market of 100 TEU, corridor A congests: cost_A = 1000 + 100 * s_A (BPR alpha=1,
    beta=1, t0 = 10 h, value of time 10 USD/h, capacity 100 TEU), cost_B = 1200.

    The fixed point solves s = 1 / (1 + exp(-0.01 * (200 - 100 s))) = 1 / (1 + exp(s - 2)).
    """
    exact = brentq(lambda s: s - 1.0 / (1.0 + math.exp(s - 2.0)), 0.0, 1.0, xtol=1e-14)
    assert exact == pytest.approx(0.7733, abs=5e-4)  # by hand: 3 fixed-point steps from 0.75
    # classic 1/k MSA converges slowly (gap ~ 1/k), hence its looser tolerance
    for method, tol in (("anderson", 1e-10), ("sra", 1e-10), ("msa", 1e-5)):
        eq = equilibrium_shares(
            np.array([[1000.0, 1200.0]]),
            np.array([[10.0, 10.0]]),
            np.array([100.0]),
            np.array([100.0, np.inf]),
            scale=0.01,
            value_of_time=10.0,
            alpha=1.0,
            beta=1.0,
            max_iterations=20_000,
            tolerance=tol,
            method=method,
            vdf=bpr,
        )
        assert eq.converged, method
        assert eq.shares[0, 0] == pytest.approx(exact, abs=10 * tol), method
        assert eq.flows[0] == pytest.approx(100.0 * exact, rel=10 * tol)
        assert eq.cost[0, 0] == pytest.approx(1000.0 + 100.0 * exact, rel=10 * tol)
        assert eq.hours[0, 0] == pytest.approx(10.0 * (1.0 + exact), rel=10 * tol)
    # self-regulated averaging needs far fewer iterations than 1/k
    sra = equilibrium_shares(
        np.array([[1000.0, 1200.0]]),
        np.array([[10.0, 10.0]]),
        np.array([100.0]),
        np.array([100.0, np.inf]),
        scale=0.01,
        value_of_time=10.0,
        alpha=1.0,
        beta=1.0,
        max_iterations=20_000,
        tolerance=1e-5,
        method="sra",
        vdf=bpr,
    )
    msa = equilibrium_shares(
        np.array([[1000.0, 1200.0]]),
        np.array([[10.0, 10.0]]),
        np.array([100.0]),
        np.array([100.0, np.inf]),
        scale=0.01,
        value_of_time=10.0,
        alpha=1.0,
        beta=1.0,
        max_iterations=20_000,
        tolerance=1e-5,
        method="msa",
        vdf=bpr,
    )
    assert sra.iterations < msa.iterations


def test_anderson_converges_where_the_cost_is_steep() -> None:
    """The market of the test above with a steep delay: cost_A = 1000 + 2000 s_A.

    The fixed point solves s = 1 / (1 + exp(-0.01 (200 - 2000 s))); the loading's slope
    there is about -2.9, so a full step overshoots: averaging needs short steps, Anderson
    finds the same point in fewer iterations.
    """
    exact = brentq(
        lambda s: s - 1.0 / (1.0 + math.exp(-0.01 * (200.0 - 2000.0 * s))), 0.0, 1.0, xtol=1e-15
    )
    assert exact == pytest.approx(0.1769, abs=1e-4)
    found = {}
    for method in ("anderson", "sra"):
        found[method] = equilibrium_shares(
            np.array([[1000.0, 1200.0]]),
            np.array([[10.0, 10.0]]),
            np.array([100.0]),
            np.array([100.0, np.inf]),
            scale=0.01,
            value_of_time=200.0,  # 200 USD/h x 10 h x (v / 100 TEU): 2000 USD at capacity
            alpha=1.0,
            beta=1.0,
            max_iterations=20_000,
            tolerance=1e-10,
            method=method,
            vdf=bpr,
        )
        assert found[method].converged, method
        # residual 1e-10 and a slope of -2.9: within 1e-10 / (1 + 2.9) of the fixed point
        assert found[method].shares[0] == pytest.approx([exact, 1.0 - exact], abs=1e-10)
    assert found["anderson"].iterations < found["sra"].iterations


def test_fixed_point_two_markets_share_capacity() -> None:
    """Two markets on the same congested corridor: flows add up and conservation holds."""
    base = np.array([[1000.0, 1100.0], [1000.0, 1050.0]])
    hours = np.full((2, 2), 10.0)
    demand = np.array([60.0, 40.0])
    eq = equilibrium_shares(
        base,
        hours,
        demand,
        np.array([50.0, np.inf]),
        scale=0.02,
        value_of_time=10.0,
        alpha=1.0,
        beta=2.0,
        tolerance=1e-10,
        max_iterations=5000,
        vdf=bpr,
    )
    assert eq.converged
    np.testing.assert_allclose(eq.shares.sum(axis=1), 1.0)
    assert eq.flows.sum() == pytest.approx(100.0)
    # at the fixed point the shares are the logit of the congested costs
    np.testing.assert_allclose(logit_shares(eq.cost, scale=0.02), eq.shares, atol=1e-8)
    # congestion lowers corridor A's share below the free-flow logit
    free = logit_shares(base, scale=0.02)
    assert (eq.shares[:, 0] < free[:, 0]).all()


def test_uncapacitated_is_plain_logit() -> None:
    eq = equilibrium_shares(
        np.array([[1000.0, 1200.0]]),
        np.array([[10.0, 20.0]]),
        np.array([100.0]),
        np.array([np.inf, np.inf]),
        scale=0.01,
        value_of_time=10.0,
    )
    assert eq.iterations == 0
    assert eq.shares[0, 0] == pytest.approx(1.0 / (1.0 + math.exp(-2.0)))


def test_bpr_by_hand_and_without_capacity() -> None:
    # 10 h at v/c 1: 10 * (1 + 0.15) = 11.5 h; an element without capacity never slows
    t0 = np.array([10.0, 20.0])
    v = np.array([100.0, 80.0])
    c = np.array([100.0, np.inf])
    np.testing.assert_allclose(bpr(t0, v, c, alpha=0.15, beta=4.0), [11.5, 20.0])
