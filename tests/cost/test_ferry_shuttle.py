"""The ships shuttling between two ports that both send cargo (``cost.ferry_shuttle``).

The closed network of ships against the machine-repair model it generalises, by hand;
the wait against the simulated ships is in ``test_ferry_two_way.py``.
"""

from __future__ import annotations

import pytest

from corridors.cost.ferry_absence import port_empty_share
from corridors.cost.ferry_shuttle import shuttle_absence, shuttle_cycle


@pytest.mark.parametrize("ships", [1, 2, 3, 6])
def test_one_port_with_exponential_turns_is_the_machine_repair_model(ships: int) -> None:
    """One single server (exponential service: E[S^2] = 2 E[S]^2) and a delay: Mean
    Value Analysis is exact, so the port's empty share is the machine-repair one."""
    dwell, away = 4.0, 30.0
    rate, at = shuttle_cycle([dwell], [2.0 * dwell**2], ships=ships, delay_h=away)
    assert 1.0 - rate * dwell == pytest.approx(
        port_empty_share(ships=ships, dwell_h=dwell, away_h=away), rel=1e-12
    )
    # Little's law over the cycle: every ship is at the port or away
    assert ships / rate == pytest.approx(away + at[0], rel=1e-12)


def test_a_second_ship_waits_the_residual_turn_of_the_first() -> None:
    """Two ships, fixed 6 h turns (E[S^2] = 36): with one ship at the port a share u
    of the time, the arriving one waits u x 3 h, Reiser's residual; by hand from the
    one-ship network: u = 6 / 26."""
    rate1 = 1.0 / 26.0
    u = rate1 * 6.0
    rate, at = shuttle_cycle([6.0], [36.0], ships=2, delay_h=20.0)
    assert at[0] == pytest.approx(6.0 + u * 3.0, rel=1e-12)
    assert rate == pytest.approx(2.0 / (20.0 + at[0]), rel=1e-12)


def test_a_shuttling_ship_is_away_longer_than_its_sailings() -> None:
    args = {
        "ships": 6,
        "shipments_per_sailing": (2.0, 2.0),
        "hold_h": (10.0, 10.0),
        "sail_h": 22.0,
        "handling_h": 7.0,
        "return_cargo_h": 7.0,
        "empty_wait_h": 6.0,
    }
    a = shuttle_absence((0.1, 0.1), **args)  # type: ignore[arg-type]
    assert 0.0 < a.empty_share < 1.0
    assert a.wait_h > 0.0
    # the cycle is longer than the sailings and the handling of the loaded legs
    assert a.away_h > 44.0
    assert shuttle_absence((0.0, 0.1), **args).wait_h == 0.0  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ship"):
        shuttle_absence((0.1, 0.1), **{**args, "ships": 0})  # type: ignore[arg-type]
