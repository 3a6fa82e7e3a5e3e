"""The ships held at the other port by its deck filling: by hand, in both engines, and
against the simulated ships (cases of the fitted grid and held-out cases)."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from benchmarks.ferry_toys import case_model, grid_case, simulated_waits
from benchmarks.ferry_waits_fit import fit_hold, hold_at, wait_terms

from corridors.cost.deck_fill import DeckFill
from corridors.cost.element_delays import ElementDelays
from corridors.cost.element_queues import shipments_per_h
from corridors.cost.ferry_across import waiting_across
from corridors.cost.ferry_hold import HOLD_FIT, back_factor_h, load_factor
from corridors.cost.ferry_lines import FerryLines
from corridors.cost.queueing import FerryQueue
from corridors.simulation.loads import ferry_loads


def _line(**kw: object) -> FerryQueue:
    """4 ships of 50 wagons, groups of 25, a 51 h round trip, 14 h a deck-load back."""
    args: dict[str, object] = {
        "ships": 4,
        "round_trip_h": 51.0,
        "shipment_units": 25,
        "deck_units": (50,) * 4,
        "max_wait_h": 48.0,
        "return_h": 22.0,
        "return_cargo_h": 14.0,
        "reopen_share": 0.5,
        "empty_wait_h": 6.0,
    }
    args.update(kw)
    return FerryQueue(**args)  # type: ignore[arg-type]


def test_the_held_ships_wait_by_hand() -> None:
    """A ship takes cargo 10 h at the other port per sailing of 2 shipments, 0.05 an hour
    arrive there: it holds the turn 0.25 of the time. 4 ships, a 50 h round trip, no storms:
    a T x^b (h/T)^g; at own utilisation 0.5 and joint 0.6, times 0.5^e / (1 - j 0.6) + d."""
    fill = DeckFill(wait_h=5.0, shipments_per_sailing=2.0, full_share=1.0, ship_h=10.0)
    f = HOLD_FIT
    factor = back_factor_h(fill, 0.05, round_trip_h=50.0, ships=4, open_share=1.0)
    assert factor == pytest.approx(f.scale * 50.0 * 0.25**f.held * 0.2**f.fill, rel=1e-12)
    # storms close the ports 15 % of the year: kappa x 0.15 more; 8 ships: 2^m more
    stormy = back_factor_h(fill, 0.05, round_trip_h=50.0, ships=8, open_share=0.85)
    assert stormy == pytest.approx(factor * (1 + f.storms * 0.15) * 2**f.ships, rel=1e-12)
    assert load_factor(0.5, 0.6) == pytest.approx(0.5**f.own / (1 - f.joint * 0.6) + f.absent)
    # smooth and finite at capacity (the equilibrium's shadow price takes over there)
    assert f.joint == 0.8
    assert load_factor(0.5, 1.0) == pytest.approx(0.5**f.own / 0.2 + f.absent)
    assert load_factor(0.5, 1.5) == load_factor(0.5, 1.0)
    # nothing held without cargo back, or a deck that fills at once (a train of a deck)
    assert back_factor_h(fill, 0.0, round_trip_h=50.0, ships=4, open_share=1.0) == 0.0
    full = DeckFill(wait_h=0.0, shipments_per_sailing=1.0, full_share=1.0, ship_h=0.0)
    assert back_factor_h(full, 0.05, round_trip_h=50.0, ships=4, open_share=1.0) == 0.0
    # a port's first shipment still waits for a ship held at the other port (continuous)
    assert load_factor(0.0, 0.6) == f.absent > 0.0
    assert load_factor(1e-9, 0.6) == pytest.approx(f.absent)
    assert "seeds 1-2" in f.source


def test_the_line_adds_it_with_cargo_back_and_is_the_one_way_function_without() -> None:
    line = _line()
    lift = line.capacity_per_h(0.0)
    own = 0.4 * lift
    for back in (0.3, 0.05, 1e-7):
        joint = line.joint_arrivals(own, back * lift)
        free = waiting_across(line, joint, own).deck_free
        hold = line.back_factor_h(back * lift) * free * load_factor(own / lift, joint / lift)
        assert line.hold_h(joint, own) == pytest.approx(hold, rel=1e-12)
        assert line.absence_shift_h(joint, empty_share=0.5) == 0.0  # groups share a deck
        assert line.wait_h(joint, own_per_h=own) == pytest.approx(
            line.wait_h(joint) - line.fill_wait_h(joint) + line.fill_wait_h(own) + hold,
            rel=1e-12,
        )
    assert line.hold_h(line.joint_arrivals(own, 0.3 * lift), own) > 1.0  # hours
    # no cargo back: the one-way function exactly; a little: near it (continuous)
    assert line.wait_h(own, own_per_h=own) == line.wait_h(own)
    # (the held ships' share x^b with b < 1: it comes in steeply, ~ back^b)
    nearer = [
        line.wait_h(line.joint_arrivals(own, back * lift), own_per_h=own) - line.wait_h(own)
        for back in (1e-4, 1e-7, 1e-10)
    ]
    assert nearer == sorted(nearer, reverse=True)
    assert nearer[-1] == pytest.approx(0.0, abs=1e-3 * line.wait_h(own))
    # increasing in the port's own cargo at a given cargo back
    holds = [
        line.hold_h(line.joint_arrivals(r * lift, 0.2 * lift), r * lift) for r in (0.1, 0.3, 0.5)
    ]
    assert holds == sorted(holds)
    # trains of a whole deck back fill it at once and hold no ship
    assert line.hold_h(line.joint_arrivals(own, 0.1 * lift), own, back_units=50) == 0.0
    # the lines across one water: each its share, at the lines' utilisation
    both = FerryLines((line, line))
    joint = line.joint_arrivals(own, 0.3 * lift)
    assert both.wait_h(2 * joint, own_per_h=2 * own) == pytest.approx(
        line.wait_h(joint, own_per_h=own)
    )
    assert both.back_factor_h(0.6 * lift) == pytest.approx(line.back_factor_h(0.3 * lift))


def test_the_equilibriums_grid_gives_the_lines_wait() -> None:
    """ElementDelays keeps the cargo back's factor (with the calls across) on a grid of
    0.01 of the cargo back's and the own cargo's utilisations and takes the utilisations'
    factor exactly: the line's own wait within 1 %."""
    line = _line(open_share_by_month=(0.8,) * 3 + (1.0,) * 9, closure_h=96.0, closure_cv=0.5)
    rate = shipments_per_h(line)
    delays = ElementDelays((line,))
    for own, back in ((0.3, 0.2), (0.5, 0.05), (0.2, 0.6)):
        joint = own + line.return_use * back
        exact = line.wait_h(joint * rate, own_per_h=own * rate)
        on_grid = delays.wait_h(np.array([joint]), None, np.array([own]))[0]
        assert on_grid == pytest.approx(exact, rel=0.01), (own, back)
        assert exact > line.wait_h(joint * rate) - line.fill_wait_h(joint * rate) + (
            line.fill_wait_h(own * rate)
        )
    # no cargo back: no hold
    assert delays.wait_h(np.array([0.4]), None, np.array([0.4]))[0] == pytest.approx(
        line.wait_h(0.4 * rate), rel=1e-3
    )


