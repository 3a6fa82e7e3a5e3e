"""Geodata for GIS tools: GeoDataFrames, GeoPackage and GeoParquet.

Needs the ``geo`` extra (``pip install corridors[geo]``: geopandas and pyogrio).
Coordinates are lon/lat (EPSG:4326); sea legs carry their searoute paths.

Examples
--------
>>> from corridors.datasets import eurasia_path
>>> from corridors.network import read_network
>>> nodes, links = read_network(eurasia_path()).to_geodataframes()
>>> links.crs.to_epsg(), links.geometry.geom_type.unique().tolist()
(4326, ['LineString'])
"""

from __future__ import annotations

from corridors.gis.files import write_geopackage, write_geoparquet
from corridors.gis.frames import (
    flows_geodataframe,
    network_geodataframes,
    routes_geodataframe,
)

__all__ = [
    "flows_geodataframe",
    "network_geodataframes",
    "routes_geodataframe",
    "write_geopackage",
    "write_geoparquet",
]
