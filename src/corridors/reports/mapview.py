"""Maps as data for the one map component (``static/corridormap.js``).

The dashboard and the HTML reports draw every map with the same JavaScript component on
Leaflet; Python only says what to draw. A :class:`MapView` is a list of layers:

* ``routes`` - the routes of a comparison, one colour per corridor (:func:`routes_layer`,
  built from :func:`route_entry`);
* ``flows`` - links and nodes of a flow result as GeoJSON, width by flow and colour by
  the share of capacity used, bottlenecks ringed and labelled with their shadow price
  (:func:`flows_layer`; :func:`run_flows_geojson` for a scenario run).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from corridors.network.model import Network
from corridors.reports.errors import ReportError
from corridors.reports.geojson import (
    feature_collection,
    json_number,
    line_feature,
    point_feature,
)
from corridors.routing import Route
from corridors.scenarios.elements import element_link
from corridors.scenarios.water_elements import water_ports

BINDING_USE = 0.9
"""Share of capacity from which an element counts as a bottleneck on a map."""

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class MapView:
    """One map of a report: its layers, height and (optionally) the extent to show.

    Attributes
    ----------
    layers : sequence of mapping
        Layers from :func:`routes_layer` and :func:`flows_layer`.
    height_px : int
        Height of the map, pixels.
    bbox : (west, south, east, north), optional
        Extent in degrees; by default the map fits its layers.
    caption : str, optional
        Text under the map.
    """

    layers: Sequence[Mapping[str, Any]]
    height_px: int = 520
    bbox: BBox | None = None
    caption: str | None = None

    def __post_init__(self) -> None:
        for layer in self.layers:
            if layer.get("kind") not in ("routes", "flows"):
                raise ReportError(f"MapView: unknown layer kind {layer.get('kind')!r}")
        if not 120 <= self.height_px <= 2000:
            raise ReportError(f"MapView: height_px {self.height_px} is not in 120..2000")

    def spec(self) -> dict[str, Any]:
        """What the component draws (``CorridorMap.draw``), as JSON-ready data."""
        out: dict[str, Any] = {"layers": [dict(x) for x in self.layers]}
        if self.bbox is not None:
            w, s, e, n = self.bbox
            out["bounds"] = [[s, w], [n, e]]
        return out


def leg_coords(network: Network, link_id: str, from_node_id: str) -> list[tuple[float, float]]:
    """Geometry of a link in the direction it is used (from ``from_node_id``)."""
    i = network.link_index[link_id]
    links = network.links
    points: list[tuple[float, float]] = links["coords"].iloc[i]
    coords = [(float(c[0]), float(c[1])) for c in points]
    if links["from_node_id"].iloc[i] != from_node_id:
        coords.reverse()
    return coords


def route_geometry(network: Network, route: Route) -> dict[str, Any]:
    """The legs of a route as a FeatureCollection (mode and a description per leg)."""
    name = network.corridor_name(route.corridor)
    color = network.corridor_color(route.corridor)
    features = []
    for leg in route.legs:
        if leg.link_id is None or leg.from_node_id is None:  # pragma: no cover
            continue
        text = (
            f"{name}: {network.node_name(leg.from_node_id)} - "
            f"{network.node_name(str(leg.to_node_id))}, {leg.mode}, {leg.km:,.0f} km, "
            f"{leg.hours:,.1f} h"
        )
        features.append(
            line_feature(
                leg_coords(network, leg.link_id, leg.from_node_id),
                properties={
                    "corridor": route.corridor,
                    "link_id": leg.link_id,
                    "mode": leg.mode,
                    "description": text,
                    "stroke": color,
                },
            )
        )
    return feature_collection(features, name=route.corridor)


def route_entry(network: Network, route: Route) -> dict[str, Any]:
    """A route as the component's ``routes`` layer takes it: id, name, colour, geometry."""
    return {
        "corridor": route.corridor,
        "name": network.corridor_name(route.corridor),
        "color": network.corridor_color(route.corridor),
        "geometry": route_geometry(network, route),
    }


