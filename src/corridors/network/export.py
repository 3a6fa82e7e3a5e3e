"""Network tables for other tools: GeoJSON features and flat tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from corridors.network.model import Network
from corridors.network.tables import LINE


def _jsonable(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def network_tables(network: Network) -> dict[str, pd.DataFrame]:
    """Nodes, links (with computed km and passages) and vessels as flat tables."""
    links = network.links.drop(columns=[LINE, "coords"]).copy()
    links["corridors"] = [";".join(t) for t in links["corridors"]]
    links["sea_avoid"] = [";".join(t) for t in links["sea_avoid"]]
    links["passages"] = [";".join(t) for t in links["passages"]]
    nodes = network.nodes.drop(columns=[LINE]).copy()
    nodes["aliases"] = [";".join(t) for t in nodes["aliases"]]
    out = {"node": nodes, "link": links}
    if len(network.vessels):
        out["vessel"] = network.vessels.drop(columns=[LINE])
    return out


def network_geojson(network: Network) -> dict[str, object]:
    """The network as a GeoJSON FeatureCollection: a Point per node, a LineString per link.

    Every attribute becomes a feature property; sea legs carry the searoute geometry.
    """
    features: list[dict[str, object]] = []
    for row in network.nodes.drop(columns=[LINE]).to_dict(orient="records"):
        props = {k: _jsonable(v) for k, v in row.items()}
        props["feature_type"] = "node"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["x_coord"], row["y_coord"]]},
                "properties": props,
            }
        )
    for row in network.links.drop(columns=[LINE]).to_dict(orient="records"):
        coords = row.pop("coords")
        props = {k: _jsonable(v) for k, v in row.items()}
        props["feature_type"] = "link"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "name": network.name, "features": features}
