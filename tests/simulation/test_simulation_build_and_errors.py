"""Building a model from a network and demand; bad input; the ferry give-way rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridors.demand import read_demand
from corridors.errors import DemandError, ProblemsError
from corridors.network import read_network
from corridors.network.model import Network
from corridors.simulation.build import BuildOptions
from corridors.simulation.engine import simulate
from corridors.simulation.model import (
    Distribution,
    FerryLine,
    Ship,
    ShipmentGenerator,
    SimulationModel,
    SimulationModelError,
    Station,
    Step,
)
from corridors.simulation.results import sailings_table, timeline_table
from corridors.studies.simulate import simulation_model as build_model


@pytest.fixture(scope="module")
def mini(mini_path: Path) -> Network:
    return read_network(mini_path)


def demand(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["origin", "destination", "commodity", "volume", "unit"])


def test_bad_model_lists_every_problem_with_names() -> None:
    bad = SimulationModel(
        stations=(Station("border:khorgos", "border", -2, Distribution.exponential(5.0)),),
        ferry_lines=(
            FerryLine(
                "caspian", "aktau", "alat", sail_h=22.0, ships=(Ship("f1", capacity_wagons=-50),)
            ),
        ),
        generators=(
            ShipmentGenerator(
                "g",
                "xian",
                "alat",
                (Step.station("border:khorgas"), Step.ferry("caspian", from_node="kuryk")),
                wagons=50,
            ),
        ),
    )
    with pytest.raises(SimulationModelError) as info:
        simulate(bad, seed=1)
    err = info.value
    assert isinstance(err, ProblemsError)
    assert isinstance(err, ValueError)
    text = str(err)
    assert "4 problems in simulation model" in text
    assert "stations[border:khorgos].servers" in text
    assert "'-2'" in text
    assert "ships[f1].capacity" in text
    assert "unknown station" in text
    assert "did you mean 'border:khorgos'?" in text
    assert "calls at 'aktau' and 'alat' only" in text


def test_ship_that_cannot_carry_the_shipment_is_an_error() -> None:
    line = FerryLine("feeder", "a", "b", sail_h=10.0, ships=(Ship("s", capacity_teu=350),))
    g = ShipmentGenerator(
        "bulk",
        "a",
        "b",
        (Step.ferry("feeder", from_node="a"),),
        kind="wagon_group",
        wagons=25,
        tonnes=1500,
    )
    with pytest.raises(SimulationModelError, match="no ship of the line carries this"):
        SimulationModel(ferry_lines=(line,), generators=(g,)).validate()


def test_unknown_node_in_demand_is_one_clear_error(mini: Network) -> None:
    bad = demand(
        [
            ("Alpha", "Echo", "containers", 1000, "TEU"),
            ("Alpah", "Echo", "containers", 1000, "TEU"),
            ("Alpha", "Zulu", "dry_bulk", 5000, "t"),
        ]
    )
    bad.attrs["file"] = "demand-2024.csv"
    with pytest.raises(DemandError) as info:
        build_model(mini, bad)
    text = str(info.value)
    assert "2 problems in demand-2024.csv" in text
    assert "line 3, field 'origin'" in text
    assert "'Alpah'" in text
    assert "Alpha" in text
    assert "line 4, field 'destination'" in text
    assert "'Zulu'" in text


def test_read_demand_checks_columns_and_values(tmp_path: Path) -> None:
    path = tmp_path / "demand.csv"
    path.write_text(
        "origin,destination,volume,unit,comodity,source\n"
        "xa,xe,-5,TEU,containers,s\nxa,xe,abc,TUE,containers,s\n"
    )
    with pytest.raises(DemandError) as info:
        read_demand(path)
    text = str(info.value)
    assert "demand.csv, line 2, field 'volume'" in text
    assert "'-5'" in text
    assert "line 3, field 'volume': expected a number" in text
    assert "line 3, field 'unit'" in text
    assert "did you mean 'TEU'?" in text
    path.write_text("origin,volume,source\nxa,-5,s\n")
    with pytest.raises(DemandError) as info:
        read_demand(path)
    text = str(info.value)
    assert "field 'destination': required column is missing" in text
    assert "line 2, field 'volume'" in text


def test_build_follows_the_real_legs_of_the_route(mini: Network) -> None:
    d = demand(
        [
            ("Alpha", "Echo", "containers", 20_000, "TEU"),
            ("Echo", "Alpha", "dry_bulk", 150_000, "t"),
        ]
    )
    model = build_model(mini, d, options=BuildOptions(corridors=("middle",)))
    stations = {s.station_id: s for s in model.stations}
    # xb is a border with a gauge change (1435/1520), xc/xd ports, l2 single track
    assert {"border:xb@entry", "gauge:xb", "port:xc", "port:xd", "section:l2:xb"} <= set(stations)
    assert stations["section:l2:xb"].service == Distribution.fixed(1.0)  # 24 paths a day
    # a clearance per direction, as the routes pay it: into KZ the node's border_h (10 h),
    # out of it its border_exit_h (3 h; one station for both gave the eastbound 10 h)
    assert stations["border:xb@entry"].service.mean_h == 10.0
    assert stations["border:xb@exit"].service.mean_h == 3.0
    (line,) = model.ferry_lines
    assert (line.line_id, line.port_a, line.port_b, line.sail_h) == ("ferry:l3", "xc", "xd", 18.0)
    assert [s.ship_id for s in line.ships] == ["v1"]
    assert line.ships[0].capacity_wagons == 50
    west = next(g for g in model.generators if g.origin == "xa")
    assert west.kind == "block_train"
    assert west.teu == 100
    assert west.wagons == 50
    assert west.per_day == pytest.approx(200 / 365)  # 20,000 TEU / 100 TEU a train
    assert [(s.kind, s.target) for s in west.itinerary] == [
        ("station", "terminal:xa"),
        ("delay", "l1"),
        ("station", "border:xb@entry"),
        ("station", "gauge:xb"),
        ("station", "section:l2:xb"),
        ("delay", "l2"),
        ("station", "port:xc"),
        ("ferry", "ferry:l3"),
        ("station", "port:xd"),
        ("delay", "l4"),
        ("station", "terminal:xe"),
    ]
    east = next(g for g in model.generators if g.origin == "xe")
    assert east.kind == "wagon_group"
    assert east.tonnes == 25 * 60
    assert east.per_day == pytest.approx(150_000 / 1500 / 365)
    assert ("station", "border:xb@exit") in [(s.kind, s.target) for s in east.itinerary]
    run = simulate(model, seed=2)
    tl = timeline_table(run)
    first = tl[tl["shipment"] == 0]
    assert first["resource"].tolist()[:3] == ["terminal:xa", "l1", "border:xb@entry"]
    # link l1 (300 km at 50 km/h) takes its 6 h, without queue
    l1 = tl[tl["resource"] == "l1"]
    np.testing.assert_allclose(l1["service_h"].dropna(), 6.0)
    np.testing.assert_allclose(l1["wait_h"], 0.0)


def test_logit_split_over_corridors(mini: Network) -> None:
    d = demand([("Alpha", "Echo", "containers", 36_500, "TEU")])
    model = build_model(mini, d, options=BuildOptions(route_choice="logit", logit_scale_usd=2000.0))
    total = sum(g.per_day for g in model.generators)
    assert total == pytest.approx(365 / 365)
    assert {g.corridor for g in model.generators} == {"middle", "northern"}


def test_empty_ship_that_cannot_carry_the_queue_gives_way() -> None:
    # a trucks-only Ro-Ro is first in line; wagons must not wait for its empty wait
    ships = (Ship("roro", capacity_trucks=50), Ship("rail", capacity_wagons=10))
    line = FerryLine("f", "A", "B", sail_h=5.0, ships=ships, max_wait_h=0.0, empty_wait_h=100.0)
    g = ShipmentGenerator(
        "w",
        "A",
        "B",
        (Step.ferry("f", from_node="A"),),
        kind="wagon_group",
        wagons=10,
        arrivals="times",
        times_h=(1.0,),
    )
    r = simulate(SimulationModel(ferry_lines=(line,), generators=(g,), horizon_h=50.0), seed=1)
    tl = timeline_table(r)
    assert tl["wait_h"].tolist() == [0.0]
    assert tl["end_h"].tolist() == [6.0]
    sail = sailings_table(r)
    assert sail.loc[sail["ship"] == "rail", "units"].tolist()[0] == 10


def _roro_and_rail_ferry(*gens: ShipmentGenerator) -> SimulationModel:
    """A line A-B (5 h sailing, no handling, sail at the first unit) with a trucks-only
    Ro-Ro ship starting at A and a 10-wagon rail ferry starting at B; an empty ship
    waits 100 h for cargo before it sails back empty."""
    ships = (
        Ship("roro", capacity_trucks=50, start_side="a"),
        Ship("rail", capacity_wagons=10, start_side="b"),
    )
    line = FerryLine("f", "A", "B", sail_h=5.0, ships=ships, max_wait_h=0.0, empty_wait_h=100.0)
    return SimulationModel(ferry_lines=(line,), generators=gens, horizon_h=200.0)


def _wagons(name: str, origin: str, dest: str, at_h: float) -> ShipmentGenerator:
    return ShipmentGenerator(
        name,
        origin,
        dest,
        (Step.ferry("f", from_node=origin),),
        kind="wagon_group",
        wagons=10,
        arrivals="times",
        times_h=(at_h,),
    )


def test_rail_ferry_arriving_behind_an_empty_roro_takes_the_wagons_at_once() -> None:
    """The Ro-Ro ship takes A's turn at t = 0 and waits for trucks (none come); wagons
    reach A at t = 1. The rail ferry takes wagons from B at t = 0.5 and reaches A at
    5.5, behind the Ro-Ro. It takes A's wagons at once: they wait 5.5 - 1 = 4.5 h and
    reach B at 5.5 + 5 = 10.5 h (before, the Ro-Ro kept the turn for its 100 h empty
    wait: the wagons sailed at 100 h)."""
    model = _roro_and_rail_ferry(_wagons("back", "B", "A", 0.5), _wagons("w", "A", "B", 1.0))
    tl = timeline_table(simulate(model, seed=1)).set_index("shipment")
    assert tl.loc[1, "wait_h"] == pytest.approx(4.5)
    assert tl.loc[1, "end_h"] == pytest.approx(10.5)
    sail = sailings_table(simulate(model, seed=1))
    assert sail.loc[sail["ship"] == "roro", "units"].sum() == 0


def test_rail_ferry_behind_an_empty_roro_sails_at_once_for_wagons_across() -> None:
    """As above, with the wagons at B (t = 2) instead of A: the rail ferry reaches A at
    5.5 behind the Ro-Ro, sails back empty at once for them (as it would at the head of
    the line), reaches B at 10.5 and brings them to A at 15.5: they wait 10.5 - 2 =
    8.5 h (before, the rail ferry waited out the Ro-Ro's empty wait at A, then at B:
    the wagons were still at B after the 200 h horizon)."""
    model = _roro_and_rail_ferry(_wagons("back", "B", "A", 0.5), _wagons("w", "B", "A", 2.0))
    tl = timeline_table(simulate(model, seed=1)).set_index("shipment")
    assert tl.loc[1, "wait_h"] == pytest.approx(8.5)
    assert tl.loc[1, "end_h"] == pytest.approx(15.5)
