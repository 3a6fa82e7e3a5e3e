"""The shipped history meets the price targets and the border and section times.

The shipped history scenario carries the values of the volume fit (docs/calibration.md).
Run once, it must put the price targets and the times of the Kazakh border, Brest -
Malaszewicze and the 1520 mm section of
:mod:`corridors.scenarios.calibration.route_targets` within 15 % of their ranges. The
TITR China - Black Sea and Kazakh section times of 2021-2022 are not met by it (18 d
against 38-53 d: the waits before the 2023 reforms are fitted, not shipped; see the
docs), nor the WCI of 2023, nor the 25 % limit on the constants.
"""

from __future__ import annotations

import math

import pytest

from corridors.datasets import eurasia_path
from corridors.network import read_network
from corridors.scenarios.calibration.observations import range_residual
from corridors.scenarios.calibration.route_targets import (
    PriceTarget,
    TimeTarget,
    default_price_targets,
    default_time_targets,
)
from corridors.scenarios.calibration.route_values import route_target_values
from corridors.scenarios.io import ScenarioInputs, load_inputs
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.result import ScenarioResult

ROUTE_TOLERANCE = math.log(1.15)
"""Largest log distance of a modelled time or price from its observed range."""


@pytest.fixture(scope="module")
def history() -> tuple[ScenarioInputs, ScenarioRunner, ScenarioResult]:
    inputs = load_inputs("calibration-2021-2023", network=read_network(eurasia_path()))
    runner = ScenarioRunner(inputs.network, inputs.scenario, catalogue=inputs.catalogue)
    return inputs, runner, runner.run()


MET = ("Kazakh border crossing", "Brest - Malaszewicze", "1520 mm section")
"""Time targets the shipped history meets (the others need the fitted waits)."""

NOT_MET = {("WCI Shanghai - Rotterdam", 2023)}
"""2023 sea rates below the tariffs: 3,066 USD/FEU against 1,000-1,500 (needs the fitted
2023 rate cut, not shipped)."""


def _targets() -> list[TimeTarget | PriceTarget]:
    return [*(t for t in default_time_targets() if t.name in MET), *default_price_targets()]


def test_history_meets_its_times_and_prices(
    history: tuple[ScenarioInputs, ScenarioRunner, ScenarioResult],
) -> None:
    inputs, runner, result = history
    sc = inputs.scenario
    got = route_target_values(
        _targets(),
        list(sc.years),
        routes=runner.route,
        bottlenecks=result.bottlenecks,
        disruptions=sc.disruptions,
    )
    for t in _targets():
        for y, (lo, hi) in t.observed.items():
            if (t.name, y) in NOT_MET:
                continue
            assert abs(range_residual(got[t.name, y], lo, hi)) < ROUTE_TOLERANCE, (
                t.name,
                y,
                got[t.name, y],
            )
