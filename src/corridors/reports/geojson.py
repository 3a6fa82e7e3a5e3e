"""GeoJSON (RFC 7946) FeatureCollections from lines and points, as plain dictionaries.

Used by ``corridors network export`` and route export: this module builds the
dictionaries, the caller writes them (``json.dump``). Positions are ``[lon, lat]`` in
degrees (WGS 84), rounded to 6 decimals (about 0.1 m). Property values are made
JSON-safe: numpy scalars become Python numbers and NaN becomes ``null``. Styling
properties follow the simplestyle convention (``stroke``, ``stroke-width``,
``marker-color``) that many viewers understand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from corridors.network.model import Network
from corridors.network.tables import LINE
from corridors.reports.errors import ReportError

_DECIMALS = 6


def _json_value(v: Any) -> Any:
    """Convert a property value to something ``json.dumps`` accepts (NaN -> None)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, Mapping):
        return {str(k): _json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple | np.ndarray):
        return [_json_value(x) for x in v]
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return str(v)


def json_number(v: object) -> float | None:
    """A number as JSON takes it: a finite float, or None (missing, NaN, infinite, text)."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _position(lon: float, lat: float, what: str) -> list[float]:
    lon_f, lat_f = float(lon), float(lat)
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)) or abs(lat_f) > 90 or abs(lon_f) > 180:
        raise ReportError(f"{what}: ({lon!r}, {lat!r}) is not a valid (lon, lat) in degrees")
    return [round(lon_f, _DECIMALS), round(lat_f, _DECIMALS)]


def _properties(properties: Mapping[str, Any] | None) -> dict[str, Any]:
    return {str(k): _json_value(v) for k, v in (properties or {}).items()}


def point_feature(
    lon: float,
    lat: float,
    *,
    properties: Mapping[str, Any] | None = None,
    feature_id: str | int | None = None,
) -> dict[str, Any]:
    """Return a GeoJSON ``Point`` feature.

    Parameters
    ----------
    lon, lat : float
        Position, degrees.
    properties : mapping, optional
        Feature properties (made JSON-safe).
    feature_id : str or int, optional
        Feature ``id``.

    Returns
    -------
    dict
        The feature.
    """
    feat: dict[str, Any] = {"type": "Feature"}
    if feature_id is not None:
        feat["id"] = _json_value(feature_id)
    feat["geometry"] = {"type": "Point", "coordinates": _position(lon, lat, "point")}
    feat["properties"] = _properties(properties)
    return feat


def line_feature(
    coords: Sequence[Sequence[float]],
    *,
    properties: Mapping[str, Any] | None = None,
    feature_id: str | int | None = None,
) -> dict[str, Any]:
    """Return a GeoJSON ``LineString`` feature.

    Parameters
    ----------
    coords : sequence of (lon, lat)
        At least two positions, degrees.
    properties : mapping, optional
        Feature properties (made JSON-safe).
    feature_id : str or int, optional
        Feature ``id``.

    Returns
    -------
    dict
        The feature.
    """
    what = f"line {feature_id!r}" if feature_id is not None else "line"
    positions = [_position(p[0], p[1], f"{what}, position {i}") for i, p in enumerate(coords)]
    if len(positions) < 2:
        raise ReportError(f"{what}: a LineString needs at least two positions")
    feat: dict[str, Any] = {"type": "Feature"}
    if feature_id is not None:
        feat["id"] = _json_value(feature_id)
    feat["geometry"] = {"type": "LineString", "coordinates": positions}
    feat["properties"] = _properties(properties)
    return feat


def feature_collection(
    features: Iterable[Mapping[str, Any]], *, name: str | None = None
) -> dict[str, Any]:
    """Wrap features in a ``FeatureCollection`` (with an optional ``name`` member)."""
    fc: dict[str, Any] = {"type": "FeatureCollection"}
    if name is not None:
        fc["name"] = name
    fc["features"] = [dict(f) for f in features]
    return fc


def network_geojson(network: Network) -> dict[str, Any]:
    """The network as a FeatureCollection: a ``Point`` per node, a ``LineString`` per link.

    Every attribute becomes a feature property (``feature_type`` is ``node`` or
    ``link``); sea legs carry their searoute geometry.
    """
    features: list[dict[str, Any]] = []
    for row in network.nodes.drop(columns=[LINE]).to_dict(orient="records"):
        features.append(
            point_feature(
                row["x_coord"],
                row["y_coord"],
                properties={**{str(k): v for k, v in row.items()}, "feature_type": "node"},
            )
        )
    for row in network.links.drop(columns=[LINE]).to_dict(orient="records"):
        coords = row.pop("coords")
        features.append(
            line_feature(
                coords, properties={**{str(k): v for k, v in row.items()}, "feature_type": "link"}
            )
        )
    return feature_collection(features, name=network.name)


def points_from_frame(
    frame: pd.DataFrame,
    *,
    lon_column: str = "x_coord",
    lat_column: str = "y_coord",
    id_column: str | None = "node_id",
    properties: Sequence[str] | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Build a FeatureCollection of points from a table (e.g. ``node.csv``).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per point.
    lon_column, lat_column : str
        Columns with longitude and latitude, degrees.
    id_column : str, optional
        Column giving the feature ``id`` (``None`` for no id).
    properties : sequence of str, optional
        Columns copied to properties (default: every other column).
    name : str, optional
        Collection name.

    Returns
    -------
    dict
        The FeatureCollection. Rows with invalid coordinates raise one
        :class:`ReportError` listing every bad row (line numbers as in the CSV file).
    """
    for col in (lon_column, lat_column):
        if col not in frame.columns:
            raise ReportError(f"points_from_frame: no column {col!r} in {list(frame.columns)}")
    skip = {lon_column, lat_column}
    cols = (
        list(properties)
        if properties is not None
        else [str(c) for c in frame.columns if c not in skip]
    )
    feats: list[dict[str, Any]] = []
    bad: list[str] = []
    for i, rec in enumerate(frame.to_dict(orient="records")):
        fid = rec.get(id_column) if id_column else None
        try:
            feats.append(
                point_feature(
                    rec[lon_column],
                    rec[lat_column],
                    properties={c: rec.get(c) for c in cols},
                    feature_id=fid,
                )
            )
        except (ReportError, TypeError, ValueError):
            bad.append(f"line {i + 2} ({rec[lon_column]!r}, {rec[lat_column]!r})")
    if bad:
        raise ReportError("points_from_frame: invalid coordinates at " + ", ".join(bad))
    return feature_collection(feats, name=name)


def lines_from_records(
    records: Iterable[Mapping[str, Any]],
    *,
    coords_key: str = "coords",
    id_key: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Build a FeatureCollection of lines from records holding coordinates.

    Parameters
    ----------
    records : iterable of mapping
        E.g. route legs or links; ``record[coords_key]`` is a list of ``(lon, lat)``.
        Every other key becomes a property.
    coords_key : str
        Key of the coordinates.
    id_key : str, optional
        Key giving the feature ``id``.
    name : str, optional
        Collection name.

    Returns
    -------
    dict
        The FeatureCollection.
    """
    feats = []
    for rec in records:
        if coords_key not in rec:
            raise ReportError(f"lines_from_records: a record has no {coords_key!r} key")
        props = {k: v for k, v in rec.items() if k != coords_key}
        fid = rec.get(id_key) if id_key else None
        feats.append(line_feature(rec[coords_key], properties=props, feature_id=fid))
    return feature_collection(feats, name=name)


__all__ = [
    "feature_collection",
    "json_number",
    "line_feature",
    "lines_from_records",
    "point_feature",
    "points_from_frame",
]
