"""Calibration to volumes, transit times and prices together (toy network, hand-checked).

The toy's Middle route (Xian - border - Aktau - ferry - Baku - Europe) and Northern route
(Xian - border - Russia - Europe) are in ``tests/scenarios/toy``: the Middle route to
Baku takes 10 h (500 km at 50 km/h) + 40 h at the Kazakh border + 52 h (2,600 km) +
24 h of ferry = 126 h before its stop at Baku; the Northern link from the border to
Russia costs 800 USD/TEU.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.network import read_network
from corridors.scenarios.calibration import Parameter, calibrate
from corridors.scenarios.calibration.observations import range_residual
from corridors.scenarios.calibration.route_targets import PriceTarget, Segment, TimeTarget
from corridors.scenarios.calibration.route_values import route_target_values
from corridors.scenarios.model import ScenarioRunner
from corridors.scenarios.spec import Scenario
from corridors.scenarios.targets import Target, target_values

HERE = Path(__file__).parent
YEARS = [2021, 2022, 2023]

TO_BAKU = Segment("m", "middle", end=("bak",))
BORDER_TO_RUSSIA = Segment("m", "northern", ("kzb",), ("ru",))


def _truth() -> Scenario:
    """A container and a bulk market (bulk at 3 times the logit scale); waits at the
    ferry in 2021-2022 (150 h), a Northern rate rise in 2022 (800 USD/TEU) and a
    Northern surcharge from 2023 that is not fitted."""
    return Scenario.model_validate(
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
                    },
                    {
                        "id": "bulk",
                        "origin": "Xian",
                        "destination": "Duisburg",
                        "volume": 100000,
                        "unit": "t",
                        "commodity": "dry_bulk",
                        "growth": 0.1,
                    },
                ]
            },
            "disruptions": [
                {
                    "id": "wait",
                    "links": ["m2"],
                    "start": "2021-01-01",
                    "end": "2023-01-01",
                    "extra_hours": 150,
                },
                {
                    "id": "rates",
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
                "class_scale": {"dry_bulk": 3.0},
            },
        }
    )


def test_range_residual_is_zero_inside_and_log_distance_outside() -> None:
    assert range_residual(40.0, 38.0, 53.0) == 0.0
    assert range_residual(19.0, 38.0, 53.0) == pytest.approx(-0.6931471805599453)
    assert range_residual(106.0, 38.0, 53.0) == pytest.approx(0.6931471805599453)
    assert range_residual(5.0, 0.0, 10.0) == 0.0  # a ceiling only counts above it


def test_segment_times_and_prices_by_hand() -> None:
    net = read_network(HERE / "toy")
    truth = _truth()
    runner = ScenarioRunner(net, truth)
    result = runner.run()
    times = TimeTarget("to Baku", TO_BAKU, dict.fromkeys(YEARS, (1.0, 100.0)), "h")
    days = TimeTarget("to Baku d", TO_BAKU, {2021: (1.0, 100.0)}, "d")
    border = TimeTarget(
        "border",
        Segment("m", "middle", ("kzb",), ("kzb",), stops_at_ends=True),
        {2021: (1, 2)},
        "h",
    )
    share = TimeTarget(
        "ferry share",
        Segment("m", "middle", ("akt",), ("bak",)),
        {2021: (0, 1)},
        "share",
        share_of=TO_BAKU,
    )
    price = PriceTarget(
        "border-Russia",
        BORDER_TO_RUSSIA,
        dict.fromkeys(YEARS, (1.0, 100000.0)),
        surcharges=("rates",),
    )
    got = route_target_values(
        [times, days, border, share, price],
        YEARS,
        routes=runner.route,
        bottlenecks=result.bottlenecks,
        disruptions=truth.disruptions,
    )
    # 126 h of legs and the border stop, plus the 150 h wait on the ferry in 2021-2022
    assert got["to Baku", 2021] == pytest.approx(276.0)
    assert got["to Baku", 2023] == pytest.approx(126.0)
    assert got["to Baku d", 2021] == pytest.approx(276.0 / 24.0)
    assert got["border", 2021] == pytest.approx(40.0)
    # the ferry leg (24 h) and its wait (150 h) out of 276 h
    assert got["ferry share", 2021] == pytest.approx(174.0 / 276.0)
    # 800 USD/TEU of tariff, plus the 2022 rate rise, per FEU (2 TEU); the 2023
    # surcharge "b" is not part of the price
    assert got["border-Russia", 2021] == pytest.approx(1600.0)
    assert got["border-Russia", 2022] == pytest.approx(3200.0)
    assert got["border-Russia", 2023] == pytest.approx(1600.0)


@pytest.mark.slow
def test_recovers_known_parameters_from_volumes_times_and_prices() -> None:
    """Constant, scale, bulk's class scale, the ferry wait and the rate rise are
    recovered from volumes, times and prices the model made with them; no parameter
    ends at a bound."""
    net = read_network(HERE / "toy")
    truth = _truth()
    runner = ScenarioRunner(net, truth)
    result = runner.run()
    cv = result.corridor_volumes
    mid = Target("middle t", "middle", {}, "t")
    north = Target("northern TEU", "northern", {}, "TEU", markets=("m",))
    bulk = Target("northern bulk t", "northern", {}, "t", markets=("bulk",))
    volumes = (
        Target(mid.name, "middle", target_values(cv, mid, YEARS), "t"),
        Target(north.name, "northern", target_values(cv, north, YEARS), "TEU", markets=("m",)),
        Target(bulk.name, "northern", target_values(cv, bulk, YEARS), "t", markets=("bulk",)),
    )
    shapes = (
        TimeTarget("to Baku", TO_BAKU, dict.fromkeys(YEARS, (0.0, 0.0)), "d"),
        PriceTarget(
            "border-Russia",
            BORDER_TO_RUSSIA,
            dict.fromkeys(YEARS, (0.0, 0.0)),
            surcharges=("rates",),
        ),
    )
    made = route_target_values(
        shapes,
        YEARS,
        routes=runner.route,
        bottlenecks=result.bottlenecks,
        disruptions=truth.disruptions,
    )
    routes = (
        TimeTarget("to Baku", TO_BAKU, {y: (made["to Baku", y],) * 2 for y in YEARS}, "d"),
        PriceTarget(
            "border-Russia",
            BORDER_TO_RUSSIA,
            {y: (made["border-Russia", y],) * 2 for y in YEARS},
            surcharges=("rates",),
        ),
    )
    start = truth.model_copy(
        update={
            "behaviour": truth.behaviour.model_copy(
                update={
                    "logit_scale_per_usd": 0.0005,
                    "risk_premium_usd_teu": {"middle": 0.0},
                    "class_scale": {"dry_bulk": 1.0},
                }
            ),
            "disruptions": [
                truth.disruptions[0].model_copy(update={"extra_hours": 0.0}),
                truth.disruptions[1].model_copy(update={"extra_usd_teu": 0.0}),
                truth.disruptions[2],
            ],
        }
    )
    params = (
        Parameter("asc.middle", -20_000, 20_000),
        Parameter("scale", 1e-5, 0.05),
        Parameter("disruption_hours.wait", 0.0, 1_000.0),
        Parameter("disruption.rates", 0.0, 5_000.0),
        Parameter("class_scale.dry_bulk", 0.5, 100.0),
    )
    fit = calibrate(
        net,
        start,
        targets=volumes,
        route_targets=routes,
        parameters=params,
        fit_years=YEARS,
        starts=2,
        design=16,
    )
    assert fit.parameters["asc.middle"] == pytest.approx(1500.0, rel=1e-3)
    assert fit.parameters["scale"] == pytest.approx(0.0015, rel=1e-3)
    assert fit.parameters["disruption_hours.wait"] == pytest.approx(150.0, rel=1e-3)
    assert fit.parameters["disruption.rates"] == pytest.approx(800.0, rel=1e-3)
    assert fit.parameters["class_scale.dry_bulk"] == pytest.approx(3.0, rel=1e-3)
    assert fit.at_bound == ()
    assert fit.unidentified == ()
    for kind in ("volume", "time", "price"):
        assert fit.rmse_log_by_kind[kind] < 1e-6
    kinds = set(fit.fit["kind"])
    assert kinds == {"volume", "time", "price"}
