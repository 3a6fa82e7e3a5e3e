"""Toy ferry lines between two ports A and B, simulated: the cases of the ferry waits' fit.

Ships of 50 wagons (or the Caspian container feeder's decks of 125-350 TEU) between A
and B, shipments from both ports through the port's station (closed with the port in a
storm), with or without the Caspian storms; :func:`simulated_waits` measures the mean
wait at each port for a ship and, in a storm, for its end at the port's station. The
cases of ``benchmarks/ferry_waits_fit.py`` (:func:`cases`, :func:`storm_cases`) and the
tests of the ferry terms (``tests/cost/test_ferry_hold.py``, ``test_ferry_absence.py``).
"""

from __future__ import annotations

import itertools

import numpy as np

from corridors.simulation import simulate
from corridors.simulation.distributions import Distribution
from corridors.simulation.model import (
    UNLIMITED,
    FerryLine,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    Station,
    Step,
)
from corridors.simulation.weather import CASPIAN_STORM_DAYS, Closures, WeatherArea

DECK = 50
"""Wagons a rail ferry takes."""

HANDLING_H = 7.0
"""Loading and unloading of a rail ferry, hours (3.5 + 3.5)."""

FEEDER = ((350, 8.0), (125, 5.0), (125, 5.0), (225, 6.0))
"""The container feeders' TEU and hours to load (and to unload) each, as the shipped
Aktau-Alat feeder line's four ships (src/corridors/datasets/eurasia/vessel.csv)."""

KURYK = ((56, 5.5), (54, 3.5), (54, 3.5))
"""The Kuryk-Alat rail ferries' wagons and hours to load (and to unload) each
(src/corridors/datasets/eurasia/vessel.csv): a train of 50 wagons leaves 4-6 to fill."""

FEEDER_TEU = 100
"""TEU of a feeder shipment (a block train of containers, as the shipped ones)."""

OPEN_SHARE = 1.0 - sum(CASPIAN_STORM_DAYS) / 365.0
"""Share of the year the Caspian ports are open (the storm grid's utilisation counts it)."""


def _mean(size: float, trains: float, deck: float) -> float:
    """Mean units of a shipment: ``size``, a share ``trains`` of them a whole ``deck``."""
    return size * (1.0 - trains) + deck * trains


def toy(
    *,
    ships: int,
    sail_h: float,
    a_per_day: float,
    b_per_day: float,
    storms: bool,
    wagons: int,
    years: int,
    trains: float = 0.0,
    back_trains: float = 0.0,
    feeder: bool = False,
    wide: bool = False,
) -> SimulationModel:
    """Ships between A and B, shipments of ``wagons`` from both ports, ``years`` years.

    ``trains`` and ``back_trains``: the share of A's and of B's shipments that are
    trains of 50 wagons (a whole deck) instead. ``feeder``: container feeders
    (:data:`FEEDER`, ``ships`` of them in turn) taking shipments of ``wagons`` TEU;
    ``wide``: rail ferries of 54-56 wagons (:data:`KURYK`, in turn).
    """
    if feeder or wide:
        kinds = FEEDER if feeder else KURYK
        unit = "capacity_teu" if feeder else "capacity_wagons"
        fleet = tuple(
            Ship(
                f"s{i}",
                **{unit: kinds[i % len(kinds)][0]},  # type: ignore[arg-type]
                load_h=kinds[i % len(kinds)][1],
                unload_h=kinds[i % len(kinds)][1],
                start_side="ab"[i % 2],  # type: ignore[arg-type]
            )
            for i in range(ships)
        )
    else:
        fleet = tuple(
            Ship(f"s{i}", capacity_wagons=DECK, load_h=3.5, unload_h=3.5, start_side="ab"[i % 2])  # type: ignore[arg-type]
            for i in range(ships)
        )
    line = FerryLine("f", "A", "B", sail_h=sail_h, ships=fleet, max_wait_h=48.0, empty_wait_h=6.0)

    def gen(name: str, frm: str, to: str, units: int, rate: float) -> ShipmentGenerator:
        return ShipmentGenerator(
            name,
            frm,
            to,
            (Step.station(f"port:{frm}"), Step.ferry("f", from_node=frm)),
            kind="block_train" if feeder else "wagon_group",
            wagons=0 if feeder else units,
            teu=float(units) if feeder else 0.0,
            tonnes=(10.0 if feeder else 60.0) * units,
            per_day=rate,
        )

    gens = tuple(
        gen(f"g{frm}", frm, to, wagons, rate)
        for frm, to, rate in (
            ("A", "B", a_per_day * (1.0 - trains)),
            ("B", "A", b_per_day * (1.0 - back_trains)),
        )
        if rate > 0
    )
    if trains > 0:
        gens += (gen("gA50", "A", "B", DECK, a_per_day * trains),)
    if back_trains > 0 and b_per_day > 0:
        gens += (gen("gB50", "B", "A", DECK, b_per_day * back_trains),)
    stations = tuple(
        Station(f"port:{p}", "port", UNLIMITED, Distribution.fixed(1.0), node_id=p) for p in "AB"
    )
    weather = (WeatherArea("caspian", ("A", "B"), CASPIAN_STORM_DAYS, mean_event_h=96.0),)
    return SimulationModel(
        stations=stations,
        ferry_lines=(line,),
        generators=gens,
        weather=weather if storms else (),
        horizon_h=years * 8760.0,
    )


