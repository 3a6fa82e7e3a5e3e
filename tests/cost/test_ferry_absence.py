"""The ships' absence from a ferry port: by hand and against a Monte Carlo of the ships
(against the simulated line: ``test_ferry_queue.py``)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.cost.ferry_absence import port_empty_share, ship_absence


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
