"""The corridor comparison page for one origin-destination pair (``report compare``).

Summary cards (fastest, cheapest, lowest emissions), the routes on the map, the table
with the best value of each column marked, bar charts, and the notes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from corridors.reports import vegalite
from corridors.reports.errors import ReportError
from corridors.reports.html_table import Table, check_color, is_missing
from corridors.reports.mapview import MapView, routes_layer
from corridors.reports.page import Section, render_page

_COMPARE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("days", "Transit time (days)", ",.1f"),
    ("days_p95", "Bad case, p95 (days)", ",.1f"),
    ("usd", "Cost (USD)", ",.0f"),
    ("kg_co2e", "Emissions (kg CO2e)", ",.0f"),
    ("km", "Distance (km)", ",.0f"),
    ("borders", "Border crossings", ",.0f"),
    ("transfers", "Transfers", ",.0f"),
)


def _num(v: object) -> float:
    if is_missing(v):
        return math.nan
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def compare_report(
    *,
    title: str,
    origin: str,
    destination: str,
    rows: Sequence[Mapping[str, Any]],
    routes: Sequence[Mapping[str, Any]],
    notes: Sequence[str] = (),
    generated_by: str,
    subtitle: str | None = None,
    include_chart: bool = True,
) -> str:
    """Render the corridor comparison report for one origin-destination pair.

    Parameters
    ----------
    title : str
        Page title.
    origin, destination : str
        Place names, shown in the subtitle and summary.
    rows : sequence of mapping
        One per corridor with keys ``corridor`` (id), ``name``, ``color`` (#rrggbb),
        ``days`` (door-to-door transit time, days), ``usd`` (cost, USD), ``kg_co2e``
        (emissions, kg CO2e), ``km`` (distance, km), ``borders`` (border crossings) and
        ``transfers`` (mode or gauge transfers); optional ``days_p95`` (bad-case
        transit time, days). Missing values show as "—".
    routes : sequence of mapping
        The routes drawn on the map: ``corridor``, ``name``, ``color`` and ``geometry``
        (a FeatureCollection of legs), as :func:`corridors.reports.mapview.route_entry`.
    notes : sequence of str
        Assumptions and caveats, listed at the end.
    generated_by : str
        Footer text naming the tool, version and dataset.
    subtitle : str, optional
        Replaces the default "origin → destination" subtitle (e.g. to name the cargo).
    include_chart : bool
        Add bar charts of days, cost and emissions.

    Returns
    -------
    str
        A complete HTML document.
    """
    if not rows:
        raise ReportError("compare_report: no corridor rows to compare")
    recs: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        if "name" not in r and "corridor" not in r:
            raise ReportError(f"compare_report: row {i} has neither 'corridor' nor 'name'")
        name = str(r.get("name") or r.get("corridor"))
        color = check_color(
            str(r.get("color") or vegalite.PALETTE[i % len(vegalite.PALETTE)]),
            f"colour of corridor {name!r}",
        )
        rec: dict[str, Any] = {
            "corridor": str(r.get("corridor", name)),
            "name": name,
            "color": color,
        }
        for key, _header, _fmt in _COMPARE_COLUMNS:
            rec[key] = _num(r.get(key))
        recs.append(rec)

    # summary cards: fastest, cheapest, cleanest
    cards: list[dict[str, str]] = []
    sentences: list[str] = []
    for key, what, unit, spec, word in (
        ("days", "Fastest", "days", ",.1f", "fastest"),
        ("usd", "Cheapest", "USD", ",.0f", "cheapest"),
        ("kg_co2e", "Lowest emissions", "kg CO2e", ",.0f", "lowest-emission"),
    ):
        cands = [r for r in recs if math.isfinite(r[key])]
        if not cands:
            continue
        best = min(cands, key=lambda r: (r[key], r["name"]))
        value = format(best[key], spec)
        cards.append(
            {
                "what": what,
                "value": value,
                "unit": unit,
                "who": best["name"],
                "color": best["color"],
            }
        )
        sentences.append(f"the {word} is {best['name']} ({value} {unit})")
    summary = (
        f"{len(recs)} corridor{'s' if len(recs) != 1 else ''} compared from {origin} "
        f"to {destination}"
    )
    summary += (
        (
            ": "
            + ", ".join(sentences[:-1])
            + (" and " if len(sentences) > 1 else "")
            + sentences[-1]
            + "."
        )
        if sentences
        else "."
    )

    present = [
        c
        for c in _COMPARE_COLUMNS
        if c[0] != "days_p95" or any(math.isfinite(r["days_p95"]) for r in recs)
    ]
    frame = pd.DataFrame(
        {
            "Corridor": [r["name"] for r in recs],
            **{header: [r[key] for r in recs] for key, header, _f in present},
        }
    )
    table = Table(
        frame=frame,
        formats={header: spec for _k, header, spec in present},
        best={header: "min" for _k, header, _f in present},
        swatches={r["name"]: r["color"] for r in recs},
        note="★ best value in each column (lowest). Costs and emissions are per shipment "
        "as modelled; see the notes below.",
    )
    chips = [(r["name"], r["color"]) for r in recs]
    sections = [
        Section(
            heading="Routes",
            map=MapView(layers=[routes_layer(routes)]),
            chips=chips,
            caption="Hover a line for details. Lines follow the modelled legs (rail, road, "
            "ferry, sea); sea and ferry legs are dashed.",
        ),
        Section(heading="Comparison", table=table),
    ]
    if include_chart:
        sections.append(
            Section(
                heading="At a glance",
                chart=vegalite.comparison_bars(recs, label_key="name", color_key="color"),
                chart_alt="Bar charts of transit time, cost and emissions per corridor",
            )
        )
    if notes:
        sections.append(Section(heading="Notes and assumptions", bullets=list(notes)))
    return render_page(
        title=title,
        kicker="Corridor comparison",
        subtitle=subtitle if subtitle is not None else f"{origin} → {destination}",
        lede=summary,
        cards=cards,
        sections=sections,
        generated_by=generated_by,
    )
