"""Charts of the reports as Vega-Lite specifications (drawn in the page, as the dashboard's).

A report embeds each specification as JSON and the vendored Vega-Lite draws it when the
page opens (see :mod:`corridors.reports.assets`); nothing is rasterised in Python. Each
function returns a plain ``dict`` with its data inline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from corridors.reports.errors import ReportError
from corridors.reports.geojson import json_number

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
"""The ``$schema`` of the specifications (a name only: nothing is fetched)."""

PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
"""Okabe-Ito colours for series without a colour of their own."""

DEFAULT_METRICS: tuple[tuple[str, str], ...] = (
    ("days", "Transit time (days)"),
    ("usd", "Cost (USD)"),
    ("kg_co2e", "Emissions (kg CO2e)"),
)
"""Metrics of :func:`comparison_bars`: key and axis title with unit."""


def comparison_bars(
    rows: Sequence[Mapping[str, Any]],
    *,
    metrics: Sequence[tuple[str, str]] = DEFAULT_METRICS,
    label_key: str = "name",
    color_key: str = "color",
) -> dict[str, Any]:
    """Corridors side by side on each metric (days, USD, kg CO2e): one bar panel per metric.

    Parameters
    ----------
    rows : sequence of mapping
        One per corridor, with ``label_key``, ``color_key`` and the metric keys; a missing
        or non-finite value leaves its bar out.
    metrics : sequence of (key, title)
        Metrics and their titles with units.
    label_key, color_key : str
        Keys of the corridor name and colour.

    Returns
    -------
    dict
        A Vega-Lite specification (horizontal concatenation of bar charts).
    """
    if not rows:
        raise ReportError("comparison_bars: no rows to draw")
    names = [str(r.get(label_key) or r.get("corridor") or f"#{i + 1}") for i, r in enumerate(rows)]
    colors = [str(r.get(color_key) or PALETTE[i % len(PALETTE)]) for i, r in enumerate(rows)]
    scale = {"domain": names, "range": colors}
    panels = []
    for j, (key, title) in enumerate(metrics):
        values = [
            {"corridor": n, "value": v}
            for n, r in zip(names, rows, strict=True)
            if (v := json_number(r.get(key))) is not None
        ]
        panels.append(
            {
                "title": title,
                "width": 170,
                "height": {"step": 22},
                "data": {"values": values},
                "mark": "bar",
                "encoding": {
                    "y": {
                        "field": "corridor",
                        "type": "nominal",
                        "sort": names,
                        "title": None,
                        **({} if j == 0 else {"axis": None}),
                    },
                    "x": {"field": "value", "type": "quantitative", "title": None},
                    "color": {
                        "field": "corridor",
                        "type": "nominal",
                        "scale": scale,
                        "legend": None,
                    },
                    "tooltip": [{"field": "corridor"}, {"field": "value", "format": ",.1f"}],
                },
            }
        )
    return {"$schema": SCHEMA, "hconcat": panels}


def volume_lines(
    volumes: pd.DataFrame,
    *,
    names: Mapping[str, str],
    colors: Mapping[str, str],
    title: str = "Volume by corridor, TEU a year",
    value: str = "volume_teu",
) -> dict[str, Any]:
    """Volume a year per corridor: one line per corridor (``year, corridor, <value>``).

    Parameters
    ----------
    volumes : DataFrame
        Columns ``year``, ``corridor`` (id) and ``value`` (summed over other columns).
    names, colors : mapping
        Name and colour of each corridor id.
    title : str
        Chart title.
    value : str
        Column of the volume (TEU a year).
    """
    total = volumes.groupby(["year", "corridor"], as_index=False)[value].sum()
    ids = sorted({str(c) for c in total["corridor"]})
    values = [
        {"year": int(y), "corridor": names.get(str(c), str(c)), "volume": float(v)}
        for y, c, v in zip(total["year"], total["corridor"], total[value], strict=True)
    ]
    domain = [names.get(c, c) for c in ids]
    scale = {"domain": domain, "range": [colors.get(c, PALETTE[0]) for c in ids]}
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": 560,
        "height": 240,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "year"},
            "y": {"field": "volume", "type": "quantitative", "title": "TEU a year"},
            "color": {"field": "corridor", "type": "nominal", "scale": scale},
            "tooltip": [
                {"field": "corridor"},
                {"field": "year"},
                {"field": "volume", "format": ",.0f"},
            ],
        },
    }


def gap_chart(history: npt.ArrayLike, *, target: float | None = None) -> dict[str, Any]:
    """Relative gap of an equilibrium per iteration (log scale), with the target if any.

    Parameters
    ----------
    history : array-like of float
        Relative gap after each iteration from the second (dimensionless).
    target : float, optional
        Gap the run aimed at, drawn as a dashed rule.
    """
    gaps = np.maximum(np.asarray(history, dtype=np.float64), 1e-16)
    values = [{"iteration": i + 2, "gap": float(g)} for i, g in enumerate(gaps)]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True, "color": PALETTE[0]},
            "encoding": {
                "x": {"field": "iteration", "type": "quantitative", "title": "iteration"},
                "y": {
                    "field": "gap",
                    "type": "quantitative",
                    "scale": {"type": "log"},
                    "title": "relative gap",
                },
                "tooltip": [{"field": "iteration"}, {"field": "gap", "format": ".2e"}],
            },
        }
    ]
    if target is not None and target > 0:
        layers.append(
            {
                "data": {"values": [{"target": target}]},
                "mark": {"type": "rule", "color": "#d7263d", "strokeDash": [5, 4]},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )
    return {
        "$schema": SCHEMA,
        "width": 520,
        "height": 180,
        "data": {"values": values},
        "layer": layers,
    }


__all__ = ["DEFAULT_METRICS", "PALETTE", "SCHEMA", "comparison_bars", "gap_chart", "volume_lines"]
