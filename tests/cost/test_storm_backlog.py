"""The backlog a storm leaves at a port's berths, by hand (cost.storm_backlog, QueueElement)."""

from __future__ import annotations

import math

import pytest
from scipy import integrate, stats

from corridors.cost.mean_waits import QueueElement, gg_c_wait_h
from corridors.cost.storm_backlog import (
    MONTH_DAYS,
    backlog_moments,
    late_backlog_area,
    merged_closures,
    reopening_wait_h,
)


def test_reopening_wait_by_hand() -> None:
    # storms of 100 h closing 10 % of a month: 0.001 an hour; a backlog of 8 shipments
    # beyond the servers (64 its square), steps of 2, cleared at 0.5 an hour, 0.1 arrive
    # an hour: 0.001 x (64 + 2 x 8) / (2 x 0.5) / 0.1 = 0.8 h a shipment
    wait = reopening_wait_h(
        0.1,
        backlog_sq=64.0,
        backlog=8.0,
        step=2.0,
        open_share=0.9,
        spare_per_h=0.5,
        closure_h=100.0,
    )
    assert wait == pytest.approx(0.8, rel=1e-12)
    assert (
        reopening_wait_h(0.1, backlog_sq=64.0, open_share=1.0, spare_per_h=0.5, closure_h=100.0)
        == 0.0
    )


def test_backlog_moments_of_gamma_storms_against_the_integral() -> None:
    lam, burst, mean, cv = 0.12, 7.0, 96.0, 0.5
    storm = stats.gamma(1.0 / cv**2, scale=mean * cv**2)
    first = integrate.quad(lambda d: max(lam * d - burst, 0.0) * storm.pdf(d), 0.0, 2000.0)[0]
    second = integrate.quad(lambda d: max(lam * d - burst, 0.0) ** 2 * storm.pdf(d), 0.0, 2000.0)[0]
    got = backlog_moments(lam, burst, closure_h=mean, closure_cv=cv)
    assert got == pytest.approx((first, second), rel=1e-6)


def test_the_backlog_beyond_what_is_taken_at_once_waits_a_sailing_by_hand() -> None:
    """Storms of 96 h exactly, 0.1 shipments an hour, 4 taken at once at reopening.

    The backlog of 9.6 shipments less the 4 waits, with the arrivals meanwhile, 20 h:
    (5.6 + 7.6) / 2 x 20 = 132 shipment-hours.
    """
    storm = {"closure_h": 96.0, "closure_cv": 0.0}
    assert late_backlog_area(0.1, 4.0, wait_h=20.0, **storm) == pytest.approx(132.0, rel=1e-12)
    # all taken at once: the arrivals wait once they outrun it, after 10 h
    assert late_backlog_area(0.1, 10.6, wait_h=20.0, **storm) == pytest.approx(
        0.1 * 10.0**2 / 2.0, rel=1e-12
    )
    assert late_backlog_area(0.1, 12.0, wait_h=20.0, **storm) == 0.0
    assert late_backlog_area(0.1, 4.0, wait_h=0.0, **storm) == 0.0


def test_the_late_backlog_over_gamma_storms_matches_the_double_integral() -> None:
    """``int_0^R E[(lam (D + t) - b)^+] dt`` over gamma storms against quadrature."""
    storm = stats.gamma(4.0, scale=24.0)  # mean 96 h, cv 0.5
    for lam, at_once in ((0.09, 6.0), (0.02, 1.0), (0.3, 40.0)):
        expected, _ = integrate.dblquad(
            lambda d, t, lam=lam, b=at_once: max(lam * (d + t) - b, 0.0) * storm.pdf(d),
            0.0,
            22.0,
            0.0,
            1500.0,
        )
        got = late_backlog_area(lam, at_once, wait_h=22.0, closure_h=96.0, closure_cv=0.5)
        assert got == pytest.approx(expected, rel=1e-6)