def simulated_waits(model: SimulationModel, seeds: tuple[int, ...]) -> dict[str, float]:
    """Mean wait at each port for a ship and, at the port's station, the storm's end, hours."""
    total = dict.fromkeys("AB", 0.0)
    count = dict.fromkeys("AB", 0)
    for seed in seeds:
        run = simulate(model, seed=seed)
        storms = Closures(iv for _, ivs in run.storms for iv in ivs)
        for p in "AB":
            if f"f@{p}" not in run.res_ids:
                continue
            ferry = run.res_ids.index(f"f@{p}")
            boarded = (run.v_res == ferry) & np.isfinite(run.v_start)
            total[p] += float(np.sum(run.v_start[boarded] - run.v_arr[boarded]))
            count[p] += int(boarded.sum())
            station = run.res_ids.index(f"port:{p}")
            arrived = run.v_arr[run.v_res == station]
            if storms:
                total[p] += sum(storms.next_open(a) - a for a in arrived)
    return {p: total[p] / count[p] for p in "AB" if count[p] > 0}


def storm_cases() -> list[dict[str, float]]:
    """One-way lines in Caspian storms at line utilisations 0.3-0.75 (storms counted)."""
    out = []
    for ships, sail, util, trains in itertools.product(
        (3, 6), (18.0, 30.0), (0.3, 0.45, 0.6, 0.7), (0.0, 0.08)
    ):
        trip = 2.0 * sail + HANDLING_H
        mean_wagons = _mean(25.0, trains, DECK)
        a = util * OPEN_SHARE * ships * DECK / mean_wagons / trip * 24.0
        out.append(
            {
                "ships": ships,
                "sail_h": sail,
                "rho": util,
                "back": 0.0,
                "storms": True,
                "wagons": 25,
                "a": a,
                "trains": trains,
            }
        )
    return out


def cases(held_out: bool) -> list[dict[str, float]]:
    """The grid (or the held-out cases, off its points).

    The grid: groups of 25 wagons both ways (3, 4, 6 ships; 18, 22, 30 h; own 0.2-0.6;
    cargo back 0-1 of it); mixes of groups and trains of a whole deck (:func:`mix_cases`);
    and the container feeder's decks (:func:`feeder_cases`).
    """
    if held_out:
        grid = itertools.product((5,), (20.0, 26.0), (0.3, 0.55), (0.1, 0.5, 0.9), (False, True))
        return [
            grid_case(ships, sail, rho, back, storms, wagons=g)
            for (ships, sail, rho, back, storms), g in itertools.product(grid, (25, 50))
        ]
    grid = itertools.product(
        (3, 4, 6), (18.0, 22.0, 30.0), (0.2, 0.4, 0.6), (0.0, 0.05, 0.2, 0.5, 1.0), (False, True)
    )
    return [grid_case(*c) for c in grid] + mix_cases() + wide_cases() + feeder_cases()


