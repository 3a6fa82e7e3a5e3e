"""HTML report of an equilibrium assignment: flow map coloured by volume/capacity.

:func:`assignment_report` turns a :class:`~corridors.assignment.corridor.CorridorAssignment`
into one self-contained HTML page (no external URL): the map of link flows (width by
flow, green/amber/red by volume/capacity), nodes above the threshold marked, the
bottleneck table (links and nodes above the threshold with volume, capacity, v/c and
delay), volumes per corridor and per class, and the convergence of the relative gap.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corridors.assignment.corridor import CorridorAssignment
from corridors.reports.html import Section, Table, render_report
from corridors.reports.svgmap import LegendEntry, MapLine, MapPoint, flow_lines, render_map

_RED = "#d7263d"


def _link_layer(res: CorridorAssignment) -> tuple[list[MapLine], list[LegendEntry]]:
    """One line per network link (its busier direction by v/c); tooltips name both."""
    frame = res.links()
    flow_col = f"flow_{res.unit.lower()}_yr"
    net_links = res.expanded.network.links
    coords_of: dict[str, object] = dict(zip(net_links["link_id"], net_links["coords"], strict=True))
    segments: list[list[tuple[float, float]]] = []
    flows: list[float] = []
    ratios: list[float] = []
    tips: list[str] = []
    for link_id, rows in frame.groupby("link_id", sort=False):
        vc = rows["volume_capacity"].to_numpy(dtype=float)
        pick = (
            int(np.nanargmax(vc))
            if np.isfinite(vc).any()
            else int(np.argmax(rows[flow_col].to_numpy(dtype=float)))
        )
        coords = coords_of.get(str(link_id))
        if not isinstance(coords, (list, tuple)) or len(coords) < 2:
            continue
        segments.append([(float(x), float(y)) for x, y in coords])
        flows.append(float(rows[flow_col].to_numpy(dtype=float)[pick]))
        ratios.append(float(vc[pick]))
        parts = [
            f"{a} → {b}: {f:,.0f} {res.unit}/yr" + (f", v/c {v:.2f}" if math.isfinite(v) else "")
            for a, b, f, v in zip(
                rows["from_node_id"],
                rows["to_node_id"],
                rows[flow_col].to_numpy(dtype=float),
                vc,
                strict=True,
            )
        ]
        tips.append(f"{link_id} ({rows['mode'].iloc[0]})\n" + "\n".join(parts))
    layer = flow_lines(
        segments, flows=flows, ratios=ratios, flow_unit=f"{res.unit}/yr", tooltips=tips
    )
    return list(layer.lines), list(layer.legend)


def _node_points(res: CorridorAssignment) -> list[MapPoint]:
    nodes = res.nodes()
    net = res.expanded.network.nodes
    xy = {
        str(n): (float(x), float(y))
        for n, x, y in zip(net["node_id"], net["x_coord"], net["y_coord"], strict=True)
    }
    thr = f"{res.unit.lower()}"
    points: list[MapPoint] = []
    through_all = nodes[f"throughput_{thr}_yr"].to_numpy(dtype=float)
    vcs = nodes["volume_capacity"].to_numpy(dtype=float)
    caps = nodes["capacity"].to_numpy(dtype=float)
    for i, (node_id, name) in enumerate(zip(nodes["node_id"], nodes["name"], strict=True)):
        vc = float(vcs[i])
        if not math.isfinite(vc) or vc <= res.threshold:
            continue
        lon, lat = xy[str(node_id)]
        points.append(
            MapPoint(
                lon,
                lat,
                label=f"{name} {vc:.1f}",
                color=_RED,
                radius=6.0,
                tooltip=f"{name}: {through_all[i]:,.0f} / {caps[i]:,.0f} "
                f"{res.unit}/yr (v/c {vc:.2f})",
                legend=f"node above {res.threshold:.0%} of capacity",
            )
        )
    return points


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


def _convergence_png(history: np.ndarray, *, target: float | None) -> bytes:
    fig = Figure(figsize=(6.4, 2.6), layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    its = np.arange(2, history.shape[0] + 2)
    ax.semilogy(
        its, np.maximum(history, 1e-16), color="#0072B2", linewidth=1.8, marker="o", markersize=3
    )
    if target is not None and target > 0:
        ax.axhline(
            target, color="#d7263d", linewidth=1.0, linestyle="--", label=f"target {target:.0e}"
        )
        ax.legend(frameon=False, fontsize=8)
    ax.set_xlabel("iteration (shortest-path rounds)")
    ax.set_ylabel("relative gap")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e3e8ee", linewidth=0.8)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    return buf.getvalue()


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
        The HTML document (no external URL: map as inline SVG, chart as data URI).
    """
    r = res.result
    unit = res.unit
    lines, legend = _link_layer(res)
    points = _node_points(res)
    legend = [
        *legend,
        LegendEntry(
            label=f"node above {res.threshold:.0%} of capacity", color=_RED, kind="point", width=5.0
        ),
    ]
    svg = render_map(
        lines=lines,
        points=points,
        width_px=1100,
        legend=legend,
        title=f"Link flows, {unit}/yr (width) and volume/capacity (colour)",
        legend_title="Volume / capacity",
    )
    zoom = render_map(
        lines=lines,
        points=points,
        width_px=1100,
        legend=legend,
        bbox=(26.0, 34.0, 84.0, 54.0),
        title="Caspian, Caucasus and Central Asia",
        legend_title="Volume / capacity",
    )
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
            svg=svg,
            caption=(
                "Each link drawn in its busier direction; hover a link for both "
                "directions. Red dots: nodes (ports, borders) above "
                f"{res.threshold:.0%} of capacity. Grey: no capacity limit."
            ),
        ),
        Section(heading="Flow map: the Middle Corridor region", svg=zoom),
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
            png=_convergence_png(history, target=target_gap),
            png_alt="relative gap per iteration",
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
