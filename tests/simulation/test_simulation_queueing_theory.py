"""The engine against queueing theory and hand-computed ferry waits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    Closure,
    Distribution,
    FerryLine,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    Station,
    Step,
)
from corridors.simulation.results import resource_table, sailings_table, timeline_table

SEED = 2024  # one seed for all the long runs, chosen before looking at the results


def erlang_c(lam: float, mean_service: float, c: int) -> tuple[float, float]:
    """M/M/c: probability of waiting and mean wait in queue (Erlang C formula)."""
    a = lam * mean_service
    rho = a / c
    head = sum(a**k / math.factorial(k) for k in range(c))
    tail = a**c / math.factorial(c) / (1 - rho)
    p_wait = tail / (head + tail)
    return p_wait, p_wait * mean_service / (c * (1 - rho))


def station_model(
    dist: Distribution, *, servers: int, per_day: float, years: float
) -> SimulationModel:
    st = Station("s", "border", servers, dist)
    g = ShipmentGenerator("g", "o", "d", (Step.station("s"),), per_day=per_day, wagons=1)
    return SimulationModel(stations=(st,), generators=(g,), horizon_h=8760.0 * years)


def waits(model: SimulationModel, warmup_h: float = 2000.0) -> np.ndarray:
    r = simulate(model, seed=SEED)
    keep = np.isfinite(r.v_start) & (r.v_arr > warmup_h)
    out: np.ndarray = (r.v_start - r.v_arr)[keep]
    return out


def test_mm3_station_reproduces_erlang_c() -> None:
    # 3 inspection lanes, 8 h mean clearance, 5.4 trains a day: rho = 0.6; 100 years
    lam, s, c = 5.4 / 24.0, 8.0, 3
    p_wait, wq = erlang_c(lam, s, c)  # 0.355, 2.37 h
    w = waits(station_model(Distribution.exponential(s), servers=c, per_day=5.4, years=100))
    assert len(w) > 190_000
    assert w.mean() == pytest.approx(wq, rel=0.05)
    assert (w > 0).mean() == pytest.approx(p_wait, rel=0.02)


def test_md1_station_reproduces_pollaczek_khinchine_mean_wait() -> None:
    # one train path every 2 h (deterministic), 7.2 trains a day: rho = 0.6
    lam, s = 7.2 / 24.0, 2.0
    rho = lam * s
    expected = rho * s / (2.0 * (1.0 - rho))  # P-K with zero service variance: 1.5 h
    w = waits(station_model(Distribution.fixed(s), servers=1, per_day=7.2, years=40))
    assert w.mean() == pytest.approx(expected, rel=0.05)


def test_mg1_gamma_service_matches_pollaczek_khinchine() -> None:
    lam, s, cv = 1.2 / 24.0, 12.0, 0.5  # 1.2 trains a day, 12 h gamma service: rho = 0.6
    rho = lam * s
    es2 = s * s * (1 + cv * cv)
    expected = lam * es2 / (2.0 * (1.0 - rho))  # 11.25 h
    w = waits(station_model(Distribution.gamma(s, cv), servers=1, per_day=1.2, years=100))
    assert w.mean() == pytest.approx(expected, rel=0.05)


def symmetric_ferry(
    max_wait_h: float, *, ships: int = 10, per_day: float = 12.0
) -> SimulationModel:
    fleet = tuple(
        Ship(
            f"s{i}",
            capacity_wagons=10,
            load_h=1.0,
            unload_h=1.0,
            start_side="a" if i % 2 == 0 else "b",
        )
        for i in range(ships)
    )
    line = FerryLine("f", "A", "B", sail_h=10.0, ships=fleet, max_wait_h=max_wait_h)
    gens = tuple(
        ShipmentGenerator(
            f"g{o}",
            o,
            d,
            (Step.ferry("f", from_node=o),),
            kind="wagon_group",
            wagons=1,
            arrivals="timetable",
            per_day=per_day,
            offset_h=0.5,
        )
        for o, d in (("A", "B"), ("B", "A"))
    )
    return SimulationModel(ferry_lines=(line,), generators=gens, horizon_h=24.0 * 60)


def test_ferry_sailing_when_full_hand_computed_wait() -> None:
    # one wagon every 2 h, 10 wagons a ship, ships always at hand: the k-th wagon of a
    # load waits for the 10 - k after it, 2 h each: mean (10-1) * 2 / 2 = 9 h.
    r = simulate(symmetric_ferry(1000.0), seed=1)
    tl = timeline_table(r).dropna(subset=["start_h"])
    assert len(tl) > 1000
    np.testing.assert_allclose(tl["wait_h"].mean(), 9.0, rtol=1e-9)
    assert sorted(tl["wait_h"].round(9).unique()) == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]
    # service = loading 1 h + sailing 10 h + unloading 1 h
    np.testing.assert_allclose(tl["service_h"].dropna(), 12.0)
    sail = sailings_table(r)
    assert (sail["units"] == 10).all()
    np.testing.assert_allclose(sail["load_factor"], 1.0)


def test_ferry_maximum_wait_caps_the_load() -> None:
    # max wait 5 h after the first wagon boards: wagons at 0.5, 2.5, 4.5 sail at 5.5,
    # so loads of 3 with waits 5, 3, 1 h: mean 3 h.
    r = simulate(symmetric_ferry(5.0), seed=1)
    tl = timeline_table(r).dropna(subset=["start_h"])
    np.testing.assert_allclose(tl["wait_h"].mean(), 3.0, rtol=1e-9)
    assert set(sailings_table(r)["units"]) <= {0, 3}


def test_ferry_never_leaves_a_closed_port() -> None:
    model = symmetric_ferry(5.0)
    closed = Closure("A", 100.0, 160.0, reason="storm")
    r = simulate(
        SimulationModel(
            ferry_lines=model.ferry_lines,
            generators=model.generators,
            closures=(closed,),
            horizon_h=model.horizon_h,
        ),
        seed=1,
    )
    sail = sailings_table(r)
    from_a = sail[sail["from_port"] == "A"]
    # no ship left A, nor arrived at A, while it was closed
    assert not from_a["depart_h"].between(100.0, 160.0, inclusive="neither").any()
    to_a = sail[sail["from_port"] == "B"]
    assert not to_a["arrive_h"].between(100.0, 160.0, inclusive="neither").any()
    # departure decisions (the end of each wagon's wait) never fall inside the closure
    tl = timeline_table(r)
    at_a = tl[tl["resource"] == "f@A"].dropna(subset=["start_h"])
    assert not at_a["start_h"].between(100.0, 160.0, inclusive="neither").any()
    assert (at_a["start_h"] == 160.0).sum() >= 10  # the ship that filled up in the storm
    # a wagon that boarded just before the storm waited until it ended
    assert at_a["wait_h"].max() > 160.0 - 100.0
    # the first sailing from A after the storm is full
    after = from_a[from_a["depart_h"] >= 160.0].sort_values("depart_h")
    assert after["units"].iloc[0] == 10


def test_station_closure_holds_service() -> None:
    st = Station("s", "border", 1, Distribution.fixed(1.0), node_id="n")
    g = ShipmentGenerator(
        "g", "o", "d", (Step.station("s"),), arrivals="times", times_h=(5.0, 12.0, 30.0)
    )
    m = SimulationModel(
        stations=(st,), generators=(g,), closures=(Closure("n", 10.0, 20.0),), horizon_h=100.0
    )
    tl = timeline_table(simulate(m, seed=0))
    assert tl["start_h"].tolist() == [5.0, 20.0, 30.0]
    rt = resource_table(simulate(m, seed=0))
    assert rt.loc[0, "closed_h"] == 10.0


def test_timetabled_ferry_sails_on_schedule() -> None:
    # daily departures at 06:00 from each port; wagons every 2 h from 00:30: those of
    # 06:30 ... 04:30 next day sail at 06:00 next day -> waits 23.5, 21.5, ..., 1.5 h
    # (mean 12.5 h); the first three of day one (00:30, 02:30, 04:30) sail at 06:00.
    fleet = tuple(
        Ship(f"s{i}", capacity_wagons=50, start_side="a" if i % 2 == 0 else "b") for i in range(4)
    )
    line = FerryLine(
        "f",
        "A",
        "B",
        sail_h=10.0,
        ships=fleet,
        departure="timetable",
        headway_h=24.0,
        first_departure_h=6.0,
        max_wait_h=0.0,
    )
    g = ShipmentGenerator(
        "g",
        "A",
        "B",
        (Step.ferry("f", from_node="A"),),
        kind="wagon_group",
        wagons=1,
        arrivals="timetable",
        per_day=12.0,
        offset_h=0.5,
    )
    r = simulate(SimulationModel(ferry_lines=(line,), generators=(g,), horizon_h=24.0 * 30), seed=1)
    tl = timeline_table(r).dropna(subset=["start_h"])
    assert set(((tl["start_h"] - 6.0) % 24.0).round(9)) == {0.0}
    later = tl[tl["arrive_h"] > 6.0]
    np.testing.assert_allclose(later["wait_h"].mean(), 12.5, rtol=1e-9)
    np.testing.assert_allclose(tl.loc[tl["arrive_h"] < 6.0, "wait_h"], [5.5, 3.5, 1.5])
    sail = sailings_table(r)
    assert set(((sail["decided_h"] - 6.0) % 24.0).round(9)) == {0.0}


def test_resource_table_after_a_warm_up() -> None:
    # fixed 4 h service; trains at 0, 1, 10, 20, 21 h: waits 0, 3, 0, 0, 3 h
    st = Station("s", "section", 1, Distribution.fixed(4.0))
    times = (0.0, 1.0, 10.0, 20.0, 21.0)
    g = ShipmentGenerator("g", "o", "d", (Step.station("s"),), arrivals="times", times_h=times)
    r = simulate(SimulationModel(stations=(st,), generators=(g,), horizon_h=100.0), seed=0)
    whole = resource_table(r).set_index("resource").loc["s"]
    assert (whole["arrivals"], whole["mean_wait_h"]) == (5, pytest.approx(1.2))
    assert whole["utilisation"] == pytest.approx(20.0 / 100.0)
    # from 10 h on: the trains of 10, 20 and 21 h over the last 90 h
    later = resource_table(r, since_h=10.0).set_index("resource").loc["s"]
    assert (later["arrivals"], later["mean_wait_h"]) == (3, pytest.approx(1.0))
    assert later["utilisation"] == pytest.approx(12.0 / 90.0)
    assert later["mean_queue"] == pytest.approx(3.0 / 90.0)
    with pytest.raises(ValueError, match="since_h"):
        resource_table(r, since_h=100.0)
