"""The waves of ships after a storm and the backlog they serve (cost.storm_waves)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from benchmarks.ferry_toys import DECK, HANDLING_H, OPEN_SHARE, case_model, simulated_waits

from corridors.cost.storm_waves import Waves, fleet_waves, storm_lengths, wave_backlog
from corridors.simulation.loads import ferry_loads


def test_the_fleet_comes_back_in_waves_by_hand() -> None:
    # 6 ships of 2 shipments, half in port at reopening less the one that took cargo
    # in the storm (2 ships, 4 shipments); across the sea the first in line comes a
    # sailing later (22 h), the other two after their empty wait (28 h)
    first, later = fleet_waves(
        ships=6, per_sailing=2.0, reopen_share=0.5, return_h=22.0, empty_wait_h=6.0, lost=1.0
    )
    assert first == ((0.0, 4.0), (22.0, 2.0), (28.0, 4.0))
    assert later == ((0.0, 6.0), (22.0, 2.0), (28.0, 4.0))
    # one ship, in port a share 0.3 of the time: none lost beyond it, half across
    first, later = fleet_waves(
        ships=1, per_sailing=2.0, reopen_share=0.5, return_h=22.0, empty_wait_h=6.0, lost=0.3
    )
    assert first == ((0.0, pytest.approx(0.4)), (22.0, 1.0))
    assert later == ((0.0, 1.0), (22.0, 1.0))


def test_a_backlog_two_rounds_long_by_hand() -> None:
    # 0.1 shipments an hour, a storm of 200 h: 20 wait. The first wave takes 4 (16 left,
    # 18 at 20 h: 340 shipment-hours), the second 8 (10 left, 13 at 50 h: 345), the
    # later round's 12 at 50 h (1 left, 6 at 100 h: 175), and at 100 h the rest: 860
    # shipment-hours; 0.1 x (200 + 100) = 30 shipments waited in it, and 3 held ones
    # wait the storm, 600 more
    storms = np.array([200.0])
    kw = {"first": ((0.0, 4.0), (20.0, 8.0)), "later": ((0.0, 12.0),), "round_h": 50.0}
    area, served = wave_backlog(0.1, storms=storms, held=0.0, **kw)
    assert (float(area), float(served)) == pytest.approx((860.0, 30.0), rel=1e-12)
    area, served = wave_backlog(0.1, storms=storms, held=3.0, **kw)
    assert (float(area), float(served)) == pytest.approx((1460.0, 33.0), rel=1e-12)
    # a round that lifts no more than arrives in it never clears the backlog
    endless = wave_backlog(
        0.1, storms=storms, held=0.0, first=kw["first"], later=((0.0, 5.0),), round_h=50.0
    )
    assert np.isinf(endless).all()


def _rounds_one_by_one(
    lam: float, storm: float, first: Waves, later: Waves, round_h: float
) -> tuple[float, float]:
    """The backlog wave by wave, round after round, until a wave clears it."""
    queue, area, now = lam * storm, 0.0, 0.0
    for k in range(10_000):
        for offset, shipments in first if k == 0 else later:
            at = k * round_h + offset
            area += (queue + lam * (at - now) / 2.0) * (at - now)
            queue += lam * (at - now) - shipments
            now = at
            if queue <= 0.0:
                return area, lam * (storm + now)
    raise AssertionError("not cleared")


def test_the_rounds_in_closed_form_match_the_waves_one_by_one() -> None:
    rng = np.random.default_rng(5)
    storms = storm_lengths(96.0, 0.5)
    assert storms.mean() == pytest.approx(96.0, rel=1e-12)
    for _ in range(20):
        ships = int(rng.integers(1, 8))
        n = float(rng.uniform(1.0, 3.0))
        first, later = fleet_waves(
            ships=ships,
            per_sailing=n,
            reopen_share=float(rng.uniform(0.2, 1.0)),
            return_h=float(rng.uniform(10.0, 30.0)),
            empty_wait_h=float(rng.uniform(0.0, 8.0)),
            lost=float(rng.uniform(0.0, 1.0)),
        )
        round_h = float(rng.uniform(70.0, 120.0))
        lam = float(rng.uniform(0.2, 0.95)) * ships * n / round_h
        expected = np.mean([_rounds_one_by_one(lam, d, first, later, round_h) for d in storms], 0)
        area, served = wave_backlog(
            lam, storms=storms, held=0.0, first=first, later=later, round_h=round_h
        )
        assert (float(area), float(served)) == pytest.approx(tuple(expected), rel=1e-9)


@pytest.mark.slow
def test_a_six_ship_line_after_storms_waits_for_the_waves_as_the_simulated_ships() -> None:
    """Six 50-wagon ferries, 22 h sailings, groups of 25 wagons from A through its port
    station at 0.6 of the lift (storms counted); seeds 3-4 of 12 years (the storm grid
    of benchmarks/ferry_waits_fit.py has 1-2): 31.3 h simulated, 28.1 h from the
    function (-10 %; -17 % with the storms' backlog as a fluid before the waves, 26.1 h);
    with every ship in port at reopening 23.4 h."""
    trip = 2.0 * 22.0 + HANDLING_H
    per_day = 0.6 * OPEN_SHARE * 6 * DECK / 25 / trip * 24.0
    case = {"ships": 6, "sail_h": 22.0, "back": 0.0, "storms": True, "wagons": 25, "a": per_day}
    model = case_model(case, years=12)
    simulated = simulated_waits(model, (3, 4))["A"]
    load = next(f for f in ferry_loads(model) if f.port == "A")
    line = load.ferry_queue()
    assert line.utilisation(per_day / 24.0) == pytest.approx(0.6, abs=0.01)
    assert load.wait_h() == pytest.approx(simulated, rel=0.15)
    all_in_port = dataclasses.replace(line, reopen_share=1.0)
    assert all_in_port.wait_h(per_day / 24.0) < 0.8 * simulated
