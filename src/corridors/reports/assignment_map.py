"""HTML report of an equilibrium assignment: flow map coloured by volume/capacity.

:func:`assignment_report` turns a :class:`~corridors.assignment.corridor.CorridorAssignment`
into one self-contained HTML page (no external URL): the map of link flows drawn by the
dashboard's map component (width by flow, colour by volume/capacity), nodes with a
capacity coloured the same way and those above the threshold ringed, the bottleneck
table (links and nodes above the threshold with volume, capacity, v/c and delay),
volumes per corridor and per class, and the convergence of the relative gap (Vega-Lite).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from corridors.assignment.corridor import CorridorAssignment
from corridors.reports import vegalite
from corridors.reports.geojson import (
    feature_collection,
    json_number,
    line_feature,
    point_feature,
)
from corridors.reports.html import Section, Table, render_report
from corridors.reports.mapview import MapView, flows_layer

CASPIAN_BBOX = (26.0, 34.0, 84.0, 54.0)
"""The Middle Corridor region (Black Sea to western China), degrees."""


def _link_features(res: CorridorAssignment) -> list[dict[str, Any]]:
    """One line per network link (its busier direction by v/c); the popup names both."""
    frame = res.links()
    flow_col = f"flow_{res.unit.lower()}_yr"
    net_links = res.expanded.network.links
    coords_of: dict[str, object] = dict(zip(net_links["link_id"], net_links["coords"], strict=True))
    features = []
    for link_id, rows in frame.groupby("link_id", sort=False):
        vc = rows["volume_capacity"].to_numpy(dtype=float)
        flows = rows[flow_col].to_numpy(dtype=float)
        pick = int(np.nanargmax(vc)) if np.isfinite(vc).any() else int(np.argmax(flows))
        coords = coords_of.get(str(link_id))
        if not isinstance(coords, (list, tuple)) or len(coords) < 2:
            continue
        directions = "; ".join(
            f"{a} → {b}: {f:,.0f}" + (f" (v/c {v:.2f})" if math.isfinite(v) else "")
            for a, b, f, v in zip(rows["from_node_id"], rows["to_node_id"], flows, vc, strict=True)
        )
        use = json_number(float(vc[pick]))
        props = {
            "element": "link",
            "id": str(link_id),
            "name": f"{link_id} ({rows['mode'].iloc[0]})",
            "flow": float(flows[pick]),
            "utilisation": use,
            "bottleneck": use is not None and use > res.threshold,
            "status": directions,
        }
        features.append(line_feature(coords, properties=props, feature_id=str(link_id)))
    return features


def _node_features(res: CorridorAssignment) -> list[dict[str, Any]]:
    """Nodes with a capacity, coloured by v/c; those above the threshold are bottlenecks."""
    nodes = res.nodes()
    net = res.expanded.network.nodes
    xy = {
        str(n): (float(x), float(y))
        for n, x, y in zip(net["node_id"], net["x_coord"], net["y_coord"], strict=True)
    }
    through = nodes[f"throughput_{res.unit.lower()}_yr"].to_numpy(dtype=float)
    vcs = nodes["volume_capacity"].to_numpy(dtype=float)
    caps = nodes["capacity"].to_numpy(dtype=float)
    features = []
    for i, (node_id, name) in enumerate(zip(nodes["node_id"], nodes["name"], strict=True)):
        vc = float(vcs[i])
        if not math.isfinite(vc) or str(node_id) not in xy:
            continue
        props = {
            "element": "node",
            "id": str(node_id),
            "name": str(name),
            "flow": float(through[i]),
            "capacity": float(caps[i]),
            "utilisation": vc,
            "bottleneck": vc > res.threshold,
        }
        features.append(point_feature(*xy[str(node_id)], properties=props, feature_id=str(node_id)))
    return features


def _node_name(res: CorridorAssignment, node_id: str) -> str:
    net = res.expanded.network
    return net.node_name(node_id) if node_id in net.node_index else node_id


def _bottleneck_table(res: CorridorAssignment) -> pd.DataFrame:
    worst = res.bottlenecks()
    kind = worst["label"].str.split(":").str[0]
    names = []
    for label in worst["label"]:
        parts = label.split(":")
        if parts[0] == "node" and parts[1] in res.expanded.network.node_index:
            names.append(res.expanded.network.node_name(parts[1]))
        elif parts[0] == "link" and len(parts) == 3 and "->" in parts[2]:
            a, b = parts[2].split("->", 1)
            names.append(f"{_node_name(res, a)} → {_node_name(res, b)}")
        else:
            names.append(":".join(parts[1:]) if len(parts) > 1 else label)
    out = pd.DataFrame(
        {
            "Name": names,
            "Kind": kind,
            f"Volume ({res.unit}/yr)": worst["flow"],
            f"Capacity ({res.unit}/yr)": worst["capacity"],
            "v/c": worst["volume_capacity"],
            "Delay (h)": worst["delay_h"],
        }
    )
    for name in res.class_names:
        out[f"{name} ({res.unit}/yr)"] = worst[f"flow[{name}]"]
    return out


def assignment_report(
    res: CorridorAssignment,
    *,
    title: str = "Equilibrium assignment",
    inputs: str = "",
    target_gap: float | None = None,
) -> str:
    """One self-contained HTML page describing an assignment.

    Parameters
    ----------
    res : CorridorAssignment
        Result of :func:`corridors.assignment.corridor.assign_corridors`.
    title : str
        Page title.
    inputs : str
        Text naming the inputs (network, demand file, options), shown under the title
        and in the footer.
    target_gap : float, optional
        Relative gap the run aimed at, drawn on the convergence chart.

    Returns
    -------
    str
        The HTML document (no external URL: map and chart drawn in the page).
    """
    r = res.result
    unit = res.unit
    geo = feature_collection([*_link_features(res), *_node_features(res)], name=title)
    layer = flows_layer(geo, flow_key="flow", capacity_key="capacity", unit=f"{unit}/yr")
    worst = _bottleneck_table(res)
    corridors = res.corridor_flows()
    corr = pd.DataFrame(
        {
            "Corridor": corridors["name"],
            f"Volume ({unit}/yr)": corridors["volume"],
            "Share": corridors["share"],
        }
    )
    for name in res.class_names:
        corr[f"{name} ({unit}/yr)"] = corridors[f"volume[{name}]"]
    colors = {
        res.expanded.network.corridor_name(c): res.expanded.network.corridor_color(c)
        for c in res.expanded.network.corridor_ids
    }
    classes = pd.DataFrame(
        {
            "Class": list(res.class_names),
            f"Value of time (USD/{unit}-h)": list(res.class_vot),
            f"Demand ({unit}/yr)": [float(m.sum()) for m in res.classes.demands],
        }
    )
    state = "converged" if r.converged else "did NOT converge"
    top = (
        f"Top bottleneck: {worst['Name'].iloc[0]} at v/c {worst['v/c'].iloc[0]:.2f}."
        if len(worst)
        else f"No node or link above {res.threshold:.0%} of capacity."
    )
    lede = (
        f"{r.algorithm.upper()} multi-class user equilibrium, {len(res.class_names)} "
        f"class(es), {state} in {r.iterations} iterations (relative gap {r.gap:.2e}). "
        f"{len(worst)} capacity group(s) above {res.threshold:.0%} of capacity. {top}"
    )
    history = np.asarray(r.gap_history, dtype=np.float64)
    sections = [
        Section(
            heading="Flow map",
            map=MapView(
                layers=[layer],
                caption=(
                    "Each link drawn in its busier direction; click a link for both "
                    "directions. Colour: volume / capacity of links and of nodes (ports, "
                    f"borders); ringed: above {res.threshold:.0%} of capacity. Grey: no "
                    "capacity limit."
                ),
            ),
        ),
        Section(
            heading="Flow map: the Middle Corridor region",
            map=MapView(layers=[layer], bbox=CASPIAN_BBOX),
        ),
        Section(
            heading=f"Bottlenecks (above {res.threshold:.0%} of capacity)",
            table=Table(
                worst,
                formats={"v/c": ".2f", "Delay (h)": ".1f"},
                note="Delay: BPR queueing time at the final flows, hours.",
            )
            if len(worst)
            else None,
            paragraphs=() if len(worst) else (top,),
        ),
        Section(
            heading="Volumes per corridor",
            table=Table(
                corr,
                formats={"Share": ".1%"},
                swatches=colors,
                swatch_column="Corridor",
                note=(
                    "Each route used is attributed to the corridor with the "
                    "most route-km among its links."
                ),
            ),
        ),
        Section(heading="Classes", table=Table(classes)),
        Section(
            heading="Convergence",
            chart=vegalite.gap_chart(history, target=target_gap),
            chart_alt="relative gap per iteration",
            table=Table(
                pd.DataFrame(
                    {"Iteration": np.arange(2, history.shape[0] + 2), "Relative gap": history}
                ),
                formats={"Relative gap": ".2e"},
            )
            if history.shape[0] <= 12
            else None,
            caption=f"Relative gap per iteration (final {r.gap:.2e}).",
        ),
    ]
    return render_report(
        title=title,
        subtitle=inputs or None,
        lede=lede,
        sections=sections,
        generated_by=f"corridors assign {inputs}".strip(),
    )
