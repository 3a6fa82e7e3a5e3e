"""Geodesy helpers: great-circle distances and straight-line geometry."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""

FloatArray = npt.NDArray[np.float64]


def great_circle_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> FloatArray:
    """Great-circle (haversine) distance between points, km.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : array_like
        Coordinates in degrees (WGS 84); broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Distances in km.
    """
    p1 = np.radians(np.asarray(lat1, dtype=float))
    p2 = np.radians(np.asarray(lat2, dtype=float))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def polyline_km(coords: list[tuple[float, float]]) -> float:
    """Length of a lon/lat polyline along great circles, km."""
    if len(coords) < 2:
        return 0.0
    arr = np.asarray(coords, dtype=float)
    return float(great_circle_km(arr[:-1, 0], arr[:-1, 1], arr[1:, 0], arr[1:, 1]).sum())


def parse_wkt_linestring(text: str) -> list[tuple[float, float]]:
    """Coordinates of a WKT ``LINESTRING`` or ``MULTILINESTRING`` (read with shapely).

    The parts of a multi-line are merged where they touch (:func:`shapely.line_merge`)
    and otherwise joined in order, so a link always gets one polyline.

    Raises
    ------
    ValueError
        If the text is not WKT, not a line, or has fewer than two points.
    """
    import shapely  # noqa: PLC0415  (imported when a geometry is read)

    try:
        geom = shapely.from_wkt(text.strip())
    except shapely.errors.ShapelyError as exc:
        detail = str(exc).strip()
        msg = (
            "a LINESTRING needs at least two points"
            if "point array" in detail
            else f"not valid WKT ({detail})"
        )
        raise ValueError(msg) from None
    if geom.geom_type == "MultiLineString":
        merged = shapely.line_merge(geom)
        parts = list(merged.geoms) if merged.geom_type == "MultiLineString" else [merged]
        pairs = [(float(x), float(y)) for part in parts for x, y, *_ in part.coords]
    elif geom.geom_type == "LineString":
        pairs = [(float(x), float(y)) for x, y, *_ in geom.coords]
    else:
        msg = f"expected a LINESTRING or MULTILINESTRING, got {geom.geom_type.upper()}"
        raise ValueError(msg)
    if len(pairs) < 2:
        msg = "a LINESTRING needs at least two points"
        raise ValueError(msg)
    return pairs


def to_wkt_linestring(coords: list[tuple[float, float]], *, decimals: int = 6) -> str:
    """Format lon/lat pairs as a WKT ``LINESTRING`` (6 decimals: about 0.1 m)."""
    import shapely  # noqa: PLC0415

    return str(shapely.to_wkt(shapely.LineString(coords), rounding_precision=decimals))
