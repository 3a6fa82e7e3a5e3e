"""Relief on a hand-made network: closing a port halves the tonnes a day; slow routes are cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.errors import UnknownClosureError, UnknownPlaceError
from corridors.relief.io import ReliefDataError
from corridors.studies.relief import WindowError, parse_window, relief

NODES = """node_id,name,x_coord,y_coord,kind,country,aliases,ots,dispatch_t_day,handling_t_day,status,source
depot,Depot,30.0,40.0,depot,TR,,member,2400,,,test
port,Port,35.0,36.5,port,TR,,,,240,,test
airport,Airport,36.0,37.0,airport,TR,,,,240,,test
city,City,36.5,37.5,city,TR,Town,,,,,test
"""

# Both ways take 12 h (sea 10 h + road 2 h; air 10 h + road 2 h); each handles 240 t/day.
LINKS = """link_id,name,from_node_id,to_node_id,mode,directed,length_km,speed_kmh,fixed_h,capacity_t_day,status,source
sea,Depot - Port,depot,port,sea,true,200,20,0,,,test
port-city,Port - City,port,city,road,false,100,50,0,,,test
air,Depot - Airport,depot,airport,air,true,7000,700,0,,,test
airport-city,Airport - City,airport,city,road,false,100,50,0,,,test
"""


def _folder(tmp_path: Path, *, extra_links: str = "", nodes: str = NODES) -> Path:
    (tmp_path / "relief_node.csv").write_text(nodes, encoding="utf-8")
    (tmp_path / "relief_link.csv").write_text(LINKS + extra_links, encoding="utf-8")
    return tmp_path


def test_closing_the_port_halves_the_tonnes_a_day(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    both = relief(to="City", origins="Depot", within="72h", folder=folder)
    # departures at hours 0..60 arrive by hour 72: 61 hours x 10 t/h through each place
    assert both.tonnes == pytest.approx(2 * 61 * 10)
    assert both.tonnes_per_day == pytest.approx(2 * 61 * 10 / 3)
    port_closed = relief(to="City", origins="Depot", within="72h", close=["port"], folder=folder)
    assert port_closed.tonnes_per_day == pytest.approx(both.tonnes_per_day / 2)
    assert port_closed.by_mode()["sea"] == 0
    assert port_closed.by_mode()["air"] == pytest.approx(both.by_mode()["air"])
    # what binds: the two handling limits; reopening the port gives the half back
    assert {b["id"] for b in both.binding} == {"port", "airport"}
    [reopen] = port_closed.reopening
    assert reopen["id"] == "port"
    assert reopen["adds_tonnes_per_day"] == pytest.approx(both.tonnes_per_day / 2)


def test_the_window_cuts_routes_that_are_too_slow(tmp_path: Path) -> None:
    slow = "rail,Depot - City rail,depot,city,rail,true,2400,30,0,,,test\n"  # 80 h
    folder = _folder(tmp_path, extra_links=slow)
    in_72 = relief(to="City", origins="Depot", within="72h", folder=folder)
    assert in_72.by_mode()["rail"] == 0
    assert all("rail" not in r["links"] for r in in_72.routes)
    in_96 = relief(to="City", origins="Depot", within="4d", folder=folder)
    # rail departures at hours 0..16 arrive by 96 h; the depot sends 100 t/h, of which
    # 10 + 10 go by sea and air (their handling limits): 17 h x 80 t/h by rail
    rail = sum(r["tonnes"] for r in in_96.routes if r["mode"] == "rail")
    assert rail == pytest.approx(17 * 80)
    fastest = relief(to="Town", origins="Depot", within="72h", close=["sea", "air"], folder=folder)
    [f] = fastest.fastest
    assert (f["mode"], f["hours"], f["within_window"]) == ("rail", pytest.approx(80), False)
    assert fastest.tonnes == 0


def test_bad_relief_input(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with pytest.raises(UnknownPlaceError, match="did you mean 'City'"):
        relief(to="Cty", origins="Depot", folder=folder)
    with pytest.raises(UnknownClosureError, match="did you mean 'port'"):
        relief(to="City", origins="Depot", close=["prt"], folder=folder)
    with pytest.raises(UnknownClosureError, match="not a country, border, place or link"):
        relief(to="City", origins="Depot", close=["suez"], folder=folder)  # no sea passages
    with pytest.raises(UnknownPlaceError, match="not a depot"):
        relief(to="City", origins="City", folder=folder)
    with pytest.raises(WindowError):
        parse_window("soon")
    assert parse_window("3d") == 72
    bad = NODES.replace("port,Port,35.0,36.5,port,TR,,,,240", "port,Port,35.0,36.5,port,TR,,,,nan")
    with pytest.raises(ReliefDataError, match=r"relief_node\.csv, line 3, field 'handling_t_day'"):
        relief(to="City", origins="Depot", folder=_folder(tmp_path, nodes=bad))


GEORGIA_NODE = "tbilisi,Tbilisi,44.8,41.7,depot,GE,,member,2400,,,test\n"
GEORGIA_ROAD = "ge-tr,Tbilisi - City,tbilisi,city,road,false,1000,50,0,,,test\n"


@pytest.mark.parametrize("close", ["GE-TR", "tr-ge", "ge-tr", "Tbilisi", "GE"])
def test_close_takes_borders_countries_places_and_links(tmp_path: Path, close: str) -> None:
    """The one closure parser: a border, a country, a place or a link, each with its rule."""
    folder = _folder(tmp_path, nodes=NODES + GEORGIA_NODE, extra_links=GEORGIA_ROAD)
    both = relief(to="City", origins="Depot,Tbilisi", within="72h", folder=folder)
    assert both.by_mode()["road"] > 0  # the 20 h road from Tbilisi delivers
    shut = relief(to="City", origins="Depot,Tbilisi", within="72h", close=[close], folder=folder)
    # only the port and the airport remain: 61 hours x 10 t/h through each
    assert shut.tonnes == pytest.approx(2 * 61 * 10)
    assert shut.by_mode().get("road", 0) == 0
    expected = {"GE-TR": ["ge-tr"], "tr-ge": ["ge-tr"], "ge-tr": ["ge-tr"], "GE": ["tbilisi"]}
    assert list(shut.closed) == expected.get(close, ["tbilisi"])
