"""GeoDataFrames, GeoPackage and GeoParquet, read back with geopandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from corridors.datasets import eurasia_path
from corridors.network import Network, read_network

gpd = pytest.importorskip("geopandas", reason="the geo extra (geopandas) is not installed")
pyogrio = pytest.importorskip("pyogrio")

from corridors.gis import (  # noqa: E402
    flows_geodataframe,
    network_geodataframes,
    routes_geodataframe,
    write_geopackage,
    write_geoparquet,
)


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return read_network(eurasia_path())


def test_network_as_geodataframes(eurasia):
    nodes, links = eurasia.to_geodataframes()
    assert nodes.crs.to_epsg() == 4326
    assert links.crs.to_epsg() == 4326
    assert len(nodes) == 136
    assert len(links) == 196
    assert set(nodes.geom_type) == {"Point"}
    assert set(links.geom_type) == {"LineString"}
    np.testing.assert_array_equal(nodes.geometry.x, eurasia.nodes["x_coord"])
    np.testing.assert_array_equal(nodes.geometry.y, eurasia.nodes["y_coord"])
    np.testing.assert_array_equal(links["km"], eurasia.links["km"])
    xy = dict(
        zip(nodes["node_id"], zip(nodes.geometry.x, nodes.geometry.y, strict=True), strict=True)
    )
    for line, a, b in zip(links.geometry, links["from_node_id"], links["to_node_id"], strict=True):
        assert line.coords[0] == pytest.approx(xy[a])
        assert line.coords[-1] == pytest.approx(xy[b])
    sea = links[links["mode"] == "sea"]
    assert (shapely.get_num_points(sea.geometry) > 2).all()  # searoute paths
    assert (
        links["passages"].str.contains("suez")
        == links["link_id"].isin(
            [
                lid
                for lid, p in zip(eurasia.links["link_id"], eurasia.links["passages"], strict=True)
                if "suez" in p
            ]
        )
    ).all()


def test_geopackage_has_one_layer_per_table_and_reads_back(eurasia, tmp_path):
    nodes, links = network_geodataframes(eurasia)
    path = write_geopackage({"node": nodes, "link": links}, tmp_path / "eurasia.gpkg")
    assert [tuple(x) for x in pyogrio.list_layers(path)] == [
        ("node", "Point"),
        ("link", "LineString"),
    ]
    for name, frame in (("node", nodes), ("link", links)):
        back = gpd.read_file(path, layer=name)
        assert back.crs.to_epsg() == 4326
        assert list(back.columns) == list(frame.columns)
        assert back.geometry.geom_equals_exact(frame.geometry, tolerance=1e-9).all()
        key = f"{name}_id"
        assert list(back[key]) == list(frame[key])
    back = gpd.read_file(path, layer="link")
    np.testing.assert_allclose(back["km"], links["km"])
    assert list(tmp_path.iterdir()) == [path]  # no scratch file left


def test_geoparquet_reads_back_with_geopandas(eurasia, tmp_path):
    _, links = network_geodataframes(eurasia)
    path = write_geoparquet(links, tmp_path / "link.parquet")
    import pyarrow.parquet as pq

    assert b"geo" in pq.read_schema(path).metadata
    back = gpd.read_parquet(path)
    assert back.crs.to_epsg() == 4326
    assert back.geometry.geom_equals_exact(links.geometry, tolerance=0).all()
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(links.drop(columns="geometry"))
    )


def test_cli_exports_geoparquet_and_geopackage(run_cli, mini_path, tmp_path):
    r = run_cli("network", "export", str(mini_path), "-f", "parquet", "-o", str(tmp_path / "pq"))
    assert r.code == 0, r.err
    links = gpd.read_parquet(tmp_path / "pq" / "link.parquet")
    assert len(links) == 7
    assert links.crs.to_epsg() == 4326
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == [
        "link.parquet",
        "node.parquet",
        "vessel.parquet",
    ]
    r = run_cli("network", "export", str(mini_path), "-f", "gpkg", "-o", str(tmp_path / "m.gpkg"))
    assert r.code == 0, r.err
    assert len(gpd.read_file(tmp_path / "m.gpkg", layer="node")) == 6


def test_routes_as_lines_from_origin_to_destination(eurasia):
    from corridors.routing import compare

    routes = compare(eurasia, "Xi'an", "Duisburg")
    frame = routes_geodataframe(eurasia, routes)
    assert list(frame["corridor"]) == [r.corridor for r in routes]
    assert list(frame["rank"]) == list(range(len(routes)))
    start = eurasia.nodes.set_index("node_id").loc[routes[0].origin]
    end = eurasia.nodes.set_index("node_id").loc[routes[0].destination]
    for line, route in zip(frame.geometry, routes, strict=True):
        assert line.coords[0] == pytest.approx((start["x_coord"], start["y_coord"]))
        assert line.coords[-1] == pytest.approx((end["x_coord"], end["y_coord"]))
        assert route.link_ids == tuple(
            frame.loc[frame["corridor"] == route.corridor, "links"].iloc[0].split(";")
        )
    # the sea routes follow searoute's paths: round Africa longer than through Suez, both
    # far longer than the rail line; each drawn line is at most the route's km
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    drawn = {
        c: geod.geometry_length(g) / 1000
        for c, g in zip(frame["corridor"], frame.geometry, strict=True)
    }
    assert drawn["sea_cape"] > drawn["sea_suez"] > 1.5 * drawn["northern"]
    for corridor, km in zip(frame["corridor"], frame["km"], strict=True):
        assert 0.7 * km < drawn[corridor] < 1.05 * km, corridor


def test_flows_drawn_in_their_direction(mini_path):
    net = read_network(mini_path)
    flows = pd.DataFrame(
        {"link_id": ["l1", "l1"], "from_node_id": ["xa", "xb"], "flow_teu_yr": [10.0, 4.0]}
    )
    frame = flows_geodataframe(net, flows)
    nodes = net.nodes.set_index("node_id")
    a = (nodes.loc["xa", "x_coord"], nodes.loc["xa", "y_coord"])
    b = (nodes.loc["xb", "x_coord"], nodes.loc["xb", "y_coord"])
    assert frame.geometry.iloc[0].coords[0] == pytest.approx(a)
    assert frame.geometry.iloc[1].coords[0] == pytest.approx(b)
    assert list(frame["flow_teu_yr"]) == [10.0, 4.0]
    with pytest.raises(KeyError, match="links not in the network 'mini': l9"):
        flows_geodataframe(net, pd.DataFrame({"link_id": ["l9"]}))


def test_assignment_flows_to_geopackage(mini_path, tmp_path):
    from corridors.assignment.corridor import assign_corridors
    from corridors.routing import CostParameters

    net = read_network(mini_path)
    demand = pd.DataFrame(
        {
            "origin": ["Alpha"],
            "destination": ["Echo"],
            "commodity": ["containers"],
            "volume": [500.0],
            "unit": ["TEU"],
        }
    )
    res = assign_corridors(net, demand, params=CostParameters(unit="TEU"), gap=1e-6, max_iter=2000)
    flows = res.links()
    frame = flows_geodataframe(net, flows)
    path = write_geopackage({"flow": frame}, tmp_path / "flows.gpkg")
    back = gpd.read_file(path, layer="flow")
    assert len(back) == len(flows)
    np.testing.assert_allclose(back["flow_teu_yr"], flows["flow_teu_yr"])
    # every TEU leaves Alpha over l1, drawn from Alpha towards Bravo
    leaving = back[(back["link_id"] == "l1") & (back["from_node_id"] == "xa")]
    assert float(leaving["flow_teu_yr"].iloc[0]) == pytest.approx(500.0)
    alpha = net.nodes.set_index("node_id").loc["xa"]
    assert leaving.geometry.iloc[0].coords[0] == pytest.approx((alpha["x_coord"], alpha["y_coord"]))
