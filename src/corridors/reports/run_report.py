"""The report of a scenario run: volumes by corridor, the map of flows, bottlenecks, measures.

Built from the tables a run stores (``corridors.scenarios.store``), so the same page
comes out of ``corridors report run RUN_ID`` (a stored run), ``corridors report
scenario NAME`` (a run made for the report) and the dashboard's export button.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from corridors import __version__
from corridors.network.model import Network
from corridors.reports import vegalite
from corridors.reports.html import Section, Table, render_report
from corridors.reports.mapview import BINDING_USE, MapView, run_flows_geojson, run_flows_layer
from corridors.scenarios.result import ScenarioResult
from corridors.scenarios.store import ResultsStore

CAPACITY_WARNING = BINDING_USE
"""Utilisation from which an element is listed as a bottleneck (as on the map)."""


def _volumes_section(network: Network, volumes: pd.DataFrame) -> Section:
    pivot = volumes.pivot_table(
        index="year", columns="corridor", values="volume_teu", aggfunc="sum", fill_value=0.0
    )
    ids = [str(c) for c in pivot.columns]
    chart = vegalite.volume_lines(
        volumes,
        names={c: network.corridor_name(c) for c in ids},
        colors={c: network.corridor_color(c) for c in ids},
    )
    table = pivot.reset_index()
    table.columns = ["Year", *(f"{network.corridor_name(str(c))} (TEU)" for c in pivot.columns)]
    return Section(
        "Volume by corridor",
        chart=chart,
        chart_alt="Volume by corridor and year, TEU a year",
        table=Table(table, formats={"Year": "d"}),
    )


def run_map(
    network: Network, link_flows: pd.DataFrame, bottlenecks: pd.DataFrame, *, year: int
) -> MapView:
    """The map of a run in one year, as the report and the dashboard draw it.

    Links by volume (TEU a year), links and capacitated nodes coloured by utilisation,
    bottlenecks ringed and labelled with their shadow price (USD per TEU).
    """
    geo = run_flows_geojson(network, link_flows, bottlenecks, year=year)
    return MapView(
        layers=[run_flows_layer(geo)],
        caption="Width: TEU a year; colour: share of capacity used (links and the ports, "
        "borders and terminals with a capacity); ringed: bottlenecks, labelled with "
        "their shadow price (USD per TEU). Click an element for its numbers.",
    )


def stored_run_map(store: ResultsStore, run_id: str, network: Network) -> dict[str, Any]:
    """:func:`run_map` of a stored run's last year: ``{"year", "layers"}``.

    ``year`` is None (and ``layers`` empty) when the run has no flows.
    """
    rid = str(store.run_info(run_id)["run_id"])
    flows = store.table("link_flows", rid)
    if not len(flows):
        return {"year": None, "layers": []}
    year = int(flows["year"].max())
    view = run_map(network, flows, store.table("bottlenecks", rid), year=year)
    return {"year": year, **view.spec()}


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
    """The ranking; the rents' columns where the ranking has them (not an older store's)."""
    r = rankings.sort_values("rank")
    columns = {
        "Rank": r["rank"],
        "Measure": r["measure_id"],
        "Capital cost (M USD)": r["capex_usd"] / 1e6,
        "Volume gain (TEU/yr)": r["volume_gain_teu"],
        "Shippers' surplus (M USD)": r["usd_saved"] / 1e6,
        "Saved per USD": r["usd_saved_per_usd"],
        "NPV (M USD)": r["npv_usd"] / 1e6,
    }
    if "rents_usd" in r.columns:
        columns["Scarcity rents (M USD)"] = r["rents_usd"] / 1e6
        columns["NPV with rents (M USD)"] = r["npv_with_rents_usd"] / 1e6
    text = (
        "Shippers' surplus and scarcity rents (a full element's shadow price times its "
        "flow) are changes over the modelled years, undiscounted; the order, the ratio and "
        "the NPV are the shippers'. Rents are a transfer where the owner prices its scarce "
        "capacity, lost where a queue rations it."
    )
    return Section(
        "Measures, best first",
        paragraphs=(text,),
        table=Table(pd.DataFrame(columns), best={"Saved per USD": "max"}),
    )


def run_report(
    network: Network,
    *,
    info: Mapping[str, Any],
    corridor_volumes: pd.DataFrame,
    link_flows: pd.DataFrame,
    transit_times: pd.DataFrame,
    bottlenecks: pd.DataFrame,
    rankings: pd.DataFrame,
    unserved: pd.DataFrame | None = None,
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
    unserved : DataFrame, optional
        The demand no route carried (listed for the last year that has some).

    Returns
    -------
    str
        The HTML document (map and chart drawn in the page; nothing external).
    """
    sections = [_volumes_section(network, corridor_volumes)]
    years = link_flows["year"].to_numpy() if len(link_flows) else np.array([], dtype=int)
    if len(years):
        year = int(years.max())
        view = run_map(network, link_flows, bottlenecks, year=year)
        sections.append(Section(f"Map of flows in {year}", map=view))
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
    if unserved is not None and len(unserved):
        last = int(unserved["year"].max())
        rows = unserved[unserved["year"] == last]
        frame = pd.DataFrame(
            {
                "Market": rows["market"],
                "From": rows["origin"],
                "To": rows["destination"],
                "Volume a year": rows["volume"],
                "Unit": rows["unit"],
                "Reason": rows["reason"],
            }
        )
        sections.append(
            Section(f"Unserved demand in {last} (no route, or no room)", table=Table(frame))
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
        unserved=result.unserved,
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
        unserved=store.table("unserved", rid),
    )
