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
    """Parse a WKT ``LINESTRING (lon lat, lon lat, ...)`` into coordinate pairs.

    Raises
    ------
    ValueError
        If the text is not a 2-D LINESTRING with at least two points.
    """
    body = text.strip()
    head, sep, rest = body.partition("(")
    if head.strip().upper() != "LINESTRING" or not sep or not rest.rstrip().endswith(")"):
        msg = "expected 'LINESTRING (lon lat, lon lat, ...)'"
        raise ValueError(msg)
    pairs: list[tuple[float, float]] = []
    for part in rest.rstrip()[:-1].split(","):
        xy = part.split()
        if len(xy) != 2:
            msg = f"expected two numbers per point, got {part.strip()!r}"
            raise ValueError(msg)
        pairs.append((float(xy[0]), float(xy[1])))
    if len(pairs) < 2:
        msg = "a LINESTRING needs at least two points"
        raise ValueError(msg)
    return pairs


def to_wkt_linestring(coords: list[tuple[float, float]]) -> str:
    """Format coordinate pairs as a WKT ``LINESTRING``."""
    return "LINESTRING (" + ", ".join(f"{x:.5f} {y:.5f}" for x, y in coords) + ")"
