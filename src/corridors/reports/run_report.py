"""The report of a scenario run: volumes by corridor, the map of flows, bottlenecks, measures.

Built from the tables a run stores (``corridors.scenarios.store``), so the same page
comes out of ``corridors report run RUN_ID`` (a stored run), ``corridors report
scenario NAME`` (a run made for the report) and the dashboard's export button.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from corridors import __version__
from corridors.network.model import Network
from corridors.reports.charts import forecast_chart
from corridors.reports.html import Section, Table, render_report
from corridors.reports.svgmap import flow_lines, render_map
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.store import ResultsStore

CAPACITY_WARNING = 0.9
"""Utilisation from which an element is listed as a bottleneck."""


def _volumes_section(network: Network, volumes: pd.DataFrame) -> Section:
    pivot = volumes.pivot_table(
        index="year", columns="corridor", values="volume_teu", aggfunc="sum", fill_value=0.0
    )
    series = {
        network.corridor_name(str(c)): {
            "x": pivot.index.to_numpy(dtype=float),
            "median": pivot[c].to_numpy(dtype=float),
        }
        for c in pivot.columns
    }
    colors = {network.corridor_name(str(c)): network.corridor_color(str(c)) for c in pivot.columns}
    png = forecast_chart(series, colors=colors, ylabel="Volume (TEU a year)")
    table = pivot.reset_index()
    table.columns = ["Year", *(f"{network.corridor_name(str(c))} (TEU)" for c in pivot.columns)]
    return Section(
        "Volume by corridor",
        png=png,
        png_alt="Volume by corridor and year, TEU a year",
        table=Table(table, formats={"Year": "d"}),
    )


def _flow_map(
    network: Network, flows: pd.DataFrame, utilisation: Mapping[str, float], year: int
) -> Section:
    links = network.links
    rows = flows[flows["year"] == year]
    volume = dict(zip(rows["link_id"], rows["volume_teu"], strict=True))
    segments, values, ratios, tips = [], [], [], []
    for lid, coords in zip(links["link_id"], links["coords"], strict=True):
        v = float(volume.get(lid, 0.0))
        if v <= 0.0:
            continue
        segments.append([(float(x), float(y)) for x, y in coords])
        values.append(v)
        u = utilisation.get(str(lid), math.nan)
        ratios.append(u)
        use = "" if math.isnan(u) else f", {u:.0%} of capacity"
        tips.append(f"{lid}: {v:,.0f} TEU/yr{use}")
    layer = flow_lines(segments, flows=values, ratios=ratios, tooltips=tips)
    svg = render_map(
        lines=layer.lines,
        width_px=1100,
        legend=layer.legend,
        legend_title=layer.legend_title,
        title=f"Flows in {year}, TEU a year (width) and utilisation (colour)",
    )
    return Section("Map of flows", svg=svg)


def _bottlenecks(bottlenecks: pd.DataFrame, year: int) -> Section:
    b = bottlenecks[
        (bottlenecks["year"] == year) & (bottlenecks["utilisation"] >= CAPACITY_WARNING)
    ].sort_values("utilisation", ascending=False)
    frame = pd.DataFrame(
        {
            "Element": b["element"],
            "Cargo": b["cargo"],
            "Volume (TEU/yr)": b["volume_teu"],
            "Capacity (TEU/yr)": b["capacity_teu"],
            "Utilisation": b["utilisation"],
            "Shadow price (USD/TEU)": b["shadow_price_usd_teu"],
        }
    )
    return Section(
        f"Bottlenecks in {year}",
        paragraphs=(
            (
                f"Elements at or above {CAPACITY_WARNING:.0%} of capacity; under hard limits "
                "the shadow price is what a TEU would pay to get through."
            ),
        ),
        table=Table(frame, formats={"Utilisation": ".0%"}),
    )


def _rankings(rankings: pd.DataFrame) -> Section:
    r = rankings.sort_values("rank")
    frame = pd.DataFrame(
        {
            "Rank": r["rank"],
            "Measure": r["measure_id"],
            "Capital cost (M USD)": r["capex_usd"] / 1e6,
            "Volume gain (TEU/yr)": r["volume_gain_teu"],
            "Saved per USD": r["usd_saved_per_usd"],
            "NPV (M USD)": r["npv_usd"] / 1e6,
        }
    )
    return Section("Measures, best first", table=Table(frame, best={"Saved per USD": "max"}))


def run_report(
    network: Network,
    *,
    info: Mapping[str, Any],
    corridor_volumes: pd.DataFrame,
    link_flows: pd.DataFrame,
    transit_times: pd.DataFrame,
    bottlenecks: pd.DataFrame,
    rankings: pd.DataFrame,
) -> str:
    """One self-contained HTML page of a scenario run.

    Parameters
    ----------
    network : Network
        The network the run used (for geometry, names and colours).
    info : mapping
        The run's record: ``run_id``, ``scenario_name``, ``kind``, ``seed``.
    corridor_volumes : DataFrame
        ``year, market, corridor, volume_teu`` (summed over markets here).
    link_flows, transit_times, bottlenecks, rankings : DataFrame
        The run's result tables as stored.

    Returns
    -------
    str
        The HTML document (map as inline SVG, chart as a data URI; nothing external).
    """
    sections = [_volumes_section(network, corridor_volumes)]
    years = link_flows["year"].to_numpy() if len(link_flows) else np.array([], dtype=int)
    if len(years):
        year = int(years.max())
        b = bottlenecks[
            (bottlenecks["year"] == year) & bottlenecks["element"].str.startswith("link:")
        ]
        per_link = b.assign(link=b["element"].str.removeprefix("link:"))
        utilisation = {
            str(k): float(v) for k, v in per_link.groupby("link")["utilisation"].max().items()
        }
        sections.append(_flow_map(network, link_flows, utilisation, year))
        sections.append(_bottlenecks(bottlenecks, year))
        tt = transit_times[transit_times["year"] == year]
        sections.append(
            Section(
                f"Transit time in {year}",
                table=Table(
                    pd.DataFrame(
                        {
                            "Corridor": [network.corridor_name(str(c)) for c in tt["corridor"]],
                            "P50 (h)": tt["p50_h"],
                            "P90 (h)": tt["p90_h"],
                            "P95 (h)": tt["p95_h"],
                            "Mean (h)": tt["mean_h"],
                        }
                    )
                ),
            )
        )
    if len(rankings):
        sections.append(_rankings(rankings))
    return render_report(
        title=f"Scenario {info.get('scenario_name', '')}",
        subtitle=f"{info.get('kind', 'run')} {info.get('run_id', '')}, seed {info.get('seed', '')}",
        sections=sections,
        generated_by=f"corridors {__version__}",
    )


def result_report(network: Network, result: ScenarioResult, *, info: Mapping[str, Any]) -> str:
    """The report of a run just made (not stored): see :func:`run_report`."""
    return run_report(
        network,
        info=info,
        corridor_volumes=result.corridor_volumes,
        link_flows=result.link_flows,
        transit_times=result.transit_times,
        bottlenecks=result.bottlenecks,
        rankings=result.rankings,
    )


def stored_run_report(store: ResultsStore, run_id: str, network: Network) -> str:
    """The report of a stored run (``run_id`` or a unique prefix of it).

    Raises
    ------
    StoreError
        When the store has no such run.
    """
    info = store.run_info(run_id)
    rid = str(info["run_id"])
    return run_report(
        network,
        info=info,
        corridor_volumes=store.table("corridor_volumes", rid),
        link_flows=store.table("link_flows", rid),
        transit_times=store.table("transit_times", rid),
        bottlenecks=store.table("bottlenecks", rid),
        rankings=store.table("measure_rankings", rid),
    )
