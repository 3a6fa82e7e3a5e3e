"""Benchmark: one simulated year of the Middle Corridor at 2024 volume.

About 4.5 Mt a year (all Caspian rail ferries, ~95k wagons, ~4.5 Mt/yr (U),
corridor-facts.md "Capacities"): ~600 container block trains of 100 TEU (358 block
trains China -> Azerbaijan in 2024 plus the Black Sea and Turkish flows; ~100 TEU a
train, "Sections and services") and the rest, ~3.9 Mt of bulk, as wagon groups of 25
wagons of 60 t; that puts ~95k wagons on the Caspian ferries, ~1,800-2,000 sailings.

The model is built from the shipped network and demand (``corridors.datasets.
eurasia``): the rows of the Middle Corridor markets, routed on the ``middle``
corridor with the routes and shares of the capacity-constrained equilibrium
assignment of the same demand (``route_choice="equilibrium"``), scaled to 4.5 Mt
if some rows cannot be routed.
When the shipped dataset is not
there (yet), a hand-built model of the same chain calibrated from corridor-facts.md
is used instead and the output says so.

Targets: under 2 s of wall time and 500 MB for one year on one core. Prints events
per second and the speedup of 8 replications on the process pool over 8 in a row.

Usage::

    python benchmarks/simulation.py            # full benchmark
    python benchmarks/simulation.py --quick    # one replication, no pool comparison
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from corridors.datasets import eurasia_path
from corridors.demand import read_demand
from corridors.network import read_network
from corridors.simulation.build import BuildOptions
from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    Distribution,
    FerryLine,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    Station,
    Step,
    WeatherArea,
)
from corridors.simulation.replications import run_replications
from corridors.simulation.results import resource_table, sailings_table, transit_percentiles
from corridors.simulation.weather import CASPIAN_STORM_DAYS
from corridors.studies.simulate import simulation_model as build_model

TARGET_S = 2.0
TARGET_MB = 500.0

TITR_MARKETS = ("china_caucasus_tr", "kz_caucasus", "central_asia_tr", "central_asia_eu")
"""Markets of the shipped demand-2024.csv that cross the Caspian by rail ferry (4.5 Mt;
the kz_crude market goes by tanker and pipeline and is left out)."""
TARGET_MT = 4.5


def shipped_model() -> tuple[SimulationModel, str] | None:
    """The benchmark model built from the shipped network and demand, or None if missing."""
    path = eurasia_path()
    if not (path / "node.csv").exists() or not (path / "demand-2024.csv").exists():
        return None
    net = read_network(path)
    demand = read_demand(path / "demand-2024.csv")
    demand = demand[demand["market"].isin(TITR_MARKETS)].copy()
    options = BuildOptions(corridors=("middle",), route_choice="equilibrium", feedback_rounds=5)
    model = build_model(net, demand, options=options, name="Middle Corridor 2024 (shipped network)")
    left = model.left_out_totals()
    tonnes = demand["volume"] * demand["unit"].map({"t": 1.0, "TEU": options.tonnes_per_teu})
    scale = (
        TARGET_MT
        * 1e6
        / (float(tonnes.sum()) - left.get("t", 0.0) - left.get("TEU", 0.0) * options.tonnes_per_teu)
    )
    if abs(scale - 1.0) > 0.01:
        demand = demand.assign(volume=demand["volume"] * scale)
        model = build_model(
            net, demand, options=options, name="Middle Corridor 2024 (shipped network)"
        )
    note = (
        f"shipped network and demand-2024.csv, markets {', '.join(TITR_MARKETS)}: "
        f"{len(demand)} rows, {float(tonnes.sum()) / 1e6:.2f} Mt, left out "
        f"{left or 'nothing'}, scaled x{scale:.2f}; equilibrium route choice with 5 rounds "
        "of ferry-wait feedback"
    )
    return model, note


def handmade_model() -> SimulationModel:
    """The Middle Corridor chain built by hand from corridor-facts.md (fallback)."""
    h = Distribution
    stations = (
        Station("terminal:xian", "terminal", 2, h.gamma(6.0, 0.5), node_id="xian"),
        # Khorgos/Altynkol: CAREC outbound 2022 34.8 h; 14 trains a day (U)
        Station("border:khorgos", "border", 20, h.lognormal(34.8, 0.8), node_id="khorgos"),
        # gauge change: Dostyk 4 h 15 min processing, 12 trains a day (1435 mm side)
        Station("gauge:altynkol", "transshipment", 3, h.gamma(4.25, 0.5), node_id="altynkol"),
        # Dostyk-Moyinty single track before 2025: 12 train pairs a day
        Station("section:moyinty", "section", 1, h.fixed(2.0), link_id="dostyk-moyinty"),
        # Kuryk ferry handling 6-8 h single deck
        Station("port:aktau", "port", 3, h.gamma(7.0, 0.5), node_id="aktau"),
        Station("port:alat", "port", 3, h.gamma(7.0, 0.5), node_id="alat"),
        Station("border:georgia", "border", 4, h.lognormal(8.0, 0.8), node_id="beyuk_kesik"),
        Station("port:poti", "port", 4, h.gamma(8.0, 0.5), node_id="poti"),
        Station("border:turkiye", "border", 4, h.lognormal(10.0, 0.8), node_id="kars"),
    )
    # 6 ferries + 1 Ro-Pax on Baku-Aktau; KTZ ferries up to 54 railcars; Ro-Pax 56 wagons
    ships = tuple(
        Ship(
            f"ferry{i}", capacity_wagons=54, load_h=8, unload_h=6, start_side="a" if i % 2 else "b"
        )
        for i in range(10)
    )
    ships += (Ship("ropax", capacity_wagons=56, capacity_trucks=50, load_h=6, unload_h=6),)
    line = FerryLine(
        "ferry:aktau-alat",
        "aktau",
        "alat",
        sail_h=22.0,
        ships=ships,
        max_wait_h=48.0,
        empty_wait_h=24.0,
        berths=2,
    )
    china = (
        Step.station("terminal:xian"),
        Step.delay(72.0, link_id="xian-khorgos"),
        Step.station("border:khorgos"),
        Step.station("gauge:altynkol"),
        Step.delay(30.0, link_id="altynkol-dostyk"),
        Step.station("section:moyinty"),
        Step.delay(48.0, link_id="moyinty-aktau"),
    )
    kz = (
        Step.delay(20.0, link_id="almaty-moyinty"),
        Step.station("section:moyinty"),
        Step.delay(48.0, link_id="moyinty-aktau"),
    )
    caspian = (
        Step.station("port:aktau"),
        Step.ferry("ferry:aktau-alat", from_node="aktau"),
        Step.station("port:alat"),
    )
    to_poti = (
        Step.delay(12.0, link_id="alat-beyuk_kesik"),
        Step.station("border:georgia"),
        Step.delay(10.0, link_id="tbilisi-poti"),
        Step.station("port:poti"),
    )
    to_turkey = (
        Step.delay(12.0, link_id="alat-beyuk_kesik"),
        Step.station("border:georgia"),
        Step.delay(20.0, link_id="btk"),
        Step.station("border:turkiye"),
        Step.delay(60.0, link_id="kars-istanbul"),
    )
    to_baku = (Step.delay(2.0, link_id="alat-baku"),)
    day = 365.0

    def trains(gid: str, d: str, steps: tuple[Step, ...], teu: float) -> ShipmentGenerator:
        return ShipmentGenerator(
            gid,
            "xian",
            d,
            steps,
            kind="block_train",
            wagons=50,
            teu=100,
            tonnes=1000,
            corridor="middle",
            per_day=teu / 100 / day,
        )

    def groups(gid: str, o: str, d: str, steps: tuple[Step, ...], t: float) -> ShipmentGenerator:
        return ShipmentGenerator(
            gid,
            o,
            d,
            steps,
            kind="wagon_group",
            wagons=25,
            tonnes=1500,
            corridor="middle",
            per_day=t / 1500 / day,
        )

    gens = (
        trains("xian>poti", "poti", china + caspian + to_poti, 30_000),
        trains("xian>baku", "baku", china + caspian + to_baku, 15_000),
        trains("xian>istanbul", "istanbul", china + caspian + to_turkey, 15_000),
        groups("almaty>baku", "almaty", "baku", kz + caspian + to_baku, 1_400_000),
        groups("almaty>poti", "almaty", "poti", kz + caspian + to_poti, 1_300_000),
        groups("aktau>baku", "aktau", "baku", caspian + to_baku, 1_200_000),
    )
    weather = (WeatherArea("caspian", ("aktau", "alat"), CASPIAN_STORM_DAYS, mean_event_h=96.0),)
    return SimulationModel(
        stations=stations,
        ferry_lines=(line,),
        generators=gens,
        weather=weather,
        name="Middle Corridor 2024 (hand-built)",
    )


def _burn(_: int) -> float:
    t0 = time.perf_counter()
    s = 0
    for i in range(3_000_000):
        s += i * i
    return time.perf_counter() - t0


def parallel_capacity() -> float:
    """How many cores' worth of pure-Python work two processes get now (ideal 2.0)."""
    one = _burn(0)
    with ProcessPoolExecutor(2) as ex:
        t0 = time.perf_counter()
        list(ex.map(_burn, [0, 1]))
        two = time.perf_counter() - t0
    return 2.0 * one / two


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one run, no pool comparison")
    ap.add_argument("--handmade", action="store_true", help="use the hand-built model")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    built = None if args.handmade else shipped_model()
    t_build = time.perf_counter() - t0
    if built is None:
        model, where = handmade_model(), "hand-built model (corridor-facts.md)"
    else:
        model, where = built
    rss0 = peak_rss_mb()
    simulate(model, seed=args.seed, horizon_h=24 * 30)  # warm-up of imports and caches
    best = None
    for i in range(3):
        t0 = time.perf_counter()
        r = simulate(model, seed=args.seed + i)
        wall = time.perf_counter() - t0
        best = wall if best is None else min(best, wall)
    assert best is not None
    rss = peak_rss_mb()
    sail = sailings_table(r)
    tonnes = float((r.gen_tonnes[r.ship_gen]).sum())
    kinds = pd.Series([r.gen_kind[g] for g in r.ship_gen]).value_counts()
    print(f"model: {model.name} ({where}); built in {t_build:.1f} s")
    print(f"python {platform.python_version()}, {platform.machine()}")
    print(
        f"shipments entered: {r.n_shipments:,} ({dict(kinds)}), {tonnes / 1e6:.2f} Mt; "
        f"arrived {r.n_arrived:,}, in system {r.n_in_system:,}"
    )
    print(f"ferry sailings: {len(sail):,} ({int(sail['units'].sum()):,} wagons carried)")
    print(
        f"events: {r.events:,}; one year, best of 3: {best:.3f} s "
        f"-> {r.events / best:,.0f} events/s (target < {TARGET_S} s)"
    )
    print(f"peak RSS: {rss:.0f} MB (after imports {rss0:.0f} MB; target < {TARGET_MB:.0f} MB)")
    cor = transit_percentiles(r, by=("corridor",))
    print(
        "door to door by corridor, days: "
        + "; ".join(
            f"{c}: P50 {p50 / 24:.1f}, P95 {p95 / 24:.1f}"
            for c, p50, p95 in zip(cor["corridor"], cor["p50_h"], cor["p95_h"], strict=True)
        )
    )
    pct = transit_percentiles(r, by=("origin", "destination"))
    print(
        pct[["origin", "destination", "shipments", "p10_h", "p50_h", "p90_h", "p95_h"]]
        .assign(**{c: pct[c] / 24 for c in ("p10_h", "p50_h", "p90_h", "p95_h")})
        .rename(columns=lambda c: c.replace("_h", "_d"))
        .round(1)
        .to_string(index=False)
    )
    rt = resource_table(r).sort_values("mean_wait_h", ascending=False).head(6)
    print(
        rt[["resource", "arrivals", "mean_wait_h", "mean_queue", "utilisation", "closed_h"]]
        .round(2)
        .to_string(index=False)
    )
    if args.quick:
        return
    n = 8
    t0 = time.perf_counter()
    serial = run_replications(model, replications=n, seed=args.seed, executor="serial")
    t_serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    pool = run_replications(model, replications=n, seed=args.seed, executor="process")
    t_pool = time.perf_counter() - t0
    same = all(a == b for a, b in zip(serial.runs, pool.runs, strict=True))
    print(
        f"{n} replications: one after another {t_serial:.2f} s, process pool "
        f"{t_pool:.2f} s -> speedup {t_serial / t_pool:.2f}x "
        f"(identical results: {same}); the machine gives two processes "
        f"{parallel_capacity():.2f} cores' worth of CPU right now (ideal 2.00)"
    )
    if not same:
        sys.exit("replications on the pool differ from the serial ones")


if __name__ == "__main__":
    main()
