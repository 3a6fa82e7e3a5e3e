"""GMNS coordinates on reading: a folder's coordinate system, converted to lon/lat.

corridors keeps coordinates as WGS 84 longitude and latitude; a GMNS folder may give
them in a projected system (``crs`` in ``config.csv``), converted here with pyproj
(imported only for such data), and checked to be a longitude and a latitude after.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from corridors.errors import Problem
from corridors.network.geo import parse_wkt_linestring, to_wkt_linestring
from corridors.network.tables import LINE

LONLAT_CRS = frozenset({"EPSG:4326", "4326", "WGS84", "WGS 84", "OGC:CRS84", "CRS84"})
"""Spellings of WGS 84 lon/lat, recognised without loading pyproj."""

Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def crs_code(value: object) -> str:
    """Normalise a ``crs`` cell: a bare number is an EPSG code (``4326`` -> ``EPSG:4326``)."""
    text = str(value or "").strip() or "EPSG:4326"
    if re.fullmatch(r"\d{4,6}", text):
        return f"EPSG:{text}"
    return text


def lonlat_transform(crs: str) -> Transform | None:
    """A function from ``crs`` coordinates to lon/lat (WGS 84), or ``None`` if already so.

    Raises
    ------
    ValueError
        If pyproj does not know the CRS.
    """
    if crs.upper() in LONLAT_CRS:
        return None
    from pyproj import CRS, Transformer  # noqa: PLC0415  (only for projected data)
    from pyproj.exceptions import CRSError  # noqa: PLC0415

    try:
        source = CRS.from_user_input(crs)
    except CRSError as exc:
        msg = f"unknown coordinate reference system ({exc})"
        raise ValueError(msg) from None
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    transformer = Transformer.from_crs(source, CRS.from_epsg(4326), always_xy=True)

    def transform(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = transformer.transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    return transform


def to_lonlat(
    nodes: pd.DataFrame, links: pd.DataFrame, transform: Transform, *, filename: str
) -> list[Problem]:
    """Convert node coordinates and link geometries to lon/lat, in place."""
    lon, lat = transform(nodes["x_coord"].to_numpy(), nodes["y_coord"].to_numpy())
    nodes["x_coord"], nodes["y_coord"] = lon, lat
    problems: list[Problem] = []
    out = list(links["geometry"])
    for i, (wkt, line) in enumerate(zip(links["geometry"], links[LINE], strict=True)):
        if not wkt:
            continue
        try:
            xy = np.asarray(parse_wkt_linestring(wkt))
        except ValueError as exc:
            problems.append(Problem(filename, int(line), "geometry", wkt[:40], str(exc)))
            out[i] = ""
            continue
        lo, la = transform(xy[:, 0], xy[:, 1])
        out[i] = to_wkt_linestring(list(zip(lo.tolist(), la.tolist(), strict=True)))
    links["geometry"] = pd.array(out, dtype=object)
    return problems


def check_lonlat(nodes: pd.DataFrame, filename: str) -> list[Problem]:
    """Coordinates are a longitude and a latitude (after any conversion)."""
    problems: list[Problem] = []
    for x, y, line in zip(nodes["x_coord"], nodes["y_coord"], nodes[LINE], strict=True):
        for col, value, limit in (("x_coord", x, 180.0), ("y_coord", y, 90.0)):
            if math.isfinite(value) and abs(value) > limit:
                problems.append(
                    Problem(
                        filename,
                        int(line),
                        col,
                        f"{value:g}",
                        f"not a {'longitude' if col == 'x_coord' else 'latitude'} "
                        f"(must be within +-{limit:g} degrees)",
                        "projected coordinates need their crs in config.csv",
                    )
                )
    return problems
