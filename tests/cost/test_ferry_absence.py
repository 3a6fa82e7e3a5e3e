"""The ships' absence from a ferry port: by hand and against a Monte Carlo of the ships
(against the simulated line: ``test_ferry_queue.py``; trains of a whole deck, a known
miss, below)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from benchmarks.ferry_toys import simulated_waits, toy

from corridors.cost.ferry_absence import port_empty_share, ship_absence
from corridors.cost.ferry_queue import FerryQueue
from corridors.cost.mean_waits import QueueElement
from corridors.simulation.loads import ferry_loads


def test_one_or_two_ships_are_away_by_hand() -> None:
    # one ship: at the port a share D / (D + Z) of its cycle
    assert port_empty_share(ships=1, dwell_h=5.0, away_h=20.0) == pytest.approx(0.8)
    # two: 1 / (1 + 2 r + 2 r^2), r = D / Z
    r = 5.0 / 20.0
    assert port_empty_share(ships=2, dwell_h=5.0, away_h=20.0) == pytest.approx(
        1.0 / (1.0 + 2.0 * r + 2.0 * r * r), rel=1e-12
    )
    assert port_empty_share(ships=4, dwell_h=0.0, away_h=20.0) == 1.0
    with pytest.raises(ValueError, match="ship"):
        port_empty_share(ships=0, dwell_h=5.0, away_h=20.0)


def test_the_wait_for_a_ship_matches_the_ships_drawn_at_random() -> None:
    """Three ships, exponential dwells of 5 h and times away of 20 h, one at a time at
    the port (seed 7, 200,000 events, chosen before looking): the time-average of the
    wait for the next ship is p0 Z / c = 3.005 h; five seeds spread 0.6 %, so 3 %."""
    rng = np.random.default_rng(7)
    ships, dwell, away = 3, 5.0, 20.0
    t = area = empty = 0.0
    at_port = 0
    for _ in range(200_000):
        come = (ships - at_port) / away
        leave = 1.0 / dwell if at_port else 0.0
        dt = rng.exponential(1.0 / (come + leave))
        if at_port == 0:  # the next ship ends this empty spell: a wait falling to 0
            area += dt * dt / 2.0
            empty += dt
        t += dt
        at_port += 1 if rng.random() < come / (come + leave) else -1
    p0 = port_empty_share(ships=ships, dwell_h=dwell, away_h=away)
    assert empty / t == pytest.approx(p0, rel=0.03)
    assert area / t == pytest.approx(p0 * away / ships, rel=0.03)


def test_the_ships_dwell_and_time_away_follow_the_operating_rule() -> None:
    """2 shipments a day, 6 ships of two shipments a sailing, 22 h sailings, 7 h of
    handling, 6 h for a first unit."""
    lam = 2.0 / 24.0
    a = ship_absence(
        lam, ships=6, shipments_per_sailing=2.0, sail_h=22.0, handling_h=7.0, empty_wait_h=6.0
    )
    empty = math.exp(-lam * 6.0)  # no shipment in 6 h: sails empty
    assert a.empty_sailings == pytest.approx(empty, rel=1e-12)
    assert a.dwell_h == pytest.approx((1.0 - empty) * 2.0 / lam, rel=1e-12)
    called = a.empty_share * lam / (lam + 6.0 / a.away_h)
    assert a.away_h == pytest.approx(44.0 + (1.0 - empty) * 7.0 + 6.0 * (1.0 - called))
    assert a.empty_share == pytest.approx(
        port_empty_share(ships=6, dwell_h=a.dwell_h, away_h=a.away_h), rel=1e-9
    )
    assert a.wait_h == pytest.approx(a.empty_share * a.away_h / 6.0, rel=1e-12)
    # more ships, less absence; no cargo, no wait
    more = ship_absence(
        lam, ships=12, shipments_per_sailing=2.0, sail_h=22.0, handling_h=7.0, empty_wait_h=6.0
    )
    assert more.wait_h < 0.05 * a.wait_h
    assert (
        ship_absence(
            0.0, ships=6, shipments_per_sailing=2.0, sail_h=22.0, handling_h=7.0, empty_wait_h=6.0
        ).wait_h
        == 0.0
    )


def test_a_visit_that_finds_a_whole_deck_waiting_leaves_at_once() -> None:
    """Trains of a whole deck (one a sailing), 1.4 a day, 5 ships, 20 h sailings: the
    dwell is the wait for a first train times the share of visits that find none,
    1 - lam Z / c, and the line's wait adds the queue of sailings to the absence."""
    lam = 1.4 / 24.0
    kw = {"ships": 5, "shipments_per_sailing": 1.0, "sail_h": 20.0, "handling_h": 7.0}
    groups = ship_absence(lam, **kw, empty_wait_h=6.0)  # type: ignore[arg-type]
    whole = ship_absence(lam, **kw, empty_wait_h=6.0, whole_deck=True)  # type: ignore[arg-type]
    first = (1.0 - math.exp(-lam * 6.0)) / lam
    assert groups.dwell_h == pytest.approx(first, rel=1e-12)
    assert whole.dwell_h == pytest.approx(first * (1.0 - lam * whole.away_h / 5), rel=1e-12)
    assert whole.empty_share == pytest.approx(
        port_empty_share(ships=5, dwell_h=whole.dwell_h, away_h=whole.away_h), rel=1e-9
    )
    assert whole.empty_share > groups.empty_share  # shorter stays, the port empty longer
    line = FerryQueue(
        ships=5,
        round_trip_h=47.0,
        shipment_units=50,
        deck_units=(50,) * 5,
        max_wait_h=48.0,
        return_h=20.0,
        empty_wait_h=6.0,
    )
    sailings = QueueElement(
        "ferry", servers=5, service_h=47.0, service_cv=0.0, arrival_cv=1.0, open_share=1.0
    )
    assert line.fill_wait_h(lam) == 0.0
    assert line.wait_h(lam) == pytest.approx(whole.wait_h + sailings.wait_h(lam), rel=1e-12)


WHOLE_DECK_TOYS = (
    # ships, sailing h, share of the lift, simulated wait h (seeds 3-4, 6 years a seed)
    (5, 20.0, 0.55, 9.6),
    (6, 22.0, 0.55, 7.9),
    (3, 18.0, 0.4, 11.3),
)


@pytest.mark.slow
@pytest.mark.parametrize(("ships", "sail_h", "rho", "simulated_h"), WHOLE_DECK_TOYS)
def test_trains_of_a_whole_deck_one_way_wait_as_the_simulated_ships(
    ships: int, sail_h: float, rho: float, simulated_h: float
) -> None:
    """One-way lines of 50-wagon ships, trains of 50 wagons (benchmarks/ferry_waits_fit.py's
    toy, no cargo back, no storms, seeds 3-4 chosen before looking, the cases of f4a8a0b):
    the function within 20 % of the simulated wait, which the first argument restates."""
    a = rho * ships / (2.0 * sail_h + 7.0) * 24.0  # trains a day
    model = toy(
        ships=ships, sail_h=sail_h, a_per_day=a, b_per_day=0.0, storms=False, wagons=50, years=6
    )
    sim = simulated_waits(model, (3, 4))
    assert sim["A"] == pytest.approx(simulated_h, abs=0.05)
    (load,) = [f for f in ferry_loads(model) if f.arrivals_per_day > 0]
    assert load.ferry_queue().fill_wait_h(a / 24.0) == 0.0  # a train fills a deck
    assert load.wait_h() == pytest.approx(sim["A"], rel=0.2)
