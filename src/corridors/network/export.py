"""Network tables for other tools: flat tables (GeoJSON is in :mod:`corridors.reports.geojson`)."""

from __future__ import annotations

import pandas as pd

from corridors.network.model import Network
from corridors.network.tables import LINE


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
