"""What waits at the other port of a line loaded both ways: by Little's law on the line's
own function, what it does to the held ships and to the empty ships' absence, and the
container feeder's toy against the simulated ships."""

from __future__ import annotations

import math

import numpy as np
import pytest
from benchmarks.ferry_toys import FEEDER_TEU, case_model, grid_case, simulated_waits

from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import shipments_per_h
from corridors.cost.ferry_absence import ship_absence
from corridors.cost.ferry_across import Across, waiting_across
from corridors.cost.ferry_hold import line_back_factor_h, load_factor
from corridors.cost.ferry_lines import FerryLines
from corridors.cost.queueing import FerryQueue
from corridors.simulation.loads import ferry_loads


def _line(units: int = 25) -> FerryQueue:
    """4 ships of 50 wagons, a 51 h round trip, 14 h a deck-load back, Caspian-like storms."""
    return FerryQueue(
        ships=4,
        round_trip_h=51.0,
        shipment_units=units,
        deck_units=(50,) * 4,
        max_wait_h=48.0,
        open_share_by_month=(0.7,) * 2 + (1.0,) * 9 + (0.7,),
        closure_h=96.0,
        closure_cv=0.5,
        return_h=22.0,
        return_cargo_h=14.0,
        reopen_share=0.5,
        empty_wait_h=6.0,
    )


def test_what_waits_across_is_littles_law_on_the_lines_function_there() -> None:
    """The other port's own cargo is the cargo back, its joint load adds this port's; its
    wait for a ship is the line's wait less the deck filling at that joint load."""
    line = _line()
    lift = line.capacity_per_h(0.0)
    own, back = 0.3 * lift, 0.4 * lift
    joint = line.joint_arrivals(own, back)
    across = waiting_across(line, joint, own)
    there = line.joint_arrivals(back, own)  # the joint load from the other port
    ship_h = line.wait_h(there) - line.fill_wait_h(there)
    assert ship_h > 0.0
    assert across.shipments == pytest.approx(back * ship_h, rel=1e-9)
    per_sailing = line.fill(back).shipments_per_sailing
    assert across.sailings == pytest.approx(back / per_sailing * ship_h, rel=1e-9)
    assert across.deck_free == pytest.approx(math.exp(-across.sailings))
    # more cargo back: more waits there, fewer calls find no deck waiting
    more = waiting_across(line, line.joint_arrivals(own, 0.5 * lift), own)
    assert more.sailings > across.sailings
    assert more.deck_free < across.deck_free
    # no cargo back: nothing waits; the other port beyond the lift: every call finds a deck
    assert waiting_across(line, own, own) == Across(0.0, 0.0)
    over = waiting_across(line, line.joint_arrivals(0.1 * lift, 1.2 * lift), 0.1 * lift)
    assert over.deck_free == 0.0
    # trains of a whole deck across: half as many shipments an hour, each a sailing
    trains = waiting_across(line, joint, own, back_units=50)
    assert trains.sailings == pytest.approx(trains.shipments, rel=1e-9)
    there = line.joint_arrivals(back / 2, own / 2)
    whole = FerryQueue(**{**_fields(line), "shipment_units": 50})
    ship_h = whole.wait_h(there) - whole.fill_wait_h(there)
    assert trains.shipments == pytest.approx(back / 2 * ship_h, rel=1e-9)


def _fields(line: FerryQueue) -> dict[str, object]:
    return {name: getattr(line, name) for name in line.__dataclass_fields__}


