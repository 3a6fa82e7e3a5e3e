"""Arrival variability behind the queues upstream, by hand (cost.arrival_variability)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.cost.arrival_variability import (
    ArrivalStreams,
    departure_scv,
    fed_scv,
    kept_share,
    relaxation_h,
)
from corridors.cost.mean_waits import QueueElement, kingman_wait_h


def test_the_pieces_by_hand() -> None:
    # M/D/1 at rho 0.5 with Poisson arrivals: 1 - rho^2 = 0.75, numbers or arrays
    assert float(departure_scv(1.0, rho=0.5, service_scv=0.0, servers=1)) == pytest.approx(0.75)
    many = departure_scv(np.ones(2), rho=np.array([0.5, 0.0]), service_scv=0.0, servers=1)
    assert many.tolist() == pytest.approx([0.75, 1.0])
    # seen by a busier queue (0.75): the service term weighs ((1 - 0.75) / 0.5)^2 = 1/4
    assert float(
        departure_scv(1.0, rho=0.5, service_scv=0.0, servers=1, seen_at=0.75)
    ) == pytest.approx(1.0 - 0.25 / 4)
    # relaxation 2 rho (1 + cs^2) E[S] / (c (1 - rho)^2): 2 x 0.25 x 1.25 x 1 / 0.5625
    assert float(relaxation_h(rho=0.25, service_h=1.0, service_cv=0.5, servers=1)) == pytest.approx(
        10.0 / 9.0
    )
    assert float(kept_share(10.0, spread_h=10.0 / math.sqrt(2.0))) == pytest.approx(0.5)
    assert float(kept_share(10.0, spread_h=0.0)) == 1.0
    assert float(fed_scv(0.75, kept=0.5, share=1.0)) == pytest.approx(0.875)
    assert float(fed_scv(0.75, kept=1.0, share=0.4)) == pytest.approx(0.4 * 0.75 + 0.6)


def _arrays(*queues: QueueElement) -> dict[str, np.ndarray]:
    return {
        "capacity_per_h": np.array([q.capacity_per_h for q in queues]),
        "service_h": np.array([q.service_h for q in queues]),
        "service_cv": np.array([q.cv for q in queues]),
        "servers": np.array([float(q.servers or 1) for q in queues]),
    }


def test_a_yard_behind_a_train_path_sees_regular_arrivals_by_hand() -> None:
    # a fixed train path every 2 h (0) feeding a yard of 1 h, cv 0.5 (1): 0.25 trains an
    # hour through both, the path at rho 0.5 and the yard at rho 0.25
    path = QueueElement("section", servers=1, service_h=2.0, service_cv=0.0)
    yard = QueueElement("gauge", servers=1, service_h=1.0, service_cv=0.5)
    rho = np.array([0.5, 0.25])
    direct = ArrivalStreams(np.array([1]), np.array([0]), np.array([0.0]), np.array([True]))
    scv, spaced = direct.arrival_scv(rho, **_arrays(path, yard))
    # the path's departures: ca^2 = 0.75 (seen at 0.25 < 0.5: weight 1), all of them here
    assert scv.tolist() == pytest.approx([1.0, 0.75])
    assert not spaced.any()
    assert kingman_wait_h(0.25, service_h=1.0, service_cv=0.5, arrival_cv=math.sqrt(0.75)) < (
        kingman_wait_h(0.25, service_h=1.0, service_cv=0.5)
    )
    # a random delay between of sd T / sqrt(2) (T = 10/9 h) keeps half: ca^2 = 0.875
    behind = ArrivalStreams(
        np.array([1]), np.array([0]), np.array([(10.0 / 9.0) ** 2 / 2.0]), np.array([True])
    )
    assert behind.arrival_scv(rho, **_arrays(path, yard))[0][1] == pytest.approx(0.875)


def test_a_train_path_behind_a_longer_one_is_spaced() -> None:
    first = QueueElement("section", servers=1, service_h=2.0, service_cv=0.0)
    second = QueueElement("section", servers=1, service_h=1.5, service_cv=0.0)
    rho = np.array([0.8, 0.6])
    direct = ArrivalStreams(np.array([1]), np.array([0]), np.array([0.0]), np.array([True]))
    assert direct.arrival_scv(rho, **_arrays(first, second))[1].tolist() == [False, True]
    # a random delay between: the trains lose their spacing
    shuffled = ArrivalStreams(np.array([1]), np.array([0]), np.array([4.0]), np.array([True]))
    assert shuffled.arrival_scv(rho, **_arrays(first, second))[1].tolist() == [False, False]
