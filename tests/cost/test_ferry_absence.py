"""The ships' absence from a ferry port: by hand and against a Monte Carlo of the ships
(against the simulated line: ``test_ferry_queue.py``; trains of a whole deck, a known
miss, below)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from benchmarks.ferry_waits_fit import simulated_waits, toy

from corridors.cost.ferry_absence import port_empty_share, ship_absence
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


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="trains of a whole deck one way (5 ships of 50 wagons, 20 h sailings, 0.55 of "
    "the lift, no storms, seeds 3-4, 6 years a seed) wait 9.6 h for a ship in the "
    "simulation against 5.0 by the function (-48 %). Its absence term p0 Z / c is short "
    "twice (seed 3): it puts a ship at the port 46 % of the time against 28 % simulated "
    "(its dwell is the wait for a first train, 5.1 h, while 57 % of the ships' visits find "
    "a train waiting and leave at once: 2.9 h simulated; with the simulated dwell and time "
    "away, 2.9 and 49 h, its formula gives p0 0.725 against 0.718 simulated), and it is "
    "the wait of the first train in a gap without a ship (6.6 h simulated; the gaps' "
    "residual 9.35 h against Z / c 9.39 h), while each train needs a ship of its own: "
    "3.1 h of the simulated 9.7 h is the wait behind the other trains of the gap. With "
    "groups of 25 wagons (two a deck) the two errors offset: 7.1 h simulated against 7.5",
)
def test_trains_of_a_whole_deck_one_way_wait_as_the_simulated_ships() -> None:
    """One-way line of 5 ships of 50 wagons, 20 h sailings, trains of 50 wagons at 0.55
    of the full-deck lift (benchmarks/ferry_waits_fit.py's toy, no cargo back, no
    storms, seeds 3-4 chosen before looking): the function within 20 %."""
    a = 0.55 * 5 / (2.0 * 20.0 + 7.0) * 24.0  # trains a day
    model = toy(ships=5, sail_h=20.0, a_per_day=a, b_per_day=0.0, storms=False, wagons=50, years=6)
    sim = simulated_waits(model, (3, 4))
    (load,) = [f for f in ferry_loads(model) if f.arrivals_per_day > 0]
    assert load.ferry_queue().fill_wait_h(a / 24.0) == 0.0  # a train fills a deck
    assert load.wait_h() == pytest.approx(sim["A"], rel=0.2)