def test_overlapping_storms_make_longer_closures_by_hand() -> None:
    # a quarter of the month in storms: open e^-0.25 of it, closures 96 x (e^0.25 - 1) /
    # 0.25 = 109.07 h on average, cv sqrt(0.5^2 + 0.25 / 4)
    open_share, mean, cv = merged_closures(0.25, closure_h=96.0, closure_cv=0.5)
    assert open_share == pytest.approx(0.778801, rel=1e-6)
    assert mean == pytest.approx(109.0658, rel=1e-6)
    assert cv == pytest.approx(math.sqrt(0.3125), rel=1e-12)
    # the same storm days: as many closed hours
    assert (1.0 - open_share) / 1.0 == pytest.approx(1.0 - math.exp(-0.25))
    assert merged_closures(0.0, closure_h=96.0, closure_cv=0.5) == (1.0, 96.0, 0.5)


def test_berths_backlog_after_a_january_storm_by_hand() -> None:
    # one berth of 2 h (cv 0.5) open all year but 3.1 storm days in January (10 %),
    # storms of 96 h (cv 0.5); 0.1 trains an hour, all by rail
    months = (0.9,) + (1.0,) * 11
    berth = QueueElement(
        "port",
        servers=1,
        service_h=2.0,
        open_share=1.0 - 0.1 * 31 / 365,
        storm_months=months,
        closure_h=96.0,
        closure_cv=0.5,
    )
    lam = 0.1
    # January: closures open e^-0.1 of the time, 96 x (e^0.1 - 1) / 0.1 = 100.96 h long,
    # cv sqrt(0.25 + 0.025); the backlog beyond the one berth clears at 0.9 x 0.5 - 0.1 =
    # 0.35 an hour; steps 2 + (1 - 0.25) x 0 = 2
    closure_h = 96.0 * math.expm1(0.1) / 0.1
    first, second = backlog_moments(lam, 1.0, closure_h=closure_h, closure_cv=math.sqrt(0.275))
    storms_per_h = (1.0 - math.exp(-0.1)) / closure_h
    january = storms_per_h * (second + 2.0 * first) / (2.0 * 0.35) / lam
    backlog = january * 31 / 365
    assert berth.storm_backlog_h(lam, landside_per_h=lam) == pytest.approx(backlog, rel=1e-12)
    assert 0.1 < backlog < 0.2  # hours a train, over the year
    # the queue month by month: January at 90 % open, the rest open
    queue = (
        31 * gg_c_wait_h(lam, servers=1, service_h=2.0 / 0.9, service_cv=0.5)
        + 334 * gg_c_wait_h(lam, servers=1, service_h=2.0, service_cv=0.5)
    ) / 365
    assert berth.wait_h(lam) == pytest.approx(queue + backlog, rel=1e-12)
    # trains off a ferry do not pile up in a storm: no backlog
    ferry_side = QueueElement(
        "port",
        servers=1,
        service_h=2.0,
        open_share=berth.open_share,
        storm_months=months,
        closure_h=96.0,
        closure_cv=0.5,
        storm_share=0.0,
    )
    assert ferry_side.wait_h(lam) == pytest.approx(queue, rel=1e-12)
    # the wait's distribution keeps the mean
    assert berth.wait_distribution(lam).mean_h == pytest.approx(berth.wait_h(lam), rel=1e-9)


def test_berths_backlog_grows_with_the_trains_and_the_storms() -> None:
    def berths(storm_days: float) -> QueueElement:
        months = tuple(1.0 - storm_days / d for d in MONTH_DAYS)
        return QueueElement(
            "port",
            servers=2,
            service_h=7.0,
            open_share=1.0 - 12 * storm_days / 365,
            storm_months=months,
            closure_h=96.0,
            closure_cv=0.5,
        )

    calm, stormy = berths(1.0), berths(5.0)
    for lam in (0.02, 0.05, 0.1):
        assert stormy.wait_h(lam) > calm.wait_h(lam)
    assert stormy.wait_h(0.02) < stormy.wait_h(0.05) < stormy.wait_h(0.1)
    with pytest.raises(ValueError, match="storm_months"):
        QueueElement("port", servers=2, service_h=7.0, storm_months=(0.9,) * 11)
