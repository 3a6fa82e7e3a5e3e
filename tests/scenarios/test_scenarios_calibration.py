"""Calibration recovers parameters from volumes the model itself generated."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.network import read_network
from corridors.scenarios.calibration import (
    Parameter,
    Target,
    calibrate,
    corridor_tonnes,
    target_values,
)
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.spec import Scenario

HERE = Path(__file__).parent


def test_recovers_known_parameters() -> None:
    net = read_network(HERE / "toy")
    truth = Scenario.model_validate(
        {
            "name": "history",
            "base_year": 2021,
            "horizon": 2023,
            "demand": {
                "markets": [
                    {
                        "id": "m",
                        "origin": "Xian",
                        "destination": "Duisburg",
                        "volume": 10000,
                        "growth": 0.1,
                    }
                ]
            },
            # a surcharge on the northern route rising year by year makes the years differ
            "disruptions": [
                {
                    "id": "a",
                    "corridors": ["northern"],
                    "start": "2022-01-01",
                    "end": "2023-01-01",
                    "extra_usd_teu": 800,
                },
                {
                    "id": "b",
                    "corridors": ["northern"],
                    "start": "2023-01-01",
                    "extra_usd_teu": 2000,
                },
            ],
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": 0.0015,
                "risk_premium_usd_teu": {"middle": 1500},
            },
        }
    )
    runner = ScenarioRunner(net, truth)
    observed = corridor_tonnes(runner, truth.behaviour, "middle", [2021, 2022, 2023])
    assert observed[2021] < observed[2022] < observed[2023]
    start = truth.model_copy(
        update={
            "behaviour": truth.behaviour.model_copy(
                update={"logit_scale_per_usd": 0.0005, "risk_premium_usd_teu": {"middle": 0.0}}
            )
        }
    )
    fit = calibrate(net, start, observed, corridor="middle")
    assert fit.risk_premium_usd_teu == pytest.approx(1500.0, rel=1e-3)
    assert fit.logit_scale_per_usd == pytest.approx(0.0015, rel=1e-3)
    assert fit.rmse_log < 1e-6
    assert fit.r2_log == pytest.approx(1.0, abs=1e-6)
    for y, t in observed.items():
        assert fit.predicted_t[y] == pytest.approx(t, rel=1e-6)


def test_recovers_premium_from_two_targets_and_checks_holdout() -> None:
    """Constant, scale and a surcharge from 2023 on are recovered from two series the
    model made (middle in tonnes, northern in TEU); 2024, left out of the fit, is then
    predicted exactly, and no parameter sits on a bound."""
    net = read_network(HERE / "toy")
    truth = Scenario.model_validate(
        {
            "name": "history",
            "base_year": 2021,
            "horizon": 2024,
            "demand": {
                "markets": [
                    {
                        "id": "m",
                        "origin": "Xian",
                        "destination": "Duisburg",
                        "volume": 10000,
                        "growth": 0.1,
                    }
                ]
            },
            "disruptions": [
                {
                    "id": "a",
                    "corridors": ["northern"],
                    "start": "2022-01-01",
                    "end": "2023-01-01",
                    "extra_usd_teu": 800,
                },
                {
                    "id": "b",
                    "corridors": ["northern"],
                    "start": "2023-01-01",
                    "extra_usd_teu": 2000,
                },
            ],
            "behaviour": {
                "value_of_time_usd_teu_h": 20,
                "logit_scale_per_usd": 0.0015,
                "risk_premium_usd_teu": {"middle": 1500},
            },
        }
    )
    years = [2021, 2022, 2023, 2024]
    cv = ScenarioRunner(net, truth).run().corridor_volumes
    mid = Target("middle t", "middle", {}, "t")
    north = Target("northern TEU", "northern", {}, "TEU", markets=("m",))
    mid = Target(mid.name, "middle", target_values(cv, mid, years), "t")
    north = Target(north.name, "northern", target_values(cv, north, years), "TEU", markets=("m",))
    start = truth.model_copy(
        update={
            "behaviour": truth.behaviour.model_copy(
                update={"logit_scale_per_usd": 0.0005, "risk_premium_usd_teu": {"middle": 0.0}}
            ),
            "disruptions": [
                truth.disruptions[0],
                truth.disruptions[1].model_copy(update={"extra_usd_teu": 0.0}),
            ],
        }
    )
    params = (
        Parameter("asc.middle", -20_000, 20_000),
        Parameter("scale", 1e-5, 0.05),
        Parameter("disruption.b", 0.0, 20_000),
    )
    fit = calibrate(
        net, start, targets=(mid, north), parameters=params, fit_years=(2021, 2022, 2023), starts=2
    )
    assert fit.parameters["asc.middle"] == pytest.approx(1500.0, rel=1e-3)
    assert fit.parameters["scale"] == pytest.approx(0.0015, rel=1e-3)
    assert fit.parameters["disruption.b"] == pytest.approx(2000.0, rel=1e-3)
    assert fit.at_bound == ()
    assert fit.rmse_log < 1e-6
    held = fit.fit[~fit.fit["in_sample"]]
    assert list(held["year"]) == [2024, 2024]
    assert held["error_pct"].abs().max() < 1e-3
    # the fitted scenario carries the fitted surcharge
    assert {d.id: d.extra_usd_teu for d in fit.scenario.disruptions}["b"] == pytest.approx(
        2000.0, rel=1e-3
    )


def test_parameter_at_bound_is_reported() -> None:
    """A constant forced against a bound too tight for the data is flagged."""
    net = read_network(HERE / "toy")
    sc = Scenario.model_validate(
        {
            "name": "h",
            "base_year": 2021,
            "horizon": 2022,
            "demand": {
                "markets": [
                    {"id": "m", "origin": "Xian", "destination": "Duisburg", "volume": 10000}
                ]
            },
            "behaviour": {"value_of_time_usd_teu_h": 20, "logit_scale_per_usd": 0.0015},
        }
    )
    # middle would need a large negative constant to carry 99 % of the cargo
    obs = {2021: 0.99 * 10000 * 10, 2022: 0.99 * 10000 * 10}
    fit = calibrate(
        net,
        sc,
        obs,
        corridor="middle",
        starts=1,
        parameters=(Parameter("asc.middle", -100.0, 100.0),),
    )
    assert fit.at_bound == ("asc.middle",)
    assert fit.parameters["asc.middle"] == pytest.approx(-100.0, abs=0.2)
