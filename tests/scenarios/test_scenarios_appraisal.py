"""Net present value and ranking of measures."""

from __future__ import annotations

import pytest

from corridors.scenarios.appraisal import (
    MeasureRanking,
    benefit_cost_ratio,
    measure_cash_flows,
    npv,
    rank_measures,
)


def test_npv_hand_example() -> None:
    # -100 now, +30 a year for 5 years at 10 %: -100 + 30 * (1 - 1.1^-5) / 0.1 = 13.7236
    flows = {2024: -100.0} | {2024 + k: 30.0 for k in range(1, 6)}
    assert npv(flows, rate=0.10, base_year=2024) == pytest.approx(13.723603, abs=1e-6)
    # discounting to an earlier base year divides by 1.1 once more
    assert npv(flows, rate=0.10, base_year=2023) == pytest.approx(13.723603 / 1.1, abs=1e-6)
    assert npv(flows, rate=0.0, base_year=2024) == pytest.approx(50.0)


def test_cash_flows_of_a_measure() -> None:
    cf = measure_cash_flows(
        "m",
        yearly_benefit_usd={2026: 10.0, 2027: 20.0},
        open_year=2026,
        capex_usd=100.0,
        opex_usd_yr=1.0,
        life_years=4,
    )
    assert cf.costs == {2025: 100.0, 2026: 1.0, 2027: 1.0, 2028: 1.0, 2029: 1.0}
    # benefits after the last modelled year stay at its level
    assert cf.benefits == {2026: 10.0, 2027: 20.0, 2028: 20.0, 2029: 20.0}
    pv_b = sum(b / 1.05 ** (y - 2025) for y, b in cf.benefits.items())
    pv_c = sum(c / 1.05 ** (y - 2025) for y, c in cf.costs.items())
    assert benefit_cost_ratio(cf, rate=0.05, base_year=2025) == pytest.approx(pv_b / pv_c)


def test_zero_effect_ranks_last() -> None:
    rows = [
        MeasureRanking("nothing", 5.0, 0.0, 0.0, 0.0, 0.0, -5.0),
        MeasureRanking("good", 10.0, 100.0, 50.0, 30.0, 3.0, 20.0),
        MeasureRanking("meh", 10.0, 10.0, 5.0, 8.0, 0.8, -2.0),
    ]
    ranked = rank_measures(rows)
    assert [r.measure_id for r in ranked] == ["good", "meh", "nothing"]
    assert [r.rank for r in ranked] == [1, 2, 3]
