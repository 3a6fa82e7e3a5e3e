"""Queueing delay functions against their formulas, computed by hand."""

from __future__ import annotations

import doctest
import math
from types import ModuleType

import pytest

import corridors.cost.deck_fill as deck_fill_module
import corridors.cost.ferry_absence as ferry_absence
import corridors.cost.ferry_months as ferry_months
import corridors.cost.ferry_queue as ferry_queue
import corridors.cost.mean_waits as mean_waits
import corridors.cost.queue_formulas as queue_formulas
import corridors.cost.queueing as queueing
import corridors.cost.wait_distribution as wait_distribution
from corridors.cost.queueing import (
    QueueElement,
    erlang_c,
    gg_c_wait_h,
    kingman_wait_h,
    scheduled_wait_h,
)


def test_mm1_mean_wait_is_rho_over_mu_minus_lambda() -> None:
    # one lane, exponential clearance of 4 h (mu = 0.25/h), a train every 5 h (lambda = 0.2/h):
    # rho = 0.8, Wq = rho / (mu - lambda) = 0.8 / 0.05 = 16 h
    lane = QueueElement("border", servers=1, service_h=4.0, service_cv=1.0)
    assert lane.wait_h(0.2) == pytest.approx(16.0, rel=1e-12)
    assert lane.utilisation(0.2) == pytest.approx(0.8)


def test_mmc_mean_wait_is_erlang_c() -> None:
    # 3 gauge-change tracks, 8 h exponential, 5.4 trains a day: a = 1.8 Erlang, rho = 0.6.
    # Erlang C by hand: sum_{k<3} a^k/k! = 1 + 1.8 + 1.62 = 4.42;
    # a^3/3! / (1 - rho) = 0.972 / 0.4 = 2.43; C = 2.43 / (4.42 + 2.43) = 0.354745
    # Wq = C * E[S] / (c (1 - rho)) = 0.354745 * 8 / 1.2 = 2.364964 h
    assert erlang_c(3, 1.8) == pytest.approx(2.43 / 6.85, rel=1e-12)
    track = QueueElement("gauge", servers=3, service_h=8.0, service_cv=1.0)
    assert track.wait_h(5.4 / 24.0) == pytest.approx(2.43 / 6.85 * 8.0 / 1.2, rel=1e-12)


def test_erlang_c_limits() -> None:
    assert erlang_c(1, 0.7) == pytest.approx(0.7)  # one server: P(wait) = rho
    assert erlang_c(4, 0.0) == 0.0
    assert erlang_c(4, 4.0) == 1.0
    # a large server count stays finite and below one (no factorial overflow)
    assert 0.0 < erlang_c(400, 380.0) < 1.0
    with pytest.raises(ValueError, match="servers"):
        erlang_c(0, 1.0)


def test_kingman_formula_and_one_server_allen_cunneen() -> None:
    # train paths every 2 h (cv 0), Poisson trains at rho = 0.6: Kingman = P-K mean for M/D/1
    # = 0.6 / 0.4 * (1 + 0) / 2 * 2 h = 1.5 h
    assert kingman_wait_h(0.3, service_h=2.0, service_cv=0.0) == pytest.approx(1.5)
    # G/G/1 with ca = 0.5, cs = 0.8, E[S] = 10 h, rho = 0.75:
    # 3 * (0.25 + 0.64) / 2 * 10 = 13.35 h
    assert kingman_wait_h(0.075, service_h=10.0, service_cv=0.8, arrival_cv=0.5) == pytest.approx(
        13.35
    )
    assert gg_c_wait_h(
        0.075, servers=1, service_h=10.0, service_cv=0.8, arrival_cv=0.5
    ) == pytest.approx(13.35)