def test_the_fit_step_recovers_known_coefficients() -> None:
    """benchmarks/ferry_waits_fit.py's fit step on rows of toy lines of the grid (no
    simulation): their terms are the library's (``hold_h``, the line's), and with waits
    made from known coefficients (the function without the term + H of them, j = 1) the
    least squares from its start finds them."""
    rows = []
    for ships, sail, rho, back, storms in itertools.product(
        (3, 6), (18.0, 30.0), (0.2, 0.5), (0.0, 0.3, 1.0), (False, True)
    ):
        model = case_model(grid_case(ships, sail, rho, back, storms), years=1)
        rows += [wait_terms(f) | {"storms": storms} for f in ferry_loads(model)]
    frame = pd.DataFrame([r for r in rows if r["own_per_h"] > 0])
    assert len(frame) == 80
    assert (frame["hold_h"] > 0).sum() == 64  # the directions with cargo back
    np.testing.assert_allclose(hold_at(frame, HOLD_FIT), frame["hold_h"], rtol=1e-12)
    known = dataclasses.replace(
        HOLD_FIT,
        scale=1.5,
        storms=4.0,
        held=1.2,
        fill=1.4,
        ships=0.5,
        own=1.1,
        absent=0.2,
        joint=1.0,
    )
    frame["simulated_h"] = frame["base_h"] + hold_at(frame, known)
    fitted = fit_hold(frame)
    for name in ("scale", "storms", "held", "fill", "ships", "own", "absent"):
        assert getattr(fitted, name) == pytest.approx(getattr(known, name), rel=1e-4), name
    assert fitted.joint == 1.0


