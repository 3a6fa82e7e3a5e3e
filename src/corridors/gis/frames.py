"""Nodes, links, routes and flows as GeoDataFrames (lon/lat, EPSG:4326)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from corridors.network.export import network_tables
from corridors.network.model import Network

if TYPE_CHECKING:
    import geopandas as gpd

    from corridors.routing import Route

CRS = "EPSG:4326"


def _geopandas() -> object:
    try:
        import geopandas  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - the geo extra is installed in tests
        msg = "geodata needs the geo extra: pip install 'corridors[geo]' (geopandas, pyogrio)"
        raise ImportError(msg) from exc
    return geopandas


def network_geodataframes(network: Network) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Nodes as points and links as lines, with every attribute.

    Parameters
    ----------
    network : Network
        The network.

    Returns
    -------
    nodes, links : geopandas.GeoDataFrame
        One row per node (``Point``) and per link (``LineString``: the searoute path of
        sea legs, the link's shape or a straight line). List-like cells (aliases,
        corridors, sea passages) are joined with ``;``; ``km`` is the link's length in
        km, computed for sea legs.
    """
    import shapely  # noqa: PLC0415

    gpd = _geopandas()
    tables = network_tables(network)
    nodes = tables["node"]
    links = tables["link"].drop(columns=["geometry"])  # the WKT text becomes the geometry
    points = shapely.points(nodes["x_coord"].to_numpy(float), nodes["y_coord"].to_numpy(float))
    lines = [shapely.LineString(c) for c in network.links["coords"]]
    return (
        gpd.GeoDataFrame(nodes, geometry=points, crs=CRS),  # type: ignore[attr-defined]
        gpd.GeoDataFrame(links, geometry=lines, crs=CRS),  # type: ignore[attr-defined]
    )


def _oriented(
    network: Network, link_id: str, from_node_id: str | None
) -> list[tuple[float, float]]:
    """Geometry of a link in the direction it is used."""
    from corridors.reports.comparison import leg_coords  # noqa: PLC0415

    if from_node_id is None:
        return [
            (float(x), float(y))
            for x, y in network.links["coords"].iloc[network.link_index[link_id]]
        ]
    return leg_coords(network, link_id, from_node_id)


def routes_geodataframe(network: Network, routes: Sequence[Route]) -> gpd.GeoDataFrame:
    """Routes as lines: one row per route with its totals, drawn along its legs.

    Parameters
    ----------
    network : Network
        The network the routes were found on.
    routes : sequence of Route
        E.g. :func:`corridors.routing.compare`'s result.

    Returns
    -------
    geopandas.GeoDataFrame
        ``rank`` (0 = cheapest), ``corridor``, ``origin``, ``destination``, ``unit``,
        ``days``, ``hours``, ``usd``, ``kg_co2e``, ``km``, ``borders``, ``transfers``,
        ``generalised_cost_usd``, ``links`` (``;``-joined link ids) and a
        ``LineString`` from the origin to the destination.
    """
    import shapely  # noqa: PLC0415

    gpd = _geopandas()
    rows: list[dict[str, object]] = []
    lines = []
    for rank, route in enumerate(routes):
        row = {k: v for k, v in route.to_dict().items() if k not in ("legs", "stops")}
        rows.append({"rank": rank, **row, "links": ";".join(route.link_ids)})
        coords: list[tuple[float, float]] = []
        for leg in route.legs:
            part = _oriented(network, str(leg.link_id), leg.from_node_id)
            coords.extend(part[1:] if coords and coords[-1] == part[0] else part)
        lines.append(shapely.LineString(coords) if len(coords) >= 2 else None)
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=lines, crs=CRS)  # type: ignore[attr-defined]


def flows_geodataframe(network: Network, flows: pd.DataFrame) -> gpd.GeoDataFrame:
    """A table of flows per link (and direction) drawn on the links.

    Parameters
    ----------
    network : Network
        The network the flows were assigned on.
    flows : pandas.DataFrame
        One row per link or link direction with a ``link_id`` column (and optionally
        ``from_node_id``: the line is then drawn in that direction), e.g.
        :meth:`corridors.assignment.corridor.CorridorAssignment.links`.

    Returns
    -------
    geopandas.GeoDataFrame
        The same rows and columns with a ``LineString`` per row.

    Raises
    ------
    KeyError
        If a ``link_id`` is not a link of the network.
    """
    import shapely  # noqa: PLC0415

    gpd = _geopandas()
    unknown = sorted(set(map(str, flows["link_id"])) - set(network.link_index))
    if unknown:
        msg = f"links not in the network {network.name!r}: {', '.join(unknown[:5])}"
        raise KeyError(msg)
    starts = flows["from_node_id"] if "from_node_id" in flows else [None] * len(flows)
    lines = [
        shapely.LineString(_oriented(network, str(lid), None if f is None else str(f)))
        for lid, f in zip(flows["link_id"], starts, strict=True)
    ]
    return gpd.GeoDataFrame(flows.reset_index(drop=True), geometry=lines, crs=CRS)  # type: ignore[attr-defined]
