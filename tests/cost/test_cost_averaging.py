"""Step rules of the averaging loops (MSA, SRA) and Anderson acceleration, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from corridors.cost.averaging import Anderson, Averaging, msa_step


def test_msa_steps_are_one_over_k_plus_one() -> None:
    rule = Averaging("msa")
    assert [rule.step(g) for g in (1.0, 2.0, 0.5)] == pytest.approx([1 / 2, 1 / 3, 1 / 4])
    assert msa_step(3) == pytest.approx(0.25)


def test_sra_grows_the_divisor_little_while_the_gap_shrinks() -> None:
    # divisor 1 -> 1.05 (gap fell from inf) -> 1.10 (fell) -> 2.10 (rose) -> 2.15 (fell)
    rule = Averaging("sra")
    steps = [rule.step(g) for g in (1.0, 0.5, 0.8, 0.1)]
    assert steps == pytest.approx([1 / 1.05, 1 / 1.10, 1 / 2.10, 1 / 2.15])
    assert rule.iteration == 4


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        Averaging("newton")
    with pytest.raises(ValueError, match="positive"):
        Averaging("sra", grow=0.0)
    with pytest.raises(ValueError, match="at least 1"):
        msa_step(0)


def test_anderson_solves_a_steep_linear_map_that_plain_iteration_cannot() -> None:
    # F(x) = A x + b with eigenvalues -4 and 0.5: the plain iteration x <- F(x) diverges
    # (|-4| > 1); with two differences Anderson is GMRES on (A - I) x = -b and lands on
    # the fixed point x* = (I - A)^-1 b after three loadings
    a = np.array([[-4.0, 0.0], [0.0, 0.5]])
    b = np.array([5.0, 1.0])
    fixed = np.linalg.solve(np.eye(2) - a, b)
    assert fixed == pytest.approx([1.0, 2.0])
    acc = Anderson(memory=2)
    x = np.zeros(2)
    for _ in range(3):
        x = acc.next(x, a @ x + b)
    assert x == pytest.approx(fixed, abs=1e-12)
    plain = np.zeros(2)
    for _ in range(3):
        plain = a @ plain + b
    assert abs(plain[0] - 1.0) > 10.0  # 5, -15, 65: away from the fixed point


def test_anderson_first_step_is_the_loading_and_memory_is_bounded() -> None:
    acc = Anderson(memory=1)
    y = acc.next(np.array([0.0, 1.0]), np.array([0.5, 0.5]))
    assert y == pytest.approx([0.5, 0.5])
    for k in range(5):
        acc.next(np.array([k, 0.0]), np.array([0.0, k]))
    assert acc.held == 2  # the current residual and one before it


def _rests_then_starts_afresh(acc: Anderson) -> None:
    """A stalled acceleration (patience 2): the caller averages for 2 iterations, then
    it starts afresh with no history."""
    assert acc.stalled
    acc.rest()
    assert acc.stalled
    acc.rest()
    assert not acc.stalled
    assert acc.held == 0


def test_anderson_stalls_when_the_residual_stops_falling() -> None:
    # F(x) = x + 1 has no fixed point: the residual stays 1; after `patience` iterations
    # without a new low the acceleration has stalled (the caller goes back to averaging)
    acc = Anderson(memory=3, patience=2)
    x = np.zeros(1)
    for k in range(3):  # residual 1 (a new low), 1 (no), 1 (no: stalled)
        assert not acc.stalled
        x = acc.next(x, x + 1.0)
        assert acc.held == k + 1
    _rests_then_starts_afresh(acc)
    y = acc.next(np.array([5.0]), np.array([6.0]))
    assert y == pytest.approx([6.0])  # no history: the plain loading


def test_anderson_rests_after_the_caller_undid_its_point() -> None:
    # F(x) = 2 - x: the residual falls, so the acceleration has not stalled; the caller
    # undoes its point (it threw the iteration away): it rests `patience` iterations,
    # then starts afresh with no history
    acc = Anderson(memory=3, patience=2)
    acc.next(np.array([5.0]), np.array([-3.0]))
    acc.next(np.array([0.0]), np.array([2.0]))
    assert not acc.stalled
    acc.reject()
    _rests_then_starts_afresh(acc)


def test_bad_anderson_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Anderson(memory=0)
    with pytest.raises(ValueError, match="at least 1"):
        Anderson(patience=0)