def _agree(
    case: dict[str, float], seeds: tuple[int, ...], years: int
) -> list[tuple[str, float, float]]:
    model = case_model(case, years=years)
    sim = simulated_waits(model, seeds)
    return [(f.port, sim[f.port], f.wait_h()) for f in ferry_loads(model) if f.arrivals_per_day > 0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("ships", "sail_h", "rho", "back", "storms"),
    [
        (6, 22.0, 0.6, 0.2, False),
        (3, 18.0, 0.6, 0.05, False),
        (4, 22.0, 0.4, 0.5, True),
    ],
)
def test_cases_of_the_fitted_grid(
    ships: int, sail_h: float, rho: float, back: float, storms: bool
) -> None:
    """Three cases of the grid the term was fitted on (seeds 1-2, 6 years a seed, 12 with
    storms), where the function without it missed by 40-80 % at the busier port: both
    ports within 20 % (6 ships at 0.63 of joint utilisation, A 31.2 h against 30.2, was
    23.4 with the coefficients fitted at ``j = 1`` and taken at ``j = 0.8``)."""
    checked = _agree(grid_case(ships, sail_h, rho, back, storms), (1, 2), 12 if storms else 6)
    for _port, sim, fn in checked:
        assert fn == pytest.approx(sim, rel=0.2), checked


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sail_h", "rho", "back", "storms"),
    [
        (20.0, 0.55, 0.1, False),
        (26.0, 0.3, 0.5, True),
        pytest.param(
            20.0,
            0.55,
            0.9,
            True,
            marks=pytest.mark.xfail(
                strict=True,
                reason="near the winter months' capacity (joint utilisation 0.77-0.82, storms) "
                "the function is above the simulated ships at B: 88.6 h against 61.7 (+44 %; "
                "88.6 h without the held ships, which the calls that find a deck waiting "
                "across leave at 0.1 h; 101.3 before the calls across, 93.5 with the storms' "
                "backlog a fluid before its waves of ships, 124.0 before a winter month's "
                "queues faded past its knee, MONTH_FADE); A 100.7 against 88.2 (+14 %; 122.7 "
                "before the calls across); of the 48 held-out directions of groups of 25 "
                "wagons, 44 are within 20 % (43 before the calls across), of the 48 of trains "
                "of a whole deck both ways 24 (19 before the empty ships sailed at once for "
                "the cargo across, 16 with the fluid backlog)",
            ),
        ),
    ],
)
def test_held_out_cases(sail_h: float, rho: float, back: float, storms: bool) -> None:
    """Cases off the grid, chosen before looking (benchmarks/ferry_waits_fit.py
    --held-out: 5 ships, seeds 3-4): both ports within 20 %."""
    checked = _agree(grid_case(5, sail_h, rho, back, storms), (3, 4), 12 if storms else 6)
    for _port, sim, fn in checked:
        assert fn == pytest.approx(sim, rel=0.2), checked
