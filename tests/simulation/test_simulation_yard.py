"""Port yard slots: blocking before a full yard, against hand-computed waits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from corridors.cli.app import build_app
from corridors.demand import read_demand
from corridors.network import read_network
from corridors.simulation.build import BuildOptions, yard_slot_problems
from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    UNLIMITED,
    Distribution,
    FerryLine,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    SimulationModelError,
    Station,
    Step,
    WeatherArea,
    Yard,
)
from corridors.simulation.results import RunResult, resource_table, timeline_table
from corridors.studies.simulate import simulation_model as build_model

DEMAND = """origin,destination,commodity,volume,unit,year,market,source
Alpha,Echo,containers,20000,TEU,2024,test,hand-made
xe,xa,dry_bulk,150000,t,2024,test,hand-made
"""


def hand_model(*, yard: int | None) -> SimulationModel:
    """Six wagon groups of 25 wagons every 5 h; 2 h port handling; one 25-wagon ferry.

    The ship sails 10 h each way with no loading time, so it takes one group every
    20 h, while groups arrive every 5 h.
    """
    port = Station("port:P", "port", UNLIMITED, Distribution.fixed(2.0), node_id="P")
    line = FerryLine(
        "ferry", "P", "Q", 10.0, (Ship("s1", capacity_wagons=25),), empty_wait_h=1000.0
    )
    g = ShipmentGenerator(
        "g",
        "o",
        "d",
        (Step.station("port:P"), Step.ferry("ferry", from_node="P")),
        kind="wagon_group",
        wagons=25,
        tonnes=1500.0,
        arrivals="times",
        times_h=tuple(5.0 * k for k in range(6)),
    )
    return SimulationModel(
        stations=(port,),
        ferry_lines=(line,),
        generators=(g,),
        horizon_h=200.0,
        yards=() if yard is None else (Yard("P", yard),),
    )


def test_yard_of_one_wagon_group_blocks_by_hand() -> None:
    r = simulate(hand_model(yard=25), seed=1)
    tl = timeline_table(r)
    yard = tl[tl["resource"] == "yard:P"].set_index("shipment")
    # Shipment k arrives at 5k. The ship takes shipment 0 at 2 h (after handling) and
    # is back every 20 h: it takes k = 1 at 22 h, k = 2 at 42 h, ... Shipment k >= 2
    # enters the yard when k - 1 is loaded, at 22 + 20 (k - 2) h: it waits 15 k - 18 h.
    assert yard["arrive_h"].tolist() == [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
    assert yard["wait_h"].tolist() == pytest.approx([0.0, 0.0, 12.0, 27.0, 42.0, 57.0])
    # slots are held until the shipment is loaded, when the next one enters
    assert yard["end_h"].tolist() == pytest.approx([2.0, 22.0, 42.0, 62.0, 82.0, 102.0])
    ferry = tl[tl["kind"] == "ferry"].set_index("shipment")
    assert ferry["arrive_h"].tolist() == pytest.approx([2.0, 7.0, 24.0, 44.0, 64.0, 84.0])
    assert ferry["wait_h"].tolist() == pytest.approx([0.0, 15.0, 18.0, 18.0, 18.0, 18.0])
    assert r.ship_arrived.tolist() == pytest.approx([12.0, 32.0, 52.0, 72.0, 92.0, 112.0])
    # the yard row comes before the port handling of the same step in the timeline
    first = tl[tl["shipment"] == 3]["resource"].tolist()
    assert first == ["yard:P", "port:P", "ferry@P"]
    row = resource_table(r).set_index("resource").loc["yard:P"]
    assert row["kind"] == "yard"
    assert row["servers"] == 25
    assert row["arrivals"] == 6
    assert row["mean_wait_h"] == pytest.approx((12 + 27 + 42 + 57) / 6)
    assert row["max_queue"] == 3  # e.g. shipments 3, 4, 5 at 25 h
    assert row["mean_queue"] == pytest.approx((12 + 27 + 42 + 57) / 200.0)
    # 25 slots held for 2 + 17 + 4 x 20 h out of 200 h
    assert row["utilisation"] == pytest.approx(99.0 / 200.0)


def test_without_a_yard_the_wait_is_all_for_the_ship() -> None:
    r = simulate(hand_model(yard=None), seed=1)
    tl = timeline_table(r)
    assert "yard:P" not in set(tl["resource"])
    ferry = tl[tl["kind"] == "ferry"]
    # same ship cycle: the k-th group leaves at 2 + 20 k h, so it waited 20 k - 5 k h
    assert ferry["start_h"].tolist() == pytest.approx([2.0 + 20 * k for k in range(6)])
    assert r.ship_arrived.tolist() == pytest.approx([12.0 + 20 * k for k in range(6)])


def stochastic_model(**kw: object) -> SimulationModel:
    """Two ports, storms, block trains (50 wagons), wagon groups and containers."""
    handling = Distribution.gamma(8.0, 0.5)
    stations = (
        Station("port:A", "port", 2, handling, node_id="A"),
        Station("port:B", "port", 2, handling, node_id="B"),
        Station("gauge:X", "transshipment", 1, Distribution.exponential(3.0), node_id="X"),
    )
    ships = tuple(
        Ship(
            f"f{i}", capacity_wagons=50, load_h=3.5, unload_h=3.5, start_side="a" if i % 2 else "b"
        )
        for i in range(3)
    )
    feeder = (Ship("c1", capacity_teu=120, load_h=4.0, unload_h=4.0),)
    lines = (FerryLine("rail", "A", "B", 20.0, ships), FerryLine("box", "A", "B", 22.0, feeder))
    west = (Step.station("gauge:X"), Step.delay(30.0, link_id="l1"), Step.station("port:A"))
    gens = (
        ShipmentGenerator(
            "bt",
            "o1",
            "d1",
            (*west, Step.ferry("rail", from_node="A"), Step.station("port:B")),
            kind="block_train",
            wagons=50,
            teu=100.0,
            tonnes=1000.0,
            per_day=1.2,
        ),
        ShipmentGenerator(
            "wg",
            "o2",
            "d1",
            (*west, Step.ferry("rail", from_node="A")),
            kind="wagon_group",
            wagons=25,
            tonnes=1500.0,
            per_day=2.5,
        ),
        ShipmentGenerator(
            "east",
            "d1",
            "o1",
            (Step.station("port:B"), Step.ferry("rail", from_node="B")),
            kind="wagon_group",
            wagons=25,
            tonnes=1500.0,
            per_day=1.5,
        ),
        ShipmentGenerator(
            "teu",
            "o3",
            "d2",
            (Step.station("port:A"), Step.ferry("box", from_node="A")),
            kind="wagon_group",
            teu=40.0,
            tonnes=400.0,
            per_day=1.0,
        ),
    )
    storms = (WeatherArea("caspian", ("A", "B"), (6, 5, 3, 2, 1, 1, 1, 1, 2, 3, 5, 6), 72.0),)
    model = SimulationModel(
        stations=stations, ferry_lines=lines, generators=gens, weather=storms, horizon_h=24.0 * 240
    )
    return replace(model, **kw)  # type: ignore[arg-type]


def without_yards(r: RunResult) -> dict[str, np.ndarray]:
    """Visit records of the non-yard resources, ids remapped to the no-yard numbering."""
    yard_res = [i for i, k in enumerate(r.res_kinds) if k == "yard"]
    keep = ~np.isin(r.v_res, yard_res)
    shift = np.searchsorted(np.array(yard_res, dtype=np.int64), r.v_res[keep], side="right")
    out = {n: getattr(r, n)[keep] for n in ("v_ship", "v_step", "v_arr", "v_start", "v_end")}
    out["v_res"] = r.v_res[keep] - shift
    return out


def test_unlimited_yard_gives_the_same_results_as_no_yard() -> None:
    base = simulate(stochastic_model(), seed=11)
    huge = simulate(stochastic_model(yards=(Yard("A", 10**9), Yard("B", 10**9))), seed=11)
    assert base.n_shipments > 1000  # 6.2 a day for 240 days
    for name in (
        "ship_gen",
        "ship_created",
        "ship_arrived",
        "s_ship",
        "s_from",
        "s_decided",
        "s_depart",
        "s_arrive",
        "s_load",
        "s_units",
    ):
        assert np.array_equal(getattr(base, name), getattr(huge, name), equal_nan=True), name
    assert base.events == huge.events  # nobody was blocked: not one event more
    a, b = without_yards(base), without_yards(huge)
    for name, values in a.items():
        assert np.array_equal(values, b[name], equal_nan=True), name
    waits = resource_table(huge).set_index("resource")
    assert waits.loc["yard:A", "max_wait_h"] == 0.0
    assert 0 < waits["utilisation"].to_dict()["yard:A"] < 1e-5


def test_tiny_yard_conserves_shipments_and_never_overfills() -> None:
    model = stochastic_model(yards=(Yard("A", 60),))  # block trains (50) barely fit
    r = simulate(model, seed=5)
    assert r == simulate(model, seed=5)  # still deterministic, bit for bit
    base = simulate(stochastic_model(), seed=5)
    assert r.n_shipments == base.n_shipments
    # conservation: every shipment is delivered or still somewhere in the system
    assert r.n_arrived + r.n_in_system == r.n_shipments
    tl = timeline_table(r)
    yard = tl[tl["resource"] == "yard:A"]
    arrived = np.flatnonzero(r.arrived_mask)
    gen_ids = np.asarray(r.gen_ids)[r.ship_gen]
    through_a = arrived[np.isin(gen_ids[arrived], ["bt", "wg", "teu"])]
    assert set(through_a) <= set(yard.loc[yard["end_h"].notna(), "shipment"])
    # slots in use, from the yard records: wagons of the shipment (TEU for the feeder)
    need = pd.Series({"bt": 50, "wg": 25, "teu": 40})[gen_ids[yard["shipment"]]].to_numpy()
    start = yard["start_h"].to_numpy()
    end = np.where(yard["end_h"].notna(), yard["end_h"], r.horizon_h)
    ok = np.isfinite(start)
    t = np.concatenate((start[ok], end[ok]))
    d = np.concatenate((need[ok], -need[ok]))
    o = np.lexsort((d, t))  # releases before entries at the same time
    assert np.cumsum(d[o]).max() <= 60
    row = resource_table(r).set_index("resource").loc["yard:A"]
    slot_h = float(np.sum(need[ok] * (end[ok] - start[ok])))
    assert row["utilisation"] == pytest.approx(slot_h / (60 * r.horizon_h))
    assert row["mean_wait_h"] > 24.0  # the small yard really blocks
    assert (yard["wait_h"].dropna() >= 0).all()
    # first come, first served at the gate: admitted in order of arrival
    admitted = yard.dropna(subset=["start_h"]).sort_values(["arrive_h", "shipment"])
    assert admitted["start_h"].is_monotonic_increasing
    # the blocking shows at the port too: fewer deliveries than with an unlimited yard
    assert r.n_arrived < base.n_arrived


def test_yard_larger_shipment_than_the_yard_takes_every_slot() -> None:
    r = simulate(stochastic_model(yards=(Yard("A", 30),)), seed=2)
    assert r.n_arrived > 0
    tl = timeline_table(r)
    ok = tl[(tl["resource"] == "yard:A") & tl["end_h"].notna()]
    assert len(ok) > 10  # block trains of 50 wagons got through a 30-slot yard


def test_yard_validation() -> None:
    with pytest.raises(SimulationModelError) as info:
        stochastic_model(yards=(Yard("Aa", 10), Yard("B", 0), Yard("B", 5))).validate()
    text = str(info.value)
    assert "no ferry line calls at this port" in text
    assert "did you mean 'A'" in text
    assert "yard capacity must be a whole number >= 1" in text
    assert "duplicate id" in text


def test_build_reads_yard_slots_and_the_option_overrides(mini_copy: Path, tmp_path: Path) -> None:
    dem = tmp_path / "demand.csv"
    dem.write_text(DEMAND)
    demand = read_demand(dem)
    opts = BuildOptions(corridors=("middle",), days=60)
    net = read_network(mini_copy)
    assert build_model(net, demand, options=opts).yards == ()  # blank: unlimited
    nodes = pd.read_csv(mini_copy / "node.csv", dtype=str, keep_default_na=False)
    nodes["yard_slots"] = ["", "", "80", "", "", ""]
    nodes.to_csv(mini_copy / "node.csv", index=False)
    net = read_network(mini_copy)
    model = build_model(net, demand, options=opts)
    assert [(y.node_id, y.slots) for y in model.yards] == [("xc", 80)]
    model = build_model(net, demand, options=replace(opts, yard_slots=(("xc", 200), ("xd", 50))))
    assert [(y.node_id, y.slots) for y in model.yards] == [("xc", 200), ("xd", 50)]
    problems = yard_slot_problems(net, [("xcc", 5), ("xd", 0)])
    assert [p.message for p in problems] == [
        "unknown node 'xcc'",
        "yard capacity must be a whole number >= 1 (wagons or TEU)",
    ]
    assert problems[0].hint == "did you mean 'xc'?"
    with pytest.raises(SimulationModelError, match="unknown node 'xcc'"):
        build_model(net, demand, options=replace(opts, yard_slots=(("xcc", 5),)))


def test_cli_yard_slots(tmp_path: Path, mini_path: Path) -> None:
    dem = tmp_path / "demand.csv"
    dem.write_text(DEMAND)
    out = tmp_path / "run"
    result = CliRunner().invoke(
        build_app(),
        [
            "simulate",
            str(mini_path),
            str(dem),
            "--days",
            "60",
            "-r",
            "2",
            "--seed",
            "3",
            "-o",
            str(out),
            "--serial",
            "--corridor",
            "middle",
            "--yard-slots",
            "xc=60",
            "--yard-slots",
            "Delta=75",
        ],
    )
    assert result.exit_code == 0, result.output
    res = pd.read_parquet(out / "resources.parquet").set_index("resource")
    assert res.loc["yard:xc", "kind"] == "yard"
    assert "yard:xd" in res.index  # a place name (Delta) works too
    assert 0 < res["utilisation"].to_dict()["yard:xc"] <= 1
    tl = pd.read_parquet(out / "timelines.parquet")
    assert "yard:xc" in set(tl["resource"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("xcc=5", "--yard-slots 'xcc=5': unknown node 'xcc'; did you mean 'xc'?"),
        ("xc=0", "--yard-slots 'xc=0': expected NODE=N"),
        ("xc", "--yard-slots 'xc': expected NODE=N"),
    ],
)
def test_cli_rejects_a_bad_yard_option(
    tmp_path: Path, mini_path: Path, value: str, message: str
) -> None:
    dem = tmp_path / "demand.csv"
    dem.write_text(DEMAND)
    result = CliRunner().invoke(
        build_app(),
        [
            "simulate",
            str(mini_path),
            str(dem),
            "-o",
            str(tmp_path / "run"),
            "--serial",
            "--yard-slots",
            value,
        ],
    )
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()).replace("│", "").replace("  ", " ")
    assert not (tmp_path / "run").exists()
