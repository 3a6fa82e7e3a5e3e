"""Seeds, replications, conservation and weather of the simulation engine."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

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
from corridors.simulation.reliability import reliability_from_results
from corridors.simulation.replications import (
    confidence_intervals,
    replication_seeds,
    run_replications,
)
from corridors.simulation.results import (
    RunResult,
    in_system_table,
    queue_series,
    resource_table,
    sailings_table,
    shipments_table,
    throughput_table,
    timeline_table,
    transit_percentiles,
)
from corridors.simulation.weather import Closures, merge_intervals, storm_closures


def corridor_model(days: float = 365.0) -> SimulationModel:
    """A small Middle-Corridor-like chain: border, gauge change, port, ferry, port."""
    stations = (
        Station("border", "border", 2, Distribution.lognormal(10.0, 0.8), node_id="khorgos"),
        Station("gauge", "transshipment", 2, Distribution.gamma(5.0, 0.5), node_id="khorgos"),
        Station("section", "section", 1, Distribution.fixed(2.0), link_id="single"),
        Station("aktau", "port", 2, Distribution.gamma(6.0, 0.5), node_id="aktau"),
        Station("alat", "port", 2, Distribution.gamma(6.0, 0.5), node_id="alat"),
    )
    ships = (
        Ship("f1", capacity_wagons=54, load_h=8, unload_h=6),
        Ship("f2", capacity_wagons=54, load_h=8, unload_h=6, start_side="b"),
        Ship("ropax", capacity_wagons=56, capacity_trucks=50, load_h=6, unload_h=6),
    )
    line = FerryLine(
        "caspian", "aktau", "alat", sail_h=22.0, ships=ships, max_wait_h=36.0, empty_wait_h=12.0
    )
    west = (
        Step.station("border"),
        Step.station("gauge"),
        Step.delay(30.0, link_id="kz1"),
        Step.station("section"),
        Step.delay(20.0, link_id="single"),
        Step.station("aktau"),
        Step.ferry("caspian", from_node="aktau"),
        Step.station("alat"),
        Step.delay(40.0, link_id="btk"),
    )
    east = (
        Step.delay(40.0, link_id="btk"),
        Step.station("alat"),
        Step.ferry("caspian", from_node="alat"),
        Step.station("aktau"),
    )
    gens = (
        ShipmentGenerator(
            "trains",
            "xian",
            "poti",
            west,
            kind="block_train",
            wagons=50,
            teu=100,
            tonnes=1000,
            corridor="middle",
            per_day=1.2,
        ),
        ShipmentGenerator(
            "groups",
            "xian",
            "poti",
            west,
            kind="wagon_group",
            wagons=20,
            tonnes=1200,
            corridor="middle",
            per_day=1.5,
        ),
        ShipmentGenerator(
            "trucks",
            "baku",
            "aktau",
            east,
            kind="truck",
            trucks=1,
            tonnes=20,
            corridor="middle",
            per_day=6.0,
        ),
    )
    weather = (
        WeatherArea(
            "caspian", ("aktau", "alat"), (10, 8, 5, 3, 1, 1, 1, 1, 2, 4, 8, 10), mean_event_h=60.0
        ),
    )
    return SimulationModel(
        stations=stations,
        ferry_lines=(line,),
        generators=gens,
        weather=weather,
        horizon_h=days * 24.0,
        warmup_h=240.0,
    )


def by_resource(run: RunResult) -> dict[str, dict[str, Any]]:
    """The resource table as {resource id: {column: value}}."""
    return {
        str(r["resource"]): {str(k): v for k, v in r.items()}
        for r in resource_table(run).to_dict("records")
    }


@pytest.fixture(scope="module")
def model() -> SimulationModel:
    return corridor_model()


@pytest.fixture(scope="module")
def run(model: SimulationModel) -> RunResult:
    return simulate(model, seed=7)


def test_same_seed_same_result_bit_for_bit(model: SimulationModel, run: RunResult) -> None:
    again = simulate(model, seed=7)
    assert again == run
    assert np.array_equal(again.v_end, run.v_end, equal_nan=True)
    ss = np.random.SeedSequence(7)
    assert simulate(model, seed=ss) == simulate(model, seed=ss) == run


def test_different_seeds_differ(model: SimulationModel, run: RunResult) -> None:
    other = simulate(model, seed=8)
    assert other != run
    assert not np.array_equal(other.ship_created, run.ship_created)
    assert other.storms != run.storms


def test_conservation_every_shipment_arrived_or_in_system(run: RunResult) -> None:
    s = shipments_table(run)
    assert len(s) == run.n_shipments > 1000
    assert run.n_arrived + run.n_in_system == run.n_shipments
    assert (s["status"] == "arrived").sum() == run.n_arrived
    left = in_system_table(run)
    assert len(left) == run.n_in_system > 0
    assert set(left["shipment"]) == set(s.loc[s["status"] == "in_system", "shipment"])
    assert set(left["state"]) <= {"waiting", "in_service", "travelling", "not_started"}
    assert (left["since_h"] <= run.horizon_h).all()
    # those waiting at the end wait at their last step: in the timeline with no start
    tl_all = timeline_table(run)
    waiting = left[left["state"] == "waiting"]
    assert len(waiting) > 0
    last = tl_all.groupby("shipment").tail(1).set_index("shipment")
    assert last.loc[waiting["shipment"], "start_h"].isna().all()
    assert (
        last.loc[waiting["shipment"], "resource"].to_numpy() == waiting["resource"].to_numpy()
    ).all()
    tp = throughput_table(run)
    assert (tp["entered"] == tp["arrived"] + tp["in_system"]).all()
    assert tp["entered"].sum() == run.n_shipments
    # an arrived shipment visited every step of its itinerary, in time order
    tl = timeline_table(run)
    n_steps = {0: 9, 1: 9, 2: 4}
    arrived = s[s["status"] == "arrived"]
    counts = tl.groupby("shipment").size()
    gen_index = {g: i for i, g in enumerate(run.gen_ids)}
    expected = arrived["generator"].map(gen_index).map(n_steps)
    assert (counts.loc[arrived["shipment"]].to_numpy() == expected.to_numpy()).all()
    done = tl[tl["shipment"].isin(arrived["shipment"])]
    assert (done["start_h"] >= done["arrive_h"]).all()
    assert (done["end_h"] >= done["start_h"]).all()
    nxt = done.groupby("shipment")["arrive_h"].shift(-1)
    assert (nxt.dropna() >= done.loc[nxt.notna(), "end_h"] - 1e-9).all()
    # the door-to-door time is the sum of the steps' waits and services
    total = done.groupby("shipment")["end_h"].max() - done.groupby("shipment")["arrive_h"].min()
    np.testing.assert_allclose(
        total.to_numpy(), arrived.set_index("shipment").loc[total.index, "transit_h"].to_numpy()
    )


def test_ferry_rules_and_storms_in_a_year(run: RunResult) -> None:
    sail = sailings_table(run)
    assert len(sail) > 100
    assert (sail["load_factor"] <= 1.0 + 1e-9).all()
    storms = Closures(dict(run.storms)["caspian"])
    assert storms.closed_hours(0, run.horizon_h) > 24 * 20
    # no ship decided to sail while its port was closed by a storm
    decided = sail["decided_h"].to_numpy()
    assert all(storms.next_open(t) == t for t in decided)
    assert (sail["ready_h"] <= sail["decided_h"]).all()
    assert (sail["decided_h"] <= sail["depart_h"]).all()
    # and some did wait for a storm to pass: their decision is the end of a storm
    ends = {e for _, e in storms.intervals}
    assert any(t in ends for t in decided)
    rt = by_resource(run)
    assert rt["caspian@aktau"]["closed_h"] == pytest.approx(storms.closed_hours(0, run.horizon_h))
    # the ferry wait dominates, as on the real corridor
    assert rt["caspian@aktau"]["mean_wait_h"] > rt["gauge"]["mean_wait_h"]
    assert 0 < rt["border"]["utilisation"] < 1


def test_queue_series_time_average_matches_little(run: RunResult) -> None:
    # Little's law on the whole run: mean queue = arrivals x mean wait / T (waits
    # that ended within the run; small edge effect at the end)
    rt = by_resource(run)
    qs = queue_series(run, step_h=24.0)
    daily = qs[qs["resource"] == "border"]
    assert len(daily) == 365
    assert daily["queue"].mean() == pytest.approx(rt["border"]["mean_queue"], rel=1e-9)
    tl = timeline_table(run)
    b = tl[tl["resource"] == "border"]
    little = b["wait_h"].sum() / run.horizon_h
    assert rt["border"]["mean_queue"] == pytest.approx(little, rel=0.02)
    busy = daily["busy"].mean() / 2
    assert busy == pytest.approx(rt["border"]["utilisation"], rel=1e-6)


def test_replications_parallel_equal_serial_and_merge() -> None:
    model = corridor_model(days=120)
    serial = run_replications(model, replications=3, seed=3, executor="serial")
    pool = run_replications(model, replications=3, seed=3, executor="process", workers=2)
    assert all(a == b for a, b in zip(serial.runs, pool.runs, strict=True))
    seeds = replication_seeds(3, 3)
    assert simulate(model, seed=seeds[1]) == serial.runs[1]
    assert serial.runs[0] != serial.runs[1]
    pct = serial.transit_percentiles(by=("corridor",))
    row = pct.iloc[0]
    p50 = [transit_percentiles(r, by=("corridor",))["p50_h"].iloc[0] for r in serial.runs]
    assert row["p50_h"] == pytest.approx(np.mean(p50))
    half = 4.302652729911275 * np.std(p50, ddof=1) / math.sqrt(3)  # t(0.975, 2)
    assert row["p50_h_hi"] - row["p50_h"] == pytest.approx(half)
    assert row["p50_h_lo"] < row["p50_h"] < row["p50_h_hi"]
    rel = reliability_from_results(serial)
    assert list(rel.columns[:6]) == [
        "origin",
        "destination",
        "corridor",
        "p50_h",
        "p95_h",
        "buffer_h",
    ]
    np.testing.assert_allclose(rel["buffer_h"], rel["p95_h"] - rel["p50_h"])
    assert (rel["buffer_h"] > 0).all()


def test_confidence_intervals_by_hand() -> None:
    frames = [pd.DataFrame({"k": ["a"], "x": [v]}) for v in (1.0, 2.0, 3.0, 6.0)]
    ci = confidence_intervals(frames, keys=["k"], metrics=["x"]).iloc[0]
    # mean 3, s = sqrt(14/3), t(0.975, 3) = 3.182446305284263
    half = 3.182446305284263 * math.sqrt(14.0 / 3.0) / 2.0
    assert ci["x"] == 3.0
    assert ci["x_lo"] == pytest.approx(3.0 - half)
    assert ci["x_hi"] == pytest.approx(3.0 + half)
    assert ci["replications"] == 4


def test_reliability_of_deterministic_chain_has_no_buffer() -> None:
    st = Station("s", "border", 1, Distribution.fixed(3.0))
    g = ShipmentGenerator(
        "g",
        "o",
        "d",
        (Step.delay(10.0, link_id="l"), Step.station("s")),
        arrivals="timetable",
        per_day=2.0,
        corridor="c",
    )
    r = simulate(SimulationModel(stations=(st,), generators=(g,), horizon_h=1000.0), seed=1)
    rel = reliability_from_results(r)
    assert rel[["p50_h", "p95_h", "buffer_h"]].iloc[0].tolist() == [13.0, 13.0, 0.0]


def test_storm_days_match_the_seasonal_setting() -> None:
    days = (10, 8, 5, 3, 1, 0, 0, 0, 2, 4, 8, 10)
    area = WeatherArea("c", ("p",), days, mean_event_h=48.0, event_cv=0.5)
    rng = np.random.default_rng(1)
    years = 200
    iv = storm_closures(area, horizon_h=8760.0 * years, rng=rng)
    assert iv == merge_intervals(iv)
    closed = Closures(iv)
    # July is storm-free by construction, apart from storms running on from June (none)
    jul = sum(
        closed.closed_hours(8760.0 * y + 181 * 24, 8760.0 * y + 212 * 24) for y in range(years)
    )
    assert jul == 0.0
    # closed days a year: a little below the 51 set, as overlapping storms merge
    per_year = closed.closed_hours(0, 8760.0 * years) / 24.0 / years
    assert 42.0 < per_year < 51.0 * 1.03


def test_merge_and_next_open() -> None:
    iv = merge_intervals([(5, 7), (1, 3), (2, 4), (7, 8), (9, 9)])
    assert iv == [(1.0, 4.0), (5.0, 8.0)]
    c = Closures(iv)
    assert [c.next_open(t) for t in (0.5, 1.0, 3.9, 4.0, 6.0, 8.0)] == [
        0.5,
        4.0,
        4.0,
        4.0,
        8.0,
        8.0,
    ]
