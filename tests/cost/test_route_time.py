"""Waiting-time quantiles of one element and of a route, against closed forms and the engine."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from scipy.optimize import brentq

import corridors.cost.route_time as route_time
from corridors.cost.queueing import QueueElement, WaitDistribution, erlang_c
from corridors.cost.route_time import RoutePart, route_time_quantiles
from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    Distribution,
    ShipmentGenerator,
    SimulationModel,
    Station,
    Step,
)

SAMPLES = 200_000


def test_doctests() -> None:
    assert doctest.testmod(route_time, raise_on_error=True).failed == 0


def test_mm1_quantiles_against_the_closed_form() -> None:
    # one lane, exponential 4 h clearance (mu = 0.25/h), lambda = 0.2/h: rho = 0.8.
    # P(W > t) = rho exp(-(mu - lambda) t): P50 = ln(2 rho) / 0.05 = 9.400 h,
    # P90 = ln(10 rho) / 0.05 = 41.589 h
    lane = QueueElement("border", servers=1, service_h=4.0, service_cv=1.0)
    d = lane.wait_distribution(0.2)
    p50, p90 = math.log(1.6) / 0.05, math.log(8.0) / 0.05
    assert d.p_queue == pytest.approx(0.8)
    assert d.queue_mean_h == pytest.approx(20.0)  # 1 / (mu - lambda)
    assert d.mean_h == pytest.approx(lane.wait_h(0.2))
    assert d.queue_quantile_h(0.5) == pytest.approx(p50, rel=1e-12)
    assert d.queue_quantile_h(0.9) == pytest.approx(p90, rel=1e-12)
    mc50, mc90 = route_time_quantiles([RoutePart(0.0, (d,))], (0.5, 0.9), samples=SAMPLES)
    assert mc50 == pytest.approx(p50, rel=0.02)
    assert mc90 == pytest.approx(p90, rel=0.02)
    # below rho = 0.5 most arrivals find the lane free: the median wait is 0
    assert lane.wait_distribution(0.1).queue_quantile_h(0.5) == 0.0


def test_mmc_tail_rate_is_c_mu_minus_lambda() -> None:
    # 3 tracks of 8 h, 5.4 trains a day: C = 0.354745, c mu - lambda = 0.375 - 0.225 = 0.15/h;
    # P(W > t) = C exp(-0.15 t): P90 = ln(10 C) / 0.15 = 8.444 h
    track = QueueElement("gauge", servers=3, service_h=8.0, service_cv=1.0)
    d = track.wait_distribution(5.4 / 24.0)
    c = erlang_c(3, 1.8)
    assert d.p_queue == pytest.approx(c)
    assert d.queue_mean_h == pytest.approx(1.0 / 0.15)
    assert d.queue_quantile_h(0.9) == pytest.approx(math.log(10.0 * c) / 0.15, rel=1e-12)


def test_scheduled_headway_alone_has_median_half_the_headway() -> None:
    ferry = QueueElement("ferry", servers=None, service_h=0.0, headway_h=48.0)
    d = ferry.wait_distribution(1.0)
    assert d == WaitDistribution(headway_h=48.0)
    p10, p50, p90 = route_time_quantiles([RoutePart(10.0, (d,))], (0.1, 0.5, 0.9), samples=SAMPLES)
    assert p50 == pytest.approx(10.0 + 24.0, rel=0.005)  # uniform(0, 48 h): median 24 h
    assert p10 == pytest.approx(10.0 + 4.8, rel=0.02)
    assert p90 == pytest.approx(10.0 + 43.2, rel=0.005)


def test_closures_keep_the_mean_of_the_delay_function() -> None:
    # a ferry line open 90 % of the year with 30 h storms (cv 0.5)
    line = QueueElement(
        "ferry",
        servers=2,
        service_h=20.0,
        service_cv=0.0,
        open_share=0.9,
        closure_h=30.0,
        closure_cv=0.5,
        headway_h=24.0,
    )
    d = line.wait_distribution(0.05)
    assert d.p_closure == pytest.approx(0.1)
    assert d.mean_h == pytest.approx(line.wait_h(0.05), rel=1e-12)
    draws = route_time.sample_waits([d], samples=SAMPLES, rng=np.random.default_rng(1))
    assert draws.mean() == pytest.approx(line.wait_h(0.05), rel=0.02)


def test_two_exponential_waits_add_as_a_hypoexponential() -> None:
    # two independent exponential waits of means 10 h and 30 h (every arrival waits):
    # P(X + Y > t) = (b e^{-a t} - a e^{-b t}) / (b - a), a = 1/10, b = 1/30
    a, b = 0.1, 1.0 / 30.0
    waits = (WaitDistribution(1.0, 10.0), WaitDistribution(1.0, 30.0))

    def tail(t: float, q: float) -> float:
        return (b * math.exp(-a * t) - a * math.exp(-b * t)) / (b - a) - (1.0 - q)

    exact = [brentq(tail, 0.0, 1000.0, args=(q,)) for q in (0.5, 0.9)]
    got = route_time_quantiles([RoutePart(5.0, waits)], (0.5, 0.9), samples=SAMPLES)
    assert got[0] == pytest.approx(5.0 + exact[0], rel=0.02)
    assert got[1] == pytest.approx(5.0 + exact[1], rel=0.02)


def test_parts_of_the_year_mix_by_their_weights() -> None:
    # three quarters of the year 100 h, a quarter 200 h: P50 100 h, P90 200 h
    parts = [RoutePart(100.0, weight=3.0), RoutePart(200.0, weight=1.0)]
    assert route_time_quantiles(parts, (0.5, 0.7, 0.9)) == (100.0, 100.0, 200.0)


def test_same_seed_same_answer_and_over_capacity_is_infinite() -> None:
    d = (WaitDistribution(0.4, 12.0, 0.1, 20.0, 24.0),)
    assert route_time_quantiles([RoutePart(1.0, d)]) == route_time_quantiles([RoutePart(1.0, d)])
    full = QueueElement("port", servers=2, service_h=10.0).wait_distribution(0.2)
    assert math.isinf(full.mean_h)
    assert route_time_quantiles([RoutePart(1.0, (full,))]) == (math.inf, math.inf)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"parts": []}, "at least one"),
        ({"parts": [RoutePart(1.0, weight=0.0)]}, "weights"),
        ({"parts": [RoutePart(1.0)], "quantiles": (1.0,)}, "quantiles"),
        ({"parts": [RoutePart(1.0)], "samples": 0}, "samples"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        route_time_quantiles(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "servers", "service_h", "cv", "per_day", "years"),
    [
        ("gauge", 1, 12.0, 0.5, 1.6, 30),  # M/G/1, gamma service, rho = 0.8
        ("gauge", 3, 8.0, 0.5, 7.2, 20),  # M/G/3, rho = 0.8
        ("section", 1, 2.0, 0.0, 9.6, 10),  # M/D/1 train paths, rho = 0.8
    ],
)
def test_wait_quantiles_agree_with_the_simulation(
    kind: str, servers: int, service_h: float, cv: float, per_day: float, years: int
) -> None:
    """One station simulated by the engine vs the formula's P50 and P90 of the wait.

    Tolerance (stated before the runs, checked on these three): P90 within 8 %, P50
    within 15 % of the mean wait (the exponential tail is exact only for M/M/c; for
    gamma and fixed service the real median is a little higher), P(wait) within 0.03.
    """
    dist = Distribution.fixed(service_h) if cv == 0 else Distribution.gamma(service_h, cv)
    st = Station("s", kind, servers, dist)  # type: ignore[arg-type]
    g = ShipmentGenerator("g", "o", "d", (Step.station("s"),), per_day=per_day, wagons=1)
    model = SimulationModel(stations=(st,), generators=(g,), horizon_h=8760.0 * years)
    r = simulate(model, seed=2024)
    keep = np.isfinite(r.v_start) & (r.v_arr > 2000.0)
    w = (r.v_start - r.v_arr)[keep]
    d = QueueElement(kind, servers=servers, service_h=service_h, service_cv=cv).wait_distribution(  # type: ignore[arg-type]
        per_day / 24.0
    )
    assert (w > 0).mean() == pytest.approx(d.p_queue, abs=0.03)
    assert np.quantile(w, 0.9) == pytest.approx(d.queue_quantile_h(0.9), rel=0.08)
    assert abs(np.quantile(w, 0.5) - d.queue_quantile_h(0.5)) <= 0.15 * d.mean_h
