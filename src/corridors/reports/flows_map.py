"""HTML reports with a map for the flow studies: energy corridors and relief logistics.

Links are drawn straight between their end nodes by the map component the dashboard
uses (:mod:`corridors.reports.mapview`): width by flow, colour by utilisation (flow /
capacity), elements that bind ringed and labelled with their shadow price. The map's
data is :func:`flows_geojson`, the dashboard's energy layer.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from corridors.reports.geojson import feature_collection, line_feature, point_feature
from corridors.reports.html import Section, Table, render_report
from corridors.reports.mapview import MapView, flows_layer

SHADOW_PRICE_NOTE = (
    "The shadow price is what one more unit of capacity is worth: the cost saved, "
    "or the value of the carrier no longer stranded less its route cost."
)


def energy_report(study: Any) -> str:
    """A self-contained HTML page for an :class:`~corridors.studies.energy.EnergyFlowStudy`."""
    d = study.to_dict()
    u = study.unit_key
    unit = {"t": "t", "bcm": "bcm", "mw": "MW"}[u]
    title = f"{study.carrier.capitalize()} flows, {d['year']}"
    if d["scenario"]:
        title += f" - {d['scenario']}"
    per = study.price_key.removeprefix("shadow_price_usd_")
    layer = flows_layer(
        flows_geojson(d["links"], d["nodes"], study.coords, name=title),
        flow_key=f"flow_{u}",
        capacity_key=f"capacity_{u}",
        price_key=study.price_key,
        unit=f"{unit} in {d['period_days']:g} days",
        price_unit=f"USD/{per}",
        class_name="energy-flow",
    )
    comm = pd.DataFrame(
        [
            {
                "Commodity": c["id"],
                f"Supply ({unit})": c[f"supply_{u}"],
                f"Moved ({unit})": c[f"delivered_{u}"],
                f"Stranded ({unit})": c[f"stranded_{u}"],
                "Cost (USD)": c["cost_usd"],
            }
            for c in d["commodities"]
        ]
    )
    rows = {r["id"]: r for r in (*d["links"], *d["nodes"])}
    bind = pd.DataFrame(
        [
            {
                "Element": rows[e]["name"],
                f"Flow ({unit})": rows[e][f"flow_{u}"],
                f"Capacity ({unit})": rows[e][f"capacity_{u}"],
                "Shadow price (USD per unit)": rows[e][study.price_key],
            }
            for e in d["binding"]
        ]
    )
    sections = [
        Section(
            "Map",
            map=MapView(
                layers=[layer],
                caption="Width: flow; colour: flow / capacity; ringed: what binds, labelled "
                "with its shadow price. Click an element for its numbers.",
            ),
        ),
        Section("Commodities", table=Table(comm)),
        Section(
            "What binds",
            paragraphs=[SHADOW_PRICE_NOTE],
            table=Table(bind) if len(bind) else None,
        ),
    ]
    return render_report(
        title=title,
        subtitle=f"{d['period_days']:g} days; flows in {unit}",
        sections=sections,
        generated_by="corridors energy flow",
    )


def relief_report(study: Any) -> str:
    """A self-contained HTML page for a :class:`~corridors.studies.relief.ReliefStudy`."""
    d = study.to_dict()
    title = f"Relief to {d['to']} within {d['within_h']:g} h"
    layer = flows_layer(
        flows_geojson(d["links"], d["nodes"], study.coords, name=title),
        flow_key="tonnes_per_day",
        unit="t/day",
        price_key="gain_t_per_t_day",
        price_unit="t/day per t/day",
        class_name="energy-flow",
    )
    routes = pd.DataFrame(
        [
            {
                "Depot": r["depot"],
                "Mode": r["mode"],
                "Hours (h)": r["hours"],
                "Tonnes a day (t/day)": r["tonnes_per_day"],
                "Via": " > ".join(r["places"]),
            }
            for r in d["routes"]
        ]
    )
    modes = pd.DataFrame(
        [{"Mode": m, "Tonnes a day (t/day)": v} for m, v in d["tonnes_per_day_by_mode"].items()]
    )
    sections = [
        Section(
            "Map",
            map=MapView(
                layers=[layer],
                caption="Width: tonnes a day; colour: flow / capacity; ringed: what binds, "
                "labelled with the tonnes a day one more tonne a day of capacity would add.",
            ),
        ),
        Section("By mode", table=Table(modes)),
        Section("Routes", table=Table(routes) if len(routes) else None),
        Section(
            "What binds and what a reopening adds",
            bullets=[
                f"{b['id']}: +{b['gain_t_per_t_day']:.2f} t/day per t/day" for b in d["binding"]
            ]
            + [
                f"reopening {r['id']}: +{r['adds_tonnes_per_day']:,.0f} t/day"
                for r in d["reopening"]
            ],
        ),
    ]
    return render_report(
        title=title,
        subtitle=f"from {', '.join(d['depots'])}; {d['tonnes_per_day']:,.0f} t/day on average",
        sections=sections,
        generated_by="corridors relief",
    )


def flows_geojson(
    links: list[dict[str, Any]],
    nodes: list[dict[str, Any]],
    coords: dict[str, tuple[float, float]],
    *,
    name: str,
) -> dict[str, Any]:
    """Link and node rows of a flow study as a GeoJSON FeatureCollection.

    Links become straight ``LineString`` features between their end nodes, nodes
    ``Point`` features; each feature carries its row (flow, capacity, utilisation,
    shadow price) as properties, for the dashboard or a GIS.
    """
    features = [
        line_feature(
            [coords[r["from"]], coords[r["to"]]],
            properties={"element": "link", **r},
            feature_id=r["id"],
        )
        for r in links
        if r.get("from") in coords and r.get("to") in coords
    ]
    features += [
        point_feature(*coords[r["id"]], properties={"element": "node", **r}, feature_id=r["id"])
        for r in nodes
        if r["id"] in coords
    ]
    return feature_collection(features, name=name)
