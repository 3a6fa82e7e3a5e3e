"""Step rules of the averaging loops (MSA, SRA), against sequences worked by hand."""

from __future__ import annotations

import pytest

from corridors.cost.averaging import Averaging, msa_step


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