def routes_layer(routes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A ``routes`` layer: entries of :func:`route_entry` (the dashboard's compare routes)."""
    return {"kind": "routes", "routes": [dict(r) for r in routes]}


def flows_layer(
    geojson: Mapping[str, Any],
    *,
    flow_key: str,
    unit: str,
    capacity_key: str | None = None,
    price_key: str | None = None,
    price_unit: str | None = None,
    class_name: str = "flow",
    labels: int = 8,
) -> dict[str, Any]:
    """A ``flows`` layer: features with a flow, ``utilisation`` and optionally a shadow price.

    Parameters
    ----------
    geojson : mapping
        FeatureCollection of links (lines) and nodes (points, ``element: "node"``).
    flow_key, capacity_key, price_key : str
        Property names of the flow, the capacity and the shadow price.
    unit, price_unit : str
        Units shown in the legend and popups (e.g. ``"TEU/yr"``, ``"USD/TEU"``).
    class_name : str
        CSS class of the drawn lines (tests and styles find them by it).
    labels : int
        Bottlenecks labelled with their shadow price (the most valuable first).
    """
    return {
        "kind": "flows",
        "geojson": dict(geojson),
        "flowKey": flow_key,
        "unit": unit,
        "capacityKey": capacity_key,
        "priceKey": price_key,
        "priceUnit": price_unit,
        "className": class_name,
        "labels": labels,
    }


def _worst(rows: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Per element: the cargo row with the highest utilisation (volume, capacity, price)."""
    out: dict[str, dict[str, float | None]] = {}
    for element, group in rows.groupby("element", sort=False):
        use = pd.to_numeric(group["utilisation"], errors="coerce").fillna(-1.0).to_numpy()
        r = group.iloc[int(np.argmax(use))]
        out[str(element)] = {
            "volume_teu": json_number(r["volume_teu"]),
            "capacity_teu": json_number(r["capacity_teu"]),
            "utilisation": json_number(r["utilisation"]),
            "shadow_price_usd_teu": json_number(group["shadow_price_usd_teu"].max()),
        }
    return out


def _busier(el: Mapping[str, float | None]) -> tuple[float, float]:
    """Which direction of a link the map draws: the busier, then the dearer.

    Use is compared to a millionth (two directions full at one capacity).
    """
    return (round(el["utilisation"] or 0.0, 6), el["shadow_price_usd_teu"] or 0.0)


def run_flows_geojson(
    network: Network, link_flows: pd.DataFrame, bottlenecks: pd.DataFrame, *, year: int
) -> dict[str, Any]:
    """The map of a scenario run in one year: links by volume, elements by utilisation.

    Links carrying volume become lines with ``volume_teu`` (TEU a year); a link with a
    capacity of its own (a line or section ``link:<id>@<from>``: the busier direction,
    at equal use the one priced higher)
    carries that element's ``utilisation``, capacity and ``shadow_price_usd_teu`` (USD
    per TEU), as does a ferry or sea link between the ports of a water
    (``water:<port>+<port>...@<side>``: the busier direction). Every capacitated node
    (``node:<id>``: ports, border crossings, ferry terminals) becomes a point with the
    same fields. An element is a ``bottleneck`` at :data:`BINDING_USE` of
    capacity or with a positive shadow price.

    Parameters
    ----------
    network : Network
        The network of the run (geometry, names).
    link_flows, bottlenecks : DataFrame
        The run's tables (:class:`~corridors.scenarios.result.ScenarioResult`).
    year : int
        Year drawn.
    """
    flows = link_flows[link_flows["year"] == year]
    volume = flows.groupby("link_id")["volume_teu"].sum()
    worst = _worst(bottlenecks[bottlenecks["year"] == year])
    links = network.links
    names = dict(zip(network.nodes["node_id"], network.nodes["name"], strict=True))
    features = []
    fleets = sorted(
        ((water_ports(key)[0], el) for key, el in worst.items() if key.startswith("water:")),
        key=lambda f: -(f[1]["utilisation"] or 0.0),
    )
    on_link: dict[str, dict[str, float | None]] = {}
    for key, el in worst.items():
        lid = element_link(key)
        if lid is None:
            continue
        old = on_link.get(lid)
        if old is None or _busier(el) > _busier(old):
            on_link[lid] = el
    for lid, a, b, mode, coords in zip(
        links["link_id"],
        links["from_node_id"],
        links["to_node_id"],
        links["mode"],
        links["coords"],
        strict=True,
    ):
        v = float(volume.get(lid, 0.0))
        on = on_link.get(str(lid))
        if on is None and mode in ("ferry", "sea"):
            on = next((e for ports, e in fleets if a in ports and b in ports), None)
        if v <= 0.0 and on is None:
            continue
        props: dict[str, Any] = {
            "element": "link",
            "id": str(lid),
            "name": f"{names.get(a, a)} - {names.get(b, b)} ({mode})",
            "volume_teu": v,
            "capacity_teu": None,
            "utilisation": None,
            "shadow_price_usd_teu": None,
        }
        if on is not None:
            props |= {k: on[k] for k in ("capacity_teu", "utilisation", "shadow_price_usd_teu")}
        props["bottleneck"] = _is_bottleneck(props)
        features.append(line_feature(coords, properties=props, feature_id=str(lid)))
    nodes = network.nodes
    xy = {
        str(n): (float(x), float(y))
        for n, x, y in zip(nodes["node_id"], nodes["x_coord"], nodes["y_coord"], strict=True)
    }
    at_node: dict[str, dict[str, float | None]] = {}
    for element, el in worst.items():
        kind, _, rest = element.partition(":")
        nid = rest.partition("@")[0]  # its servers, or its throughput (``@throughput``)
        old = at_node.get(nid)
        fuller = old is None or (el["utilisation"] or 0.0) > (old["utilisation"] or 0.0)
        if kind == "node" and nid in xy and fuller:
            at_node[nid] = el
    for nid, el in at_node.items():
        props = {"element": "node", "id": nid, "name": names.get(nid, nid), **el}
        props["bottleneck"] = _is_bottleneck(props)
        features.append(point_feature(*xy[nid], properties=props, feature_id=nid))
    return feature_collection(features, name=f"{network.name} {year}")


def _is_bottleneck(props: Mapping[str, Any]) -> bool:
    use, price = props.get("utilisation"), props.get("shadow_price_usd_teu")
    return bool((use is not None and use >= BINDING_USE) or (price is not None and price > 0))


def run_flows_layer(geojson: Mapping[str, Any]) -> dict[str, Any]:
    """The ``flows`` layer of :func:`run_flows_geojson` (TEU a year, USD per TEU)."""
    return flows_layer(
        geojson,
        flow_key="volume_teu",
        unit="TEU/yr",
        capacity_key="capacity_teu",
        price_key="shadow_price_usd_teu",
        price_unit="USD/TEU",
    )


__all__ = [
    "BINDING_USE",
    "MapView",
    "flows_layer",
    "leg_coords",
    "route_entry",
    "route_geometry",
    "routes_layer",
    "run_flows_geojson",
    "run_flows_layer",
]