def mix_cases() -> list[dict[str, float]]:
    """Groups of 25 wagons and trains of a whole deck on one line (as Aktau's and Kuryk's).

    4 and 6 ships, 22 h; from A groups with 3 % or 25 % of trains at own utilisation
    0.3, 0.45, 0.6; back trains only or half the shipments trains, 0.1, 0.3 and 0.6 of
    A's wagons; without and with storms.
    """
    return [
        grid_case(ships, 22.0, rho, back, storms, trains=trains, back_trains=back_trains)
        for ships, rho, trains, back, back_trains, storms in itertools.product(
            (4, 6), (0.3, 0.45, 0.6), (0.03, 0.25), (0.1, 0.3, 0.6), (1.0, 0.5), (False, True)
        )
    ]


def wide_cases() -> list[dict[str, float]]:
    """Trains of 50 wagons on decks of 54-56 (:data:`KURYK`), which they leave to fill.

    3 ships, 18 and 26 h; from A groups of 25 with 3 % of trains at own utilisation
    0.3, 0.45, 0.6; back trains only, 0.1, 0.3 and 0.6 of A's wagons; without and with
    storms.
    """
    return [
        grid_case(3, sail, rho, back, storms, trains=0.03, back_trains=1.0, wide=True)
        for sail, rho, back, storms in itertools.product(
            (18.0, 26.0), (0.3, 0.45, 0.6), (0.1, 0.3, 0.6), (False, True)
        )
    ]


def feeder_cases() -> list[dict[str, float]]:
    """The container feeders' decks (:data:`FEEDER`) filled by 100-TEU shipments.

    4 ships, 18, 25 and 30 h; own utilisation 0.2, 0.35, 0.5; cargo back 0, 0.25, 0.5,
    1 and 1.5 of it; without and with storms.
    """
    return [
        grid_case(4, sail, rho, back, storms, wagons=FEEDER_TEU, feeder=True)
        for sail, rho, back, storms in itertools.product(
            (18.0, 25.0, 30.0), (0.2, 0.35, 0.5), (0.0, 0.25, 0.5, 1.0, 1.5), (False, True)
        )
    ]


def grid_case(
    ships: int,
    sail_h: float,
    rho: float,
    back: float,
    storms: bool,
    *,
    wagons: int = 25,
    trains: float = 0.0,
    back_trains: float = 0.0,
    feeder: bool = False,
    wide: bool = False,
) -> dict[str, float]:
    """A toy line: own utilisation ``rho`` of the full-deck lift, ``back`` of its units back.

    ``trains``, ``back_trains``: A's and B's shares of trains of a whole deck;
    ``feeder``: the container feeders, shipments of ``wagons`` TEU; ``wide``: the
    rail ferries of 54-56 wagons (:func:`toy`).
    """
    if feeder or wide:
        kinds = FEEDER if feeder else KURYK
        fleet = [kinds[i % len(kinds)] for i in range(ships)]
        trip = sum(2.0 * sail_h + 2.0 * h for _, h in fleet) / ships
        deck = sum(k for k, _ in fleet) / ships
        mean_a = _mean(wagons, trains, DECK) if wide else float(wagons)
        mean_b = _mean(wagons, back_trains, DECK) if wide else float(wagons)
    else:
        trip, deck = 2.0 * sail_h + HANDLING_H, DECK
        mean_a, mean_b = _mean(wagons, trains, DECK), _mean(wagons, back_trains, DECK)
    a = rho * ships * (deck / mean_a) / trip * 24.0  # shipments a day from A
    case = {
        "ships": ships,
        "sail_h": sail_h,
        "rho": rho,
        "back": back,
        "storms": storms,
        "wagons": wagons,
        "a": a,
        "b": a * back if mean_a == mean_b else a * back * mean_a / mean_b,
    }
    if trains or back_trains or feeder or wide:
        case |= {"trains": trains, "back_trains": back_trains, "feeder": feeder, "wide": wide}
    return case


def case_model(case: dict[str, float], *, years: int) -> SimulationModel:
    """The toy line of a case (:func:`cases`, :func:`storm_cases`, :func:`grid_case`)."""
    return toy(
        trains=case.get("trains", 0.0),
        back_trains=case.get("back_trains", 0.0),
        feeder=bool(case.get("feeder", False)),
        wide=bool(case.get("wide", False)),
        ships=int(case["ships"]),
        sail_h=case["sail_h"],
        a_per_day=case["a"],
        b_per_day=case.get("b", case["a"] * case["back"]),
        storms=bool(case["storms"]),
        wagons=int(case["wagons"]),
        years=years,
    )
