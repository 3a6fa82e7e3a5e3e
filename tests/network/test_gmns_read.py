"""Standard GMNS folders: the official examples, units, CRS, uses, node types, shapes."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from corridors.errors import NetworkError
from corridors.network import read_network
from corridors.network.io import inspect_network

EXAMPLES = {
    # name: (nodes, links kept, links left out as walk/bike only)
    "Cambridge_Intersection": (39, 18, 42),
    "Cambridge_Multimodal_Network": (1693, 1885, 1078),
    "Freeway_Interchange": (10, 12, 0),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_gmns_example_loads(gmns_shared, name):
    folder = gmns_shared / "examples" / name
    reading = inspect_network(folder)
    assert reading.problems == ()
    assert reading.network is not None
    n_nodes, n_links, left_out = EXAMPLES[name]
    assert len(reading.network.nodes) == n_nodes
    assert len(reading.network.links) == n_links
    with (folder / "link.csv").open(encoding="utf-8-sig") as fh:
        assert sum(1 for line in fh if line.strip()) - 1 == n_links + left_out
    dropped = sum(int(n.split()[0]) for n in reading.notes if n.endswith("left out"))
    assert dropped == left_out
    # every example sets (or defaults) its units so that the lengths look wrong: the
    # one genuine finding is a single warning naming the unit the lengths look like
    assert len(reading.warnings) == 1
    expected_unit = "m" if name == "Cambridge_Multimodal_Network" else "ft"
    assert f"they look like {expected_unit}," in str(reading.warnings[0])


def test_units_from_config_are_converted(gmns_shared):
    net = read_network(gmns_shared / "examples" / "Freeway_Interchange")
    row = net.links.set_index("link_id").loc["578653"]
    # link.csv: length 2193.040865 (config long_length: mile), free_speed 55 (mph)
    assert row["length"] == pytest.approx(2193.040865 * 1.609344)
    assert row["km"] == pytest.approx(2193.040865 * 1.609344)
    assert row["free_speed"] == pytest.approx(55 * 1.609344)
    assert row["mode"] == "road"  # allowed_uses: auto
    assert net.config["long_length"] == "km"


def test_ignored_tables_are_listed_not_problems(gmns_shared):
    reading = inspect_network(gmns_shared / "examples" / "Freeway_Interchange")
    assert "GMNS tables not used: lane.csv, movement.csv, segment.csv, segment_lane.csv" in (
        reading.notes
    )


def test_node_type_gives_kind_and_blank_names_take_the_id(gmns_shared):
    net = read_network(gmns_shared / "examples" / "Freeway_Interchange")
    nodes = net.nodes.set_index("node_id")
    assert nodes.loc["1", "node_type"] == "external"
    assert set(nodes["kind"]) == {"junction"}  # intersection, merge, ... are junctions
    assert nodes.loc["1", "name"] == "1"
    assert net.place("1") == "1"


def test_shape_drawn_backwards_is_reversed(gmns_shared):
    # link 578527 runs from node 5 to node 2; its shape in geometry.csv runs from node 2
    # to node 5 and the link says so with dir_flag -1
    net = read_network(gmns_shared / "examples" / "Freeway_Interchange")
    link = net.links.set_index("link_id").loc["578527"]
    nodes = net.nodes.set_index("node_id")
    first, last = link["coords"][0], link["coords"][-1]
    assert first == pytest.approx((nodes.loc["5", "x_coord"], nodes.loc["5", "y_coord"]), abs=1e-4)
    assert last == pytest.approx((nodes.loc["2", "x_coord"], nodes.loc["2", "y_coord"]), abs=1e-4)


def test_shapefile_truncated_columns_are_restored(gmns_shared):
    reading = inspect_network(gmns_shared / "examples" / "Cambridge_Multimodal_Network")
    assert "link.csv: column 'from_node_' read as 'from_node_id'" in reading.notes
    assert reading.network is not None
    assert "facility_t" in reading.network.links.columns  # undeclared: kept as it is


def test_check_command_on_the_examples(gmns_shared, run_cli):
    for name in EXAMPLES:
        result = run_cli("network", "check", str(gmns_shared / "examples" / name))
        assert result.code == 0, result.out
        assert result.out.startswith("OK ")
        assert result.out.count("warning:") == 1
        assert "problem" not in result.out


# -- hand-made GMNS folders ---------------------------------------------------------------

R = 6378137.0  # Web Mercator sphere radius, m


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """EPSG:3857 by its formula: x = R lon, y = R ln tan(pi/4 + lat/2)."""
    return R * math.radians(lon), R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text.strip() + "\n", encoding="utf-8")


def test_projected_coordinates_are_converted_to_lon_lat(tmp_path):
    a, b, mid = _mercator(10.0, 45.0), _mercator(11.0, 45.0), _mercator(10.5, 45.2)
    _write(tmp_path, "config.csv", "dataset_name,long_length,speed,crs\nmerc,meter,mph,3857")
    _write(
        tmp_path,
        "node.csv",
        f"node_id,x_coord,y_coord,node_type\n1,{a[0]},{a[1]},port\n2,{b[0]},{b[1]},\n",
    )
    _write(
        tmp_path,
        "link.csv",
        "link_id,from_node_id,to_node_id,directed,allowed_uses,free_speed,geometry\n"
        f'7,1,2,true,truck,50,"LINESTRING ({a[0]} {a[1]}, {mid[0]} {mid[1]}, {b[0]} {b[1]})"\n',
    )
    reading = inspect_network(tmp_path)
    assert reading.problems == ()
    net = reading.network
    assert net is not None
    nodes = net.nodes.set_index("node_id")
    assert (nodes.loc["1", "x_coord"], nodes.loc["1", "y_coord"]) == pytest.approx((10, 45))
    assert (nodes.loc["2", "x_coord"], nodes.loc["2", "y_coord"]) == pytest.approx((11, 45))
    assert nodes.loc["1", "kind"] == "port"
    assert nodes.loc["2", "kind"] == "junction"
    link = net.links.iloc[0]
    np.testing.assert_allclose(link["coords"], [(10, 45), (10.5, 45.2), (11, 45)], atol=1e-6)
    # blank length: the shape's great-circle length, hand-computed with the haversine
    assert link["km"] == pytest.approx(
        _haversine(10, 45, 10.5, 45.2) + _haversine(10.5, 45.2, 11, 45)
    )
    assert link["free_speed"] == pytest.approx(50 * 1.609344)
    assert "coordinates converted from EPSG:3857 to lon/lat (WGS 84)" in reading.notes
    assert net.config["crs"] == "EPSG:4326"


def _haversine(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_lon_lat_out_of_range_after_conversion_is_a_problem(tmp_path):
    _write(tmp_path, "config.csv", "crs\nEPSG:4326")
    _write(tmp_path, "node.csv", "node_id,x_coord,y_coord\n1,500000,4500000\n2,10,45")
    _write(
        tmp_path,
        "link.csv",
        "link_id,from_node_id,to_node_id,mode,length,free_speed\n1,1,2,road,9,50",
    )
    with pytest.raises(
        NetworkError, match=r"node.csv, line 2, field 'x_coord': must be at most 180"
    ):
        read_network(tmp_path)


def test_unknown_use_is_a_problem_with_a_suggestion(tmp_path):
    _write(tmp_path, "node.csv", "node_id,x_coord,y_coord\n1,10,45\n2,10.1,45")
    _write(
        tmp_path,
        "link.csv",
        "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed\n1,1,2,trcuk,9,50\n"
        "2,2,1,,9,50",
    )
    with pytest.raises(NetworkError) as info:
        read_network(tmp_path)
    text = [str(p) for p in info.value.problems]
    assert any(
        "link.csv, line 2, field 'allowed_uses': unknown use" in p and "did you mean 'truck'?" in p
        for p in text
    ), text
    assert any("line 3, field 'mode': the link needs a mode or allowed_uses" in p for p in text)


def test_use_definition_names_the_mode_of_a_use(tmp_path):
    _write(tmp_path, "node.csv", "node_id,x_coord,y_coord\n1,10,45\n2,10.1,45")
    _write(
        tmp_path,
        "link.csv",
        "link_id,from_node_id,to_node_id,allowed_uses,length,free_speed,gauge_mm\n"
        "1,1,2,block_train,9,50,1435\n2,2,1,walk;truck,9,50,",
    )
    _write(
        tmp_path,
        "use_definition.csv",
        "use,persons_per_vehicle,pce,mode\nblock_train,0,0,rail",
    )
    net = read_network(tmp_path)
    assert list(net.links["mode"]) == ["rail", "road"]


def test_inline_shape_drawn_backwards_is_reversed_once(tmp_path):
    from corridors.network import write_network

    _write(tmp_path / "a", "node.csv", "node_id,x_coord,y_coord\n1,10,45\n2,11,45")
    _write(
        tmp_path / "a",
        "link.csv",
        "link_id,from_node_id,to_node_id,mode,free_speed,dir_flag,geometry\n"
        '1,1,2,road,50,-1,"LINESTRING (11 45, 10.5 45.1, 10 45)"',
    )
    net = read_network(tmp_path / "a")
    assert net.links["coords"].iloc[0] == [(10, 45), (10.5, 45.1), (11, 45)]
    again = read_network(write_network(net, tmp_path / "b"))  # written once, not flipped back
    assert again.links["coords"].iloc[0] == [(10, 45), (10.5, 45.1), (11, 45)]


def test_unknown_geometry_id_names_file_line_and_field(tmp_path):
    _write(tmp_path, "node.csv", "node_id,x_coord,y_coord\n1,10,45\n2,11,45")
    _write(
        tmp_path,
        "link.csv",
        "link_id,from_node_id,to_node_id,mode,free_speed,geometry_id\n1,1,2,road,50,g10",
    )
    _write(tmp_path, "geometry.csv", 'geometry_id,geometry\ng1,"LINESTRING (10 45, 11 45)"')
    with pytest.raises(NetworkError) as info:
        read_network(tmp_path)
    problems = [str(p) for p in info.value.problems]
    assert any(
        "link.csv, line 2, field 'geometry_id': no shape with this id in geometry.csv (value 'g10')"
        in p
        for p in problems
    ), problems
