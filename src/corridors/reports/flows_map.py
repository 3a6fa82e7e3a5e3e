"""HTML reports with a map for the flow studies: energy corridors and relief logistics.

Links are drawn straight between their end nodes, coloured by utilisation (flow /
capacity, the assignment's colour scale) and sized by flow; nodes that bind are marked.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from corridors.reports.geojson import feature_collection, line_feature, point_feature
from corridors.reports.html import Section, Table, render_report
from corridors.reports.svgmap import MapLine, MapPoint, flow_lines, render_map

BINDING_COLOR = "#d7263d"
NODE_COLOR = "#26323d"
SHADOW_PRICE_NOTE = (
    "The shadow price is what one more unit of capacity is worth: the cost saved, "
    "or the value of the carrier no longer stranded less its route cost."
)


def _map(
    segments: list[tuple[str, list[tuple[float, float]], float, float, str]],
    points: list[MapPoint],
    *,
    unit: str,
    title: str,
) -> str:
    """An SVG map of links (id, coords, flow, utilisation, tooltip) and points."""
    if segments:
        layer = flow_lines(
            [s[1] for s in segments],
            flows=[s[2] for s in segments],
            ratios=[s[3] for s in segments],
            flow_unit=unit,
            tooltips=[s[4] for s in segments],
        )
        lines: tuple[MapLine, ...] = layer.lines
        legend = list(layer.legend)
        legend_title: str | None = layer.legend_title
    else:
        lines, legend, legend_title = (), [], None
    return render_map(
        lines=lines,
        points=points,
        legend=legend,
        legend_title=legend_title,
        title=title,
        width_px=1000,
    )


def _ratio(u: Any) -> float:
    return math.nan if u is None else float(u)


def energy_report(study: Any) -> str:
    """A self-contained HTML page for an :class:`~corridors.studies.energy.EnergyFlowStudy`."""
    d = study.to_dict()
    u = study.unit_key
    unit = {"t": "t", "bcm": "bcm", "mw": "MW"}[u]
    binding = set(d["binding"])
    segments = []
    for r in d["links"]:
        a, b = study.coords.get(r["from"]), study.coords.get(r["to"])
        if a is None or b is None:
            continue
        use = _ratio(r["utilisation"])
        tip = f"{r['name']}: {r[f'flow_{u}']:,.0f} {unit}"
        if r[f"capacity_{u}"] is not None:
            tip += f" of {r[f'capacity_{u}']:,.0f}; shadow price {r[study.price_key]:,.1f} USD"
        segments.append((r["id"], [a, b], float(r[f"flow_{u}"]), use, tip))
    points = []
    for r in d["nodes"]:
        lon, lat = study.coords[r["id"]]
        points.append(
            MapPoint(
                lon,
                lat,
                label=r["name"] if r["kind"] in ("field", "market") or r["id"] in binding else None,
                color=BINDING_COLOR if r["id"] in binding else NODE_COLOR,
                radius=5.0 if r["id"] in binding else 3.5,
                tooltip=f"{r['name']}: {r[f'flow_{u}']:,.0f} {unit}",
            )
        )
    title = f"{study.carrier.capitalize()} flows, {d['year']}"
    if d["scenario"]:
        title += f" - {d['scenario']}"
    svg = _map(segments, points, unit=f"{unit} / {d['period_days']:g} d", title=title)
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
        Section("Map", svg=svg, caption="Width: flow; colour: flow / capacity. Red dots bind."),
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
    segments = []
    for r in d["links"]:
        if r["flow_t"] <= 0 and r["status"] != "closed":
            continue
        a, b = study.coords[r["from"]], study.coords[r["to"]]
        use = math.nan if r["utilisation"] is None else float(r["utilisation"])
        tip = f"{r['name']} ({r['mode']}): {r['tonnes_per_day']:,.0f} t/day"
        segments.append((r["id"], [a, b], float(r["tonnes_per_day"]), use, tip))
    closed = set(d["closed"])
    binding = {b["id"] for b in d["binding"]}
    points = []
    for nid, (lon, lat) in study.coords.items():
        color = "#7a7a7a" if nid in closed else (BINDING_COLOR if nid in binding else NODE_COLOR)
        points.append(
            MapPoint(
                lon,
                lat,
                label=nid if nid in closed or nid == d["to"] or nid in d["depots"] else None,
                color=color,
                radius=5.0 if nid == d["to"] else 3.5,
                tooltip=nid + (" (closed)" if nid in closed else ""),
            )
        )
    title = f"Relief to {d['to']} within {d['within_h']:g} h"
    svg = _map(segments, points, unit="t/day", title=title)
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
        Section("Map", svg=svg, caption="Width: tonnes a day; colour: flow / capacity."),
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
