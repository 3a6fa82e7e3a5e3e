"""The elements' sums over the routes that use them: by hand, and the einsums' numbers bit for bit."""

from __future__ import annotations

import numpy as np

from corridors.scenarios.supply import SharedElements, SparseUse


def test_sums_by_hand() -> None:
    # two elements, two markets, two corridors: element 0 on market 0's corridor 0 and
    # market 1's corridor 1 (bulk: half a shipment a TEU), element 1 on market 1's corridor 0
    use = np.zeros((2, 2, 2))
    use[0, 0, 0], use[0, 1, 1], use[1, 1, 0] = 1.0, 0.5, 1.0
    demand = np.array([100.0, 40.0])
    shares = np.array([[0.75, 0.25], [0.5, 0.5]])
    sums = SparseUse.of(use)
    assert sums.element.tolist() == [0, 0, 1]
    np.testing.assert_array_equal(sums.element_sums(demand, shares), [75.0 + 10.0, 20.0])
    np.testing.assert_array_equal(sums.route_sums(np.array([3.0, 7.0])), [[3.0, 0.0], [7.0, 1.5]])


def test_shared_elements_sums_are_the_einsums_bit_for_bit() -> None:
    """Only the entries a route uses are added, in the array's order: the dense einsums'
    numbers exactly (they add the same terms in that order, and zeros add nothing)."""
    rng = np.random.default_rng(11)
    n_e, n_m, n_c = 30, 40, 11
    for _ in range(20):
        incidence = (rng.random((n_e, n_m, n_c)) < 0.1).astype(np.float64)
        usage = incidence * rng.choice([1.0, 0.37, 0.5], size=incidence.shape)
        landside = (rng.random(incidence.shape) < 0.5).astype(np.float64) * (incidence > 0)
        el = SharedElements(
            incidence, np.full(n_e, 1e5), np.ones(n_e), usage=usage, landside=landside
        )
        demand = rng.uniform(1.0, 1e6, n_m)
        shares = rng.dirichlet(np.ones(n_c), n_m)
        delay = rng.uniform(0.0, 300.0, n_e)
        flows = el.flows(demand, shares)
        assert np.array_equal(flows, np.einsum("emc,m,mc->e", usage, demand, shares))
        assert np.array_equal(el.route_hours(delay), np.einsum("emc,e->mc", incidence, delay))
        land = np.einsum("emc,emc,m,mc->e", landside, usage, demand, shares)
        share = el.landside_share(demand, shares)
        assert share is not None
        want = np.where(flows > 0.0, land / np.where(flows > 0.0, flows, 1.0), 1.0)
        assert np.array_equal(share, want)
    # a delay that is not finite: the einsum's own answer (0 x inf is nan where unused)
    delay[0] = np.inf
    with np.errstate(invalid="ignore"):
        want_h = np.einsum("emc,e->mc", incidence, delay)
    np.testing.assert_array_equal(el.route_hours(delay), want_h)