def test_a_ship_that_finds_a_deck_waiting_across_holds_nobody() -> None:
    """The held ships' wait is the fitted term times the share of the calls across that
    find no deck waiting, in the line's wait and in the lines' across one water."""
    line = _line()
    lift = line.capacity_per_h(0.0)
    own = 0.4 * lift
    for back in (0.05, 0.3, 0.6):
        joint = line.joint_arrivals(own, back * lift)
        free = waiting_across(line, joint, own).deck_free
        assert 0.0 < free < 1.0
        held = line_back_factor_h(line, back * lift) * free
        hold = held * load_factor(own / lift, joint / lift)
        assert line.hold_h(joint, own) == pytest.approx(hold, rel=1e-12)
        assert line.wait_h(joint, own_per_h=own) == pytest.approx(
            line.wait_h(joint) - line.fill_wait_h(joint) + line.fill_wait_h(own) + hold,
            rel=1e-12,
        )
    # the equilibrium's grids, for a line and for two lines across one water
    both = FerryLines((line, line))
    for queue, times in ((line, 1.0), (both, 2.0)):
        delays = ElementDelays((queue,))
        rate = shipments_per_h(queue)
        for mine, back in ((0.3, 0.2), (0.5, 0.4), (0.2, 0.6)):
            joint = mine + queue.return_use * back
            exact = line.wait_h(joint * rate / times, own_per_h=mine * rate / times)
            on_grid = delays.wait_h(np.array([joint]), None, np.array([mine]))[0]
            assert on_grid == pytest.approx(exact, rel=0.01), (times, mine, back)


def test_an_empty_ship_sails_at_once_for_the_cargo_across() -> None:
    """Trains of a whole deck: a ship's only stay is its wait for a train, which it cuts
    short when cargo waits across; by hand from the absence with that share of the
    empty wait. Groups that share a deck: no shift."""
    line = _line(units=50)
    lift = line.capacity_per_h(0.0)
    own = 0.2 * lift
    joint = line.joint_arrivals(own, 0.5 * lift)
    share = waiting_across(line, joint, own).nothing_waiting
    assert 0.0 < share < 1.0
    args = {
        "ships": 4,
        "shipments_per_sailing": 1.0,
        "sail_h": 22.0,
        "handling_h": 7.0,
        "whole_deck": True,
    }
    by_hand = (
        ship_absence(joint, empty_wait_h=6.0 * share, **args).wait_h  # type: ignore[arg-type]
        - ship_absence(joint, empty_wait_h=6.0, **args).wait_h  # type: ignore[arg-type]
    )
    assert by_hand > 0.0  # fewer ships stay: the trains wait longer for one
    assert line.absence_shift_h(joint, empty_share=share) == pytest.approx(by_hand, rel=1e-12)
    assert line.wait_h(joint, own_per_h=own) == pytest.approx(
        line.wait_h(joint)
        - line.fill_wait_h(joint)
        + line.fill_wait_h(own)
        + line.hold_h(joint, own)
        + by_hand,
        rel=1e-12,
    )
    assert line.wait_h(own, own_per_h=own) == line.wait_h(own)  # no cargo back
    assert line.absence_shift_h(joint, empty_share=1.0) == 0.0
    assert _line().absence_shift_h(joint, empty_share=share) == 0.0  # groups share a deck
    # the equilibrium's grids
    delays = ElementDelays((line,))
    rate = shipments_per_h(line)
    exact = line.wait_h(joint, own_per_h=own)
    on_grid = delays.wait_h(np.array([joint / rate]), None, np.array([own / rate]))[0]
    assert on_grid == pytest.approx(exact, rel=0.01)


@pytest.mark.slow
def test_the_feeder_with_as_much_cargo_back_in_storms() -> None:
    """The Aktau feeders' decks (350, 125, 125, 225 TEU), 100-TEU shipments, 25 h
    sailings, own 0.5 of the full-deck lift from both ports, the Caspian storms (seeds
    1-2, 12 years a seed; a case of the grid's feeders, which the term is not fitted
    on): both ports queue, a ship finds decks waiting across, and the function is 114.4
    h against 113.8 and 114.0 simulated (184.9 h, +62 %, before the calls that find a
    deck waiting held nobody)."""
    model = case_model(grid_case(4, 25.0, 0.5, 1.0, True, wagons=FEEDER_TEU, feeder=True), years=12)
    sim = simulated_waits(model, (1, 2))
    checked = [(f.port, sim[f.port], f.wait_h()) for f in ferry_loads(model) if f.arrivals_per_day]
    assert len(checked) == 2
    for _port, simulated, function in checked:
        assert function == pytest.approx(simulated, rel=0.1), checked
