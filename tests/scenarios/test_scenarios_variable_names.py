"""A variable's name is checked: unknown head, wrong number of parts, unknown demand part."""

from __future__ import annotations

import pytest

from corridors.errors import ScenarioError
from corridors.scenarios.variables import check_variable, parse_vary


@pytest.mark.parametrize(
    "variable", ["border_time", "border_time.KZ", "demand.east.growth", "value_of_time"]
)
def test_known_variables_pass(variable: str) -> None:
    assert check_variable(variable, where="--vary") == []


def test_unknown_head_suggests_the_closest() -> None:
    (problem,) = check_variable("border_tme.KZ", where="--vary", line=4)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "--vary",
        4,
        "variable",
        "border_tme.KZ",
    )
    assert problem.message == "unknown variable"
    assert problem.hint is not None
    assert "border_time" in problem.hint


def test_unknown_head_without_a_close_one_lists_the_forms() -> None:
    (problem,) = check_variable("zzz", where="uncertainty")
    assert problem.hint is not None
    assert problem.hint.startswith("known: border_time, border_time.COUNTRY")


def test_malformed_variable_names_its_forms() -> None:
    (problem,) = check_variable("value_of_time.KZ", where="--vary")
    assert problem.message == "malformed variable"
    assert problem.hint == "expected value_of_time"
    (problem,) = check_variable("demand.east", where="--vary")
    assert problem.hint == "expected demand.MARKET.growth or demand.MARKET.scale"


def test_unknown_demand_part() -> None:
    (problem,) = check_variable("demand.east.growht", where="--vary")
    assert problem.message == "unknown demand variable"
    assert problem.hint is not None
    assert "growth" in problem.hint


def test_parse_vary_reports_the_name_problem() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_vary("border_tme.KZ=0.5..1.0")
    assert [p.message for p in info.value.problems] == ["unknown variable"]
