"""The library's own checks of swept and uncertain variables (not only the CLI's)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corridors.errors import ScenarioError
from corridors.scenarios.io import load_inputs
from corridors.scenarios.spec import Uncertain
from corridors.scenarios.store import ResultsStore
from corridors.scenarios.variables import UnmatchedVariableError, draw_uncertain, parse_vary
from corridors.studies.scenario import sweep

TOY = Path(__file__).parent / "files" / "toy.yaml"


def test_sweep_study_rejects_a_variable_that_matches_nothing(tmp_path: Path) -> None:
    inputs = load_inputs(TOY)
    with ResultsStore(tmp_path / "v.duckdb") as store:
        with pytest.raises(UnmatchedVariableError) as err:
            sweep(
                inputs,
                [parse_vary("tariff.southern=0.5..1")],
                samples=2,
                store=store,
                executor="sequential",
            )
        assert store.count("sweeps") == 0
        assert store.count("runs") == 0
    (problem,) = err.value.problems
    assert problem.value == "tariff.southern"
    assert "no corridor 'southern'" in problem.message


def test_normal_growth_draws_are_truncated_above_minus_100_percent() -> None:
    # mean -90 %, sd 50 %: about 42 % of plain normal draws fall at or below -100 %
    u = Uncertain(variable="demand.china_eu.growth", distribution="normal", mean=-0.9, sd=0.5)
    draws = np.array([d[u.variable] for d in draw_uncertain([u], n=2000, seed=7)])
    assert draws.min() > -1.0
    assert draws.max() <= 1.0
    plain = np.random.default_rng(7).normal(-0.9, 0.5, 2000)
    inside = (plain > -1.0) & (plain <= 1.0)
    assert 0.3 < 1 - inside.mean() < 0.55  # the plain draws do go below -100 %
    np.testing.assert_array_equal(draws[inside], plain[inside])  # draws inside unchanged


def test_uniform_growth_reaching_below_minus_100_percent_is_rejected() -> None:
    u = Uncertain(variable="demand.china_eu.growth", low=-2.0, high=-0.5)
    with pytest.raises(ScenarioError, match=r"growth rate a year .*> -1"):
        draw_uncertain([u], n=3, seed=1)


def test_normal_that_never_draws_inside_its_bounds_is_an_error() -> None:
    u = Uncertain(variable="demand.china_eu.growth", distribution="normal", mean=-50.0, sd=0.1)
    with pytest.raises(ScenarioError, match="almost never draws inside"):
        draw_uncertain([u], n=3, seed=1)
