"""Country outlines for the base map: a small TopoJSON decoder and the vendored atlas.

The package ships Natural Earth country outlines (public domain) as TopoJSON from the
npm package ``world-atlas`` 2.0.2 (ISC licence, see ``basemap/LICENSE`` and
``basemap/README.md``): ``countries-110m.json`` (1:110m), the base map of every map
of the dashboard and the reports (1:50m was only used by the retired SVG renderer).

TopoJSON stores each shared border once, as an *arc*; polygons list arc indices
(a negative index ``~i`` means arc ``i`` reversed). In a *quantized* topology the arc
positions are integers, delta-encoded (each position is the difference from the one
before), and the ``transform`` (``scale``, ``translate``) maps them back to degrees.
The decoder below follows the TopoJSON specification 1.0 and produces GeoJSON-like
geometry dictionaries with ``(lon, lat)`` tuples in degrees.

Natural Earth leaves inland seas such as the Caspian as holes between the country
polygons, so on a map they show the sea colour, which is what we want.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from corridors.reports.errors import ReportError

logger = logging.getLogger(__name__)

Position = tuple[float, float]
"""A ``(lon, lat)`` position in degrees."""
Ring = tuple[Position, ...]
"""A closed ring of positions (first position equals the last)."""
Polygon = tuple[Ring, ...]
"""An exterior ring followed by its holes."""

Resolution = Literal["110m"]

ATLAS_SOURCE = "Natural Earth (public domain), via world-atlas 2.0.2"
"""Attribution text for maps drawn on the vendored base map."""


@dataclass(frozen=True, slots=True)
class Country:
    """One country outline.

    Attributes
    ----------
    iso_n3 : str
        ISO 3166-1 numeric code as a three-digit string (``"398"`` for Kazakhstan);
        empty for areas without a code (e.g. Kosovo, Northern Cyprus).
    name : str
        Natural Earth short name, e.g. ``"Kazakhstan"``.
    polygons : tuple of Polygon
        Polygons in degrees; each is an exterior ring followed by its holes.
    """

    iso_n3: str
    name: str
    polygons: tuple[Polygon, ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """Bounding box ``(min_lon, min_lat, max_lon, max_lat)`` in degrees."""
        lons = [p[0] for poly in self.polygons for ring in poly for p in ring]
        lats = [p[1] for poly in self.polygons for ring in poly for p in ring]
        return (min(lons), min(lats), max(lons), max(lats))


def _decode_arcs(topology: Mapping[str, Any]) -> list[list[Position]]:
    """Return every arc of a topology as absolute ``(lon, lat)`` positions."""
    transform = topology.get("transform")
    arcs_in = topology.get("arcs")
    if not isinstance(arcs_in, list):
        raise ReportError("TopoJSON topology has no 'arcs' list")
    arcs: list[list[Position]] = []
    if transform is None:
        for arc in arcs_in:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
        return arcs
    kx, ky = (float(v) for v in transform["scale"])
    dx, dy = (float(v) for v in transform["translate"])
    for arc in arcs_in:
        x = y = 0
        out: list[Position] = []
        for p in arc:
            x += int(p[0])
            y += int(p[1])
            out.append((x * kx + dx, y * ky + dy))
        arcs.append(out)
    return arcs


def _point(topology: Mapping[str, Any], p: Sequence[float]) -> Position:
    """Decode a (non delta-encoded) point position."""
    transform = topology.get("transform")
    if transform is None:
        return (float(p[0]), float(p[1]))
    kx, ky = (float(v) for v in transform["scale"])
    dx, dy = (float(v) for v in transform["translate"])
    return (p[0] * kx + dx, p[1] * ky + dy)


def _line(arcs: list[list[Position]], indices: Sequence[int]) -> list[Position]:
    """Stitch arcs into one line; consecutive arcs share their joining position."""
    points: list[Position] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        if points:
            points.pop()
        points.extend(arc)
    return points


def _ring(arcs: list[list[Position]], indices: Sequence[int]) -> Ring:
    """Stitch arcs into a closed ring (at least four positions)."""
    points = _line(arcs, indices)
    while len(points) < 4 and points:
        points.append(points[0])
    return tuple(points)


def decode_geometry(
    topology: Mapping[str, Any],
    geometry: Mapping[str, Any],
    *,
    arcs: list[list[Position]] | None = None,
) -> dict[str, Any] | None:
    """Decode one TopoJSON geometry object into a GeoJSON-like geometry.

    Parameters
    ----------
    topology : mapping
        The whole TopoJSON topology (for its ``arcs`` and ``transform``).
    geometry : mapping
        One geometry object of the topology.
    arcs : list, optional
        Arcs already decoded by a previous call (saves decoding them again).

    Returns
    -------
    dict or None
        ``{"type": ..., "coordinates": ...}`` with ``(lon, lat)`` tuples in degrees,
        ``{"type": "GeometryCollection", "geometries": [...]}``, or ``None`` for a null
        geometry.
    """
    if arcs is None:
        arcs = _decode_arcs(topology)
    kind = geometry.get("type")
    if kind is None:
        return None
    if kind == "GeometryCollection":
        members = [decode_geometry(topology, g, arcs=arcs) for g in geometry["geometries"]]
        return {"type": kind, "geometries": [g for g in members if g is not None]}
    if kind == "Point":
        return {"type": kind, "coordinates": _point(topology, geometry["coordinates"])}
    if kind == "MultiPoint":
        return {"type": kind, "coordinates": [_point(topology, p) for p in geometry["coordinates"]]}
    if kind == "LineString":
        return {"type": kind, "coordinates": _line(arcs, geometry["arcs"])}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_line(arcs, a) for a in geometry["arcs"]]}
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(arcs, r) for r in geometry["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [[_ring(arcs, r) for r in poly] for poly in geometry["arcs"]],
        }
    raise ReportError(f"unknown TopoJSON geometry type {kind!r}")


def decode_countries(
    topology: Mapping[str, Any], *, object_name: str = "countries"
) -> list[Country]:
    """Decode the polygon features of a TopoJSON object into :class:`Country` outlines.

    Parameters
    ----------
    topology : mapping
        A TopoJSON ``Topology`` (parsed JSON).
    object_name : str
        Name of the geometry collection in ``topology["objects"]``.

    Returns
    -------
    list of Country
        One entry per polygon or multipolygon feature, in file order. Features with
        other geometry types are skipped.
    """
    if topology.get("type") != "Topology":
        raise ReportError("not a TopoJSON topology (type must be 'Topology')")
    objects = topology.get("objects", {})
    if object_name not in objects:
        raise ReportError(
            f"TopoJSON topology has no object {object_name!r}; it has {sorted(objects)}"
        )
    arcs = _decode_arcs(topology)
    obj = objects[object_name]
    members = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
    countries: list[Country] = []
    for g in members:
        geom = decode_geometry(topology, g, arcs=arcs)
        if geom is None:
            continue
        if geom["type"] == "Polygon":
            polygons: tuple[Polygon, ...] = (tuple(geom["coordinates"]),)
        elif geom["type"] == "MultiPolygon":
            polygons = tuple(tuple(p) for p in geom["coordinates"])
        else:
            continue
        props = g.get("properties") or {}
        countries.append(
            Country(iso_n3=str(g.get("id", "")), name=str(props.get("name", "")), polygons=polygons)
        )
    return countries


@lru_cache(maxsize=2)
def _load_cached(resolution: str) -> tuple[Country, ...]:
    res = resources.files("corridors.reports").joinpath("basemap", f"countries-{resolution}.json")
    topology = json.loads(res.read_text(encoding="utf-8"))
    countries = tuple(decode_countries(topology))
    logger.debug("decoded %d countries at %s", len(countries), resolution)
    return countries


def load_countries(*, resolution: Resolution = "110m") -> tuple[Country, ...]:
    """Load the country outlines shipped with the package.

    Parameters
    ----------
    resolution : {"110m"}
        Natural Earth scale: 1:50 million (default, about 100 000 positions) or
        1:110 million (coarse).

    Returns
    -------
    tuple of Country
        All countries of the world (177 at 110m), decoded once per process and cached
        (the result is immutable).
    """
    if resolution != "110m":
        raise ReportError(f"unknown base map resolution {resolution!r}; use '110m'")
    return _load_cached(resolution)


def countries_geojson(*, resolution: Resolution = "110m", decimals: int = 3) -> dict[str, Any]:
    """The shipped country outlines as a GeoJSON FeatureCollection (for web maps).

    Parameters
    ----------
    resolution : {"110m"}
        Natural Earth scale (110m, the default, is small enough for a page).
    decimals : int
        Decimals kept in the positions (3 is about 100 m).

    Returns
    -------
    dict
        One ``MultiPolygon`` feature per country with ``name`` and ``iso_n3``.
    """
    features = [
        {
            "type": "Feature",
            "properties": {"name": c.name, "iso_n3": c.iso_n3},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[round(x, decimals), round(y, decimals)] for x, y in ring] for ring in poly]
                    for poly in c.polygons
                ],
            },
        }
        for c in load_countries(resolution=resolution)
    ]
    return {"type": "FeatureCollection", "name": "countries", "features": features}
