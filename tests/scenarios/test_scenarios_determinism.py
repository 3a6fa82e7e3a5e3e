"""A fixed seed gives the same forecast and sweep CSVs, bit for bit, on any executor."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from corridors.scenarios.io import ScenarioInputs, load_inputs
from corridors.scenarios.spec import Scenario
from corridors.scenarios.variables import parse_vary
from corridors.studies.scenario import forecast, sweep

TOY = Path(__file__).parent / "files" / "toy.yaml"


@pytest.fixture(scope="module")
def uncertain() -> ScenarioInputs:
    inputs = load_inputs(TOY)
    sc = Scenario.model_validate(
        {
            **inputs.scenario.model_dump(),
            "uncertainty": [
                {"variable": "demand.china_eu.growth", "low": 0.0, "high": 0.1},
                {"variable": "border_time.KZ", "low": 0.5, "high": 1.5},
            ],
        }
    )
    return replace(inputs, loaded=replace(inputs.loaded, scenario=sc))


@pytest.mark.slow
def test_forecast_csv_is_identical_bit_for_bit(uncertain: ScenarioInputs) -> None:
    runs = [
        forecast(uncertain, to_year=2028, samples=6, seed=11, executor=ex, workers=2)
        for ex in ("processes", "processes", "sequential")
    ]
    texts = [fc.bands.to_csv(index=False) for fc in runs]
    assert texts[0] == texts[1] == texts[2]
    assert runs[0].bands["p95"].max() > runs[0].bands["p05"].min()  # bands are not collapsed
    other = forecast(uncertain, to_year=2028, samples=6, seed=12, executor="sequential")
    assert other.bands.to_csv(index=False) != texts[0]  # the seed matters


@pytest.mark.slow
def test_sweep_csv_is_identical_bit_for_bit(uncertain: ScenarioInputs) -> None:
    varies = [parse_vary("tariff.middle=0.5..1.0"), parse_vary("border_time.KZ=0.5..1.5")]
    texts = [
        sweep(uncertain, varies, samples=6, seed=5, executor=ex, workers=3).volumes.to_csv(
            index=False
        )
        for ex in ("processes", "sequential", "processes")
    ]
    assert texts[0] == texts[1] == texts[2]