def test_hard_limit_at_capacity() -> None:
    section = QueueElement("section", servers=1, service_h=2.0)  # 12 train paths a day
    assert section.cv == 0.0
    assert section.capacity_per_h == pytest.approx(0.5)
    assert math.isfinite(section.wait_h(0.499))
    assert section.wait_h(0.5) == math.inf
    assert section.wait_h(0.9) == math.inf
    assert gg_c_wait_h(3.0, servers=2, service_h=1.0, service_cv=1.0) == math.inf


def test_storms_reduce_capacity_for_their_share_of_the_year() -> None:
    # a port open 85 % of the year serves at 85 % of its rate: the same arrivals load it
    # as an always-open port with service time E[S] / 0.85
    stormy = QueueElement("port", servers=2, service_h=8.0, open_share=0.85)
    calm = QueueElement("port", servers=2, service_h=8.0 / 0.85)
    assert stormy.capacity_per_h == pytest.approx(2 * 0.85 / 8.0)
    assert stormy.wait_h(0.15) == pytest.approx(calm.wait_h(0.15), rel=1e-12)
    assert stormy.wait_h(0.15) > QueueElement("port", servers=2, service_h=8.0).wait_h(0.15)
    assert stormy.wait_h(0.2125) == math.inf  # capacity 0.2125 an hour


def test_scheduled_service_keeps_half_its_headway() -> None:
    assert scheduled_wait_h(48.0) == 24.0
    assert scheduled_wait_h(None) == 0.0
    feeder = QueueElement("ferry", servers=None, service_h=0.0, headway_h=84.0)
    assert feeder.wait_h(10.0) == 42.0  # no capacity limit given: the timetable wait only
    liner = QueueElement("ferry", servers=1, service_h=10.0, service_cv=1.0, headway_h=24.0)
    assert liner.wait_h(0.05) == pytest.approx(12.0 + 0.5 / 0.5 * 10.0)


def test_no_limit_means_no_queue_and_bad_elements_are_refused() -> None:
    assert QueueElement("border", servers=None, service_h=30.0).wait_h(1e6) == 0.0
    assert QueueElement("border", servers=None, service_h=30.0).capacity_per_h == math.inf
    with pytest.raises(ValueError, match="kind"):
        QueueElement("harbour", servers=1, service_h=1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="open share"):
        QueueElement("port", servers=1, service_h=1.0, open_share=0.0)
    with pytest.raises(ValueError, match="servers"):
        QueueElement("port", servers=0, service_h=1.0)


def test_wait_curve_is_increasing_to_the_limit() -> None:
    gauge = QueueElement("gauge", servers=3, service_h=4.25)
    rates = [0.1, 0.3, 0.5, 0.6, 0.7, 0.72]
    curve = gauge.wait_curve_h(rates)
    assert list(curve) == sorted(curve)
    assert curve[-1] == math.inf  # 0.72 > 3 / 4.25 = 0.706 an hour


@pytest.mark.parametrize(
    "module",
    [
        queueing,
        mean_waits,
        queue_formulas,
        wait_distribution,
        ferry_queue,
        ferry_months,
        deck_fill_module,
        ferry_absence,
    ],
)
def test_module_example_runs(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_closures_add_the_backlog_of_a_residual_closure() -> None:
    # a ferry line open 85 % of the year, storms of 96 h (cv 0.5): an arrival meets on
    # average (1 - 0.85) x 96 x (1 + 0.25) / 2 = 9 h of closure, cleared at the spare
    # rate 1 - rho; at rho = 0.5 that is 18 h on top of the queue of the reduced line
    line = QueueElement(
        "ferry",
        servers=1,
        service_h=10.0,
        service_cv=1.0,
        open_share=0.85,
        closure_h=96.0,
        closure_cv=0.5,
    )
    rate = 0.5 * line.capacity_per_h
    plain = QueueElement("ferry", servers=1, service_h=10.0, service_cv=1.0, open_share=0.85)
    assert line.wait_h(rate) == pytest.approx(plain.wait_h(rate) + 18.0)
    assert line.wait_h(line.capacity_per_h) == math.inf
