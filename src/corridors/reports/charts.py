"""Charts as PNG bytes, drawn with matplotlib's object API (no pyplot global state).

Every function takes plain data (mappings, arrays, DataFrames) and keyword options and
returns the bytes of a PNG image, ready for :func:`corridors.reports.html.png_data_uri`
or for writing to a file. A fresh :class:`matplotlib.figure.Figure` with its own Agg
canvas is made for each chart, so the functions are safe to call from threads and the
same input gives the same bytes (PNG metadata carries no software version or date).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corridors.reports.errors import ReportError

PALETTE: tuple[str, ...] = (
    "#e4572e",
    "#2e86ab",
    "#6a994e",
    "#8e5ea2",
    "#f0a500",
    "#17a2b8",
    "#7f7f7f",
    "#bc4b51",
)
"""Colours used when the caller gives none (in this order)."""

DEFAULT_METRICS: tuple[tuple[str, str], ...] = (
    ("days", "Transit time (days)"),
    ("usd", "Cost (USD)"),
    ("kg_co2e", "Emissions (kg CO2e)"),
)
"""Metrics of :func:`comparison_bars`: ``(row key, axis title with unit)``."""

_TEXT = "#26323d"
_MUTED = "#6b7785"
_GRID = "#e3e8ed"


def _new_figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure, *, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _style(ax: Axes, *, grid_axis: Literal["x", "y", "both"] = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#b8c2cc")
    ax.tick_params(colors=_MUTED, labelsize=9, length=3)
    ax.grid(axis=grid_axis, color=_GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.xaxis.label.set_color(_TEXT)
    ax.yaxis.label.set_color(_TEXT)


def _thousands(v: float) -> str:
    if not math.isfinite(v):
        return "n/a"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


def _records(data: pd.DataFrame | Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(data, pd.DataFrame):
        return [{str(k): v for k, v in r.items()} for r in data.to_dict(orient="records")]
    return [dict(r) for r in data]


def _float(v: object) -> float:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return f


def _colors_for(names: Sequence[str], colors: Mapping[str, str] | None) -> list[str]:
    return [(colors or {}).get(n, PALETTE[i % len(PALETTE)]) for i, n in enumerate(names)]


def comparison_bars(
    data: pd.DataFrame | Sequence[Mapping[str, Any]],
    *,
    metrics: Sequence[tuple[str, str]] = DEFAULT_METRICS,
    label_key: str = "name",
    color_key: str = "color",
    layout: Literal["panels", "grouped"] = "panels",
    width_in: float = 10.0,
    height_in: float | None = None,
    dpi: int = 144,
    title: str | None = None,
) -> bytes:
    """Compare corridors on several metrics (days, USD, CO2) as bar charts.

    Parameters
    ----------
    data : DataFrame or sequence of mapping
        One row per corridor, with ``label_key``, optional ``color_key`` and the
        metric keys (e.g. ``days``, ``usd``, ``kg_co2e``); missing values show "n/a".
    metrics : sequence of (key, title)
        Metrics to draw and their axis titles with units.
    label_key, color_key : str
        Keys of the corridor name and colour.
    layout : {"panels", "grouped"}
        ``"panels"``: one horizontal bar panel per metric in its own unit, values
        written at the bar ends, the best (lowest) in bold. ``"grouped"``: one grouped
        bar chart, metrics on the x axis, each corridor's value divided by the best
        corridor's value on that metric (1.0 = best).
    width_in, height_in : float
        Figure size, inches (height by default from the number of corridors).
    dpi : int
        Resolution, dots per inch.
    title : str, optional
        Figure title.

    Returns
    -------
    bytes
        PNG image.
    """
    rows = _records(data)
    if not rows:
        raise ReportError("comparison_bars: no rows to draw")
    names = [str(r.get(label_key, r.get("corridor", f"#{i + 1}"))) for i, r in enumerate(rows)]
    cols = [
        str(r[color_key]) if r.get(color_key) else PALETTE[i % len(PALETTE)]
        for i, r in enumerate(rows)
    ]
    values = np.array([[_float(r.get(k)) for k, _ in metrics] for r in rows], dtype=np.float64)
    n = len(rows)
    if layout == "panels":
        h = height_in if height_in is not None else 0.9 + 0.42 * n
        fig = _new_figure(width_in, h)
        axes = fig.subplots(1, len(metrics), sharey=True, squeeze=False)[0]
        y = np.arange(n)[::-1]
        for j, (ax, (_key, label)) in enumerate(zip(axes, metrics, strict=True)):
            col = values[:, j]
            finite = col[np.isfinite(col)]
            best = float(finite.min()) if len(finite) else math.nan
            vmax = float(finite.max()) if len(finite) else 1.0
            ax.barh(y, np.nan_to_num(col), color=cols, height=0.62)
            for yi, v in zip(y, col, strict=True):
                ax.text(
                    v if math.isfinite(v) else 0.0,
                    yi,
                    " " + _thousands(v),
                    va="center",
                    ha="left",
                    fontsize=9,
                    color=_TEXT,
                    fontweight="bold" if v == best else "normal",
                )
            ax.set_xlim(0, vmax * 1.32 if vmax > 0 else 1.0)
            ax.set_title(label, fontsize=10, color=_TEXT, loc="left")
            _style(ax, grid_axis="x")
            ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
            ax.tick_params(axis="y", length=0, labelsize=9.5, labelcolor=_TEXT, labelleft=j == 0)
        axes[0].set_yticks(y, names)
    elif layout == "grouped":
        h = height_in if height_in is not None else 3.6
        fig = _new_figure(width_in, h)
        ax = fig.subplots()
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = values / np.nanmin(values, axis=0, keepdims=True)
        x = np.arange(len(metrics))
        bw = 0.8 / n
        for i in range(n):
            ax.bar(
                x - 0.4 + bw * (i + 0.5),
                np.nan_to_num(rel[i]),
                width=bw * 0.92,
                color=cols[i],
                label=names[i],
            )
        ax.axhline(1.0, color=_MUTED, linewidth=0.8, linestyle=":")
        ax.set_xticks(x, [label for _, label in metrics])
        ax.set_ylabel("Relative to best (1.0 = best)")
        _style(ax)
        ax.legend(frameon=False, fontsize=9, ncols=min(n, 4), loc="upper left")
    else:
        raise ReportError(f"comparison_bars: layout {layout!r} is not 'panels' or 'grouped'")
    if title:
        fig.suptitle(title, fontsize=12, color=_TEXT, x=0.01, ha="left")
    return _png(fig, dpi=dpi)


def transit_histogram(
    samples: Mapping[str, npt.ArrayLike],
    *,
    colors: Mapping[str, str] | None = None,
    bins: int = 30,
    unit: str = "days",
    quantile: float = 0.95,
    width_in: float = 8.0,
    height_in: float = 3.6,
    dpi: int = 144,
    title: str | None = None,
) -> bytes:
    """Histogram of door-to-door transit times per corridor (Monte Carlo or simulation).

    Parameters
    ----------
    samples : mapping of str to array
        Transit times per corridor, in ``unit``.
    colors : mapping, optional
        Colour per corridor name.
    bins : int
        Number of bins, shared by all corridors.
    unit : str
        Unit of the samples (x axis title).
    quantile : float
        The "bad case" quantile marked with a dotted line (the median is dashed).
    width_in, height_in : float
        Figure size, inches.
    dpi : int
        Resolution.
    title : str, optional
        Axes title.

    Returns
    -------
    bytes
        PNG image.
    """
    arrays = {k: np.asarray(v, dtype=np.float64).ravel() for k, v in samples.items()}
    arrays = {k: a[np.isfinite(a)] for k, a in arrays.items()}
    allv = np.concatenate([a for a in arrays.values() if len(a)] or [np.zeros(0)])
    if len(allv) == 0:
        raise ReportError("transit_histogram: no finite samples")
    lo, hi = float(allv.min()), float(allv.max())
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    fig = _new_figure(width_in, height_in)
    ax = fig.subplots()
    names = list(arrays)
    for name, col in zip(names, _colors_for(names, colors), strict=True):
        a = arrays[name]
        if len(a) == 0:
            continue
        med, q = float(np.median(a)), float(np.quantile(a, quantile))
        lab = f"{name}: median {_thousands(med)}, p{round(quantile * 100)} {_thousands(q)} {unit}"
        ax.hist(a, bins=edges.tolist(), color=col, alpha=0.28)
        ax.hist(a, bins=edges.tolist(), color=col, histtype="step", linewidth=1.6, label=lab)
        ax.axvline(med, color=col, linestyle="--", linewidth=1.2)
        ax.axvline(q, color=col, linestyle=":", linewidth=1.2)
    ax.set_xlabel(f"Transit time ({unit})")
    ax.set_ylabel("Runs")
    _style(ax)
    ax.legend(frameon=False, fontsize=8.5)
    if title:
        ax.set_title(title, fontsize=11, color=_TEXT, loc="left")
    return _png(fig, dpi=dpi)


def queue_chart(
    times: npt.ArrayLike,
    queues: Mapping[str, npt.ArrayLike] | npt.ArrayLike,
    *,
    colors: Mapping[str, str] | None = None,
    time_unit: str = "hours",
    ylabel: str = "Queue (trucks)",
    capacity: float | None = None,
    width_in: float = 8.0,
    height_in: float = 3.2,
    dpi: int = 144,
    title: str | None = None,
) -> bytes:
    """Queue length over time (step plot), e.g. trucks waiting at a border or port.

    Parameters
    ----------
    times : array
        Times of the observations, ``time_unit``, ascending.
    queues : array or mapping of str to array
        Queue length after each time; a mapping draws one line per place.
    colors : mapping, optional
        Colour per place.
    time_unit : str
        Unit of ``times`` (x axis title).
    ylabel : str
        Y axis title with unit.
    capacity : float, optional
        A reference level (e.g. yard or parking capacity) drawn as a dashed line.
    width_in, height_in : float
        Figure size, inches.
    dpi : int
        Resolution.
    title : str, optional
        Axes title.

    Returns
    -------
    bytes
        PNG image.
    """
    t = np.asarray(times, dtype=np.float64)
    series = (
        {str(k): np.asarray(v, dtype=np.float64) for k, v in queues.items()}
        if isinstance(queues, Mapping)
        else {"": np.asarray(queues, dtype=np.float64)}
    )
    for name, q in series.items():
        if q.shape != t.shape:
            raise ReportError(
                f"queue_chart: series {name!r} has {q.shape} values for {t.shape} times"
            )
    fig = _new_figure(width_in, height_in)
    ax = fig.subplots()
    names = list(series)
    for name, col in zip(names, _colors_for(names, colors), strict=True):
        ax.step(t, series[name], where="post", color=col, linewidth=1.4, label=name or None)
        ax.fill_between(t, series[name], step="post", color=col, alpha=0.12)
    if capacity is not None:
        ax.axhline(capacity, color="#d7263d", linestyle="--", linewidth=1.0, label="capacity")
    ax.set_xlabel(f"Time ({time_unit})")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.set_xlim(float(t.min()) if len(t) else 0.0, float(t.max()) if len(t) else 1.0)
    _style(ax)
    if any(names) or capacity is not None:
        ax.legend(frameon=False, fontsize=9)
    if title:
        ax.set_title(title, fontsize=11, color=_TEXT, loc="left")
    return _png(fig, dpi=dpi)


def forecast_chart(
    forecasts: Mapping[str, Mapping[str, npt.ArrayLike]],
    *,
    history: Mapping[str, Mapping[str, npt.ArrayLike]] | None = None,
    colors: Mapping[str, str] | None = None,
    xlabel: str = "Year",
    ylabel: str = "Volume (TEU)",
    band_label: str = "uncertainty band",
    width_in: float = 8.0,
    height_in: float = 3.6,
    dpi: int = 144,
    title: str | None = None,
) -> bytes:
    """Forecast lines with uncertainty bands, optionally after observed history.

    Parameters
    ----------
    forecasts : mapping of str to mapping
        Per series: ``"x"`` (e.g. years), ``"median"`` (central forecast), and optional
        ``"low"`` and ``"high"`` (band limits, same length).
    history : mapping of str to mapping, optional
        Observed values per series: ``"x"`` and ``"y"``; drawn solid, the forecast dashed.
    colors : mapping, optional
        Colour per series.
    xlabel, ylabel : str
        Axis titles with units.
    band_label : str
        Legend text of the band (e.g. "P10-P90").
    width_in, height_in : float
        Figure size, inches.
    dpi : int
        Resolution.
    title : str, optional
        Axes title.

    Returns
    -------
    bytes
        PNG image.
    """
    if not forecasts:
        raise ReportError("forecast_chart: no forecast series")
    fig = _new_figure(width_in, height_in)
    ax = fig.subplots()
    names = list(forecasts)
    band_done = False
    for name, col in zip(names, _colors_for(names, colors), strict=True):
        f = forecasts[name]
        if "x" not in f or "median" not in f:
            raise ReportError(f"forecast_chart: series {name!r} needs 'x' and 'median'")
        x = np.asarray(f["x"], dtype=np.float64)
        med = np.asarray(f["median"], dtype=np.float64)
        if x.shape != med.shape:
            raise ReportError(f"forecast_chart: series {name!r}: x and median differ in length")
        if history and name in history:
            hx = np.asarray(history[name]["x"], dtype=np.float64)
            hy = np.asarray(history[name]["y"], dtype=np.float64)
            ax.plot(hx, hy, color=col, linewidth=1.8, marker="o", markersize=3)
        if "low" in f and "high" in f:
            low = np.asarray(f["low"], dtype=np.float64)
            high = np.asarray(f["high"], dtype=np.float64)
            if low.shape != x.shape or high.shape != x.shape:
                raise ReportError(f"forecast_chart: series {name!r}: band differs in length")
            ax.fill_between(
                x,
                low,
                high,
                color=col,
                alpha=0.18,
                linewidth=0,
                label=None if band_done else band_label,
            )
            band_done = True
        ax.plot(x, med, color=col, linewidth=1.8, linestyle="--", label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    _style(ax)
    ax.legend(frameon=False, fontsize=9)
    if title:
        ax.set_title(title, fontsize=11, color=_TEXT, loc="left")
    return _png(fig, dpi=dpi)


__all__ = [
    "DEFAULT_METRICS",
    "PALETTE",
    "comparison_bars",
    "forecast_chart",
    "queue_chart",
    "transit_histogram",
]
