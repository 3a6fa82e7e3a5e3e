"""The one logit: nested and multinomial shares, logsum, path size, against hand answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import logsumexp

from corridors.cost.logit import (
    NestLayout,
    check_nests,
    choose,
    grouped_shares,
    logit_shares,
    logsum,
    nested_logit,
    path_size,
)

SQRT2 = math.sqrt(2.0)


def test_nested_logit_shares_and_logsum_by_hand() -> None:
    # three equal costs, scale 1, nests {0, 1} and {2}, lam 0.5:
    # IV_0 = ln 2, IV_1 = 0; P(nest 0) = e^(0.5 ln 2) / (e^(0.5 ln 2) + 1) = sqrt2 / (sqrt2 + 1)
    # each rail alternative gets half of it; logsum = -ln(sqrt2 + 1)
    cost = np.zeros(3)
    shares = logit_shares(cost, scale=1.0, nests=[0, 0, 1], nest_scale=0.5)
    rail = SQRT2 / (SQRT2 + 1.0)
    np.testing.assert_allclose(shares, [rail / 2, rail / 2, 1.0 - rail], rtol=1e-12)
    assert float(logsum(cost, scale=1.0, nests=[0, 0, 1], nest_scale=0.5)) == pytest.approx(
        -math.log(SQRT2 + 1.0), rel=1e-12
    )
    parts = nested_logit(cost, scale=1.0, nests=np.array([0, 0, 1]), nest_scale=0.5)
    np.testing.assert_allclose(parts.conditional, [0.5, 0.5, 1.0], rtol=1e-12)
    np.testing.assert_allclose(parts.nest_shares, [rail, 1.0 - rail], rtol=1e-12)


def test_nested_logit_with_money_costs_by_hand() -> None:
    # USD 1000, 1200 (rail) and 1100 (sea) per TEU, scale 0.005/USD, lam 0.5
    v = np.array([-5.0, -6.0, -5.5])
    iv_rail = math.log(math.exp(v[0] / 0.5) + math.exp(v[1] / 0.5))
    w_rail, w_sea = math.exp(0.5 * iv_rail), math.exp(v[2])
    p_rail = w_rail / (w_rail + w_sea)
    first = math.exp(v[0] / 0.5) / math.exp(iv_rail)
    shares = logit_shares([1000.0, 1200.0, 1100.0], scale=0.005, nests=[0, 0, 1], nest_scale=0.5)
    np.testing.assert_allclose(
        shares, [p_rail * first, p_rail * (1 - first), 1 - p_rail], rtol=1e-12
    )
    expected = -math.log(w_rail + w_sea) / 0.005
    ls = logsum([1000.0, 1200.0, 1100.0], scale=0.005, nests=[0, 0, 1], nest_scale=0.5)
    assert float(ls) == pytest.approx(expected, rel=1e-12)


def test_multinomial_is_the_nested_logit_at_nest_scale_one() -> None:
    cost = np.array([[1000.0, 1200.0, 1100.0], [900.0, np.inf, 950.0]])
    mnl = logit_shares(cost, scale=0.01)
    # by hand, first row: 1 / (1 + e^-2 + e^-1)
    assert mnl[0, 0] == pytest.approx(1.0 / (1.0 + math.exp(-2.0) + math.exp(-1.0)), rel=1e-12)
    nested = nested_logit(cost, scale=0.01, nests=np.array([0, 0, 1]), nest_scale=1.0)
    np.testing.assert_allclose(nested.shares, mnl, rtol=1e-12)
    np.testing.assert_allclose(nested.logsum, logsum(cost, scale=0.01), rtol=1e-12)
    assert float(logsum(cost, scale=0.01)[0]) == pytest.approx(
        1000.0 - math.log(1.0 + math.exp(-2.0) + math.exp(-1.0)) / 0.01, rel=1e-12
    )


def test_nothing_available_has_no_share_and_infinite_logsum() -> None:
    cost = np.array([[np.inf, np.inf], [1e7, 1e7 + 100.0]])
    for kwargs in ({}, {"nests": [0, 1], "nest_scale": 0.5}):
        shares = logit_shares(cost, scale=0.01, **kwargs)  # type: ignore[arg-type]
        assert shares[0].tolist() == [0.0, 0.0]
        assert shares[1].sum() == pytest.approx(1.0)
        ls = logsum(cost, scale=0.01, **kwargs)  # type: ignore[arg-type]
        assert ls[0] == math.inf
        assert 1e7 - 100.0 < ls[1] < 1e7  # large costs stay finite and below the cheapest


def test_bad_nests_are_refused() -> None:
    with pytest.raises(ValueError, match="nest_scale"):
        check_nests([0, 1], 2, 1.5)
    with pytest.raises(ValueError, match="one nest index per alternative"):
        check_nests([0, 1, 1], 2, 0.5)
    with pytest.raises(ValueError, match="integers"):
        check_nests(np.array([0.0, 1.0]), 2, 0.5)


def test_grouped_shares_by_hand() -> None:
    # group 1: utilities 0 and ln 3 -> 1/4, 3/4; group 2 alone -> 1
    shares = grouped_shares(np.array([0.0, math.log(3.0), 5.0]), np.array([0, 2]))
    np.testing.assert_allclose(shares, [0.25, 0.75, 1.0], rtol=1e-12)


def test_path_size_by_hand() -> None:
    # O-D 0: route A uses arcs a (length 1) and b (1); route B uses a (1) and c (2).
    # PS_A = (1/2)/2 + (1/2)/1 = 0.75; PS_B = (1/3)/2 + (2/3)/1 = 5/6.
    # O-D 1: one route on arc b alone -> 1 (arc b shared only across O-D pairs).
    incidence = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    ps = path_size(incidence, np.array([0, 0, 1]), np.array([1.0, 1.0, 2.0]))
    np.testing.assert_allclose(ps, [0.75, 5.0 / 6.0, 1.0], rtol=1e-12)


def test_logsum_and_shares_equal_scipy_logsumexp_with_gaps_and_empty_nests() -> None:
    """The logit reads its logsums off ``log_softmax``: the same as ``logsumexp`` to
    rounding, with unavailable alternatives, a nest empty in some rows and a row with
    nothing available, at a sharp nest scale and money costs in the thousands."""
    rng = np.random.default_rng(7)
    nests = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3])
    cost = rng.uniform(1_000.0, 6_000.0, (50, nests.size))
    cost[rng.random(cost.shape) < 0.3] = np.inf
    cost[0] = np.inf  # nothing available
    cost[1, 3:5] = np.inf  # nest 1 empty in this row
    for scale, lam in ((0.01, 1.0), (0.01, 0.5), (0.0004, 0.053), (0.1, 0.053)):
        got = choose(cost, scale=scale, nests=nests, nest_scale=lam)
        u = np.where(np.isfinite(cost), -scale * cost, -np.inf)
        with np.errstate(invalid="ignore", divide="ignore"):
            iv = np.stack(
                [logsumexp(np.where(nests == n, u / lam, -np.inf), axis=-1) for n in range(4)],
                axis=-1,
            )
            total = logsumexp(lam * iv, axis=-1)
            want_shares = np.exp(lam * iv[:, nests] - total[:, None]) * np.exp(
                u / lam - iv[:, nests]
            )
        want_shares = np.where(np.isfinite(u), want_shares, 0.0)
        want_shares[0] = 0.0
        assert got.logsum[0] == np.inf
        np.testing.assert_allclose(got.logsum[1:], -total[1:] / scale, rtol=1e-13)
        np.testing.assert_allclose(got.shares, want_shares, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(got.shares[1:].sum(axis=1), 1.0, rtol=1e-13)


def test_nest_layout_adds_each_nest_as_the_three_axis_sum_does() -> None:
    """A nest's inclusive value adds its exponentials one after the other: bit for bit the
    log-sum-exp over a (rows, alternatives, nests) array with -inf outside the nest (the
    arithmetic the corridor split's equilibria were solved with), with a nest index that
    has no alternative, unavailable alternatives, an empty nest in a row, rows in two
    axes; with a single nest, the sum over the alternatives."""
    rng = np.random.default_rng(3)
    for given in ([0, 2, 2, 0, 3, 3, 3, 0, 2, 0, 3], [1, 1, 0], [0, 0, 0, 0]):
        nests = np.array(given, dtype=np.intp)
        v = rng.normal(0.0, 40.0, (3, 17, nests.size))
        v[rng.random(v.shape) < 0.3] = -np.inf
        v[0, 0, nests == nests[0]] = -np.inf  # the first alternative's nest empty in a row
        layout = NestLayout.of(nests)
        member = layout.member > 0
        inside = np.where(member, v[..., :, None], -np.inf)
        top = inside.max(axis=-2, keepdims=True)
        top[~np.isfinite(top)] = 0.0
        with np.errstate(divide="ignore"):
            want = np.squeeze(top + np.log(np.exp(inside - top).sum(axis=-2, keepdims=True)), -2)
        want[~np.isfinite(inside.max(axis=-2))] = -np.inf
        got = layout.log_sums(v)
        assert got.shape == want.shape
        assert np.array_equal(got, want)
        assert np.isneginf(got[0, 0, nests[0]])
        with np.errstate(divide="ignore"):
            near = logsumexp(np.where(member.T[None, None], v[..., None, :], -np.inf), axis=-1)
        np.testing.assert_allclose(got, near, rtol=1e-13)
