"""TopoJSON decoder: a hand-made quantized topology and the vendored atlas."""

from __future__ import annotations

import numpy as np
import pytest

from corridors.reports.basemap import decode_countries, decode_geometry, load_countries
from corridors.reports.errors import ReportError

# Two unit squares side by side sharing the edge x=1, quantized with scale 0.5 and
# translate (10, 20): integer position (i, j) -> (10 + 0.5 i, 20 + 0.5 j).
# Arc 0: the shared edge (2,0)->(2,2); arc 1: left square's other three edges
# (2,2)->(0,2)->(0,0)->(2,0); arc 2: right square's other edges (2,0)->(4,0)->(4,2)->(2,2).
# Arcs are delta-encoded.
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "West"}},
                {"type": "Polygon", "arcs": [[2, ~0]], "id": "002", "properties": {"name": "East"}},
                {"type": "LineString", "arcs": [~2]},
                {"type": "Point", "coordinates": [4, 2]},
                {"type": None},
            ],
        }
    },
    "arcs": [
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]],
    ],
}


def test_tiny_topology_polygons_have_known_coordinates() -> None:
    west, east = decode_countries(TINY)
    assert (west.name, west.iso_n3) == ("West", "001")
    assert west.polygons == (
        (((11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)),),
    )
    # East uses the shared arc reversed (~0): (11,21) -> (11,20) closes the ring.
    assert east.polygons == (
        (((11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0), (11.0, 20.0)),),
    )
    assert east.bbox == (11.0, 20.0, 12.0, 21.0)


def test_tiny_topology_line_and_point_and_null() -> None:
    geoms = TINY["objects"]["countries"]["geometries"]  # type: ignore[index]
    line = decode_geometry(TINY, geoms[2])
    assert line == {
        "type": "LineString",
        "coordinates": [(11.0, 21.0), (12.0, 21.0), (12.0, 20.0), (11.0, 20.0)],
    }
    # points are quantized but not delta-encoded
    assert decode_geometry(TINY, geoms[3]) == {"type": "Point", "coordinates": (12.0, 21.0)}
    assert decode_geometry(TINY, geoms[4]) is None


def test_unquantized_topology_and_errors() -> None:
    topo = {
        "type": "Topology",
        "arcs": [[[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 0.5]]],
        "objects": {"x": {"type": "Polygon", "arcs": [[0]]}},
    }
    (c,) = decode_countries(topo, object_name="x")
    assert c.polygons[0][0] == ((0.5, 0.5), (1.5, 0.5), (1.5, 1.5), (0.5, 0.5))
    with pytest.raises(ReportError, match="no object 'countries'"):
        decode_countries(topo)
    with pytest.raises(ReportError, match="not a TopoJSON"):
        decode_countries({"type": "FeatureCollection"})


def _inside(ring: tuple[tuple[float, float], ...], lon: float, lat: float) -> bool:
    pts = np.asarray(ring)
    x, y = pts[:-1, 0], pts[:-1, 1]
    x1, y1 = pts[1:, 0], pts[1:, 1]
    cond = (y > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = x + (lat - y) * (x1 - x) / (y1 - y)
    return bool(np.count_nonzero(cond & (lon < xs)) % 2)


def _covers(country_polys: tuple, lon: float, lat: float) -> bool:  # type: ignore[type-arg]
    return any(
        _inside(poly[0], lon, lat) and not any(_inside(h, lon, lat) for h in poly[1:])
        for poly in country_polys
    )


def test_vendored_atlas_kazakhstan_and_caspian() -> None:
    countries = load_countries(resolution="110m")
    by_name = {c.name: c for c in countries}
    kz = by_name["Kazakhstan"]
    assert kz.iso_n3 == "398"
    # Kazakhstan spans about 46.5-87.3 E and 40.6-55.4 N (Natural Earth).
    lon0, lat0, lon1, lat1 = kz.bbox
    assert 45.5 < lon0 < 47.5
    assert 86.5 < lon1 < 88.0
    assert 40.0 < lat0 < 41.5
    assert 55.0 < lat1 < 56.0
    assert _covers(kz.polygons, 71.43, 51.13)  # Astana
    assert not _covers(kz.polygons, 44.8, 41.7)  # Tbilisi
    assert _covers(by_name["Georgia"].polygons, 44.8, 41.7)
    # the middle of the Caspian Sea is covered by no country: it stays water on maps
    assert not any(_covers(c.polygons, 50.8, 42.0) for c in countries)


def test_load_countries_rejects_unknown_resolution() -> None:
    with pytest.raises(ReportError, match="resolution"):
        load_countries(resolution="10m")  # type: ignore[arg-type]
    with pytest.raises(ReportError, match="resolution"):
        load_countries(resolution="50m")  # type: ignore[arg-type]
