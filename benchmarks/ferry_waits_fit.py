"""Simulated ferry waits over a designed grid of toy lines, against the delay function.

Measures the mean wait for a ship (and, in storms, for the storm's end at the port's
station) of two-port lines loaded both ways (``benchmarks/ferry_toys.py``: 50-wagon
ships with groups of 25 wagons, groups mixed with trains of a whole deck, trains of 50
on 54-56-wagon decks, 100-TEU shipments on the container feeders' decks), over a grid
of ships, sailing hours, own utilisation, cargo back and storms, and writes one row per
line and port with the delay function's wait (``function_h``), the held ships' term in
it (``hold_h``, :data:`corridors.cost.ferry_hold.HOLD_FIT`), the wait without it
(``base_h``) and the term's variables (:func:`wait_terms`). ``--fit`` fits the term's
coefficients to such rows (:func:`fit_hold`): least squares of the relative error of
``base_h + H`` against the simulated wait, soft L1 at 0.2, over the rows at joint
utilisation <= 0.9 (``rho_joint``, the lift at the deck filling's sailings over the
year, the ports' open share counted), at ``HOLD_FIT``'s joint weight ``j``; it logs the
coefficients and the share of the directions within 20 % with them, with ``HOLD_FIT``
and without the term, by part of the grid.

Usage::

    PYTHONPATH=src python -m benchmarks.ferry_waits_fit --out /tmp/ferry_grid.csv
    PYTHONPATH=src python -m benchmarks.ferry_waits_fit --fit /tmp/ferry_grid.csv
    PYTHONPATH=src python -m benchmarks.ferry_waits_fit --held-out --out /tmp/held.csv
    PYTHONPATH=src python -m benchmarks.ferry_waits_fit --storms --out /tmp/storms.csv

(from the repository's root: the toy lines are in ``benchmarks/ferry_toys.py``).

The grid's seeds are 1 and 2 (6 years a seed, 12 with storms), the held-out cases' 3
and 4 (chosen before looking); ``--storms``: one-way lines in the Caspian storms at
0.3-0.7 of their lift, with and without trains of a deck, 36 years a seed (the storms'
backlog, :class:`corridors.cost.ferry_queue.FerryQueue`). About 170 s CPU for the grid,
about 2 s for the fit.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
from benchmarks.ferry_toys import case_model, cases, simulated_waits, storm_cases
from scipy.optimize import least_squares

from corridors.cost.deck_fill import DeckFill
from corridors.cost.ferry_across import waiting_across
from corridors.cost.ferry_hold import (
    HOLD_FIT,
    HoldFit,
    back_factor_h,
    line_back_fill,
    load_factor,
)
from corridors.simulation.ferry_load import FerryLoad
from corridors.simulation.loads import ferry_loads

LOG = logging.getLogger("ferry_waits_fit")

FITTED = ("scale", "storms", "held", "fill", "ships", "own", "absent")
"""The coefficients :func:`fit_hold` estimates (:class:`~corridors.cost.ferry_hold.HoldFit`)."""

FIT_START = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.1)
"""Where :func:`fit_hold` starts, in the order of :data:`FITTED`."""

FIT_UTILISATION = 0.9
"""The rows fitted: joint utilisation (``rho_joint``) at most this."""

FIT_PARTS = ("groups", "wide")
"""The parts of the grid fitted (:func:`grid_part`); the others are checked. Fitted on
the mixes and the feeders too, the term covers more of them (mixes 227 of 288 within
20 % against 194, feeders 127 of 153 against 122; on the months' fade, MONTH_FADE) but
overshoots busy lines with as much cargo back (6 ships, 22 h, own 0.6: +24 % against
-1 %), fits the groups 427 of 476 against 446, and the shipped Kuryk ferries (-21 %
against -9 % at 8733c0c; docs/model.md)."""


def wait_terms(load: FerryLoad) -> dict[str, float]:
    """The function's wait of a direction, its held ships' term and the term's variables.

    ``function_h`` (:meth:`FerryLoad.wait_h`), ``hold_h`` the held ships' wait in it
    (:meth:`~corridors.cost.ferry_queue.FerryQueue.hold_h` at the joint load and the
    port's own shipments, with ``HOLD_FIT``) and ``base_h`` the rest; the variables of
    :func:`hold_at`: the other port's shipments an hour and how they fill its decks
    (:func:`~corridors.cost.ferry_hold.line_back_fill`, all 0 with no cargo back), the
    share of the ships' calls there that find no deck waiting (``deck_free``), the
    line's ships, round trip and open share, and the utilisations of the port's own
    shipments and of the joint load over the lift with full decks; ``absence_shift_h``
    (:meth:`~corridors.cost.ferry_queue.FerryQueue.absence_shift_h`, in ``base_h``).
    Shipments an hour.
    """
    line = load.ferry_queue()
    own = load.arrivals_per_day / 24.0
    joint = load.joint_per_h()
    back_h = (joint - own) / line.return_use if line.return_use > 0 else 0.0
    function = load.wait_h()
    hold = line.hold_h(joint, own, back_units=load.back_units)
    fill, other = DeckFill(0.0, 0.0, 0.0, 0.0), 0.0
    if back_h > 0.0:
        fill, other = line_back_fill(line, back_h, back_units=load.back_units)
    across = waiting_across(line, joint, own, back_units=load.back_units)
    lift = line.capacity_per_h(0.0)
    mine = line.fill(own)
    return {
        "function_h": function,
        "hold_h": hold,
        "base_h": function - hold,
        "own_per_h": own,
        "back_per_h": back_h,
        "rho_joint": line.utilisation(joint) if math.isfinite(joint) else math.nan,
        "rho_own": line.utilisation(own),
        "round_trip_h": line.round_trip_h,
        "return_use": line.return_use,
        "line_ships": line.ships,
        "open_share": line.open_share,
        "own_full": own / lift,
        "joint_full": joint / lift,
        "back_other_per_h": other,
        "back_fill_h": fill.wait_h,
        "back_per_sailing": fill.shipments_per_sailing,
        "back_full_share": fill.full_share,
        "back_ship_h": fill.ship_h,
        "deck_free": across.deck_free,
        "absence_shift_h": line.absence_shift_h(joint, empty_share=across.nothing_waiting),
        "own_per_sailing": mine.shipments_per_sailing,
        "own_ship_h": mine.ship_h,
        "one_way_h": line.wait_h(own),
    }


def hold_at(rows: pd.DataFrame, fit: HoldFit) -> np.ndarray:
    """The held ships' term of each row of :func:`wait_terms` with coefficients ``fit``, hours.

    The product of the library's factors as :func:`~corridors.cost.ferry_hold.line_hold_h`
    takes it: :func:`~corridors.cost.ferry_hold.back_factor_h` of the other port's deck
    filling x the share of the ships' calls there that find no deck waiting
    (``deck_free``, :func:`~corridors.cost.ferry_across.waiting_across`) x
    :func:`~corridors.cost.ferry_hold.load_factor` of the full-deck
    utilisations (with ``HOLD_FIT``, the rows' ``hold_h``).
    """
    out = np.zeros(len(rows))
    for i, r in enumerate(rows.itertuples(index=False)):
        fill = DeckFill(r.back_fill_h, r.back_per_sailing, r.back_full_share, r.back_ship_h)
        factor = back_factor_h(
            fill,
            r.back_other_per_h,
            round_trip_h=r.round_trip_h,
            ships=int(r.line_ships),
            open_share=r.open_share,
            fit=fit,
        )
        if factor:
            out[i] = factor * r.deck_free * load_factor(r.own_full, r.joint_full, fit=fit)
    return out


def relative_error(rows: pd.DataFrame, fit: HoldFit) -> np.ndarray:
    """``(base_h + H) / simulated_h - 1`` of each row (:func:`hold_at`)."""
    return np.asarray((rows["base_h"] + hold_at(rows, fit)) / rows["simulated_h"] - 1.0)


def fit_hold(
    rows: pd.DataFrame, *, joint: float = 1.0, start: Sequence[float] = FIT_START
) -> HoldFit:
    """The held ships' coefficients :data:`FITTED` that fit the rows' simulated waits.

    ``scipy.optimize.least_squares`` of :func:`relative_error` (soft L1 at 0.2) over
    ``rows`` (those of :func:`wait_terms`, already selected), the joint utilisation's
    weight held at ``joint``, from ``start``.
    """
    base = rows["base_h"].to_numpy()
    sim = rows["simulated_h"].to_numpy()

    def trial(theta: np.ndarray) -> HoldFit:
        return HoldFit(**dict(zip(FITTED, map(float, theta), strict=True)), joint=joint, source="")

    result = least_squares(
        lambda theta: (base + hold_at(rows, trial(theta))) / sim - 1.0,
        np.asarray(start, dtype=float),
        loss="soft_l1",
        f_scale=0.2,
    )
    return dataclasses.replace(
        trial(result.x),
        source=f"least squares (soft L1 at 0.2) of the relative error of {len(rows)} rows",
    )


def fit_grid(path: str) -> HoldFit:
    """Fit the held ships' term to the rows at ``path`` and log it against ``HOLD_FIT``.

    Fitted at ``HOLD_FIT.joint`` (the weight the equilibrium converges with); the
    share within 20 % logged by part of the grid (:func:`grid_part`).
    """
    frame = pd.read_csv(path)
    rows = frame[frame["rho_joint"] <= FIT_UTILISATION].reset_index(drop=True)
    stale = np.abs(hold_at(rows, HOLD_FIT) - rows["hold_h"]).max()
    if stale > 1e-6:
        raise ValueError(f"rows of other coefficients than HOLD_FIT ({stale:.2g} h): rerun")
    parts = grid_part(rows)
    fitted = fit_hold(rows[np.isin(parts, FIT_PARTS)].reset_index(drop=True), joint=HOLD_FIT.joint)
    LOG.info(
        "%d of %d rows at rho_joint <= %.1f (fitted: %s), j = %.2f: %s",
        len(rows),
        len(frame),
        FIT_UTILISATION,
        " and ".join(FIT_PARTS),
        HOLD_FIT.joint,
        {k: round(getattr(fitted, k), 3) for k in FITTED},
    )
    storms = rows["storms"].astype(bool).to_numpy()
    for name, fit in (
        ("fitted", fitted),
        ("HOLD_FIT", HOLD_FIT),
        ("without the term", dataclasses.replace(HOLD_FIT, scale=0.0)),
    ):
        near = np.abs(relative_error(rows, fit)) < 0.2
        LOG.info(
            "%-16s within 20 %%: %.1f %% without storms, %.1f %% with; %s",
            name,
            100 * near[~storms].mean(),
            100 * near[storms].mean(),
            ", ".join(
                f"{part} {near[parts == part].sum()} of {(parts == part).sum()}"
                for part in ("groups", "mix", "wide", "feeder")
            ),
        )
    return fitted


def grid_part(rows: pd.DataFrame) -> np.ndarray:
    """The part of the grid of each row: ``groups`` (of 25 wagons both ways), ``mix``
    (:func:`~benchmarks.ferry_toys.mix_cases`), ``wide`` or ``feeder``."""
    part = np.full(len(rows), "groups", dtype=object)
    for name, column in (("mix", "back_trains"), ("wide", "wide"), ("feeder", "feeder")):
        if column in rows:
            part[rows[column].fillna(0).astype(float).to_numpy() > 0] = name
    return part


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", help="simulate the grid, write its rows here (csv)")
    what.add_argument("--fit", help="fit the held ships' term to these rows (csv)")
    parser.add_argument("--held-out", action="store_true")
    parser.add_argument("--storms", action="store_true", help="the one-way storm grid")
    parser.add_argument("--years", type=int, default=6)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.fit:
        fit_grid(args.fit)
        return
    seeds = (3, 4) if args.held_out else (1, 2)
    rows = []
    start = time.process_time()
    for case in storm_cases() if args.storms else cases(args.held_out):
        years = args.years * (2 if case["storms"] else 1) * (3 if args.storms else 1)
        model = case_model(case, years=years)
        sim = simulated_waits(model, seeds)
        for load in ferry_loads(model):
            if load.arrivals_per_day <= 0 or load.port not in sim:
                continue
            rows.append(
                {**case, "port": load.port, "simulated_h": sim[load.port], **wait_terms(load)}
                | {"seeds": " ".join(map(str, seeds))}
            )
        LOG.info("%s %s", case, {p: round(w, 1) for p, w in sim.items()})
    frame = pd.DataFrame(rows)
    frame.to_csv(args.out, index=False)
    LOG.info("%d rows in %.0f s CPU -> %s", len(frame), time.process_time() - start, args.out)


if __name__ == "__main__":
    main()
