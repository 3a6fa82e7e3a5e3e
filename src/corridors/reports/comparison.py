"""The corridor comparison report: routes -> map routes, table rows and notes."""

from __future__ import annotations

from collections.abc import Sequence

from corridors import __version__
from corridors.network.model import Network
from corridors.reports.html import compare_report
from corridors.reports.mapview import leg_coords, route_entry
from corridors.routing import CostParameters, Route


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
        routes=[route_entry(network, r) for r in routes],
        notes=notes,
        generated_by=f"corridors {__version__}, dataset {network.name}",
    )


__all__ = ["comparison_report", "leg_coords"]
