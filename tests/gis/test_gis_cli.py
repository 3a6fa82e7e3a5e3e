"""Geodata from the command line: routes to GeoPackage / GeoParquet, network export by extension."""

from __future__ import annotations

import json

import pytest

gpd = pytest.importorskip("geopandas", reason="the geo extra (geopandas) is not installed")
pytest.importorskip("pyogrio")


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """The JSON of ``compare Xi'an Duisburg`` (what the geodata must agree with)."""
    from corridors.datasets import eurasia_path
    from corridors.network import read_network
    from corridors.routing import compare

    net = read_network(eurasia_path())
    routes = compare(net, "Xi'an", "Duisburg")
    xy = net.nodes.set_index("node_id")
    ends = [
        tuple(xy.loc[n, ["x_coord", "y_coord"]]) for n in (routes[0].origin, routes[0].destination)
    ]
    return [r.to_dict() for r in routes], ends


@pytest.mark.parametrize("name", ["routes.gpkg", "routes.parquet"])
def test_compare_writes_routes_as_lines(run_cli, tmp_path, compared, name):
    routes, (start, end) = compared
    out = tmp_path / name
    r = run_cli("compare", "Xi'an", "Duisburg", "-o", str(out))
    assert r.code == 0, r.err
    assert r.out == ""
    assert f"wrote {out}" in r.err
    frame = (
        gpd.read_parquet(out) if name.endswith(".parquet") else gpd.read_file(out, layer="routes")
    )
    assert frame.crs.to_epsg() == 4326
    assert list(frame["corridor"]) == [r["corridor"] for r in routes]
    assert list(frame["rank"]) == list(range(len(routes)))
    for field in ("days", "usd", "kg_co2e", "km", "borders", "generalised_cost_usd"):
        assert list(frame[field]) == pytest.approx([r[field] for r in routes]), field
    assert set(frame.geometry.geom_type) == {"LineString"}
    for line in frame.geometry:
        assert line.coords[0] == pytest.approx(start)
        assert line.coords[-1] == pytest.approx(end)


def test_routes_k_to_geopackage_and_format_option(run_cli, tmp_path):
    out = tmp_path / "alternatives.gpkg"
    r = run_cli("routes", "Almaty", "Istanbul", "-k", "3", "--format", "gpkg", "-o", str(out))
    assert r.code == 0, r.err
    frame = gpd.read_file(out, layer="routes")
    assert len(frame) == 3
    assert list(frame["generalised_cost_usd"]) == sorted(frame["generalised_cost_usd"])
    listed = json.loads(run_cli("routes", "Almaty", "Istanbul", "-k", "3", "-f", "json").out)
    assert list(frame["links"]) == [
        ";".join(leg["link_id"] for leg in x["legs"]) for x in listed["routes"]
    ]


def test_geodata_needs_a_file_and_bad_input_writes_nothing(run_cli, tmp_path):
    r = run_cli("compare", "Xi'an", "Duisburg", "--format", "gpkg")
    assert r.code == 2
    assert "--format gpkg writes a file" in r.err
    out = tmp_path / "routes.gpkg"
    r = run_cli("compare", "Xi'an", "Duisbrug", "-o", str(out))
    assert r.code == 2
    assert "Duisburg" in r.err  # did you mean
    assert list(tmp_path.iterdir()) == []


def test_network_export_format_from_the_extension(run_cli, mini_path, tmp_path):
    r = run_cli("network", "export", str(mini_path), "-o", str(tmp_path / "m.gpkg"))
    assert r.code == 0, r.err
    assert len(gpd.read_file(tmp_path / "m.gpkg", layer="link")) == 7
    r = run_cli("network", "export", str(mini_path), "-o", str(tmp_path / "m.geojson"))
    assert r.code == 0, r.err
    assert json.loads((tmp_path / "m.geojson").read_text())["type"] == "FeatureCollection"
    r = run_cli("network", "export", str(mini_path), "-f", "geoparquet", "-o", str(tmp_path / "pq"))
    assert r.code == 0, r.err
    assert len(gpd.read_parquet(tmp_path / "pq" / "node.parquet")) == 6
    r = run_cli("network", "export", str(mini_path), "-o", str(tmp_path / "folder"))
    assert r.code == 2
    assert "cannot tell the format from 'folder'" in r.err
    assert not (tmp_path / "folder").exists()


def test_assign_flows_to_geopackage_drawn_on_the_links(run_cli, mini_path, tmp_path):
    """assign -o flows.gpkg: the rows of the CSV, each drawn on its link, in its direction."""
    import pandas as pd

    demand = tmp_path / "demand.csv"
    demand.write_text(
        "origin,destination,commodity,volume,unit,year,market,source\n"
        "Alpha,Echo,containers,5000,TEU,2024,test,hand-made\n"
    )
    args = ("assign", str(mini_path), str(demand))
    assert run_cli(*args, "-o", str(tmp_path / "flows.csv")).code == 0
    r = run_cli(*args, "-o", str(tmp_path / "flows.gpkg"))
    assert r.code == 0, r.err
    table = pd.read_csv(tmp_path / "flows.csv")
    frame = gpd.read_file(tmp_path / "flows.gpkg", layer="flows")
    assert list(frame["link_id"]) == list(table["link_id"])
    assert frame["volume_teu_equivalent"].to_numpy() == pytest.approx(
        table["volume_teu_equivalent"].to_numpy()
    )
    assert frame.crs.to_epsg() == 4326
    from corridors.network import read_network

    net = read_network(mini_path)
    xy = net.nodes.set_index("node_id")
    for line, start in zip(frame.geometry, frame["from_node_id"], strict=True):
        assert line.coords[0] == pytest.approx(tuple(xy.loc[start, ["x_coord", "y_coord"]]))
    tntp = run_cli("assign", "--tntp", str(tmp_path), "-o", str(tmp_path / "t.gpkg"))
    assert tntp.code == 2  # TNTP networks have no geometry: .gpkg is refused before running
    assert "write the table to a .csv, .parquet file" in tntp.err
