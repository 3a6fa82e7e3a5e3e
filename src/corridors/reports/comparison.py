"""The corridor comparison report: routes -> map layers, table rows and notes."""

from __future__ import annotations

from collections.abc import Sequence

from corridors import __version__
from corridors.network.model import Network
from corridors.reports.html import compare_report
from corridors.reports.svgmap import MapLine, MapPoint
from corridors.routing import CostParameters, Route


def leg_coords(network: Network, link_id: str, from_node_id: str) -> list[tuple[float, float]]:
    """Geometry of a link in the direction it is used (from ``from_node_id``)."""
    i = network.link_index[link_id]
    links = network.links
    points: list[tuple[float, float]] = links["coords"].iat[i]  # type: ignore[assignment]
    coords = [(float(c[0]), float(c[1])) for c in points]
    if links["from_node_id"].iat[i] != from_node_id:
        coords.reverse()
    return coords


def route_layers(network: Network, routes: Sequence[Route]) -> tuple[list[MapLine], list[MapPoint]]:
    """Map layers of routes: legs coloured by corridor, places where they stop."""
    lines: list[MapLine] = []
    seen: dict[str, MapPoint] = {}
    for rank, r in enumerate(routes):
        color = network.corridor_color(r.corridor)
        name = network.corridor_name(r.corridor)
        width = 4.0 if rank == 0 else 3.0
        for leg in r.legs:
            if leg.link_id is None or leg.from_node_id is None:  # pragma: no cover
                continue
            tip = (
                f"{name}: {network.node_name(leg.from_node_id)} - "
                f"{network.node_name(str(leg.to_node_id))}, {leg.mode}, {leg.km:,.0f} km, "
                f"{leg.hours:,.1f} h, USD {leg.usd:,.0f}"
            )
            lines.append(
                MapLine(
                    coords=leg_coords(network, leg.link_id, leg.from_node_id),
                    color=color,
                    width=width,
                    label=name,
                    tooltip=tip,
                    dash=(6.0, 4.0) if leg.mode in ("sea", "ferry") else None,
                )
            )
        for step in r.steps:
            if step.kind not in ("border", "transfer") or step.node_id is None:
                continue
            node = network.nodes.iloc[network.node_index[step.node_id]]
            tip = f"{node['name']} ({node['country']}): {step.kind} {step.hours:,.1f} h"
            seen.setdefault(
                step.node_id,
                MapPoint(
                    lon=float(node["x_coord"]),
                    lat=float(node["y_coord"]),
                    label=None,
                    color="#26323d",
                    radius=3.0,
                    tooltip=tip,
                ),
            )
    for nid in {r.origin for r in routes} | {r.destination for r in routes}:
        node = network.nodes.iloc[network.node_index[nid]]
        seen[nid] = MapPoint(
            lon=float(node["x_coord"]),
            lat=float(node["y_coord"]),
            label=str(node["name"]),
            color="#000000",
            radius=6.0,
            tooltip=f"{node['name']} ({node['country']})",
        )
    return lines, list(seen.values())


def comparison_report(network: Network, routes: Sequence[Route], *, params: CostParameters) -> str:
    """A self-contained HTML report comparing the corridors between two places."""
    origin = network.node_name(routes[0].origin)
    destination = network.node_name(routes[0].destination)
    rows = [
        {
            "corridor": r.corridor,
            "name": network.corridor_name(r.corridor),
            "color": network.corridor_color(r.corridor),
            "days": r.days,
            "usd": r.usd,
            "kg_co2e": r.kg_co2e,
            "km": r.km,
            "borders": r.borders,
            "transfers": r.transfers,
        }
        for r in routes
    ]
    lines, points = route_layers(network, routes)
    per = "TEU" if params.unit == "TEU" else "tonne"
    carbon = (
        f" + {params.carbon_price_usd_t:,.0f} USD per t CO2e" if params.carbon_price_usd_t else ""
    )
    notes = [
        (
            f"Costs, time and emissions per {per}; the cheapest route in generalised cost "
            f"(money + {params.vot:,.2f} USD per {per}-hour of transit time{carbon}) is "
            "listed first."
        ),
        (
            "Time includes moving, border clearance, transfers between modes and gauges, and "
            "the expected wait for scheduled ferries and ships (half the interval between "
            "sailings); queues from congestion and weather are not in these averages "
            "(see `corridors simulate`)."
        ),
        f"Emissions: GLEC factors per tonne-km, {params.tonnes_per_teu:g} t per TEU.",
        (
            f"Network: {network.name}, {len(network.nodes)} places and {len(network.links)} "
            "links; every value carries its source in the network tables."
        ),
    ]
    if params.year is not None:
        notes.append(f"Links planned to open by {params.year} are open.")
    if params.closed_passages:
        notes.append("Closed sea passages: " + ", ".join(params.closed_passages) + ".")
    return compare_report(
        title=f"{origin} to {destination}: corridors compared",
        origin=origin,
        destination=destination,
        rows=rows,
        lines=lines,
        points=points,
        notes=notes,
        generated_by=f"corridors {__version__}, dataset {network.name}",
    )
